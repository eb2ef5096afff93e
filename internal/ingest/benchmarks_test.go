package ingest_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/hotgrid/hotgrid/internal/ingest"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
)

// BenchmarkIngestNational ingests the 77 national files end to end (read,
// gunzip, hash, parse, validate, H3 cell at resolution 11, unit lookup,
// SQLite store) into a new database file each iteration, and reports rows/s.
func BenchmarkIngestNational(b *testing.B) {
	files := nationalFiles(b)
	ctx := context.Background()
	b.ReportAllocs()
	rows := 0
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		in := &ingest.Ingester{Store: db, Units: benchUnits(b)}
		b.StartTimer()
		for _, f := range files {
			s, err := in.IngestFile(ctx, f, "", nil)
			if err != nil {
				b.Fatal(err)
			}
			rows += s.RowsRead
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
