// Package sqlite is hotgrid's embedded offence store on SQLite
// (modernc.org/sqlite, pure Go, driver name "sqlite"). It implements
// hotgrid.OffenceStore.
//
// The database runs in WAL mode with synchronous=FULL, so an ingested file is
// on disk when IngestFile returns. Schema changes are numbered migrations
// recorded in the schema_migrations table and applied when the store is
// opened; opening twice is safe. Offences are keyed by their ID (the police.uk
// Crime ID or force reference, else "<source sha256>:<row>"), so ingesting a
// file again adds nothing.
//
// Times are stored as Unix seconds and returned in Europe/London, the zone
// every hotgrid time band is written in.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // Europe/London on machines without a zoneinfo database

	_ "modernc.org/sqlite" // registers driver "sqlite"
)

// MemoryPath is the path that opens a private in-memory store.
const MemoryPath = ":memory:"

// pragmas are applied to every connection. synchronous=FULL makes each
// committed ingest durable; the page cache is bounded
// (32 MiB a connection) so memory stays small whatever the database size. Transactions take the
// write lock when they begin, so concurrent writers wait instead of failing.
const pragmas = "_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)" +
	"&_pragma=cache_size(-32768)&_pragma=temp_store(memory)&_pragma=wal_autocheckpoint(16384)&_txlock=immediate"

// pageSize is the page size of new databases: larger pages mean fewer
// B-tree levels and fewer, larger writes during bulk ingest.
const pageSize = 4096

// DB is an offence store in one SQLite database.
type DB struct {
	db   *sql.DB
	path string
	loc  *time.Location

	ingestMu sync.Mutex // serialises ingests on ingest
	ingest   *sql.Conn  // the ingest connection, made on first use
	keys     *keySet    // stored offence keys, loaded by the first ingest (ingestMu)

	checkpoints *checkpointer // started with the ingest connection of a file store

	req reqState // the request path's prepared statements and in-memory auth epoch (accounts.go)
}

// Open opens (creating when needed) the store at path and applies pending
// migrations. path ":memory:" gives a private in-memory store that lives
// until Close.
func Open(ctx context.Context, path string) (*DB, error) {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return nil, fmt.Errorf("load Europe/London: %w", err)
	}
	dsn, err := dataSource(path)
	if err != nil {
		return nil, err
	}
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	sdb.SetMaxOpenConns(4)
	sdb.SetMaxIdleConns(4)
	sdb.SetConnMaxIdleTime(0)
	d := &DB{db: sdb, path: path, loc: loc}
	if err := d.setup(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := d.migrate(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return d, nil
}

// setup sets the page size (effective only while the database is empty)
// and switches a file database to WAL, which is persistent. The in-memory
// store keeps its memory journal.
func (d *DB) setup(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, fmt.Sprintf("PRAGMA page_size = %d", pageSize)); err != nil {
		return fmt.Errorf("set page size: %w", err)
	}
	if d.path == MemoryPath {
		return nil
	}
	var mode string
	if err := d.db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return fmt.Errorf("set WAL mode: %w", err)
	} else if mode != "wal" {
		return fmt.Errorf("set WAL mode: journal mode is %q", mode)
	}
	return nil
}

// dataSource builds the driver DSN. An in-memory store uses SQLite's memdb
// VFS under a random name, so the pool's connections share one database.
func dataSource(path string) (string, error) {
	q := pragmas
	if path == MemoryPath {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", fmt.Errorf("name in-memory store: %w", err)
		}
		return "file:/hotgrid-" + hex.EncodeToString(b[:]) + "?vfs=memdb&" + q, nil
	}
	if path == "" {
		return "", fmt.Errorf("open store: empty path")
	}
	return path + "?" + q, nil
}

// SQL returns the underlying database, for packages that add tables of their
// own (they should use their own migrations table).
func (d *DB) SQL() *sql.DB { return d.db }

// Path returns the path the store was opened with.
func (d *DB) Path() string { return d.path }

// Close closes the database.
func (d *DB) Close() error {
	d.ingestMu.Lock()
	if d.ingest != nil {
		d.ingest.Close()
		d.ingest = nil
	}
	if d.checkpoints != nil {
		d.checkpoints.stop()
		d.checkpoints = nil
	}
	d.ingestMu.Unlock()
	return d.db.Close()
}

// DataVersion returns a number that grows whenever offences are added.
func (d *DB) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := d.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'data_version'`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}

// unix converts a time to stored seconds; the zero time is stored as 0.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// fromUnix converts stored seconds back; 0 is the zero time.
func (d *DB) fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).In(d.loc)
}
