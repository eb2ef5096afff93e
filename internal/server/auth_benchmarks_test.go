package server_test

import (
	"context"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/server"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
	"github.com/hotgrid/hotgrid/internal/testenv"
)

// benchAuthAPI is the core over the fake service with accounts and the
// audit trail in a SQLite store at path (sqlite.MemoryPath: the demo
// set-up; a file: serve --db, durable commits), or open when path is "".
func benchAuthAPI(b *testing.B, path string) (*server.API, server.Request) {
	ctx := context.Background()
	r := server.Request{Method: "GET", Path: "/api/v1/hotgrids", Query: url.Values{"unit": {"BE"}}}
	if path == "" {
		a, err := server.New(server.Config{Service: newFake(), Open: true})
		if err != nil {
			b.Fatal(err)
		}
		return a, r
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	acc := &auth.Service{Store: db, Params: auth.Params{Time: 1, Memory: 64, Threads: 1}}
	if _, err := acc.AddUser(ctx, "val", "correct horse", hotgrid.RoleViewer, ""); err != nil {
		b.Fatal(err)
	}
	_, secret, err := acc.Login(ctx, "val", "correct horse", "")
	if err != nil {
		b.Fatal(err)
	}
	a, err := server.New(server.Config{Service: newFake(), Auth: &server.Auth{Accounts: acc, Audit: &audit.Logger{Store: db}, Plans: &plan.Service{Store: db}}})
	if err != nil {
		b.Fatal(err)
	}
	r.SessionCookie = secret
	return a, r
}

// BenchmarkHotgridsSession is a cached /api/v1/hotgrids view by a signed-in
// account with the store in memory (the demo set-up): session check, route
// table, one audit record (group commit).
func BenchmarkHotgridsSession(b *testing.B) { benchView(b, sqlite.MemoryPath) }

// BenchmarkHotgridsSessionFile is the same view with the store in a SQLite
// file (serve --db): every audit commit is synced to disk.
func BenchmarkHotgridsSessionFile(b *testing.B) {
	benchView(b, filepath.Join(b.TempDir(), "hotgrid.sqlite"))
}

// BenchmarkHotgridsOpen is the same view on a server without accounts.
func BenchmarkHotgridsOpen(b *testing.B) { benchView(b, "") }

func benchView(b *testing.B, path string) {
	a, r := benchAuthAPI(b, path)
	if resp := a.Serve(context.Background(), r); resp.Status != 200 {
		b.Fatalf("%d %s", resp.Status, resp.Body)
	}
	b.ReportAllocs()
	b.SetParallelism(25)
	b.ResetTimer()
	cpu := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if resp := a.Serve(context.Background(), r); resp.Status != 200 {
				b.Errorf("%d", resp.Status)
				return
			}
		}
	})
	reportCPU(b, cpu)
}

// cpuTime is the process's user+system CPU time: on the shared machine
// wall time mostly measures the others' load.
func cpuTime() time.Duration { return testenv.CPUTime() }

// reportCPU adds cpu-µs/op, the process CPU time per operation since start.
func reportCPU(b *testing.B, start time.Duration) { testenv.ReportCPU(b, start) }
