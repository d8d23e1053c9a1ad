#!/usr/bin/env bash
# Prints, for the release server: time from process start to the first HTTP 200, resident memory
# when idle (and after load), requests per second of the landing page and of /healthz (wrk, same
# run), and the wasm bundle size raw and gzipped. Figures only: nothing here passes or fails.
#   bash scripts/bench.sh            # DURATION=10 CONNECTIONS=32 by default
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh

DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"

if ! command -v wrk >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi

cargo leptos build --release >/dev/null 2>&1 || cargo leptos build --release
target="${CARGO_TARGET_DIR:-target}"
bin="$target/release/iot-rocket"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT

start=$(date +%s%N)
DATA_DIR="$data" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$PWD/target/site" \
  RUST_LOG=warn "$bin" serve >/dev/null 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do :; done
first=$(date +%s%N)
rss() { awk '/VmRSS/ {printf "%.1f MB", $2/1024}' "/proc/$pid/status"; }
idle_rss=$(rss)

rps() { wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
landing=$(rps "http://127.0.0.1:$port/")
health=$(rps "http://127.0.0.1:$port/healthz")
loaded_rss=$(rss)

wasm=$(ls "$PWD"/target/site/pkg/*.wasm | head -1)
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)

printf '\nIoT Rocket release benchmark (%s, %s cores)\n' "$(date -u +%F)" "$(nproc)"
printf '  start to first HTTP 200 (/healthz):  %d ms\n' $(( (first - start) / 1000000 ))
printf '  resident memory, idle after start:   %s\n' "$idle_rss"
printf '  resident memory, after the load:     %s\n' "$loaded_rss"
printf '  GET /         (wrk %ss, %s conns):  %s req/s\n' "$DURATION" "$CONNECTIONS" "$landing"
printf '  GET /healthz  (wrk %ss, %s conns):  %s req/s\n' "$DURATION" "$CONNECTIONS" "$health"
printf '  wasm bundle %s: %d KB raw, %d KB gzipped\n' "$(basename "$wasm")" $((raw / 1024)) $((gz / 1024))
