package ingest_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/ingest"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
)

// BenchmarkIngestNational ingests the 77 national files end to end (read,
// gunzip, hash, parse, validate, H3 cell at resolution 11, unit lookup,
// SQLite store) into a new database file each iteration with IngestFiles
// (the CLI's path: batched commits, next file read ahead), and reports rows/s.
func BenchmarkIngestNational(b *testing.B) {
	benchIngestNational(b, func(ctx context.Context, in *ingest.Ingester, files []string) (int, error) {
		s, err := in.IngestFiles(ctx, files, "", nil)
		return s.RowsRead, err
	})
}

// BenchmarkIngestNationalPerFile is BenchmarkIngestNational with one
// IngestFile call, and so one commit, per file.
func BenchmarkIngestNationalPerFile(b *testing.B) {
	benchIngestNational(b, func(ctx context.Context, in *ingest.Ingester, files []string) (int, error) {
		rows := 0
		for _, f := range files {
			s, err := in.IngestFile(ctx, f, "", nil)
			if err != nil {
				return rows, err
			}
			rows += s.RowsRead
		}
		return rows, nil
	})
}

// benchIngestNational times ingest of the national files into a new
// SQLite file per iteration.
func benchIngestNational(b *testing.B, ingestAll func(context.Context, *ingest.Ingester, []string) (int, error)) {
	files := nationalFiles(b)
	ctx := context.Background()
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		b.StopTimer()
		db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		in := &ingest.Ingester{Store: db, Units: benchUnits(b)}
		b.StartTimer()
		n, err := ingestAll(ctx, in, files)
		if err != nil {
			b.Fatal(err)
		}
		rows += n
		db.Close() // timed: the CLI closes the store before it exits
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// discardStore is an OffenceStore that keeps nothing, to time parsing alone.
type discardStore struct{}

func (discardStore) IngestFile(_ context.Context, _ hotgrid.SourceFile, fill func(put func(*hotgrid.Offence) error) error) (int, error) {
	n := 0
	err := fill(func(*hotgrid.Offence) error { n++; return nil })
	return n, err
}
func (discardStore) ScanOffences(context.Context, hotgrid.OffenceFilter, func(*hotgrid.Offence) error) error {
	return nil
}
func (discardStore) Sources(context.Context) ([]hotgrid.SourceFile, error) { return nil, nil }
func (discardStore) DataVersion(context.Context) (int64, error)            { return 0, nil }
func (discardStore) Close() error                                          { return nil }

// BenchmarkParseNational times reading, parsing, validating, H3 and unit
// lookup of the national files without a store.
func BenchmarkParseNational(b *testing.B) {
	files := nationalFiles(b)
	ctx := context.Background()
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		in := &ingest.Ingester{Store: discardStore{}, Units: benchUnits(b)}
		for _, f := range files {
			s, err := in.IngestFile(ctx, f, "", nil)
			if err != nil {
				b.Fatal(err)
			}
			rows += s.RowsRead
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
