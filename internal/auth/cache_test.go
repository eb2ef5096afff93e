package auth_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/auth/authtest"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// countingStore counts the store calls a Service makes.
type countingStore struct {
	*auth.MemStore
	mu                             sync.Mutex
	sessions, users, touches, toks int
}

func (c *countingStore) Session(ctx context.Context, id string) (*hotgrid.Session, error) {
	c.mu.Lock()
	c.sessions++
	c.mu.Unlock()
	return c.MemStore.Session(ctx, id)
}

func (c *countingStore) UserByID(ctx context.Context, id int64) (*hotgrid.User, error) {
	c.mu.Lock()
	c.users++
	c.mu.Unlock()
	return c.MemStore.UserByID(ctx, id)
}

func (c *countingStore) TouchSession(ctx context.Context, id string, t time.Time) error {
	c.mu.Lock()
	c.touches++
	c.mu.Unlock()
	return c.MemStore.TouchSession(ctx, id, t)
}

func (c *countingStore) Token(ctx context.Context, id string) (*hotgrid.APIToken, error) {
	c.mu.Lock()
	c.toks++
	c.mu.Unlock()
	return c.MemStore.Token(ctx, id)
}

func (c *countingStore) reads() (sessions, users, touches, toks int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sessions, c.users, c.touches, c.toks
}

func newCounting(t *testing.T) (*auth.Service, *countingStore, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2017, 6, 1, 8, 0, 0, 0, time.UTC)}
	st := &countingStore{MemStore: &auth.MemStore{}}
	s := &auth.Service{Store: st, Now: c.Now, Params: cheap}
	if _, err := s.AddUser(context.Background(), "alice", "correct horse", hotgrid.RolePlanner, "B1"); err != nil {
		t.Fatal(err)
	}
	return s, st, c
}

func TestSessionCacheHit(t *testing.T) {
	ctx := context.Background()
	s, st, c := newCounting(t)
	_, sec, err := s.Login(ctx, "alice", "correct horse", "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		c.Add(time.Second)
		p, err := s.Authenticate(ctx, sec)
		if err != nil || p.User.Name != "alice" || p.Session.CSRF == "" || !p.Session.LastSeen.Equal(c.Now()) {
			t.Fatalf("request %d: %+v, %v", i, p, err)
		}
		p.User.Role = hotgrid.RoleAdmin // a caller scribbling on its copy changes nothing
	}
	sessions, users, touches, _ := st.reads()
	if sessions != 1 || users != 1 {
		t.Errorf("100 requests read the session %d and the account %d times, want 1 and 1", sessions, users)
	}
	// 100 s of requests: the store's last-seen time written at most once a minute
	if touches != 1 {
		t.Errorf("last-seen written %d times in 100 s, want 1", touches)
	}
	if p, _ := s.Authenticate(ctx, sec); p.User.Role != hotgrid.RolePlanner {
		t.Errorf("cached role = %s", p.User.Role)
	}
}

func TestSessionCacheIdleFromMemory(t *testing.T) {
	// Requests every 50 s keep a session with a 2 min idle timeout alive
	// for an hour although its stored last-seen time lags by up to a
	// minute; 2 min without a request end it.
	ctx := context.Background()
	s, st, c := newCounting(t)
	s.Idle = 2 * time.Minute
	_, sec, _ := s.Login(ctx, "alice", "correct horse", "")
	for i := range 72 {
		c.Add(50 * time.Second)
		if _, err := s.Authenticate(ctx, sec); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if _, _, touches, _ := st.reads(); touches > 36 {
		t.Errorf("%d last-seen writes for 72 requests 50 s apart, want at most one a minute", touches)
	}
	// another process that shares the store sees the session alive too
	other := &auth.Service{Store: st.MemStore, Now: c.Now, Params: cheap, Idle: 2 * time.Minute}
	if _, err := other.Authenticate(ctx, sec); err != nil {
		t.Fatalf("other process: %v", err)
	}
	c.Add(2 * time.Minute)
	if _, err := s.Authenticate(ctx, sec); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
		t.Fatalf("idle 2 min: %v", err)
	}
}

func TestSessionIdleActiveElsewhere(t *testing.T) {
	// A session idle in this process but kept active by another process
	// (which wrote its last-seen time) is not ended.
	ctx := context.Background()
	s, st, c := newCounting(t)
	_, sec, _ := s.Login(ctx, "alice", "correct horse", "")
	if _, err := s.Authenticate(ctx, sec); err != nil {
		t.Fatal(err)
	}
	other := &auth.Service{Store: st.MemStore, Now: c.Now, Params: cheap}
	for range 4 {
		c.Add(10 * time.Minute)
		if _, err := other.Authenticate(ctx, sec); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Authenticate(ctx, sec); err != nil {
		t.Errorf("session active elsewhere ended: %v", err)
	}
}

func TestLocalChangesEndCachedAccess(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newCounting(t)
	_, sec, _ := s.Login(ctx, "alice", "correct horse", "")
	tok, err := s.CreateToken(ctx, mustUser(t, s, "alice"), "qgis")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := s.Authenticate(ctx, sec); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AuthenticateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, _, toks := st.reads(); toks != 1 {
		t.Errorf("token read %d times for 3 requests, want 1", toks)
	}
	if _, err := s.SetRole(ctx, "alice", hotgrid.RoleChair, ""); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Authenticate(ctx, sec); err != nil || p.User.Role != hotgrid.RoleChair || p.User.Unit != "" {
		t.Errorf("after role change: %+v, %v", p, err)
	}
	if p, err := s.AuthenticateToken(ctx, tok); err != nil || p.User.Role != hotgrid.RoleChair {
		t.Errorf("token after role change: %+v, %v", p, err)
	}
	if _, err := s.SetRole(ctx, "alice", "god", ""); hotgrid.ErrorCode(err) != hotgrid.EINVALID {
		t.Errorf("bad role: %v", err)
	}
	if _, err := s.ResetPassword(ctx, "alice", "battery staple"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, sec); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
		t.Errorf("session after password reset: %v", err)
	}
}

// TestCrossProcessMem: two Services over one store.
func TestCrossProcessMem(t *testing.T) {
	authtest.RunCrossProcess(t, func(*testing.T) (auth.EpochStore, auth.EpochStore) {
		m := &auth.MemStore{}
		return m, m
	})
}

// TestConcurrentCachedRequests runs cached requests in parallel with a
// disable: after Disable returns no request succeeds (go test -race).
func TestConcurrentCachedRequests(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	_, sec, _ := s.Login(ctx, "alice", "correct horse", "")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				_, _ = s.Authenticate(ctx, sec)
			}
		}()
	}
	if _, err := s.Disable(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if _, err := s.Authenticate(ctx, sec); hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED {
			t.Fatalf("after disable: %v", err)
		}
	}
	close(stop)
	wg.Wait()
}
