// Package auth holds hotgrid's accounts, password hashing (argon2id),
// server-side sessions with idle and absolute timeouts, CSRF synchronizer
// tokens, read-only API tokens, and the role and unit permission rules. It
// knows nothing of HTTP: the server maps cookies and headers onto it.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Default session timeouts.
const (
	DefaultIdle     = 30 * time.Minute
	DefaultAbsolute = 12 * time.Hour
)

// Service manages accounts, sessions and tokens over an AccountStore.
type Service struct {
	Store    hotgrid.AccountStore
	Now      func() time.Time // time.Now when nil
	Idle     time.Duration    // DefaultIdle when 0
	Absolute time.Duration    // DefaultAbsolute when 0
	Params   Params           // DefaultParams when zero

	dummyOnce sync.Once
	dummy     string // hash checked for unknown names, so timing does not reveal them

	cache cache        // validated sessions and tokens (cache.go)
	watch epochState   // the epoch announced by an EpochWatcher
	gen   atomic.Int64 // bumped by this Service's own changes: older cache entries are stale
}

// Principal is who a request comes from.
type Principal struct {
	User    *hotgrid.User
	Session *hotgrid.Session // nil for API tokens
	Token   bool             // authenticated by a read-only API token
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) params() Params {
	if s.Params == (Params{}) {
		return DefaultParams
	}
	return s.Params
}

func (s *Service) idle() time.Duration {
	if s.Idle > 0 {
		return s.Idle
	}
	return DefaultIdle
}

func (s *Service) absolute() time.Duration {
	if s.Absolute > 0 {
		return s.Absolute
	}
	return DefaultAbsolute
}

// NewSecret returns 32 random bytes, base64url encoded.
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashSecret returns the hex SHA-256 of a session or API token secret: the
// form stored.
func HashSecret(secret string) string {
	var in [64]byte // on the stack for secrets of up to 64 bytes (they are 43 or 47)
	h := sha256.Sum256(append(in[:0], secret...))
	var x [2 * sha256.Size]byte
	hex.Encode(x[:], h[:])
	return string(x[:])
}

func validName(name string) error {
	if name == "" || len(name) > 64 || strings.TrimSpace(name) != name {
		return hotgrid.FieldErrorf("name", "account name must be 1 to 64 characters without surrounding space")
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)) {
			return hotgrid.FieldErrorf("name", "account name %q: only letters, digits and . _ - @ are allowed", name)
		}
	}
	return nil
}

// AddUser creates an account with a password.
func (s *Service) AddUser(ctx context.Context, name, password string, role hotgrid.Role, unit string) (*hotgrid.User, error) {
	if err := validName(name); err != nil {
		return nil, err
	}
	if _, err := hotgrid.ParseRole(string(role)); err != nil {
		return nil, err
	}
	h, err := HashPassword(password, s.params())
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	u := &hotgrid.User{Name: name, Role: role, Unit: unit, PasswordHash: h, CreatedAt: now, UpdatedAt: now}
	if err := s.Store.CreateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("add user %q: %w", name, err)
	}
	return u, nil
}

// Disable disables an account and ends its sessions at once.
func (s *Service) Disable(ctx context.Context, name string) (*hotgrid.User, error) {
	u, err := s.Store.UserByName(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("disable %q: %w", name, err)
	}
	u.Disabled, u.UpdatedAt = true, s.now().UTC()
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("disable %q: %w", name, err)
	}
	if err := s.Store.DeleteUserSessions(ctx, u.ID); err != nil {
		return nil, fmt.Errorf("end sessions of %q: %w", name, err)
	}
	s.forgetUser(u.ID)
	return u, nil
}

// SetRole changes an account's role and unit. Its sessions go on, with the
// new role from their next request.
func (s *Service) SetRole(ctx context.Context, name string, role hotgrid.Role, unit string) (*hotgrid.User, error) {
	if _, err := hotgrid.ParseRole(string(role)); err != nil {
		return nil, err
	}
	u, err := s.Store.UserByName(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("set role of %q: %w", name, err)
	}
	u.Role, u.Unit, u.UpdatedAt = role, unit, s.now().UTC()
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("set role of %q: %w", name, err)
	}
	s.forgetUser(u.ID)
	return u, nil
}

