package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// TestCheckpointsAfterIngest ingests several batches into a file store
// (the ingest connection leaves checkpoints to the background
// checkpointer): after Close the write-ahead log is empty or gone, and a
// reopened store has every offence.
func TestCheckpointsAfterIngest(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cp.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	const files, per = 5, 3000
	for f := range files {
		src := hotgrid.SourceFile{Name: fmt.Sprintf("f%d.csv", f), Hash: fmt.Sprintf("h%d", f)}
		added, err := db.IngestFile(ctx, src, func(put func(*hotgrid.Offence) error) error {
			for i := range per {
				o := hotgrid.Offence{ID: fmt.Sprintf("%d-%d", f, i), Source: hotgrid.Source{Row: i + 2}, Category: "Robbery",
					Location: "On or near a long street name that fills pages"}
				if err := put(&o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || added != per {
			t.Fatalf("file %d: added %d (%v), want %d", f, added, err, per)
		}
	}
	if db.checkpoints == nil {
		t.Fatal("a file store's ingest started no checkpointer")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("write-ahead log holds %d bytes after Close", fi.Size())
	}
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	if err := db.ScanOffences(ctx, hotgrid.OffenceFilter{}, func(*hotgrid.Offence) error { n++; return nil }); err != nil || n != files*per {
		t.Errorf("reopened store scans %d offences (%v), want %d", n, err, files*per)
	}
}
