#!/usr/bin/env bash
# make bench-http: measure the running server with wrk on loopback.
#   1. /api/v1/hotgrids at 50 connections, beside a bare fiber handler that
#      returns a fixed body of the same size (the yardstick);
#   2. random tiles over the force area (tiles.lua);
#   3. first render of the map page in headless Chromium (web/e2e/map.mjs),
#      the median of RENDER_RUNS (default 5) runs, each in a fresh browser
#      profile, and of the repeat visit each run makes in its profile.
# Beside each wrk figure it prints the server's CPU time per request (user +
# system from /proc/PID/stat over the run): the machine is shared, so req/s
# measures the others' load as much as ours.
# Needs bin/hotgrid (make build; BIN=path for another build) and wrk;
# chromium/node are optional.
set -euo pipefail
cd "$(dirname "$0")/../../.."
PORT=${PORT:-18080}
BARE_PORT=${BARE_PORT:-18081}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { echo "bench-http: wrk not installed (apt-get install wrk)" >&2; exit 1; }
BIN=${BIN:-bin/hotgrid}
BARE_BIN=${BARE_BIN:-bin/bench-bare}
[ -x "$BIN" ] || { echo "bench-http: $BIN missing (make build)" >&2; exit 1; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_up() { # url
  for _ in $(seq 1 600); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "bench-http: $1 did not come up" >&2; exit 1
}

"$BIN" serve --addr "127.0.0.1:$PORT" --log-level warn &
pids+=($!)
hotpid=$!
wait_up "http://127.0.0.1:$PORT/healthz"
# every route but /healthz and /login needs an account: sign in with the demo
# viewer; curl and wrk send its session cookie (each view is also audited)
cookie=$(curl -fsS -o /dev/null -D - -d 'name=demo&password=hotgrid-demo&next=/healthz' "http://127.0.0.1:$PORT/login" |
  sed -n 's/^[Ss]et-[Cc]ookie: \(hotgrid_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "bench-http: demo sign-in failed" >&2; exit 1; }
auth=(-H "Cookie: $cookie")
# the warm-up runs in the background: wait for the first answer
size=$(curl -fsS "${auth[@]}" "http://127.0.0.1:$PORT/api/v1/hotgrids" | wc -c)
gzsize=$(curl -fsS "${auth[@]}" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT/api/v1/hotgrids" | wc -c)
curl -fsS "${auth[@]}" -o /dev/null "http://127.0.0.1:$PORT/api/v1/summary"

go build -o "$BARE_BIN" ./internal/server/benchhttp/bare
"$BARE_BIN" -addr "127.0.0.1:$BARE_PORT" -size "$size" &
pids+=($!)
barepid=$!
wait_up "http://127.0.0.1:$BARE_PORT/"
"$BARE_BIN" -addr "127.0.0.1:$((BARE_PORT + 1))" -size "$gzsize" &
pids+=($!)
baregzpid=$!
wait_up "http://127.0.0.1:$((BARE_PORT + 1))/"

cputicks() { # pid: user+system clock ticks so far
  awk '{print $14 + $15}' "/proc/$1/stat"
}
run() { # pid, wrk args...: wrk output, then "cpu-ticks <n>" for pid over the run
  local pid=$1 t0 out
  shift
  t0=$(cputicks "$pid")
  out=$(wrk "$@")
  echo "$out"
  echo "cpu-ticks $(($(cputicks "$pid") - t0))"
}
hz=$(getconf CLK_TCK)
median() { # numbers: their median
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
summary() { # label, run output
  local rps p99 n ticks
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$2")
  p99=$(awk '$1=="99%" {print $2}' <<<"$2")
  n=$(awk '/requests in/ {print $1}' <<<"$2")
  ticks=$(awk '$1=="cpu-ticks" {print $2}' <<<"$2")
  printf '%-34s %10s req/s   p99 %-9s server CPU %s µs/req\n' "$1" "$rps" "$p99" \
    "$(awk -v t="$ticks" -v hz="$hz" -v n="$n" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "?" }')"
}

echo "== wrk -t$THREADS -c$CONNS -d$DURATION on loopback ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)), body $size bytes ($gzsize gzipped)"
w=(-t"$THREADS" -c"$CONNS" -d"$DURATION" --latency)
hot=$(run "$hotpid" "${w[@]}" "${auth[@]}" "http://127.0.0.1:$PORT/api/v1/hotgrids")
bare=$(run "$barepid" "${w[@]}" "http://127.0.0.1:$BARE_PORT/")
hotgz=$(run "$hotpid" "${w[@]}" "${auth[@]}" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT/api/v1/hotgrids")
baregz=$(run "$baregzpid" "${w[@]}" "http://127.0.0.1:$((BARE_PORT + 1))/")
tiles=$(run "$hotpid" "${w[@]}" "${auth[@]}" -s internal/server/benchhttp/tiles.lua "http://127.0.0.1:$PORT")
summary "GET /api/v1/hotgrids" "$hot"
summary "bare fiber, same body size" "$bare"
summary "GET /api/v1/hotgrids (gzip)" "$hotgz"
summary "bare fiber, gzipped body size" "$baregz"
summary "random tiles z12-15 (force area)" "$tiles"
grep '^tiles:' <<<"$tiles" || true

if command -v node >/dev/null && [ -d web/node_modules/playwright-core ] && command -v chromium >/dev/null; then
  # a fresh browser profile each run (nothing cached); the median of RENDER_RUNS.
  # Each run times the first view (the server's picture of the hot grids,
  # or the map if it drew first), the map drawn by MapLibre, and a repeat
  # visit in the same profile (map.mjs steps 1 and 7).
  out=$(mktemp -d)
  views=()
  lcps=()
  runs=()
  repeats=()
  for _ in $(seq 1 "${RENDER_RUNS:-5}"); do
    if fig=$(cd web && node e2e/map.mjs --user demo --password hotgrid-demo --url "http://127.0.0.1:$PORT/" --chromium "$(command -v chromium)" --out "$out" 2>&1 | tail -1); then
      views+=("$(sed -n 's/.*"first_view_ms":\([0-9]*\).*/\1/p' <<<"$fig")")
      lcps+=("$(sed -n 's/.*"lcp_ms":\([0-9]*\).*/\1/p' <<<"$fig")")
      runs+=("$(sed -n 's/.*"first_render_ms":\([0-9]*\).*/\1/p' <<<"$fig")")
      repeats+=("$(sed -n 's/.*"repeat_render_ms":\([0-9]*\).*/\1/p' <<<"$fig")")
    else
      echo "first render: page check failed: $fig"
      break
    fi
  done
  if [ "${#runs[@]}" -gt 0 ]; then
    echo "first view (hot grids on screen) in headless Chromium, fresh profile: median $(median "${views[@]}") ms of ${views[*]} (picture while MapLibre loads: $out/map-picture.png)"
    echo "largest contentful paint (the browser's own, from navigation start), fresh profile: median $(median "${lcps[@]}") ms of ${lcps[*]}"
    echo "map drawn by MapLibre, fresh profile: median $(median "${runs[@]}") ms of ${runs[*]} (screenshot $out/map-initial.png)"
    echo "repeat visit, same profile: median $(median "${repeats[@]}") ms of ${repeats[*]}"
  fi
else
  echo "first render: skipped (needs node, web/node_modules and chromium)"
fi
