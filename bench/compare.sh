#!/usr/bin/env bash
# compare.sh (make bench-compare): one table of hotgrid against the tool a
# user would otherwise pick, all measured in this run on this machine:
#   H3 binning     geo.CellAt vs h3-js 4.x in Node (bench/node), the same 1M points
#   ingest         hotgrid ingest vs ogr2ogr -f GPKG, the 77 national files (scripts/bench-ingest.sh)
#   Gi*            score.GiStar vs R spdep::localG, the 9,468 golden cells (../shared/reference/gistar-golden)
#   HTTP           /api/v1/hotgrids and one vector tile vs a bare fiber handler
#                  returning a fixed body of the same size (wrk, BENCH_SECONDS each, 50 connections)
# A row whose other side is missing (node, ogr2ogr, Rscript + spdep, wrk)
# says so instead of a ratio. Ratio > 1 means hotgrid is faster.
source "$(dirname "$0")/lib.sh"
secs=${BENCH_SECONDS:-5}
shared=$root/../shared
rows=()
row() { rows+=("$(printf '%-46s | %-12s | %-28s | %s' "$@")"); }
kv() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

go build -o "$tmp/compare" "$root/bench/compare"

# H3 binning
"$tmp/compare" points -n 1000000 -out "$tmp/points.csv"
goh3=$("$tmp/compare" h3 -in "$tmp/points.csv" -res 9)
if command -v node >/dev/null && command -v npm >/dev/null; then
	(cd "$root/bench/node" && npm ci --no-audit --no-fund --silent >/dev/null)
	jsh3=$(node "$root/bench/node/h3.mjs" "$tmp/points.csv" 9)
	[ "$(kv checksum "$goh3")" = "$(kv checksum "$jsh3")" ] || { echo "compare: h3-js and geo.CellAt disagree on the cells" >&2; exit 1; }
	row "H3 binning, res 9 (points/s)" "$(kv rate "$goh3")" "h3-js $(sed -n 's/.*"version": "\(.*\)".*/\1/p' "$root/bench/node/node_modules/h3-js/package.json") $(kv rate "$jsh3")" \
		"$(awk -v a="$(kv rate "$goh3")" -v b="$(kv rate "$jsh3")" 'BEGIN{printf "%.2fx", a/b}')"
else
	row "H3 binning, res 9 (points/s)" "$(kv rate "$goh3")" "node not installed" "skipped"
fi

# Gi*
gi=$("$tmp/compare" gistar -dir "$shared/reference/gistar-golden" -reps 20)
if command -v Rscript >/dev/null && Rscript -e 'suppressMessages(library(spdep))' >/dev/null 2>&1; then
	rt=$(Rscript "$root/bench/gistar.R" "$shared/reference/gistar-golden")
	row "Gi*, 9,468 cells (ms per run)" "$(awk -v s="$(kv median_seconds "$gi")" 'BEGIN{printf "%.2f", s*1000}')" \
		"spdep $(Rscript -e 'cat(as.character(packageVersion("spdep")))') localG $(awk -v s="$(kv median_seconds "$rt")" 'BEGIN{printf "%.2f", s*1000}')" \
		"$(awk -v a="$(kv median_seconds "$gi")" -v b="$(kv median_seconds "$rt")" 'BEGIN{printf "%.2fx", b/a}')"
else
	row "Gi*, 9,468 cells (ms per run)" "$(awk -v s="$(kv median_seconds "$gi")" 'BEGIN{printf "%.2f", s*1000}')" "R/spdep not installed" "skipped (apt-get install r-cran-spdep)"
fi

# ingest
if [ -d "$shared/data/police-uk/national-2025" ]; then
	ing=$(HOTGRID_BIN=${HOTGRID_BIN:-$root/bin/hotgrid} "$root/scripts/bench-ingest.sh" 2>&1)
	# the medians of bench-ingest.sh's runs (RUNS, default 3)
	hg=$(sed -n 's/^median of [0-9]* runs: hotgrid \([0-9]*\) rows\/s.*/\1/p' <<<"$ing")
	og=$(sed -n 's/^median of .*, ogr2ogr \([0-9]*\) rows\/s.*/\1/p' <<<"$ing")
	if [ -n "$og" ] && [ -n "$hg" ]; then
		row "ingest, 77 national files (rows/s)" "$hg" "ogr2ogr -f GPKG $og" "$(awk -v a="$hg" -v b="$og" 'BEGIN{printf "%.2fx", a/b}')"
	else
		row "ingest, 77 national files (rows/s)" "${hg:-failed}" "ogr2ogr not measured" "skipped"
		echo "$ing" >&2
	fi
else
	row "ingest, 77 national files (rows/s)" "-" "-" "skipped: $shared/data/police-uk/national-2025 missing"
fi

# HTTP handlers against a bare fiber handler of the same body size
start_server
bare=$tmp/bare
go build -o "$bare" "$root/internal/server/benchhttp/bare"
wrkrate() { wrk -t2 -c50 -d"${secs}s" --latency "$@" | awk '/Requests\/sec/ {print $2}'; }
bareport=$((port + 1))
http_row() { # label path
	local size hot b
	size=$(curl -fsS "${auth[@]}" "$base$2" | wc -c)
	"$bare" -addr "127.0.0.1:$bareport" -size "$size" & local bpid=$!
	for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$bareport/" 2>/dev/null && break; sleep 0.1; done
	hot=$(wrkrate "${auth[@]}" "$base$2")
	b=$(wrkrate "http://127.0.0.1:$bareport/")
	kill "$bpid"; wait "$bpid" 2>/dev/null || true
	row "$1 ($size B, req/s)" "$hot" "bare fiber $b" "$(awk -v a="$hot" -v b="$b" 'BEGIN{printf "%.2fx", a/b}')"
	bareport=$((bareport + 1))
}
http_row "GET /api/v1/hotgrids" "/api/v1/hotgrids"
http_row "GET /tiles/13/4052/2687.mvt" "/tiles/13/4052/2687.mvt"

echo
echo "hotgrid side by side ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)); ratio > 1: hotgrid faster"
printf '%-46s | %-12s | %-28s | %s\n' "comparison" "hotgrid" "other" "ratio"
printf '%s\n' "${rows[@]}"
