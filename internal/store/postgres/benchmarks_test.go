package postgres_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/ingest"
	"github.com/hotgrid/hotgrid/internal/score"
	"github.com/hotgrid/hotgrid/internal/store/pgtest"
	"github.com/hotgrid/hotgrid/internal/store/postgres"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
	"github.com/hotgrid/hotgrid/internal/units"
)

// BenchmarkNational compares the PostgreSQL and SQLite stores on the 77
// data.police.uk national-2025 files (about 576k rows):
//
//   - ingest: end to end through internal/ingest (parse, validate, H3, unit
//     lookup against the West Midlands NPUs, store), a new store each time;
//   - restart: open the filled store, load the scoring engine's index from
//     it (ScanOffences) and rank the West Midlands NPUs, as a server does
//     after a restart.
//
// Run with -benchtime=1x: go test -run '^$' -bench National -benchtime=1x ./internal/store/postgres
func BenchmarkNational(b *testing.B) {
	files := nationalFiles(b)
	npus, err := units.Default()
	if err != nil {
		b.Fatal(err)
	}
	c := pgtest.Start(b)
	ctx := context.Background()
	root, n := b.TempDir(), 0 // outlives the sub-benchmarks
	// cpu is this process's CPU time plus, for PostgreSQL, the server's:
	// wall time on the shared machine mostly measures the other load.
	selfCPU := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	pgCPU := func() time.Duration {
		d, err := c.ServerCPU()
		if err != nil {
			b.Fatal(err)
		}
		return selfCPU() + d
	}
	stores := []struct {
		name string
		new  func(b *testing.B) string // a new empty store's name
		open func(name string) (hotgrid.OffenceStore, error)
		cpu  func() time.Duration
	}{
		{"postgres", func(b *testing.B) string { return c.NewDatabase(b) },
			func(dsn string) (hotgrid.OffenceStore, error) { return postgres.Open(ctx, dsn) }, pgCPU},
		{"sqlite", func(b *testing.B) string { n++; return filepath.Join(root, fmt.Sprintf("national-%d.db", n)) },
			func(path string) (hotgrid.OffenceStore, error) { return sqlite.Open(ctx, path) }, selfCPU},
	}
	for _, st := range stores {
		var filled string // a store holding the national files, for the restart benchmark
		b.Run("ingest/"+st.name, func(b *testing.B) {
			b.ReportAllocs()
			rows := 0
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				name := st.new(b)
				s, err := st.open(name)
				if err != nil {
					b.Fatal(err)
				}
				in := &ingest.Ingester{Store: s, Units: npus}
				cpu0 := st.cpu()
				b.StartTimer()
				for _, f := range files {
					sum, err := in.IngestFile(ctx, f, "", nil)
					if err != nil {
						b.Fatal(err)
					}
					rows += sum.RowsRead
				}
				b.StopTimer()
				cpu += st.cpu() - cpu0
				s.Close()
				filled = name
				b.StartTimer()
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
			b.ReportMetric(float64(rows)/cpu.Seconds(), "rows/cpu-s")
		})
		b.Run("restart/"+st.name, func(b *testing.B) {
			if filled == "" {
				b.Skip("ingest benchmark did not run")
			}
			b.ReportAllocs()
			offences := 0
			cpu0 := st.cpu()
			for b.Loop() {
				s, err := st.open(filled)
				if err != nil {
					b.Fatal(err)
				}
				e, err := score.NewEngine(score.Config{Units: npus.Units(), Weights: flatWeights{}}, func(fn func(*hotgrid.Offence) error) error {
					return s.ScanOffences(ctx, hotgrid.OffenceFilter{}, fn)
				})
				if err != nil {
					b.Fatal(err)
				}
				r, err := e.Rank(ctx, hotgrid.Query{Units: unitCodes(npus.Units())})
				if err != nil {
					b.Fatal(err)
				}
				if len(r.Units) == 0 {
					b.Fatal("ranking has no units")
				}
				offences = e.Offences()
				s.Close()
			}
			b.ReportMetric(float64(offences), "offences")
			b.ReportMetric((st.cpu()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// flatWeights weighs every offence 1: the benchmark measures the stores,
// not the severity table.
type flatWeights struct{}

func (flatWeights) Weight(code, category string) (float64, bool) { return 1, true }
func (flatWeights) Version() string                              { return "flat" }

func unitCodes(us []hotgrid.Unit) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Code
	}
	return out
}

// nationalFiles lists the 77 data.police.uk national-2025 files in
// ../shared, skipping (failing under CI=true) when they are absent.
func nationalFiles(tb testing.TB) []string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
	shared := filepath.Join(dir, "..", "shared")
	files, _ := filepath.Glob(filepath.Join(shared, "data", "police-uk", "national-2025", "*.csv.gz"))
	if len(files) != 77 {
		msg := "national-2025 files missing from " + shared
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return files
}
