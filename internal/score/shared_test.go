package score

import (
	"testing"

	"github.com/hotgrid/hotgrid/internal/testenv"
)

// sharedDir returns ../shared (see testenv.SharedDir).
func sharedDir(t testing.TB) string { return testenv.SharedDir(t) }
