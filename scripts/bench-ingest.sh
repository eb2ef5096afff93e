#!/bin/sh
# bench-ingest.sh: ingest throughput of hotgrid against ogr2ogr -f GPKG on
# the 77 data.police.uk national files in ../shared, run one after the other
# on the same machine. Prints wall time, rows/s, CPU seconds (user+system)
# and peak resident memory of each: on a shared, loaded machine CPU seconds
# are the steadier figure.
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

measure "hotgrid ingest (SQLite)" "$tmp/hotgrid" ingest --db "$tmp/hotgrid.db" --json "$data"/*.csv.gz
head -6 "$tmp/out" | tail -5 | tr -d ' \n'; echo

if command -v ogr2ogr >/dev/null 2>&1; then
	# One CSV: the first header, then every file's rows (as GDAL would read
	# a concatenated export).
	{ zcat "$data/$(ls "$data" | head -1)" | head -1
	  for f in "$data"/*.csv.gz; do zcat "$f" | tail -n +2; done; } >"$tmp/national.csv"
	measure "ogr2ogr -f GPKG" ogr2ogr -f GPKG "$tmp/national.gpkg" "$tmp/national.csv" \
		-oo X_POSSIBLE_NAMES=Longitude -oo Y_POSSIBLE_NAMES=Latitude -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326
else
	echo "ogr2ogr not found (apt-get install gdal-bin): skipping the comparison"
fi
