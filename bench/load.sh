#!/usr/bin/env bash
# load.sh (make load): wrk on loopback against `bin/hotgrid serve` with the
# demo data, running bench/mixed.lua (tiles over the force area, hot grids,
# cell details, knife hotspots, summaries) for LOAD_SECONDS (default 60) at
# 50 and then 200 connections. Prints req/s, p50, p99 and errors per run and
# fails when any request errs (non-2xx/3xx or socket errors).
#   LOAD_SECONDS=60 LOAD_CONNS="50 200" THREADS=2 bench/load.sh
source "$(dirname "$0")/lib.sh"
secs=${LOAD_SECONDS:-60}
threads=${THREADS:-2}
start_server
echo "== wrk -t$threads -d${secs}s, mixed.lua, loopback, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) before"
fail=0
for c in ${LOAD_CONNS:-50 200}; do
	out=$(wrk -t"$threads" -c"$c" -d"${secs}s" --latency --timeout 10s -s "$root/bench/mixed.lua" "${auth[@]}" "$base" -- "$datafile")
	line=$(grep '^mixed:' <<<"$out")
	printf '%4d connections  %s  (RSS %d MB)\n' "$c" "${line#mixed: }" $(( $(rss_kb) / 1024 ))
	errs=$(sed -n 's/.*errors \([0-9]*\).*/\1/p' <<<"$line")
	[ "${errs:-1}" = 0 ] || fail=1
done
[ "$fail" = 0 ] || { echo "load: requests failed (see above)" >&2; exit 1; }
