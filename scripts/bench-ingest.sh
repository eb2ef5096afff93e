#!/bin/sh
# bench-ingest.sh: ingest throughput of hotgrid against ogr2ogr -f GPKG on
# the 77 data.police.uk national files in ../shared, run one after the other
# on the same machine, RUNS times (default 3); the medians come last.
# Prints wall time, rows/s, CPU seconds (user+system) and peak resident
# memory of each run: on a shared, loaded machine CPU seconds are the
# steadier figure.
#
#   scripts/bench-ingest.sh            (or: make bench-ingest)
#
# Needs ../shared/data/police-uk/national-2025, GNU time (/usr/bin/time) and
# ogr2ogr (gdal-bin); without ogr2ogr only hotgrid is measured.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/../shared/data/police-uk/national-2025"
[ -d "$data" ] || { echo "bench-ingest: $data is missing" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ -n "${HOTGRID_BIN:-}" ]; then cp "$HOTGRID_BIN" "$tmp/hotgrid"; else go build -o "$tmp/hotgrid" "$root/cmd/hotgrid"; fi
rows=$(for f in "$data"/*.csv.gz; do zcat "$f" | tail -n +2; done | wc -l)
echo "national-2025: $(ls "$data"/*.csv.gz | wc -l) files, $rows rows"

# elapsed, CPU and peak RSS of a command, from GNU time.
measure() {
	label=$1; shift
	/usr/bin/time -f "%e %M %U %S" -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || {
		echo "$label failed:" >&2; cat "$tmp/err" >&2; return 1; }
	read -r secs kb usr sys <"$tmp/time"
	awk -v l="$label" -v r="$rows" -v s="$secs" -v k="$kb" -v u="$usr" -v y="$sys" \
		'BEGIN { printf "%-24s %6.2f s %7.0f rows/s  CPU %6.2f s (%5.2f user %5.2f sys) %7.0f rows/CPU-s  peak RSS %4.0f MB\n",
			l, s, r / s, u + y, u, y, r / (u + y), k / 1024 }'
}

# The pair runs RUNS times (default 3), hotgrid then ogr2ogr, each into a
# new file; the medians and their ratio are printed last.
runs=${RUNS:-3}
have_ogr=false
if command -v ogr2ogr >/dev/null 2>&1; then
	have_ogr=true
	# One CSV: the first header, then every file's rows (as GDAL would read
	# a concatenated export).
	{ zcat "$data/$(ls "$data" | head -1)" | head -1
	  for f in "$data"/*.csv.gz; do zcat "$f" | tail -n +2; done; } >"$tmp/national.csv"
else
	echo "ogr2ogr not found (apt-get install gdal-bin): skipping the comparison"
fi
: >"$tmp/rates"
for i in $(seq "$runs"); do
	rm -f "$tmp"/hotgrid.db*
	measure "hotgrid ingest (SQLite)" "$tmp/hotgrid" ingest --db "$tmp/hotgrid.db" --json "$data"/*.csv.gz
	echo "hotgrid $rows $secs" >>"$tmp/rates"
	[ "$i" = 1 ] && { head -6 "$tmp/out" | tail -5 | tr -d ' \n'; echo; }
	if $have_ogr; then
		rm -f "$tmp/national.gpkg"
		measure "ogr2ogr -f GPKG" ogr2ogr -f GPKG "$tmp/national.gpkg" "$tmp/national.csv" \
			-oo X_POSSIBLE_NAMES=Longitude -oo Y_POSSIBLE_NAMES=Latitude -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326
		echo "ogr2ogr $rows $secs" >>"$tmp/rates"
	fi
done
# median rows/s of each tool over the runs, and hotgrid's ratio
median() { awk -v t="$1" '$1 == t { print $2 / $3 }' "$tmp/rates" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
hg=$(median hotgrid)
if $have_ogr; then
	og=$(median ogr2ogr)
	awk -v a="$hg" -v b="$og" -v n="$runs" 'BEGIN { printf "median of %d runs: hotgrid %.0f rows/s, ogr2ogr %.0f rows/s: %.2fx\n", n, a, b, a / b }'
else
	awk -v a="$hg" -v n="$runs" 'BEGIN { printf "median of %d runs: hotgrid %.0f rows/s\n", n, a }'
fi
