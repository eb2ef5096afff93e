package auth

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Caching validated sessions and API tokens.
//
// Checking a session against the store costs two queries a request. Over a
// store that keeps an auth epoch (EpochStore) the Service instead keeps the
// sessions and tokens it has validated in memory, keyed by the hash of
// their secret and tagged with the epoch read before they were validated.
// The epoch grows, in the same transaction, with every change that can end
// or narrow access, made by any process: an account updated (disabled,
// password reset, role or unit changed) or deleted, a session or token
// deleted (logout, expiry, a disable ending every session). A cached entry
// is used only while the epoch is still the one it was validated at;
// otherwise it is validated against the store again. Changes made through
// this Service (logout, Disable, ResetPassword, SetRole, a login ending the
// old session) also bump a local generation that stales every entry at
// once, and drop the entries they concern.
//
// How the epoch is read decides how soon another process's change is seen
// (README.md has the measured costs):
//
//   - a SQLite file: one prepared single-row SELECT on every request, so a
//     change committed by any process ends access on the next request; a
//     private in-memory store and MemStore count changes in memory;
//   - PostgreSQL (EpochWatcher): the epoch arrives by LISTEN/NOTIFY, sent
//     in the transaction of the change, so there is no read per request; a
//     change reaches this process when its notification does (a
//     millisecond or so after the commit). While the listening connection
//     is down the epoch is read on every request instead.
//
// Idle timeouts are enforced from the last-seen time held in memory; the
// store's copy is written at most once per TouchEvery for each session, so
// another process (which validates against the store when its own copy has
// gone idle) may end a session at most TouchEvery early, never late.

// TouchEvery is how often at most a session's last-seen time is written to
// the store.
const TouchEvery = time.Minute

// maxCached bounds each cache; when full, expired entries are dropped and,
// failing that, the whole cache (it is only a cache).
const maxCached = 1 << 16

// EpochStore is an AccountStore that keeps an auth epoch, which lets a
// Service cache validated sessions and tokens.
type EpochStore interface {
	hotgrid.AccountStore
	// AuthEpoch returns a number that grows, in the same transaction, with
	// every update or deletion of an account and every deletion of a
	// session or token, by any process.
	AuthEpoch(ctx context.Context) (int64, error)
}

// EpochWatcher is an EpochStore that announces epoch changes.
type EpochWatcher interface {
	EpochStore
	// WatchAuthEpoch calls fn(epoch, true) with the current epoch once it
	// listens, then with every announced epoch, until ctx ends (it then
	// returns nil). When the listening connection is lost it calls
	// fn(0, false) at once, reconnects and calls fn(current, true) again.
	WatchAuthEpoch(ctx context.Context, fn func(epoch int64, listening bool)) error
}

// sessionEntry is a validated session. Its last-seen times are updated in
// place by concurrent requests.
type sessionEntry struct {
	sess   hotgrid.Session
	user   hotgrid.User
	epoch  int64
	gen    int64
	seen   atomic.Int64 // unix ns of the latest request (this process)
	stored atomic.Int64 // unix ns of the last-seen time in the store
}

type tokenEntry struct {
	user  hotgrid.User
	epoch int64
	gen   int64
}

// cache holds validated sessions and tokens.
type cache struct {
	mu       sync.RWMutex
	sessions map[string]*sessionEntry
	tokens   map[string]*tokenEntry
}

func (c *cache) session(id string) *sessionEntry {
	c.mu.RLock()
	e := c.sessions[id]
	c.mu.RUnlock()
	return e
}

func (c *cache) token(id string) *tokenEntry {
	c.mu.RLock()
	e := c.tokens[id]
	c.mu.RUnlock()
	return e
}

// putSession caches e, first dropping expired sessions when full.
func (c *cache) putSession(id string, e *sessionEntry, now time.Time, idle, absolute time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sessions == nil {
		c.sessions = map[string]*sessionEntry{}
	}
	if len(c.sessions) >= maxCached {
		for k, x := range c.sessions {
			if now.Sub(time.Unix(0, x.seen.Load())) >= idle || now.Sub(x.sess.CreatedAt) >= absolute {
				delete(c.sessions, k)
			}
		}
		if len(c.sessions) >= maxCached {
			clear(c.sessions)
		}
	}
	c.sessions[id] = e
}

func (c *cache) putToken(id string, e *tokenEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tokens == nil || len(c.tokens) >= maxCached {
		c.tokens = map[string]*tokenEntry{}
	}
	c.tokens[id] = e
}

