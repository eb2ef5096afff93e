package units

import (
	"testing"

	"github.com/hotgrid/hotgrid/internal/testenv"
)

// sharedDir returns ../shared (see testenv.SharedDir).
func sharedDir(t testing.TB) string { return testenv.SharedDir(t) }

// repoRoot returns the directory holding go.mod.
func repoRoot(t testing.TB) string { return testenv.RepoRoot(t) }
