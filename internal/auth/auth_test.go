package auth_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/auth/authtest"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// cheap keeps argon2id fast in tests; production uses DefaultParams.
var cheap = auth.Params{Time: 1, Memory: 64, Threads: 1}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newService(t *testing.T) (*auth.Service, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2017, 6, 1, 8, 0, 0, 0, time.UTC)}
	s := &auth.Service{Store: &auth.MemStore{}, Now: c.Now, Params: cheap}
	if _, err := s.AddUser(context.Background(), "alice", "correct horse", hotgrid.RolePlanner, "B1"); err != nil {
		t.Fatal(err)
	}
	return s, c
}

func TestMemStore(t *testing.T) {
	authtest.Run(t, func(*testing.T) hotgrid.AccountStore { return &auth.MemStore{} })
}

func TestPassword(t *testing.T) {
	h, err := auth.HashPassword("correct horse", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash = %q", h)
	}
	h2, _ := auth.HashPassword("correct horse", cheap)
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
	for pw, want := range map[string]bool{"correct horse": true, "correct hors": false, "": false, "Correct horse": false} {
		if ok, err := auth.CheckPassword(h, pw); err != nil || ok != want {
			t.Errorf("check %q = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if _, err := auth.HashPassword("short", cheap); hotgrid.ErrorCode(err) != hotgrid.EINVALID {
		t.Errorf("short password: %v", err)
	}
	for _, bad := range []string{"", "$bcrypt$x", "$argon2id$v=19$m=x$a$b", "$argon2id$v=18$m=64,t=1,p=1$c2FsdA$a2V5"} {
		if _, err := auth.CheckPassword(bad, "x"); err == nil {
			t.Errorf("bad hash %q accepted", bad)
		}
	}
}

func TestLoginNewSessionID(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p1, sec1, err := s.Login(ctx, "alice", "correct horse", "")
	if err != nil {
		t.Fatal(err)
	}
	if p1.User.Name != "alice" || p1.Session.CSRF == "" || sec1 == "" || p1.Session.ID == sec1 {
		t.Fatalf("login = %+v %q", p1, sec1)
	}
	// Logging in again while holding a session gives a new id and ends the old one.
	p2, sec2, err := s.Login(ctx, "alice", "correct horse", sec1)
	if err != nil {
		t.Fatal(err)
	}
	if sec2 == sec1 || p2.Session.ID == p1.Session.ID || p2.Session.CSRF == p1.Session.CSRF {
		t.Error("session id or csrf token reused across logins")
	}
	if _, err := s.Authenticate(ctx, sec1); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
		t.Errorf("old session still works: %v", err)
	}
	if p, err := s.Authenticate(ctx, sec2); err != nil || p.User.Name != "alice" {
		t.Errorf("new session: %v", err)
	}
}

func TestLoginFailures(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	_, _, e1 := s.Login(ctx, "alice", "wrong password", "")
	_, _, e2 := s.Login(ctx, "mallory", "correct horse", "")
	if hotgrid.ErrorCode(e1) != hotgrid.EUNAUTHORIZED || e1.Error() != e2.Error() {
		t.Errorf("wrong password %v and unknown user %v must fail alike", e1, e2)
	}
	if _, err := s.Disable(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Login(ctx, "alice", "correct horse", ""); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
		t.Errorf("disabled login: %v", err)
	}
	if _, err := s.ResetPassword(ctx, "alice", "battery staple"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Login(ctx, "alice", "battery staple", ""); err != nil {
		t.Errorf("after reset: %v", err)
	}
	if _, err := s.AddUser(ctx, "alice", "correct horse", hotgrid.RoleViewer, ""); hotgrid.ErrorCode(err) != hotgrid.ECONFLICT {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := s.AddUser(ctx, "bad name", "correct horse", hotgrid.RoleViewer, ""); hotgrid.ErrorCode(err) != hotgrid.EINVALID {
		t.Errorf("bad name: %v", err)
	}
	if _, err := s.AddUser(ctx, "zed", "correct horse", "god", ""); hotgrid.ErrorCode(err) != hotgrid.EINVALID {
		t.Errorf("bad role: %v", err)
	}
}

func TestTimeouts(t *testing.T) {
	ctx := context.Background()
	t.Run("idle", func(t *testing.T) {
		s, c := newService(t)
		_, sec, _ := s.Login(ctx, "alice", "correct horse", "")
		// activity every 29 minutes keeps the session alive for hours
		for range 10 {
			c.Add(29 * time.Minute)
			if _, err := s.Authenticate(ctx, sec); err != nil {
				t.Fatalf("active session ended: %v", err)
			}
		}
		c.Add(30 * time.Minute)
		if _, err := s.Authenticate(ctx, sec); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
			t.Fatalf("idle 30 min: err = %v", err)
		}
		c.Add(-30 * time.Minute) // the expired session was removed, not just refused
		if _, err := s.Authenticate(ctx, sec); err == nil {
			t.Fatal("expired session came back")
		}
	})
	t.Run("absolute", func(t *testing.T) {
		s, c := newService(t)
		_, sec, _ := s.Login(ctx, "alice", "correct horse", "")
		for range 24 {
			c.Add(29*time.Minute + 59*time.Second)
			if _, err := s.Authenticate(ctx, sec); err != nil {
				t.Fatalf("session ended before 12 h: %v", err)
			}
		}
		c.Add(25 * time.Minute) // 12 h reached while active
		if _, err := s.Authenticate(ctx, sec); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
			t.Fatalf("absolute 12 h: err = %v", err)
		}
	})
	t.Run("configured", func(t *testing.T) {
		s, c := newService(t)
		s.Idle, s.Absolute = time.Minute, 2*time.Minute
		_, sec, _ := s.Login(ctx, "alice", "correct horse", "")
		c.Add(59 * time.Second)
		if _, err := s.Authenticate(ctx, sec); err != nil {
			t.Fatal(err)
		}
		c.Add(61 * time.Second)
		if _, err := s.Authenticate(ctx, sec); err == nil {
			t.Fatal("configured idle timeout not enforced")
		}
	})
}

func TestLogoutAndDisableEndAccess(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	_, sec, _ := s.Login(ctx, "alice", "correct horse", "")
	if err := s.Logout(ctx, sec); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, sec); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
		t.Errorf("after logout: %v", err)
	}
	_, sec, _ = s.Login(ctx, "alice", "correct horse", "")
	tok, err := s.CreateToken(ctx, mustUser(t, s, "alice"), "qgis")
	if err != nil {
		t.Fatal(err)
	}
	if p, err := s.AuthenticateToken(ctx, tok); err != nil || !p.Token || p.Session != nil {
		t.Fatalf("token = %+v, %v", p, err)
	}
	if _, err := s.Disable(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, sec); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
		t.Errorf("session after disable: %v", err)
	}
	if _, err := s.AuthenticateToken(ctx, tok); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
		t.Errorf("token after disable: %v", err)
	}
	if _, err := s.AuthenticateToken(ctx, "hgt_forged"); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
		t.Errorf("forged token: %v", err)
	}
}

