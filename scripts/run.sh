#!/usr/bin/env bash
# Installs what is missing (wasm target, cargo-leptos, wasm-bindgen, wasm-opt), builds the release
# and serves IoT Rocket at http://127.0.0.1:3000 on an embedded SQLite database under ./data,
# with the bundled demo data source (iot-rocket-datagen) at 127.0.0.1:4000.
# Every variable in README.md ("Configuration") can be set in the environment or in .env.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh

if [ -f .env ]; then
  set -a
  # shellcheck disable=SC1091
  source .env
  set +a
fi

cargo leptos build --release
cargo build --release -p datagen

target="${CARGO_TARGET_DIR:-target}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"

# The demo data source: unless DATA_SOURCE_URL points elsewhere, start the bundled
# iot-rocket-datagen beside the server, with a token made once and kept in DATA_DIR.
if [ -z "${DATA_SOURCE_URL+set}" ]; then
  data_dir="${DATA_DIR:-./data}"
  mkdir -p "$data_dir"
  token_file="$data_dir/datagen.token"
  if [ ! -s "$token_file" ]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$token_file")
  fi
  export DATAGEN_TOKEN="${DATAGEN_TOKEN:-$(cat "$token_file")}"
  export DATA_SOURCE_TOKEN="$DATAGEN_TOKEN"
  export DATAGEN_ADDR="${DATAGEN_ADDR:-127.0.0.1:4000}"
  export DATA_SOURCE_URL="http://$DATAGEN_ADDR/graphql"
  "$target/release/iot-rocket-datagen" &
  datagen_pid=$!
  trap 'kill "$datagen_pid" 2>/dev/null || true' EXIT
fi

"$target/release/iot-rocket" serve "$@"
