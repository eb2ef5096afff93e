package server_test

import (
	"context"
	"testing"

	"github.com/hotgrid/hotgrid/data"
	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/score"
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
	d := syntheticOffences(t, 40000)
	eng, err := score.NewEngine(score.Config{Units: d.units, Weights: d.weights, Version: "test"}, d.scan)
	if err != nil {
		t.Fatal(err)
	}
	bt := &server.Backtest{Weights: d.weights, Scan: func(_ context.Context, _ hotgrid.OffenceFilter, fn func(*hotgrid.Offence) error) error {
		return d.scan(fn) // evaluate keeps each offence in its own windows
	}}
	a, err := server.New(server.Config{Service: eng, Static: page, Version: "test", Wards: data.Wards(), Backtest: bt,
		Auth: &server.Auth{Accounts: acc, Audit: &audit.Logger{Store: &audit.MemStore{}}, Plans: &plan.Service{Store: &plan.MemStore{}}}})
	if err != nil {
		t.Fatal(err)
	}
	f := browsertest.Run(t, "synthetic", browsertest.Serve(t, a), "--user", "viewer", "--password", browserPassword)
	browsertest.CheckMap(t, f)
}
