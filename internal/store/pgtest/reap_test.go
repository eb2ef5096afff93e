package pgtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// TestReapOrphans leaves a cluster whose owner process has exited, as a
// test killed by a timeout would, and checks the next start stops it.
func TestReapOrphans(t *testing.T) {
	bin, err := FindBin()
	if err != nil {
		Unavailable(t, err.Error())
	}
	ctx := context.Background()
	orphan, err := StartCluster(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	defer orphan.Stop()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(orphan.root, ownerFile), []byte(strconv.Itoa(dead.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	c := Start(t) // reaps the orphan
	if _, err := os.Stat(orphan.root); !os.IsNotExist(err) {
		t.Errorf("orphan cluster %s still there: %v", orphan.root, err)
	}
	if _, err := os.Stat(c.root); err != nil {
		t.Errorf("own cluster %s: %v", c.root, err)
	}
}
