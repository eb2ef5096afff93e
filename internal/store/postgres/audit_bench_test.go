package postgres_test

import (
	"context"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/store/pgtest"
	"github.com/hotgrid/hotgrid/internal/store/postgres"
)

// BenchmarkAuditRecord is one view's audit record from 1 or 50 concurrent
// requests, group-committed to PostgreSQL; cpu-µs/op counts this process
// and the PostgreSQL server processes.
//
//	go test -run '^$' -bench AuditRecord -benchtime=2000x ./internal/store/postgres
func BenchmarkAuditRecord(b *testing.B) {
	c := pgtest.Start(b)
	ctx := context.Background()
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		d, err := c.ServerCPU()
		if err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano()+ru.Stime.Nano()) + d
	}
	e := audit.Entry{User: "val", Action: audit.ActionView,
		Objects: []string{"GET /api/v1/hotgrids?band=late&unit=BE", "unit:BE", "remote:127.0.0.1"}}
	for _, writers := range []int{1, 50} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			db, err := postgres.Open(ctx, c.NewDatabase(b))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			l := &audit.Logger{Store: db}
			b.ReportAllocs()
			b.SetParallelism(max(writers/runtime.GOMAXPROCS(0), 1))
			if writers == 1 {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			}
			start := cpu()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := l.Record(ctx, e); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64((cpu()-start).Nanoseconds())/1e3/float64(b.N), "cpu-µs/op")
		})
	}
}
