package authtest

import (
	"context"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// cheap keeps argon2id fast in the suite.
var cheap = auth.Params{Time: 1, Memory: 64, Threads: 1}

// RunCrossProcess checks that account changes made through one store
// handle end or narrow access through another handle on the same database
// (another process) on the next request, although the second Service has
// the session and the token cached. open returns two handles on one empty
// database. When the store announces its epoch (auth.EpochWatcher) the
// second Service watches it, and the suite waits for each change's epoch
// to be announced before that next request: what it checks then is that
// the announcement, not a read per request, ended access.
func RunCrossProcess(t *testing.T, open func(t *testing.T) (a, b auth.EpochStore)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sa, sb := open(t)
	mine := &auth.Service{Store: sa, Params: cheap}  // the process serving the requests
	other := &auth.Service{Store: sb, Params: cheap} // e.g. `hotgrid user disable` or another server
	if _, watcher := sa.(auth.EpochWatcher); watcher {
		wctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- mine.Watch(wctx) }()
		t.Cleanup(func() {
			stop()
			if err := <-done; err != nil {
				t.Errorf("watch: %v", err)
			}
		})
		for !mine.Listening() {
			select {
			case <-ctx.Done():
				t.Fatal("watcher never listened")
			case <-time.After(time.Millisecond):
			}
		}
	}
	// arrived waits until mine has seen every change committed through sb.
	arrived := func() {
		t.Helper()
		n, err := sb.AuthEpoch(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := mine.WaitEpoch(ctx, n); err != nil {
			t.Fatalf("epoch %d never arrived: %v", n, err)
		}
	}
	for _, name := range []string{"alice", "bob", "carol"} {
		if _, err := other.AddUser(ctx, name, "correct horse", hotgrid.RoleViewer, ""); err != nil {
			t.Fatal(err)
		}
	}
	login := func(name string) string {
		t.Helper()
		_, sec, err := mine.Login(ctx, name, "correct horse", "")
		if err != nil {
			t.Fatal(err)
		}
		for range 3 { // validated once, then answered from the cache
			if _, err := mine.Authenticate(ctx, sec); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		return sec
	}
	alice, bob, carol := login("alice"), login("bob"), login("carol")
	tok, err := mine.CreateToken(ctx, mustUser(t, sa, "carol"), "qgis")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mine.AuthenticateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if !mine.Listening() {
		// per-request epoch reads: a cached session costs one read
		if _, err := mine.Authenticate(ctx, alice); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("disable", func(t *testing.T) {
		if _, err := other.Disable(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		arrived()
		if _, err := mine.Authenticate(ctx, alice); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
			t.Errorf("session of an account disabled elsewhere: err = %v", err)
		}
		if p, err := mine.Authenticate(ctx, bob); err != nil || p.User.Name != "bob" {
			t.Errorf("another account's session: %v", err)
		}
	})
	t.Run("role", func(t *testing.T) {
		if _, err := other.SetRole(ctx, "bob", hotgrid.RolePlanner, "B1"); err != nil {
			t.Fatal(err)
		}
		arrived()
		p, err := mine.Authenticate(ctx, bob)
		if err != nil || p.User.Role != hotgrid.RolePlanner || p.User.Unit != "B1" {
			t.Errorf("after a role change elsewhere: %+v, %v", p, err)
		}
	})
	t.Run("store", func(t *testing.T) {
		// the disabled flag written straight into the store, as a tool might
		u := mustUser(t, sb, "bob")
		u.Disabled = true
		if err := sb.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		arrived()
		if _, err := mine.Authenticate(ctx, bob); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
			t.Errorf("session of an account disabled in the store: err = %v", err)
		}
	})
	t.Run("logout", func(t *testing.T) {
		if err := other.Logout(ctx, carol); err != nil {
			t.Fatal(err)
		}
		arrived()
		if _, err := mine.Authenticate(ctx, carol); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
			t.Errorf("session ended elsewhere: err = %v", err)
		}
		if _, err := mine.AuthenticateToken(ctx, tok); err != nil {
			t.Errorf("token of a signed-out account: %v", err)
		}
	})
	t.Run("token", func(t *testing.T) {
		if _, err := other.Disable(ctx, "carol"); err != nil {
			t.Fatal(err)
		}
		arrived()
		if _, err := mine.AuthenticateToken(ctx, tok); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
			t.Errorf("token of an account disabled elsewhere: err = %v", err)
		}
	})
}

func mustUser(t *testing.T, s hotgrid.AccountStore, name string) *hotgrid.User {
	t.Helper()
	u, err := s.UserByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
