#!/usr/bin/env bash
# Prints, for the release server: time from process start to the first HTTP 200, resident memory
# when idle (and after load), requests per second of the landing page and of /healthz (wrk, same
# run), sign-in latency under 50 concurrent sign-ins, a signed-in page next to /healthz, the
# device list of a workspace with 10,000 devices (data from a datagen of 10,000 devices), a
# dashboard of six widgets over them next to /healthz, and the
# wasm bundle size raw and gzipped; then the workspace, connector and live-update benchmarks.
# Figures only: nothing here passes or fails.
#   bash scripts/bench.sh            # DURATION=10 CONNECTIONS=32 PORT=3999 by default
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh

DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
PORT="${PORT:-3999}"

if ! command -v wrk >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi

export LEPTOS_SITE_ROOT="$PWD/target/site"
cargo leptos build --release
cargo build --release --locked -p datagen
bin="$(realpath -m "${CARGO_TARGET_DIR:-target}")/release/iot-rocket"
datagen_bin="$(realpath -m "${CARGO_TARGET_DIR:-target}")/release/iot-rocket-datagen"

data=$(mktemp -d)
pid=""
datagen_pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  [ -n "$datagen_pid" ] && kill "$datagen_pid" 2>/dev/null
  rm -rf "$data"
}
trap cleanup EXIT

# The data source: a datagen with 10,000 devices beside the server.
DATAGEN_PORT=$((PORT + 1))
DATAGEN_TOKEN="bench-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
DATAGEN_ADDR="127.0.0.1:$DATAGEN_PORT" DATAGEN_TOKEN="$DATAGEN_TOKEN" DATAGEN_DEVICES=10000 \
  RUST_LOG=warn "$datagen_bin" >/dev/null 2>&1 &
datagen_pid=$!
export DATA_SOURCE_URL="http://127.0.0.1:$DATAGEN_PORT/graphql" DATA_SOURCE_TOKEN="$DATAGEN_TOKEN"

