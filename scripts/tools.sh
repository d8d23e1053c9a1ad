#!/usr/bin/env bash
# Installs, idempotently, every build tool IoT Rocket needs beyond a Rust toolchain:
# the wasm32 target, cargo-leptos, wasm-bindgen-cli (same version as the crate) and wasm-opt.
# No prebuilt binary is downloaded: each tool is compiled from its crates.io source.
# Source this file (it exports PATH) or run it.
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=0.2.130 # must equal the `wasm-bindgen` pin in Cargo.toml
WASM_OPT_VERSION=0.116.1

CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$CARGO_HOME/bin:$PATH"

log() { printf '\033[1;34m[tools]\033[0m %s\n' "$*" >&2; }

# Copies a crate's published source out of cargo's registry (fetching it through cargo),
# pins one dependency to a version that builds on this toolchain, and installs it --locked.
# Extra arguments go to `cargo install`.
install_pinned() {
  local krate=$1 version=$2 dep=$3 dep_version=$4
  shift 4
  local src
  src=$(ls -d "$CARGO_HOME"/registry/src/*/"$krate-$version" 2>/dev/null | head -1 || true)
  if [ -z "$src" ]; then
    local probe
    probe=$(mktemp -d)
    mkdir -p "$probe/src"
    printf '[package]\nname = "fetch-probe"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n%s = "=%s"\n' \
      "$krate" "$version" >"$probe/Cargo.toml"
    : >"$probe/src/lib.rs"
    # `cargo fetch` downloads; `cargo metadata` unpacks the sources of every package.
    (cd "$probe" && cargo fetch -q && cargo metadata -q --format-version 1 >/dev/null)
    rm -rf "$probe"
    src=$(ls -d "$CARGO_HOME"/registry/src/*/"$krate-$version" | head -1)
  fi
  local work
  work=$(mktemp -d)
  cp -r "$src" "$work/$krate"
  (cd "$work/$krate" && cargo update -q -p "$dep" --precise "$dep_version")
  cargo install --path "$work/$krate" --locked --force "$@"
  rm -rf "$work"
}

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos is built with `no_downloads`: a missing tool is an error, never a download.
leptos_installed() {
  [ "$(cargo leptos --version 2>/dev/null || true)" = "cargo-leptos $CARGO_LEPTOS_VERSION" ] &&
    grep -o "\"cargo-leptos $CARGO_LEPTOS_VERSION[^}]*}" "$CARGO_HOME/.crates2.json" 2>/dev/null | grep -q no_downloads
}
if ! leptos_installed; then
  log "building cargo-leptos $CARGO_LEPTOS_VERSION from source (about 11 minutes, once)"
  # Its lockfile pins cargo-util-schemas 0.14.2, which needs a newer rustc than 1.95.
  install_pinned cargo-leptos "$CARGO_LEPTOS_VERSION" cargo-util-schemas 0.14.1 --features no_downloads
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "building wasm-bindgen-cli $WASM_BINDGEN_VERSION from source (about 2 minutes, once)"
  # Its lockfile names webpki-roots 1.0.11, which the registry no longer serves.
  install_pinned wasm-bindgen-cli "$WASM_BINDGEN_VERSION" webpki-roots 1.0.10
fi

if ! wasm-opt --version 2>/dev/null | grep -q 'version 116'; then
  if ! command -v g++ >/dev/null; then
    log "wasm-opt compiles binaryen's C++: installing g++"
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ >/dev/null
    else
      echo "g++ is needed to build wasm-opt: sudo apt-get install g++" >&2
      exit 1
    fi
  fi
  log "building wasm-opt $WASM_OPT_VERSION (binaryen 116) from source (about 7 minutes, once)"
  # Debian's binaryen 108 produces bundles that fail to hydrate; this one works.
  cargo install wasm-opt --version "$WASM_OPT_VERSION" --locked
fi