func TestDisableWhileSessionStoreUntouched(t *testing.T) {
	// A disabled flag set directly in the store (another process) still ends
	// access on the next request.
	ctx := context.Background()
	s, _ := newService(t)
	_, sec, _ := s.Login(ctx, "alice", "correct horse", "")
	u := mustUser(t, s, "alice")
	u.Disabled = true
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, sec); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
		t.Errorf("disabled in store: %v", err)
	}
}

func TestCSRF(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	if _, err := s.AddUser(ctx, "bob", "correct horse", hotgrid.RoleViewer, ""); err != nil {
		t.Fatal(err)
	}
	a, _, _ := s.Login(ctx, "alice", "correct horse", "")
	b, _, _ := s.Login(ctx, "bob", "correct horse", "")
	for name, c := range map[string]struct {
		p    *auth.Principal
		tok  string
		want bool
	}{
		"own":     {a, a.Session.CSRF, true},
		"missing": {a, "", false},
		"foreign": {a, b.Session.CSRF, false},
		"prefix":  {a, a.Session.CSRF[:10], false},
		"token":   {&auth.Principal{User: a.User, Token: true}, a.Session.CSRF, false},
		"nil":     {nil, "x", false},
	} {
		if got := auth.CheckCSRF(c.p, c.tok); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}

func TestAllowed(t *testing.T) {
	unitPlanner := &hotgrid.User{Role: hotgrid.RolePlanner, Unit: "B1"}
	anyChair := &hotgrid.User{Role: hotgrid.RoleChair}
	tests := []struct {
		u      *hotgrid.User
		p      auth.Perm
		scoped bool
		unit   string
		want   bool
	}{
		{nil, auth.PermPublic, false, "", true},
		{nil, auth.PermView, false, "", false},
		{unitPlanner, auth.PermEditPlan, true, "B1", true},
		{unitPlanner, auth.PermEditPlan, true, "B2", false},
		{unitPlanner, auth.PermEditPlan, true, "", false},
		{unitPlanner, auth.PermView, false, "", true},
		{unitPlanner, auth.PermAgree, true, "B1", false},
		{unitPlanner, auth.PermAdmin, false, "", false},
		{anyChair, auth.PermAgree, true, "B2", true},
		{anyChair, auth.PermEditPlan, true, "B2", false},
		{&hotgrid.User{Role: hotgrid.RoleAdmin}, auth.PermAdmin, false, "", true},
		{&hotgrid.User{Role: hotgrid.RoleAdmin, Disabled: true}, auth.PermView, false, "", false},
		{&hotgrid.User{Role: hotgrid.RoleViewer}, auth.PermEditPlan, true, "B1", false},
	}
	for i, c := range tests {
		if got := auth.Allowed(c.u, c.p, c.scoped, c.unit); got != c.want {
			t.Errorf("%d: Allowed(%+v, %s, %v, %q) = %v", i, c.u, c.p, c.scoped, c.unit, got)
		}
	}
	for _, p := range auth.Perms {
		if !p.ReadOnly() && (p == auth.PermView || p == auth.PermExport) {
			t.Errorf("%s must be read-only", p)
		}
	}
}

func mustUser(t *testing.T, s *auth.Service, name string) *hotgrid.User {
	t.Helper()
	u, err := s.Store.UserByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
