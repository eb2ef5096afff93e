package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/ingest"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
)

// countRows counts the data rows of a gzip CSV without the CSV reader:
// lines after the header (police.uk files have no quoted line breaks).
func countRows(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n - 1
}

// TestNationalFiles ingests all 77 national files into a SQLite store:
// every row is accepted or rejected with a reason, and a second ingest adds
// nothing.
func TestNationalFiles(t *testing.T) {
	files := nationalFiles(t)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "national.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rejects bytes.Buffer
	in := &ingest.Ingester{Store: db, Units: fakeUnits{}, Rejects: &rejects}
	total := ingest.NewSummary()
	want := 0
	for _, f := range files {
		s, err := in.IngestFile(ctx, f, "", nil)
		if err != nil {
			t.Fatalf("ingest %s: %v", f, err)
		}
		rows := countRows(t, f)
		if s.RowsRead != rows || s.Accepted+s.Rejected != rows {
			t.Errorf("%s: read %d, accepted %d + rejected %d, want %d rows", filepath.Base(f), s.RowsRead, s.Accepted, s.Rejected, rows)
		}
		want += rows
		total.Add(s)
	}
	if err := in.Flush(); err != nil {
		t.Fatal(err)
	}
	t.Logf("national: %d rows, %d accepted, %d rejected %v, %d added, %d duplicate IDs in files",
		total.RowsRead, total.Accepted, total.Rejected, total.RejectedByReason, total.Added, total.DuplicateIDs)
	if total.Accepted+total.Rejected != want {
		t.Errorf("accepted %d + rejected %d != %d rows in the files", total.Accepted, total.Rejected, want)
	}
	if total.Rejected == 0 || total.DuplicateIDs == 0 {
		t.Errorf("expected rejects (rows without coordinates) and duplicate Crime IDs in the national files, got %d and %d", total.Rejected, total.DuplicateIDs)
	}
	sumReasons := 0
	for reason, n := range total.RejectedByReason {
		if reason == "" {
			t.Errorf("%d rejects have no reason", n)
		}
		sumReasons += n
	}
	if sumReasons != total.Rejected {
		t.Errorf("rejects by reason add up to %d, want %d", sumReasons, total.Rejected)
	}
	// Every line of the rejects file carries a file, line, field and reason.
	lines := strings.Split(strings.TrimSpace(rejects.String()), "\n")
	if len(lines)-1 != total.Rejected {
		t.Errorf("rejects file has %d rows, want %d", len(lines)-1, total.Rejected)
	}
	stored := 0
	if err := db.ScanOffences(ctx, hotgrid.OffenceFilter{}, func(*hotgrid.Offence) error { stored++; return nil }); err != nil {
		t.Fatal(err)
	}
	if stored != total.Added || total.Added != total.Accepted-total.Duplicates {
		t.Errorf("store holds %d offences; summary added %d, accepted %d, duplicates %d", stored, total.Added, total.Accepted, total.Duplicates)
	}

	in.Rejects = nil
	again := ingest.NewSummary()
	for _, f := range files {
		s, err := in.IngestFile(ctx, f, "", nil)
		if err != nil {
			t.Fatalf("second ingest %s: %v", f, err)
		}
		again.Add(s)
	}
	if again.Added != 0 || again.Accepted != total.Accepted {
		t.Errorf("second ingest added %d (accepted %d), want 0 added of %d", again.Added, again.Accepted, total.Accepted)
	}
	srcs, err := db.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 77 {
		t.Errorf("%d sources after two ingests of 77 files, want 77", len(srcs))
	}
}
