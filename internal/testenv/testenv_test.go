package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRepoRoot(t *testing.T) {
	root := RepoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("RepoRoot %s has no go.mod", root)
	}
	if want, _ := filepath.Abs("../.."); root != want {
		t.Fatalf("RepoRoot = %s, want %s", root, want)
	}
}

func TestToolFound(t *testing.T) {
	if p := Tool(t, "go"); filepath.Base(p) != "go" {
		t.Fatalf("Tool(go) = %s", p)
	}
}
