package server_test

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"testing"

	"github.com/hotgrid/hotgrid/internal/server"
)

// TestDevServe serves the real engine over synthetic offences until
// interrupted, for working on the page: HOTGRID_DEV_ADDR=127.0.0.1:8090 go test -run TestDevServe ./internal/server
func TestDevServe(t *testing.T) {
	addr := os.Getenv("HOTGRID_DEV_ADDR")
	if addr == "" {
		t.Skip("set HOTGRID_DEV_ADDR to serve the page for development")
	}
	page := os.DirFS("../../web/dist") // read at start: restart to see a rebuilt page
	a, err := server.New(server.Config{Service: syntheticEngine(t, 60000), Static: page, Version: "dev", Open: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	a.Warm(ctx)
	if err := server.NewServer(a, server.Options{LogRequests: true, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))}).ListenAndServe(ctx, addr); err != nil {
		t.Fatal(err)
	}
}
