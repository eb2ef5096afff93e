#!/bin/sh
# fuzz.sh: run every Go fuzz target of the fuzzed packages, one after the
# other, for FUZZTIME each (default 30s). Crashers are written by go test to
# the package's testdata/fuzz/<FuzzName>/ and then run by every `go test`
# as regression cases: commit them with the fix.
#
#   scripts/fuzz.sh                 (or: make fuzz FUZZTIME=2m)
#   FUZZ_PKGS="./internal/ingest/" scripts/fuzz.sh
set -eu
cd "$(dirname "$0")/.."
time=${FUZZTIME:-30s}
pkgs=${FUZZ_PKGS:-"./internal/ingest/ ./internal/units/ ./internal/tiles/ ./internal/server/"}
workers=${FUZZ_WORKERS:-2}
status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT INT TERM
for pkg in $pkgs; do
	for fz in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz'); do
		echo "== $pkg $fz ($time)"
		if go test -run '^$' -fuzz "^$fz\$" -fuzztime "$time" -parallel "$workers" "$pkg" >"$log" 2>&1; then
			tail -n 3 "$log"
		else
			grep -v 'fuzz: elapsed' "$log"
			echo "== $fz FAILED: the crasher is in $pkg/testdata/fuzz/$fz/ (go test -run '$fz' $pkg reproduces it)"
			status=1
		fi
	done
done
exit $status
