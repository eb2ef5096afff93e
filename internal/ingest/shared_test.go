package ingest_test

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir returns ../shared relative to the repository root, skipping the
// test when it is absent (failing instead when CI=true).
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
	shared := filepath.Join(dir, "..", "shared")
	if _, err := os.Stat(shared); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data %s is missing: %v", shared, err)
		}
		t.Skipf("shared data %s is missing (%v); skipping", shared, err)
	}
	return shared
}

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
