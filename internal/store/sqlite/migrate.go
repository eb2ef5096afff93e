package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migration is one schema change: SQL statements, or Go code where SQL
// alone cannot do it.
type migration struct {
	sql string
	fn  func(ctx context.Context, tx *sql.Tx) error
}

// sqlMigrations wraps SQL-only migrations.
func sqlMigrations(stmts ...string) []migration {
	out := make([]migration, len(stmts))
	for i, s := range stmts {
		out[i] = migration{sql: s}
	}
	return out
}

// migrations returns the schema changes in order; migration i+1 is element i.
// Never edit a released migration: append a new one.
func migrations() []migration {
	return append(sqlMigrations(
		// 1: sources, offences and the data version.
		`CREATE TABLE sources (
		id          INTEGER PRIMARY KEY,
		name        TEXT    NOT NULL,
		hash        TEXT    NOT NULL UNIQUE,
		format      TEXT    NOT NULL,
		rows        INTEGER NOT NULL DEFAULT 0,
		accepted    INTEGER NOT NULL DEFAULT 0,
		rejected    INTEGER NOT NULL DEFAULT 0,
		min_time    INTEGER NOT NULL DEFAULT 0,
		max_time    INTEGER NOT NULL DEFAULT 0,
		ingested_at INTEGER NOT NULL
	);
	CREATE TABLE offences (
		id         TEXT    NOT NULL PRIMARY KEY,
		source_id  INTEGER NOT NULL REFERENCES sources(id),
		source_row INTEGER NOT NULL,
		force      TEXT    NOT NULL,
		from_ts    INTEGER NOT NULL,
		to_ts      INTEGER NOT NULL,
		month_only INTEGER NOT NULL,
		category   TEXT    NOT NULL,
		code       TEXT    NOT NULL,
		weapon     INTEGER NOT NULL,
		lon        REAL    NOT NULL,
		lat        REAL    NOT NULL,
		lsoa       TEXT    NOT NULL,
		location   TEXT    NOT NULL,
		unit       TEXT    NOT NULL,
		outcome    TEXT    NOT NULL,
		cell       INTEGER NOT NULL
	);
	CREATE INDEX offences_time ON offences(from_ts);
	CREATE INDEX offences_unit ON offences(unit, from_ts);
	CREATE INDEX offences_category ON offences(category);
	CREATE INDEX offences_cell ON offences(cell);
	CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
	INSERT INTO meta (key, value) VALUES ('data_version', 0);`,
		migratePlans, migrateAccounts, migrateAudit, // 2-4: plans.go, accounts.go, audit.go
	),
		migration{fn: migrateOffenceKeys},   // 5: schema.go
		migration{sql: migrateAuthEpoch},    // 6: accounts.go
		migration{fn: migrateOffenceBlocks}, // 7: schema.go, blocks.go
	)
}

// migrate creates the migrations table and applies every migration not yet
// recorded in it, each in its own transaction.
func (d *DB) migrate(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	for i, m := range migrations() {
		if err := d.apply(ctx, i+1, m); err != nil {
			return err
		}
	}
	return nil
}

// apply runs migration version unless it is recorded already.
func (d *DB) apply(ctx context.Context, version int, m migration) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %d: %w", version, err)
	}
	defer tx.Rollback()
	var n int
	err = tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n)
	if err != nil {
		return fmt.Errorf("migration %d: %w", version, err)
	} else if n > 0 {
		return nil
	}
	if m.sql != "" {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %d: %w", version, err)
		}
	}
	if m.fn != nil {
		if err := m.fn(ctx, tx); err != nil {
			return fmt.Errorf("migration %d: %w", version, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		version, time.Now().Unix()); err != nil {
		return fmt.Errorf("migration %d: record: %w", version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %d: commit: %w", version, err)
	}
	return nil
}

// SchemaVersion returns the highest applied migration.
func (d *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := d.db.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return int(v.Int64), nil
}