// forgetUser makes this Service stop trusting what it cached before a
// change it made: every entry is validated again, the account's are
// dropped. Call it after the change is committed.
func (s *Service) forgetUser(id int64) {
	s.gen.Add(1)
	s.cache.dropUser(id)
}

// forgetSession is forgetUser for one session.
func (s *Service) forgetSession(id string) {
	s.gen.Add(1)
	s.cache.dropSession(id)
}

// ResetPassword sets a new password, re-enables the account and ends its
// sessions.
func (s *Service) ResetPassword(ctx context.Context, name, password string) (*hotgrid.User, error) {
	u, err := s.Store.UserByName(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("reset %q: %w", name, err)
	}
	if u.PasswordHash, err = HashPassword(password, s.params()); err != nil {
		return nil, err
	}
	u.Disabled, u.UpdatedAt = false, s.now().UTC()
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("reset %q: %w", name, err)
	}
	if err := s.Store.DeleteUserSessions(ctx, u.ID); err != nil {
		return nil, fmt.Errorf("end sessions of %q: %w", name, err)
	}
	s.forgetUser(u.ID)
	return u, nil
}

// Login checks a name and password and starts a new session. It returns the
// session secret for the cookie. old, when not empty, is the secret of a
// session the client already had: it is ended, so a session id planted
// before login is never carried over. A wrong name, a wrong password and a
// disabled account all give the same EUNAUTHORIZED error.
func (s *Service) Login(ctx context.Context, name, password, old string) (*Principal, string, error) {
	if old != "" {
		if err := s.Store.DeleteSession(ctx, HashSecret(old)); err != nil {
			return nil, "", fmt.Errorf("end old session: %w", err)
		}
		s.forgetSession(HashSecret(old))
	}
	bad := hotgrid.Errorf(hotgrid.EUNAUTHORIZED, "wrong name or password")
	u, err := s.Store.UserByName(ctx, name)
	if hotgrid.ErrorCode(err) == hotgrid.ENOTFOUND {
		s.dummyOnce.Do(func() { s.dummy, _ = HashPassword("not-a-real-password", s.params()) })
		_, _ = CheckPassword(s.dummy, password)
		return nil, "", bad
	} else if err != nil {
		return nil, "", fmt.Errorf("login: %w", err)
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	if err != nil {
		return nil, "", fmt.Errorf("login %q: %w", name, err)
	}
	if !ok || u.Disabled {
		return nil, "", bad
	}
	secret, err := NewSecret()
	if err != nil {
		return nil, "", err
	}
	csrf, err := NewSecret()
	if err != nil {
		return nil, "", err
	}
	now := s.now().UTC()
	sess := &hotgrid.Session{ID: HashSecret(secret), UserID: u.ID, CSRF: csrf, CreatedAt: now, LastSeen: now}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return nil, "", fmt.Errorf("login: %w", err)
	}
	return &Principal{User: u, Session: sess}, secret, nil
}

