package server_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/server"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
)

// benchAuthAPI is the core over the fake service with accounts and the
// audit trail in an in-memory SQLite store (the demo set-up), or open.
func benchAuthAPI(b *testing.B, open bool) (*server.API, server.Request) {
	ctx := context.Background()
	r := server.Request{Method: "GET", Path: "/api/v1/hotgrids", Query: url.Values{"unit": {"BE"}}}
	if open {
		a, err := server.New(server.Config{Service: newFake(), Open: true})
		if err != nil {
			b.Fatal(err)
		}
		return a, r
	}
	db, err := sqlite.Open(ctx, sqlite.MemoryPath)
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
// account: session check, route table, one audit record (group commit).
func BenchmarkHotgridsSession(b *testing.B) { benchView(b, false) }

// BenchmarkHotgridsOpen is the same view on a server without accounts.
func BenchmarkHotgridsOpen(b *testing.B) { benchView(b, true) }

func benchView(b *testing.B, open bool) {
	a, r := benchAuthAPI(b, open)
	if resp := a.Serve(context.Background(), r); resp.Status != 200 {
		b.Fatalf("%d %s", resp.Status, resp.Body)
	}
	b.ReportAllocs()
	b.SetParallelism(25)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if resp := a.Serve(context.Background(), r); resp.Status != 200 {
				b.Errorf("%d", resp.Status)
				return
			}
		}
	})
}
