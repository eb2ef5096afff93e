package ingest_test

import (
	"path/filepath"
	"testing"

	"github.com/hotgrid/hotgrid/internal/testenv"
)

// sharedDir returns ../shared (see testenv.SharedDir).
func sharedDir(t testing.TB) string { return testenv.SharedDir(t) }

// nationalFiles lists the 77 data.police.uk files of national-2025.
func nationalFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(sharedDir(t), "data", "police-uk", "national-2025", "*.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 77 {
		t.Fatalf("found %d national files, want 77", len(files))
	}
	return files
}
