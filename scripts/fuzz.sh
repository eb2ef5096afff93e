#!/bin/sh
# fuzz.sh: run every Go fuzz target of the fuzzed packages, one after the
# other, for FUZZTIME each (default 30s). Each package's test binary is
# built once with fuzzing instrumentation (go test -c -fuzz) and run per
# target in the package directory, as `go test -fuzz` does, sharing go
# test's fuzz cache. A crasher is written to the package's
# testdata/fuzz/<FuzzName>/ and then runs in every `go test` as a
# regression case: commit it with the fix.
#
#   scripts/fuzz.sh                 (or: make fuzz FUZZTIME=2m)
#   FUZZ_PKGS="./internal/ingest/" FUZZ_WORKERS=2 scripts/fuzz.sh
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
time=${FUZZTIME:-30s}
pkgs=${FUZZ_PKGS:-"./internal/ingest/ ./internal/units/ ./internal/tiles/ ./internal/server/ ./internal/store/sqlite/ ./internal/jsonstr/"}
workers=${FUZZ_WORKERS:-2}
module=$(go list -m)
cache=$(go env GOCACHE)/fuzz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0
for pkg in $pkgs; do
	dir=$root/${pkg#./}
	targets=$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*testing\.F).*/\1/p' "$dir"/*_test.go)
	[ -n "$targets" ] || continue
	bin=$tmp/$(basename "$dir").test
	go test -c -fuzz=. -o "$bin" "$pkg"
	for fz in $targets; do
		echo "== $pkg $fz ($time)"
		if (cd "$dir" && "$bin" -test.run='^$' -test.fuzz="^$fz\$" -test.fuzztime="$time" -test.parallel="$workers" \
			-test.fuzzcachedir="$cache/$module/${pkg#./}" >"$tmp/log" 2>&1); then
			tail -n 2 "$tmp/log" | head -n 1
		else
			grep -v 'fuzz: elapsed' "$tmp/log"
			echo "== $fz FAILED: the crasher is in $pkg/testdata/fuzz/$fz/ (go test -run '$fz' $pkg reproduces it)"
			status=1
		fi
	done
done
exit $status