# The status code of GET $1 on the server, or nothing when it does not answer.
status_of() {
  { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null || return 0
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&3
  head -1 <&3 | awk '{print $2}'
  exec 3<&-
}

start=$(date +%s%N)
DATA_DIR="$data" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn "$bin" serve >/dev/null 2>&1 &
pid=$!
deadline=$(( $(date +%s) + 30 ))
until [ "$(status_of /healthz)" = "200" ]; do
  kill -0 "$pid" 2>/dev/null || { echo "the server exited during start-up" >&2; exit 1; }
  [ "$(date +%s)" -lt "$deadline" ] || { echo "no HTTP 200 within 30 s" >&2; exit 1; }
done
first=$(date +%s%N)
rss() { awk '/VmRSS/ {printf "%.1f MB", $2/1024}' "/proc/$pid/status"; }
idle_rss=$(rss)

rps() { wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
landing=$(rps "http://127.0.0.1:$PORT/")
health=$(rps "http://127.0.0.1:$PORT/healthz")
loaded_rss=$(rss)

# Sign-in and an authenticated page: 50 workspaces made by the CLI beside the running server,
# one owner each, so 50 concurrent sign-ins are 50 people (one account hammered 50 times at
# once is refused by its own limit, by design).
password="correct horse battery"
for i in $(seq 1 50); do
  echo "$password" | DATA_DIR="$data" "$bin" workspace create --slug "bench-$i" \
    --name "Bench Co $i" --owner-email "owner$i@bench.example" >/dev/null
done
form="slug=bench-1&email=owner1%40bench.example&password=correct+horse+battery"
cookie=$(curl -s -D - -o /dev/null -H 'Accept: application/json' --data "$form" \
  "http://127.0.0.1:$PORT/api/sign_in" | awk -F'[ ;]' 'tolower($1) == "set-cookie:" {print $2}')
[ -n "$cookie" ] || { echo "signing in to the bench workspace failed" >&2; exit 1; }
lua="$data/sign-in.lua"
cat >"$lua" <<'LUA'
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
request = function()
  n = n % 50 + 1
  local body = "slug=bench-" .. n .. "&email=owner" .. n .. "%40bench.example&password=correct+horse+battery"
  return wrk.format(nil, nil, nil, body)
end
LUA
signin=$(wrk -t2 -c50 -d"${DURATION}s" --latency -s "$lua" "http://127.0.0.1:$PORT/api/sign_in")
signin_p50=$(awk '$1 == "50%" {print $2}' <<<"$signin")
signin_p99=$(awk '$1 == "99%" {print $2}' <<<"$signin")
signin_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$signin")
signin_refused=$(awk '/Non-2xx/ {print $NF}' <<<"$signin")
authed=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -H "Cookie: $cookie" \
  "http://127.0.0.1:$PORT/w/bench-1/" | awk '/Requests\/sec/ {print $2}')
health_again=$(rps "http://127.0.0.1:$PORT/healthz")

# 10,000 devices registered in bench-1 (all of the datagen's, imported as one CSV file).
csv="$data/devices.csv"
echo "external_id,name,latitude,longitude" >"$csv"
for offset in $(seq 0 1000 9000); do
  curl -s -H "Authorization: Bearer $DATAGEN_TOKEN" -H 'Content-Type: application/json' \
    --data "{\"query\":\"{ devices(offset: $offset, limit: 1000) { items { id name latitude longitude } } }\"}" \
    "$DATA_SOURCE_URL" | grep -o '"id":"[^"]*","name":"[^"]*","latitude":[-0-9.e]*,"longitude":[-0-9.e]*' \
    | sed 's/"id":"\([^"]*\)","name":"\([^"]*\)","latitude":\([^,]*\),"longitude":\(.*\)/\1,\2,\3,\4/' >>"$csv"
done
imported=$(curl -s -H 'Accept: application/json' -H "Cookie: $cookie" --data "slug=bench-1" \
  --data-urlencode "csv@$csv" "http://127.0.0.1:$PORT/api/import_devices" | grep -o '"imported":[0-9]*')
devices_first=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -H "Cookie: $cookie" \
  "http://127.0.0.1:$PORT/w/bench-1/devices" | awk '/Requests\/sec/ {print $2}')
devices_search=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -H "Cookie: $cookie" \
  "http://127.0.0.1:$PORT/w/bench-1/devices?search=lyon&sort=kind&page=3" | awk '/Requests\/sec/ {print $2}')
devices_latency=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" \
  "http://127.0.0.1:$PORT/w/bench-1/devices?page=200")

# A dashboard of six widgets over bench-1's devices (it reads the first 1,000): map, table, two
# charts of 12 lines each, a stat and a gauge; then requests per second with a warm cache, and
# /healthz beside it.
widget() { # index kind x y w h metrics [extra field=value ...]
  local i=$1 kind=$2 x=$3 y=$4 w=$5 h=$6 metrics=$7
  shift 7
  printf -- '--data-urlencode widgets[%s][%s]=%s ' "$i" kind "$kind" "$i" x "$x" "$i" y "$y" \
    "$i" w "$w" "$i" h "$h" "$i" metrics "$metrics"
  for extra in "$@"; do printf -- '--data-urlencode widgets[%s][%s]=%s ' "$i" "${extra%%=*}" "${extra#*=}"; done
}
set -f # the field names' brackets are not file patterns
# shellcheck disable=SC2046
saved=$(curl -s -o "$data/saved.json" -w '%{http_code}' -H 'Accept: application/json' -H "Cookie: $cookie" \
  --data "slug=bench-1&name=Bench&visibility=everyone&is_default=yes" \
  $(widget 0 map 0 0 6 4 battery) $(widget 1 table 6 0 6 4 battery,signal) \
  $(widget 2 time_series 0 4 6 3 battery) $(widget 3 time_series 6 4 6 3 signal) \
  $(widget 4 stat 0 7 6 2 battery) $(widget 5 gauge 6 7 6 2 battery min=0 max=100) \
  "http://127.0.0.1:$PORT/api/save_dashboard")
