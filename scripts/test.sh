#!/usr/bin/env bash
# Runs every test: formatting, clippy (server side, and app + frontend for wasm with hydrate),
# unit tests, database tests on SQLite and PostgreSQL, in-process HTTP tests, and browser tests
# in Debian's Chromium against the release server (JavaScript off and on).
#
# Needs PostgreSQL at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres):
# without it the database tests fail; they are never skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }
started=$SECONDS

# One absolute target directory and one site folder for every step (browser tests run from
# end2end/, so relative paths would point elsewhere).
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
  export CARGO_TARGET_DIR="$(realpath -m "$CARGO_TARGET_DIR")"
fi
export LEPTOS_SITE_ROOT="$PWD/target/site"
export IOTR_SERVER_BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/iot-rocket"
export IOTR_DATAGEN_BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/iot-rocket-datagen"

# PostgreSQL must answer before ten minutes of compiling, not after.
pg_url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_hostport="${pg_url#*://}"; pg_hostport="${pg_hostport#*@}"; pg_hostport="${pg_hostport%%/*}"
pg_host="${pg_hostport%:*}"; pg_port="${pg_hostport##*:}"
[ "$pg_port" = "$pg_host" ] && pg_port=5432
if ! (exec 3<>"/dev/tcp/$pg_host/$pg_port") 2>/dev/null; then
  echo "PostgreSQL does not answer at $pg_host:$pg_port (TEST_DATABASE_URL). The database tests need it;" >&2
  echo "start it (e.g. pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start) and retry." >&2
  exit 1
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  step "installing Debian's chromium and chromium-driver"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null
fi

step "cargo fmt --check"
cargo fmt --all --check

step "clippy: server side"
cargo clippy --workspace --exclude frontend --all-targets --locked -- -D warnings

step "clippy: app + frontend for wasm32 with hydrate"
cargo clippy -p app -p frontend --features app/hydrate --target wasm32-unknown-unknown --locked -- -D warnings

step "unit, database (SQLite + PostgreSQL) and HTTP tests"
cargo test --workspace --exclude frontend --exclude end2end --locked

step "release build (server binary + wasm bundle, and the datagen)"
cargo leptos build --release
cargo build --release --locked -p datagen

step "browser tests in Chromium (JavaScript off and on)"
cargo test -p end2end --locked -- --test-threads=1

step "all tests passed in $((SECONDS - started)) s"
