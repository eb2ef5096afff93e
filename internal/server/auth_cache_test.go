package server_test

import (
	"context"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/server"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
)

// TestDisableElsewhereEndsCachedSession: a server whose session check is
// answered from its cache, and `hotgrid user disable` run on the same
// SQLite file (another store handle, as another process has). The next
// request is refused, and every view before it is on record.
func TestDisableElsewhereEndsCachedSession(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hotgrid.sqlite")
	open := func() *sqlite.DB {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	db, cli := open(), open()
	params := auth.Params{Time: 1, Memory: 64, Threads: 1}
	acc := &auth.Service{Store: db, Params: params}
	if _, err := acc.AddUser(ctx, "val", "correct horse", hotgrid.RoleViewer, ""); err != nil {
		t.Fatal(err)
	}
	_, secret, err := acc.Login(ctx, "val", "correct horse", "")
	if err != nil {
		t.Fatal(err)
	}
	api, err := server.New(server.Config{Service: newFake(), Auth: &server.Auth{Accounts: acc, Audit: &audit.Logger{Store: db}, Plans: &plan.Service{Store: db}}})
	if err != nil {
		t.Fatal(err)
	}
	r := server.Request{Method: "GET", Path: "/api/v1/hotgrids", Query: url.Values{"unit": {"BE"}}, SessionCookie: secret}
	for i := range 5 {
		if resp := api.Serve(ctx, r); resp.Status != 200 {
			t.Fatalf("view %d: %d %s", i, resp.Status, resp.Body)
		}
	}
	other := &auth.Service{Store: cli, Params: params}
	if _, err := other.Disable(ctx, "val"); err != nil {
		t.Fatal(err)
	}
	if resp := api.Serve(ctx, r); resp.Status != 401 {
		t.Fatalf("next request after disabling elsewhere: %d, want 401", resp.Status)
	}
	views := 0
	err = cli.ScanAudit(ctx, func(rec *hotgrid.AuditRecord) error {
		if rec.Action == audit.ActionView && rec.User == "val" {
			views++
		}
		return nil
	})
	if err != nil || views != 5 {
		t.Errorf("%d view records (%v), want 5", views, err)
	}
}
