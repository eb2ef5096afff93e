package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/hotgrid/hotgrid/internal/store/open"
	"github.com/hotgrid/hotgrid/internal/store/pgtest"
	"github.com/hotgrid/hotgrid/internal/store/postgres"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
)

func TestOpenPicksStore(t *testing.T) {
	ctx := context.Background()
	for _, path := range []string{":memory:", filepath.Join(t.TempDir(), "h.db")} {
		s, err := store.Open(ctx, path)
		if err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		if _, ok := s.(*sqlite.DB); !ok {
			t.Errorf("open %s gave %T, want *sqlite.DB", path, s)
		}
		s.Close()
	}
	if _, err := store.Open(ctx, ""); err == nil {
		t.Error("open of an empty name succeeded")
	}
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	for _, d := range []string{dsn, "postgresql" + dsn[len("postgres"):]} {
		s, err := store.Open(ctx, d)
		if err != nil {
			t.Fatalf("open %s: %v", d, err)
		}
		if _, ok := s.(*postgres.DB); !ok {
			t.Errorf("open %s gave %T, want *postgres.DB", d, s)
		}
		s.Close()
	}
}

func TestIsPostgres(t *testing.T) {
	for dsn, want := range map[string]bool{
		"postgres://u@h/db": true, "postgresql://h/db": true, "hotgrid.db": false,
		":memory:": false, "/var/lib/postgres/x.db": false, "": false,
	} {
		if got := store.IsPostgres(dsn); got != want {
			t.Errorf("IsPostgres(%q) = %v, want %v", dsn, got, want)
		}
	}
}
