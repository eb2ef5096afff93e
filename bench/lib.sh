# lib.sh: shared by bench/load.sh and bench/soak.sh (sourced, bash).
# start_server starts `hotgrid serve` on a free loopback port, signs in as
# the demo viewer and writes the units, bands and hot grid cells mixed.lua
# draws from. BENCH_STORE=memory (the default for load.sh) serves the
# embedded demo data with in-memory accounts and audit trail;
# BENCH_STORE=file (the default for soak.sh) first ingests the demo data
# into a temporary SQLite file and adds the demo account there, as a real
# deployment would run (every view is audited: in memory the trail grows
# with every request).
# Sets: base, pid (server), auth (curl header args), cookie, datafile.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

need() { command -v "$1" >/dev/null || { echo "$(basename "$0"): $1 not installed ($2)" >&2; exit 1; }; }

start_server() {
	need wrk "apt-get install wrk"
	need curl "apt-get install curl"
	bin=${HOTGRID_BIN:-$root/bin/hotgrid}
	[ -x "$bin" ] || { echo "$(basename "$0"): $bin missing (make build)" >&2; exit 1; }
	port=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18090)}
	base="http://127.0.0.1:$port"
	dbflag=()
	if [ "${BENCH_STORE:-memory}" = file ]; then
		"$bin" ingest --db "$tmp/bench.db" --format mapped --mapping "$root/data/mappings/demo.json" "$root/data/demo/wmp-2017.csv.gz" >/dev/null
		echo hotgrid-demo | "$bin" user add --db "$tmp/bench.db" --role viewer demo >/dev/null
		dbflag=(--db "$tmp/bench.db")
	fi
	HOTGRID_DB= "$bin" serve --addr "127.0.0.1:$port" "${dbflag[@]}" --log-level warn 2>"$tmp/serve.log" &
	pid=$!
	for _ in $(seq 1 900); do
		curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || { echo "server exited:" >&2; cat "$tmp/serve.log" >&2; exit 1; }
		sleep 0.2
	done
	cookie=$(curl -fsS -o /dev/null -D - -d 'name=demo&password=hotgrid-demo&next=/healthz' "$base/login" |
		sed -n 's/^[Ss]et-[Cc]ookie: \(hotgrid_session=[^;]*\).*/\1/p')
	[ -n "$cookie" ] || { echo "$(basename "$0"): demo sign-in failed" >&2; exit 1; }
	auth=(-H "Cookie: $cookie")
	datafile=$tmp/mixed.txt
	curl -fsS "${auth[@]}" "$base/api/v1/units" | grep -o '"code":"[^"]*"' | sed 's/"code":"\(.*\)"/unit \1/' | sort -u >"$datafile"
	curl -fsS "${auth[@]}" "$base/api/v1/bands" | grep -o '"name":"[^"]*"' | sed 's/"name":"\(.*\)"/band \1/' | sort -u >>"$datafile"
	# the first hot grids answer waits for the warm-up
	curl -fsS "${auth[@]}" "$base/api/v1/hotgrids?top=50" | grep -o '"h3":"[0-9a-f]*"' | sed 's/"h3":"\(.*\)"/cell \1/' | sort -u >>"$datafile"
	echo "server pid $pid on $base (store: ${BENCH_STORE:-memory}): $(grep -c '^unit' "$datafile") units, $(grep -c '^band' "$datafile") bands, $(grep -c '^cell' "$datafile") cells"
}

# rss_kb prints the server's resident set size in kB.
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
