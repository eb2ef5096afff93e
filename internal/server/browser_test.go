package server_test

import (
	"context"
	"net"
	"testing"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/server"
	"github.com/hotgrid/hotgrid/internal/server/browsertest"
	"github.com/hotgrid/hotgrid/web"
)

const browserPassword = "browser-test-password"

// TestBrowser loads the map page in headless Chromium against the real
// scoring engine over synthetic offences in the embedded West Midlands NPUs
// (cmd/hotgrid's TestServeBrowser does the same over the demo data).
func TestBrowser(t *testing.T) {
	browsertest.Require(t)
	page, err := web.Dist()
	if err != nil {
		t.Fatalf("%v (the Go binary embeds web/dist at build time: rebuild after npm run build)", err)
	}
	acc := &auth.Service{Store: &auth.MemStore{}}
	if _, err := acc.AddUser(context.Background(), "viewer", browserPassword, hotgrid.RoleViewer, ""); err != nil {
		t.Fatal(err)
	}
	a, err := server.New(server.Config{Service: syntheticEngine(t, 40000), Static: page, Version: "test",
		Auth: &server.Auth{Accounts: acc, Audit: &audit.Logger{Store: &audit.MemStore{}}, Plans: &plan.Service{Store: &plan.MemStore{}}}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.NewServer(a, server.Options{}).Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	a.Warm(ctx)

	f := browsertest.Run(t, "synthetic", "http://"+ln.Addr().String()+"/", "--user", "viewer", "--password", browserPassword)
	if n, _ := f["hexagons_first"].(float64); n <= 0 {
		t.Fatalf("no hexagons drawn: %v", f)
	}
}
