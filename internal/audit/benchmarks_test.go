package audit_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
	"github.com/hotgrid/hotgrid/internal/testenv"
)

func BenchmarkRecordMem(b *testing.B) {
	l := &audit.Logger{Store: &audit.MemStore{}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Record(context.Background(), viewEntry); err != nil {
			b.Fatal(err)
		}
	}
}

// viewEntry is what the server records for a map view.
var viewEntry = audit.Entry{User: "val", Action: audit.ActionView,
	Objects: []string{"GET /api/v1/hotgrids?band=late&unit=BE", "unit:BE", "remote:127.0.0.1"}}

// BenchmarkHash is the hash of one record.
func BenchmarkHash(b *testing.B) {
	r := &hotgrid.AuditRecord{Seq: 123456, Time: time.Now(), User: "val", Action: audit.ActionView,
		Objects: viewEntry.Objects, Outcome: audit.OutcomeOK, Detail: "/api/v1/hotgrids", Prev: "ab12"}
	b.ReportAllocs()
	for b.Loop() {
		_ = audit.Hash(r)
	}
}

// BenchmarkRecordSQLite is one view's record from 1 or 50 concurrent
// requests, group-committed to SQLite in memory (the demo) or in a file
// (serve --db, synchronous=FULL); records/commit is the mean batch.
func BenchmarkRecordSQLite(b *testing.B) {
	for _, c := range []struct {
		where   string
		writers int
	}{{"memory", 1}, {"memory", 50}, {"file", 1}, {"file", 50}} {
		where := c.where
		b.Run(fmt.Sprintf("%s/writers=%d", c.where, c.writers), func(b *testing.B) {
			ctx := context.Background()
			path := sqlite.MemoryPath
			if where == "file" {
				path = filepath.Join(b.TempDir(), "h.db")
			}
			db, err := sqlite.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			cs := &countBatches{DB: db}
			l := &audit.Logger{Store: cs}
			b.ReportAllocs()
			b.SetParallelism(max(c.writers/runtime.GOMAXPROCS(0), 1))
			if c.writers == 1 {
				b.SetParallelism(1)
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			}
			cpu := cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := l.Record(ctx, viewEntry); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/1e3/float64(b.N), "cpu-µs/op")
			b.ReportMetric(float64(b.N)/float64(max(cs.batches, 1)), "records/commit")
		})
	}
}

// countBatches counts commits (only the batch leader calls it).
type countBatches struct {
	*sqlite.DB
	batches int
}

func (c *countBatches) InsertAuditBatch(ctx context.Context, rs []*hotgrid.AuditRecord) error {
	c.batches++
	return c.DB.InsertAuditBatch(ctx, rs)
}

func cpuTime() time.Duration { return testenv.CPUTime() }