func (c *cache) dropSession(id string) {
	c.mu.Lock()
	delete(c.sessions, id)
	c.mu.Unlock()
}

// dropUser forgets every session and token of an account.
func (c *cache) dropUser(userID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.sessions {
		if e.sess.UserID == userID {
			delete(c.sessions, k)
		}
	}
	for k, e := range c.tokens {
		if e.user.ID == userID {
			delete(c.tokens, k)
		}
	}
}

// epochState is the epoch as last announced by an EpochWatcher.
type epochState struct {
	listening atomic.Bool
	epoch     atomic.Int64
}

// epoch returns the current auth epoch and whether the store keeps one (if
// not, nothing is cached).
func (s *Service) epoch(ctx context.Context) (int64, bool, error) {
	if s.watch.listening.Load() {
		return s.watch.epoch.Load(), true, nil
	}
	es, ok := s.Store.(EpochStore)
	if !ok {
		return 0, false, nil
	}
	n, err := es.AuthEpoch(ctx)
	if err != nil {
		return 0, false, err
	}
	return n, true, nil
}

// Watch follows the store's epoch announcements until ctx ends, so
// validated sessions are reused without reading the epoch per request. It
// returns at once (nil) when the store does not announce its epoch.
func (s *Service) Watch(ctx context.Context) error {
	w, ok := s.Store.(EpochWatcher)
	if !ok {
		return nil
	}
	defer s.watch.listening.Store(false)
	return w.WatchAuthEpoch(ctx, func(n int64, listening bool) {
		if !listening {
			s.watch.listening.Store(false)
			return
		}
		// epoch before the flag: a reader that sees listening sees an
		// epoch at least this new
		s.watch.epoch.Store(n)
		s.watch.listening.Store(true)
	})
}

// WaitEpoch blocks until this Service has seen an auth epoch of at least n
// (from its watcher, or read from the store when not watching), or ctx
// ends. Tests use it to know a change made elsewhere has arrived.
func (s *Service) WaitEpoch(ctx context.Context, n int64) error {
	for {
		cur, ok, err := s.epoch(ctx)
		if err != nil || !ok || cur >= n {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
}

// principalBox lets a cache hit hand out private copies in one allocation.
type principalBox struct {
	p Principal
	u hotgrid.User
	s hotgrid.Session
}

// cachedSession answers from the cache: the entry must have been validated
// at the current epoch and still be within both timeouts by its in-memory
// last-seen time. It records the request and writes the last-seen time to
// the store when the stored one is TouchEvery old.
func (s *Service) cachedSession(ctx context.Context, id string, gen, epoch int64, now time.Time) (*Principal, bool, error) {
	e := s.cache.session(id)
	if e == nil || e.epoch != epoch || e.gen != gen {
		return nil, false, nil
	}
	seen := e.seen.Load()
	if now.Sub(time.Unix(0, seen)) >= s.idle() || now.Sub(e.sess.CreatedAt) >= s.absolute() {
		return nil, false, nil // the store decides (another process may have seen it since)
	}
	ns := now.UnixNano()
	for seen < ns && !e.seen.CompareAndSwap(seen, ns) {
		seen = e.seen.Load()
	}
	if err := s.touch(ctx, e, now); err != nil {
		return nil, false, err
	}
	b := &principalBox{u: e.user, s: e.sess}
	b.s.LastSeen = time.Unix(0, max(ns, e.seen.Load())).UTC()
	b.p = Principal{User: &b.u, Session: &b.s}
	return &b.p, true, nil
}

// touch writes now as the session's last-seen time when the stored one is
// TouchEvery old; one request of those arriving together does it.
func (s *Service) touch(ctx context.Context, e *sessionEntry, now time.Time) error {
	stored, ns := e.stored.Load(), now.UnixNano()
	if now.Sub(time.Unix(0, stored)) < TouchEvery || !e.stored.CompareAndSwap(stored, ns) {
		return nil
	}
	if err := s.Store.TouchSession(ctx, e.sess.ID, now); err != nil {
		e.stored.CompareAndSwap(ns, stored) // try again on a later request
		return err
	}
	return nil
}

// Listening reports whether the epoch currently arrives from the store's
// watcher (Watch running and connected) rather than being read per request.
func (s *Service) Listening() bool { return s.watch.listening.Load() }