set +f
[ "$saved" = 200 ] || echo "saving the bench dashboard failed: HTTP $saved $(cat "$data/saved.json")" >&2
dashboard_latency=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" \
  "http://127.0.0.1:$PORT/w/bench-1/dashboards")
dashboard=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -H "Cookie: $cookie" \
  "http://127.0.0.1:$PORT/w/bench-1/dashboards" | awk '/Requests\/sec/ {print $2}')
health_dashboard=$(rps "http://127.0.0.1:$PORT/healthz")

# The dashboard's map over all 10,000 devices, clustered, in Chromium (time from navigation
# to every marker drawn, as the page reports it).
map_figures=$(MAP_URL="http://127.0.0.1:$PORT/w/bench-1/dashboards" EMAIL=owner1@bench.example \
  PASSWORD="$password" cargo bench -q -p end2end --bench map 2>&1 | sed -n '2,$p') \
  || map_figures="  (the map benchmark failed: $map_figures)"

wasm=$(ls "$LEPTOS_SITE_ROOT"/pkg/*.wasm | head -1)
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)

printf '\nIoT Rocket release benchmark (%s, %s cores)\n' "$(date -u +%F)" "$(nproc)"
printf '  start to first HTTP 200 (/healthz):  %d ms\n' $(( (first - start) / 1000000 ))
printf '  resident memory, idle after start:   %s\n' "$idle_rss"
printf '  resident memory, after the load:     %s\n' "$loaded_rss"
printf '  GET /         (wrk %ss, %s conns):  %s req/s\n' "$DURATION" "$CONNECTIONS" "$landing"
printf '  GET /healthz  (wrk %ss, %s conns):  %s req/s\n' "$DURATION" "$CONNECTIONS" "$health"
printf '  POST /api/sign_in (wrk %ss, 50 concurrent): p50 %s, p99 %s, %s sign-ins/s, %s not signed in\n' "$DURATION" "$signin_p50" "$signin_p99" "$signin_rps" "${signin_refused:-0}"
printf '  GET /w/bench-1/ signed in (wrk %ss, %s conns):  %s req/s\n' "$DURATION" "$CONNECTIONS" "$authed"
printf '  GET /healthz  beside it (wrk %ss, %s conns):  %s req/s\n' "$DURATION" "$CONNECTIONS" "$health_again"
printf '  device list, 10,000 devices (%s): page 1 %s req/s; search+sort page 3 %s req/s; one request for page 200: %s s\n' "$imported" "$devices_first" "$devices_search" "$devices_latency"
printf '  dashboard of 6 widgets over 1,000 of them (saved: HTTP %s): first request %s s; %s req/s warm (wrk %ss, %s conns); /healthz beside it %s req/s\n' "$saved" "$dashboard_latency" "$dashboard" "$DURATION" "$CONNECTIONS" "$health_dashboard"
printf '  map of the dashboard in Chromium:\n%s\n' "$map_figures"
printf '  wasm bundle %s: %d bytes raw (%d KiB), %d bytes gzipped (%d KiB)\n' "$(basename "$wasm")" "$raw" $((raw / 1024)) "$gz" $((gz / 1024))

# Workspaces: creation (SQLite and PostgreSQL), cold open, memory with many open pools.
echo
WORKSPACES="${WORKSPACES:-10000}" PG_WORKSPACES="${PG_WORKSPACES:-200}" \
  cargo bench -q -p backend --bench workspaces

# Themes: the per-page look at the theme folder (hot reload) and a full reload.
echo
cargo bench -q -p backend --bench theme

# The data source and the connector: datagen throughput, cold and cached latency, coalescing.
echo
FLEET="${FLEET:-100000}" cargo bench -q -p datagen --bench connector

# Live updates: a datagen change to the frame at 1,000 open sockets.
echo
SOCKETS="${SOCKETS:-1000}" cargo bench -q -p server --bench live
