package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
	"github.com/hotgrid/hotgrid/internal/store/storetest"
)

func TestStoreFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T) hotgrid.OffenceStore {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "h.db"))
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

func TestStoreMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) hotgrid.OffenceStore {
		db, err := sqlite.Open(context.Background(), sqlite.MemoryPath)
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

// TestOpenTwice checks migrations are applied once and reopening keeps data.
func TestOpenTwice(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "h.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.IngestFile(ctx, hotgrid.SourceFile{Name: "a", Hash: "aa", Format: "mapped"}, func(put func(*hotgrid.Offence) error) error {
		return put(&hotgrid.Offence{ID: "one", Source: hotgrid.Source{Row: 2}, Category: "Robbery", Lon: -1.9, Lat: 52.5})
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	const want = 7 // 1 offences; 2-4 plans, accounts, audit; 5 offence keys and names; 6 auth epoch; 7 offence blocks
	v, err := db.SchemaVersion(ctx)
	if err != nil || v != want {
		t.Errorf("schema version %d (%v), want %d", v, err, want)
	}
	var n int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != want {
		t.Errorf("%d migration rows (%v), want %d", n, err, want)
	}
	if err := db.SQL().QueryRowContext(ctx, `SELECT sum(n) FROM offence_blocks`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d offences after reopen (%v), want 1", n, err)
	}
	var mode string
	if err := db.SQL().QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q (%v), want wal", mode, err)
	}
	var sync int
	if err := db.SQL().QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync); err != nil || sync != 2 {
		t.Errorf("synchronous %d (%v), want 2 (FULL)", sync, err)
	}
}

// TestMemoryStoresArePrivate checks two in-memory stores do not share data.
func TestMemoryStoresArePrivate(t *testing.T) {
	ctx := context.Background()
	a, err := sqlite.Open(ctx, sqlite.MemoryPath)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sqlite.Open(ctx, sqlite.MemoryPath)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := a.IngestFile(ctx, hotgrid.SourceFile{Name: "a", Hash: "aa"}, func(put func(*hotgrid.Offence) error) error {
		return put(&hotgrid.Offence{ID: "one", Source: hotgrid.Source{Row: 2}})
	}); err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := b.ScanOffences(ctx, hotgrid.OffenceFilter{}, func(*hotgrid.Offence) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("second in-memory store sees %d offences of the first", n)
	}
}

// TestHexIDs checks police.uk Crime IDs (64 hex digits, stored as 32 bytes)
// and other IDs come back as given and stay unique.
func TestHexIDs(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, sqlite.MemoryPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ids := []string{
		"0009fde224ca19a70feed21da4d48d16964ad205f41940adbd43663ff8f9bea8",
		"0009FDE224CA19A70FEED21DA4D48D16964AD205F41940ADBD43663FF8F9BEA8", // not lower case: kept as text
		"0009fde224ca19a70feed21da4d48d16964ad205f41940adbd43663ff8f9bea",  // 63 digits
		"zz09fde224ca19a70feed21da4d48d16964ad205f41940adbd43663ff8f9bea8",
	}
	put := func(put func(*hotgrid.Offence) error) error {
		for i, id := range append(ids, ids[0]) {
			if err := put(&hotgrid.Offence{ID: id, Source: hotgrid.Source{Row: i + 2}}); err != nil {
				return err
			}
		}
		return nil
	}
	added, err := db.IngestFile(ctx, hotgrid.SourceFile{Name: "h", Hash: "hh"}, put)
	if err != nil || added != len(ids) {
		t.Fatalf("added %d (%v), want %d", added, err, len(ids))
	}
	var got []string
	db.ScanOffences(ctx, hotgrid.OffenceFilter{}, func(o *hotgrid.Offence) error { got = append(got, o.ID); return nil })
	if strings.Join(got, " ") != strings.Join(ids, " ") {
		t.Errorf("IDs %q, want %q", got, ids)
	}
	if added, err := db.IngestFile(ctx, hotgrid.SourceFile{Name: "h", Hash: "hh"}, put); err != nil || added != 0 {
		t.Errorf("re-ingest added %d (%v), want 0", added, err)
	}
}
