#!/usr/bin/env bash
# soak.sh (make soak): `bin/hotgrid serve` under continuous mixed load
# (wrk, bench/mixed.lua, SOAK_CONNS connections, default 20) for
# SOAK_SECONDS (default 600). Samples the server's resident memory every
# 10 s and prints the growth from the first sample after warm-up (60 s in,
# or a third of the run if shorter) to the last, in %, and fails over
# SOAK_MAX_GROWTH (default 10) or on any request error.
# BENCH_STORE=file (default) serves a SQLite file as a deployment does;
# BENCH_STORE=memory the embedded demo, whose in-memory audit trail grows
# with every request by design.
export BENCH_STORE=${BENCH_STORE:-file}
source "$(dirname "$0")/lib.sh"
secs=${SOAK_SECONDS:-600}
conns=${SOAK_CONNS:-20}
start_server
warm=$(( secs / 3 < 60 ? secs / 3 : 60 ))
wrk -t2 -c"$conns" -d"${secs}s" --latency --timeout 10s -s "$root/bench/mixed.lua" "${auth[@]}" "$base" -- "$datafile" >"$tmp/wrk.out" 2>&1 &
wrkpid=$!
echo "soak: ${secs}s at $conns connections; RSS every 10 s (baseline at ${warm}s)"
base_kb=""; first_kb=$(rss_kb); t=0; max_kb=0
while kill -0 "$wrkpid" 2>/dev/null; do
	sleep 10; t=$((t + 10))
	kb=$(rss_kb) || { echo "soak: server died" >&2; cat "$tmp/serve.log" >&2; exit 1; }
	[ "$kb" -gt "$max_kb" ] && max_kb=$kb
	[ -z "$base_kb" ] && [ "$t" -ge "$warm" ] && base_kb=$kb
	printf '%5ds RSS %6.1f MB\n' "$t" "$(awk -v k="$kb" 'BEGIN{print k/1024}')"
done
wait "$wrkpid" || true
grep '^mixed:' "$tmp/wrk.out" || { cat "$tmp/wrk.out" >&2; exit 1; }
last_kb=$(rss_kb)
growth=$(awk -v a="${base_kb:-$first_kb}" -v b="$last_kb" 'BEGIN{printf "%.1f", (b-a)*100/a}')
printf 'soak: RSS %.1f MB at start, %.1f MB at %ss (baseline), %.1f MB at the end, peak %.1f MB: growth %s%% (limit %s%%)\n' \
	"$(awk -v k="$first_kb" 'BEGIN{print k/1024}')" "$(awk -v k="${base_kb:-$first_kb}" 'BEGIN{print k/1024}')" "$warm" \
	"$(awk -v k="$last_kb" 'BEGIN{print k/1024}')" "$(awk -v k="$max_kb" 'BEGIN{print k/1024}')" "$growth" "${SOAK_MAX_GROWTH:-10}"
errs=$(sed -n 's/.*errors \([0-9]*\).*/\1/p' "$tmp/wrk.out")
[ "${errs:-1}" = 0 ] || { echo "soak: requests failed" >&2; exit 1; }
awk -v g="$growth" -v m="${SOAK_MAX_GROWTH:-10}" 'BEGIN{exit !(g < m)}' || { echo "soak: RSS grew ${growth}% (limit ${SOAK_MAX_GROWTH:-10}%)" >&2; exit 1; }