// Authenticate resolves a session secret. Expired sessions (idle or
// absolute) and sessions of disabled accounts are ended and give
// EUNAUTHORIZED. Over an EpochStore a session validated before is answered
// from memory while nothing has changed (cache.go).
func (s *Service) Authenticate(ctx context.Context, secret string) (*Principal, error) {
	none := func() error { return hotgrid.Errorf(hotgrid.EUNAUTHORIZED, "not signed in") }
	if secret == "" {
		return nil, none()
	}
	id := HashSecret(secret)
	now := s.now().UTC()
	gen := s.gen.Load() // before the epoch and the store are read
	epoch, cacheable, err := s.epoch(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth epoch: %w", err)
	}
	if cacheable {
		p, ok, err := s.cachedSession(ctx, id, gen, epoch, now)
		if err != nil {
			return nil, fmt.Errorf("touch session: %w", err)
		} else if ok {
			return p, nil
		}
	}
	sess, err := s.Store.Session(ctx, id)
	if hotgrid.ErrorCode(err) == hotgrid.ENOTFOUND {
		s.cache.dropSession(id)
		return nil, none()
	} else if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	stored := sess.LastSeen
	if e := s.cache.session(id); e != nil && e.sess.UserID == sess.UserID {
		// requests this process answered since the store was last touched
		if seen := time.Unix(0, e.seen.Load()).UTC(); seen.After(sess.LastSeen) {
			sess.LastSeen = seen
		}
	}
	if now.Sub(sess.LastSeen) >= s.idle() || now.Sub(sess.CreatedAt) >= s.absolute() {
		_ = s.Store.DeleteSession(ctx, id)
		s.forgetSession(id)
		return nil, hotgrid.Errorf(hotgrid.EUNAUTHORIZED, "session expired: sign in again")
	}
	u, err := s.Store.UserByID(ctx, sess.UserID)
	if hotgrid.ErrorCode(err) == hotgrid.ENOTFOUND || err == nil && u.Disabled {
		_ = s.Store.DeleteSession(ctx, id)
		s.forgetSession(id)
		return nil, none()
	} else if err != nil {
		return nil, fmt.Errorf("session user: %w", err)
	}
	if now.Sub(stored) >= TouchEvery {
		if err := s.Store.TouchSession(ctx, id, now); err != nil {
			return nil, fmt.Errorf("touch session: %w", err)
		}
		stored = now
	}
	sess.LastSeen = now
	if cacheable {
		e := &sessionEntry{sess: *sess, user: *u, epoch: epoch, gen: gen}
		e.seen.Store(now.UnixNano())
		e.stored.Store(stored.UnixNano())
		s.cache.putSession(id, e, now, s.idle(), s.absolute())
	}
	return &Principal{User: u, Session: sess}, nil
}

// Logout ends a session; an unknown secret is not an error.
func (s *Service) Logout(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	id := HashSecret(secret)
	if err := s.Store.DeleteSession(ctx, id); err != nil {
		return err
	}
	s.forgetSession(id)
	return nil
}

// CheckCSRF reports whether token is the session's CSRF token.
func CheckCSRF(p *Principal, token string) bool {
	if p == nil || p.Session == nil || token == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(p.Session.CSRF), []byte(token)) == 1
}

// CreateToken makes a read-only API token for an account and returns its
// secret (shown once; only its hash is kept).
func (s *Service) CreateToken(ctx context.Context, u *hotgrid.User, name string) (string, error) {
	secret, err := NewSecret()
	if err != nil {
		return "", err
	}
	secret = "hgt_" + secret
	t := &hotgrid.APIToken{ID: HashSecret(secret), UserID: u.ID, Name: name, CreatedAt: s.now().UTC()}
	if err := s.Store.CreateToken(ctx, t); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	return secret, nil
}

// AuthenticateToken resolves an API token; tokens of disabled accounts fail.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (*Principal, error) {
	bad := func() error { return hotgrid.Errorf(hotgrid.EUNAUTHORIZED, "invalid API token") }
	if secret == "" {
		return nil, bad()
	}
	id := HashSecret(secret)
	gen := s.gen.Load()
	epoch, cacheable, err := s.epoch(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth epoch: %w", err)
	}
	if e := s.cache.token(id); cacheable && e != nil && e.epoch == epoch && e.gen == gen {
		b := &principalBox{u: e.user}
		b.p = Principal{User: &b.u, Token: true}
		return &b.p, nil
	}
	t, err := s.Store.Token(ctx, id)
	if hotgrid.ErrorCode(err) == hotgrid.ENOTFOUND {
		return nil, bad()
	} else if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	u, err := s.Store.UserByID(ctx, t.UserID)
	if hotgrid.ErrorCode(err) == hotgrid.ENOTFOUND || err == nil && u.Disabled {
		return nil, bad()
	} else if err != nil {
		return nil, fmt.Errorf("token user: %w", err)
	}
	if cacheable {
		s.cache.putToken(id, &tokenEntry{user: *u, epoch: epoch, gen: gen})
	}
	return &Principal{User: u, Token: true}, nil
}
