#!/usr/bin/env bash
# Installs what is missing (wasm target, cargo-leptos, wasm-bindgen, wasm-opt), builds the release
# and serves IoT Rocket at http://127.0.0.1:3000 on an embedded SQLite database under ./data.
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

target="${CARGO_TARGET_DIR:-target}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
exec "$target/release/iot-rocket" serve "$@"
