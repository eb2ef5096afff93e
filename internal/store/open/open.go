// Package store opens the offence store a --db value (or HOTGRID_DB) names:
// a postgres:// or postgresql:// URL selects PostgreSQL
// (internal/store/postgres); anything else is a SQLite file path
// (internal/store/sqlite), ":memory:" a private in-memory SQLite store.
package store

import (
	"context"
	"fmt"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/store/postgres"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
)

// Open opens the store named by dsn and applies its migrations.
func Open(ctx context.Context, dsn string) (hotgrid.OffenceStore, error) {
	if dsn == "" {
		return nil, fmt.Errorf("open store: no database given (--db PATH or postgres://...)")
	}
	if IsPostgres(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool { return postgres.IsDSN(dsn) }
