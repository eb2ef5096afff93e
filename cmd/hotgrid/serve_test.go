package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/data"
	"github.com/hotgrid/hotgrid/internal/server"
	"github.com/hotgrid/hotgrid/internal/server/browsertest"
	"github.com/hotgrid/hotgrid/internal/severity"
	"github.com/hotgrid/hotgrid/web"
)

func TestServeFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--cors", "*"}, "--cors"},
		{[]string{"--cors", "https://ok.example,intranet"}, `"intranet"`},
		{[]string{"--basemap", "ftp://tiles/{z}/{x}/{y}.png"}, "--basemap"},
		{[]string{"--basemap", "https://tiles.example/static.png"}, "--basemap"},
		{[]string{"--log-level", "loud"}, "--log-level"},
		{[]string{"--nope"}, "nope"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		env := &Env{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }, Version: "test"}
		err := runServe(context.Background(), env, tt.args)
		if err == nil || !strings.Contains(err.Error()+stderr.String(), tt.want) {
			t.Errorf("serve %v: error %v, want one naming %s", tt.args, err, tt.want)
		}
	}
}

// TestServeBrowser serves the embedded demo data through openService, as
// `hotgrid serve` does, and checks the map page in headless Chromium.
func TestServeBrowser(t *testing.T) {
	browsertest.Require(t)
	page, err := web.Dist()
	if err != nil {
		t.Fatalf("%v (the Go binary embeds web/dist at build time: rebuild after npm run build)", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env := &Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }, Version: "test"}
	svc, st, closeSvc, err := openServiceStore(ctx, env, "")
	if err != nil {
		t.Fatal(err)
	}
	defer closeSvc()
	weights, err := severity.Default()
	if err != nil {
		t.Fatal(err)
	}
	authCfg, _, closeAuth, err := serveAuth(ctx, env, "", svc, authOptions{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer closeAuth()
	api, err := server.New(server.Config{Service: svc, Static: page, Version: "test", Auth: authCfg,
		Wards: data.Wards(), Backtest: &server.Backtest{Scan: st.ScanOffences, Weights: weights}})
	if err != nil {
		t.Fatal(err)
	}
	f := browsertest.Run(t, "demo", browsertest.Serve(t, api), "--user", "demo", "--password", DemoPassword)
	browsertest.CheckMap(t, f)
	t.Logf("first view %v ms (%v), map drawn %v ms in headless Chromium (demo data), repeat visit %v ms", f["first_view_ms"], f["first_view"], f["first_render_ms"], f["repeat_render_ms"])
}
