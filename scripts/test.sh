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

step "release build (server binary + wasm bundle)"
cargo leptos build --release

step "browser tests in Chromium (JavaScript off and on)"
export IOTR_SERVER_BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/iot-rocket"
export LEPTOS_SITE_ROOT="$PWD/target/site"
cargo test -p end2end --locked -- --test-threads=1

step "all tests passed in $((SECONDS - started)) s"
