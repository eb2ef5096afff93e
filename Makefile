# hotgrid build. `make run` builds everything (including the map page) and
# serves the embedded default data; `make test` runs every test.
GO      ?= go
# go.mod names the toolchain (a Go patch release with the standard library's
# security fixes); the machine's go.env may say GOTOOLCHAIN=local, so let the
# go command fetch that toolchain from the module proxy when it is newer.
export GOTOOLCHAIN ?= auto
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
PKGS    := ./...

.PHONY: all build run test bench lint web clean

all: build

web:
	@if [ -f web/package.json ]; then cd web && npm ci --no-audit --no-fund && npm run build; fi

build: web
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/hotgrid ./cmd/hotgrid

run: build
	./bin/hotgrid serve --addr 127.0.0.1:8080

test: build
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 20m $(PKGS)

bench: build
	$(GO) test -run '^$$' -bench . -benchmem -timeout 30m $(PKGS)

# wrk on loopback: /api/v1/hotgrids beside a bare fiber handler of the same
# body size, random tiles over the force area, first render in Chromium.
bench-http: build
	bash internal/server/benchhttp/bench.sh

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet $(PKGS)

clean:
	rm -rf bin web/dist web/node_modules

# Ingest throughput on the 77 national police.uk files, hotgrid against
# ogr2ogr -f GPKG, side by side (figures and peak RSS).
.PHONY: bench-ingest
bench-ingest:
	$(GO) test -run '^$$' -bench 'IngestNational|ParseNational' -benchtime=1x -benchmem ./internal/ingest/
	scripts/bench-ingest.sh

# Fuzzing (issue 9): every Fuzz target of ingest, units, tiles and server,
# one after another, FUZZTIME each. `make test` runs their seed corpora.
FUZZTIME ?= 30s
.PHONY: fuzz
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

# Load and soak (issue 9): wrk on loopback against bin/hotgrid serve with a
# mixed request script (bench/mixed.lua); 0 errors required.
LOAD_SECONDS ?= 60
SOAK_SECONDS ?= 600
.PHONY: load soak
load: build
	LOAD_SECONDS=$(LOAD_SECONDS) bench/load.sh
soak: build
	SOAK_SECONDS=$(SOAK_SECONDS) bench/soak.sh

# Side by side (issue 9): H3 binning vs h3-js, ingest vs ogr2ogr, Gi* vs R
# spdep, API handlers vs a bare fiber handler; one table of ratios.
.PHONY: bench-compare
bench-compare: build
	bench/compare.sh
