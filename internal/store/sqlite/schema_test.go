package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// TestSimilarIDs stores IDs that differ only late, and a blob and a text
// ID with the same bytes: all are different offences, a repeat in the
// file is skipped, and ingesting them again adds nothing.
func TestSimilarIDs(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, MemoryPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ids := []string{
		"AAAAAAAAone-xxxxxxxxxxxxxxxxxxxx",
		"AAAAAAAAtwo-xxxxxxxxxxxxxxxxxxxx",
		"4141414141414141000000000000000000000000000000000000000000000000",                                  // stored as a blob
		"AAAAAAAA" + string([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), // its bytes as text
		"4141414141414141000000000000000000000000000000000000000000000001",
	}
	if b, ok := storedID(ids[2]).([]byte); !ok || string(b) != ids[3] {
		t.Fatalf("stored form of %s is %q, want the bytes of %q", ids[2], b, ids[3])
	}
	put := func(put func(*hotgrid.Offence) error) error {
		for i, id := range append(ids, ids[1]) { // ids[1] repeats
			if err := put(&hotgrid.Offence{ID: id, Source: hotgrid.Source{Row: i + 2}, Category: "Robbery"}); err != nil {
				return err
			}
		}
		return nil
	}
	for i, want := range []int{len(ids), 0} {
		added, err := db.IngestFile(ctx, hotgrid.SourceFile{Name: "c", Hash: "cc"}, put)
		if err != nil || added != want {
			t.Fatalf("ingest %d: added %d (%v), want %d", i+1, added, err, want)
		}
	}
	var got []string
	if err := db.ScanOffences(ctx, hotgrid.OffenceFilter{}, func(o *hotgrid.Offence) error {
		got = append(got, o.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != strings.Join(ids, " ") {
		t.Errorf("stored %q, want %q", got, ids)
	}
}

// TestMigrateOffenceKeys opens a store written with schema 4 (text names,
// blob/text ID primary key): migration 5 keeps every offence, in order,
// with its names, and re-ingesting the same IDs adds nothing.
func TestMigrateOffenceKeys(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v4.db")
	sdb := oldStore(t, path, 4)
	hexID := "0009fde224ca19a70feed21da4d48d16964ad205f41940adbd43663ff8f9bea8"
	if _, err := sdb.ExecContext(ctx, `INSERT INTO sources (id, name, hash, format, ingested_at) VALUES (1, 'old.csv', 'hh', 'police-uk', 1);
		INSERT INTO offences VALUES (?, 1, 2, 'West Midlands Police', 100, 200, 1, 'Robbery', '', 0, -1.9, 52.5, 'E01', 'On or near A', 'BE', 'Under investigation', 42);
		INSERT INTO offences VALUES ('ref-7', 1, 3, 'Avon and Somerset Constabulary', 300, 300, 0, 'Burglary', '28E', 2, -2.5, 51.4, '', 'B', '', '', 43);`,
		storedID(hexID)); err != nil {
		t.Fatal(err)
	}
	sdb.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	defer db.Close()
	var got []hotgrid.Offence
	if err := db.ScanOffences(ctx, hotgrid.OffenceFilter{}, func(o *hotgrid.Offence) error {
		got = append(got, *o)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d offences after migration, want 2", len(got))
	}
	a, b := got[0], got[1]
	if a.ID != hexID || a.Force != "West Midlands Police" || a.Category != "Robbery" || a.Unit != "BE" || a.Outcome != "Under investigation" ||
		!a.MonthOnly || a.Cell != 42 || a.Source.File != "old.csv" || a.Source.Row != 2 {
		t.Errorf("first offence %+v", a)
	}
	if b.ID != "ref-7" || b.OffenceCode != "28E" || b.Weapon != hotgrid.WeaponKnife || b.Unit != "" || b.Force != "Avon and Somerset Constabulary" {
		t.Errorf("second offence %+v", b)
	}
	n := 0
	if err := db.ScanOffences(ctx, hotgrid.OffenceFilter{Units: []string{"BE"}, Force: "West Midlands Police"}, func(*hotgrid.Offence) error { n++; return nil }); err != nil || n != 1 {
		t.Errorf("unit and force filter found %d (%v), want 1", n, err)
	}
	added, err := db.IngestFile(ctx, hotgrid.SourceFile{Name: "again", Hash: "ag"}, func(put func(*hotgrid.Offence) error) error {
		for i, id := range []string{hexID, "ref-7", "new"} {
			if err := put(&hotgrid.Offence{ID: id, Source: hotgrid.Source{Row: i + 2}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || added != 1 {
		t.Errorf("ingest of 2 migrated and 1 new ID added %d (%v), want 1", added, err)
	}
}

// TestMigrateOffenceBlocks opens a store written with schema 6 (one row
// per offence): migration 7 keeps every offence in insertion order, cuts
// blocks at a change of source and at blockRows, and the migrated IDs
// are known to ingest.
func TestMigrateOffenceBlocks(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v6.db")
	sdb := oldStore(t, path, 6)
	// source 1: rows 1-5000 (IDs a1..a5000), then source 2: one row, then source 1 again: one row
	const n = blockRows + 904
	if _, err := sdb.ExecContext(ctx, `INSERT INTO sources (id, name, hash, format, ingested_at) VALUES (1, 'a.csv', 'ha', 'police-uk', 1), (2, 'b.csv', 'hb', 'police-uk', 1);
		INSERT INTO offence_names (id, name) VALUES (1, 'West Midlands Police'), (2, 'Robbery'), (3, ''), (4, 'BE');
		WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
		INSERT INTO offences (key, id, source_id, source_row, force, from_ts, to_ts, month_only, category, code, weapon, lon, lat, lsoa, location, unit, outcome, cell)
			SELECT i, 'a' || i, 1, i + 1, 1, 1000 + i, 2000 + i, 0, 2, 3, 0, -1.9, 52.5, '', 'loc', 4, 3, 42 FROM seq;
		INSERT INTO offences (key, id, source_id, source_row, force, from_ts, to_ts, month_only, category, code, weapon, lon, lat, lsoa, location, unit, outcome, cell)
			VALUES (-1, 'b1', 2, 2, 1, 5, 5, 0, 2, 3, 0, -1.9, 52.5, '', '', 3, 3, 43), (-2, 'a-last', 1, 9999, 1, 6, 6, 0, 2, 3, 0, -1.9, 52.5, '', '', 4, 3, 44);`, n); err != nil {
		t.Fatal(err)
	}
	sdb.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	defer db.Close()
	var blocks []string
	rows, err := db.SQL().QueryContext(ctx, `SELECT source_id || ':' || n FROM offence_blocks ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, s)
	}
	rows.Close()
	if want := "1:4096 1:904 2:1 1:1"; strings.Join(blocks, " ") != want {
		t.Errorf("blocks (source:offences) %q, want %q", strings.Join(blocks, " "), want)
	}
	var got []string
	if err := db.ScanOffences(ctx, hotgrid.OffenceFilter{Units: []string{"BE"}}, func(o *hotgrid.Offence) error {
		got = append(got, o.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != n+1 || got[0] != "a1" || got[n-1] != "a5000" || got[n] != "a-last" {
		t.Errorf("unit BE scans %d offences (%v ... %v), want %d from a1 to a-last", len(got), got[:1], got[len(got)-2:], n+1)
	}
	var tables int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'offences'`).Scan(&tables); err != nil || tables != 0 {
		t.Errorf("offences table still there (%d, %v)", tables, err)
	}
	added, err := db.IngestFile(ctx, hotgrid.SourceFile{Name: "again", Hash: "ag"}, func(put func(*hotgrid.Offence) error) error {
		for i, id := range []string{"a1", "b1", "a-last", "new"} {
			if err := put(&hotgrid.Offence{ID: id, Source: hotgrid.Source{Row: i + 2}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || added != 1 {
		t.Errorf("ingest of 3 migrated and 1 new ID added %d (%v), want 1", added, err)
	}
}

// oldStore makes a store at path with only the first version migrations
// applied, as an earlier hotgrid left it, and returns it open.
func oldStore(t *testing.T, path string, version int) *sql.DB {
	t.Helper()
	ctx := context.Background()
	dsn, err := dataSource(path)
	if err != nil {
		t.Fatal(err)
	}
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	old := &DB{db: sdb, path: path}
	if _, err := sdb.ExecContext(ctx, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for i, m := range migrations()[:version] {
		if err := old.apply(ctx, i+1, m); err != nil {
			t.Fatal(err)
		}
	}
	return sdb
}
