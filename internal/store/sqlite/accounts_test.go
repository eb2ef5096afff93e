package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/auth/authtest"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
	"github.com/hotgrid/hotgrid/internal/testenv"
)

// TestAuthCrossProcess: two handles on one SQLite file, as a server and
// `hotgrid user disable` (or a second server) have. A change through one
// ends the other's cached access on its next request.
func TestAuthCrossProcess(t *testing.T) {
	authtest.RunCrossProcess(t, func(t *testing.T) (auth.EpochStore, auth.EpochStore) {
		path := filepath.Join(t.TempDir(), "h.db")
		a := openPath(t, path)
		return a, openPath(t, path)
	})
}

// TestAuthEpochGrows: every change that can end or narrow access moves the
// epoch; sign-ins and last-seen writes do not.
func TestAuthEpochGrows(t *testing.T) {
	t.Run("file", func(t *testing.T) { testAuthEpochGrows(t, openFile(t)) })
	t.Run("memory", func(t *testing.T) { testAuthEpochGrows(t, openPath(t, sqlite.MemoryPath)) })
}

func testAuthEpochGrows(t *testing.T, db *sqlite.DB) {
	ctx := context.Background()
	acc := &auth.Service{Store: db, Params: auth.Params{Time: 1, Memory: 64, Threads: 1}}
	epoch := func() int64 {
		t.Helper()
		n, err := db.AuthEpoch(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, err := acc.AddUser(ctx, "alice", "correct horse", "viewer", ""); err != nil {
		t.Fatal(err)
	}
	n := epoch()
	_, sec, err := acc.Login(ctx, "alice", "correct horse", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.TouchSession(ctx, auth.HashSecret(sec), time.Now()); err != nil {
		t.Fatal(err)
	}
	if epoch() != n {
		t.Errorf("sign-in or last-seen write moved the epoch")
	}
	for _, c := range []struct {
		name   string
		change func() error
	}{
		{"logout", func() error { return acc.Logout(ctx, sec) }},
		{"role", func() error { _, err := acc.SetRole(ctx, "alice", "planner", "B1"); return err }},
		{"disable", func() error { _, err := acc.Disable(ctx, "alice"); return err }},
		{"reset", func() error { _, err := acc.ResetPassword(ctx, "alice", "battery staple"); return err }},
		{"sql", func() error { _, err := db.SQL().ExecContext(ctx, `UPDATE users SET disabled = 1`); return err }},
	} {
		name, change := c.name, c.change
		if name == "sql" && db.Path() == sqlite.MemoryPath {
			continue // the in-memory epoch counts changes made through the handle
		}
		before := epoch()
		if err := change(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if after := epoch(); after <= before {
			t.Errorf("%s: epoch %d -> %d, want it to grow", name, before, after)
		}
	}
}

func openPath(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkAuthenticate is the session check of a request over a SQLite
// file: with the epoch table, one prepared epoch read when the session is
// cached; uncached (a store without an epoch), a read of the session and
// of its account.
func BenchmarkAuthenticate(b *testing.B) {
	for _, cached := range []bool{true, false} {
		name := "cached"
		if !cached {
			name = "uncached"
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "h.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			var store hotgrid.AccountStore = db
			if !cached {
				store = noEpoch{db}
			}
			acc := &auth.Service{Store: store, Params: auth.Params{Time: 1, Memory: 64, Threads: 1}}
			if _, err := acc.AddUser(ctx, "alice", "correct horse", "viewer", ""); err != nil {
				b.Fatal(err)
			}
			_, sec, err := acc.Login(ctx, "alice", "correct horse", "")
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				if _, err := acc.Authenticate(ctx, sec); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/1e3/float64(b.N), "cpu-µs/op")
		})
	}
}

// noEpoch hides AuthEpoch: the Service then reads the store every time.
type noEpoch struct{ hotgrid.AccountStore }

func cpuTime() time.Duration { return testenv.CPUTime() }
