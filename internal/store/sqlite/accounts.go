package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// migrateAccounts adds accounts, sessions and API tokens. Sessions and
// tokens are keyed by the SHA-256 of their secret, never the secret.
const migrateAccounts = `CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	name          TEXT    NOT NULL UNIQUE,
	role          TEXT    NOT NULL,
	unit          TEXT    NOT NULL DEFAULT '',
	password_hash TEXT    NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT    NOT NULL,
	updated_at    TEXT    NOT NULL
);
CREATE TABLE sessions (
	id         TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL,
	csrf       TEXT    NOT NULL,
	created_at TEXT    NOT NULL,
	last_seen  TEXT    NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (
	id         TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL,
	name       TEXT    NOT NULL,
	created_at TEXT    NOT NULL
);`

// migrateAuthEpoch adds the auth epoch (auth.EpochStore): one row whose
// number grows, in the transaction of the change, with every account
// updated or deleted and every session or token deleted or reassigned,
// whoever makes the change (this process, `hotgrid user`, another server,
// a tool writing SQL). A server caching validated sessions reads it on
// every request: one prepared single-row SELECT instead of reading the
// session and its account.
const migrateAuthEpoch = `CREATE TABLE auth_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO auth_epoch (id, n) VALUES (1, 0);
CREATE TRIGGER auth_epoch_user_update AFTER UPDATE ON users BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER auth_epoch_user_delete AFTER DELETE ON users BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER auth_epoch_session_delete AFTER DELETE ON sessions BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER auth_epoch_session_update AFTER UPDATE OF id, user_id, csrf, created_at ON sessions BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER auth_epoch_token_delete AFTER DELETE ON api_tokens BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER auth_epoch_token_update AFTER UPDATE ON api_tokens BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;`

var _ hotgrid.AccountStore = (*DB)(nil)

// AuthEpoch implements auth.EpochStore. An in-memory store answers from
// memory: it is private to this handle, and SQLite's in-memory databases
// refuse reads on other connections while a write (an audit commit) is
// open, so a read per request would wait on every commit. Its epoch grows
// with every account update and session deletion made through this handle
// (raw SQL through SQL() does not move it).
func (d *DB) AuthEpoch(ctx context.Context) (int64, error) {
	if d.path == MemoryPath {
		return d.req.memEpoch.Load(), nil
	}
	st, err := d.req.get(ctx, d.db, `SELECT n FROM auth_epoch WHERE id = 1`)
	if err != nil {
		return 0, fmt.Errorf("auth epoch: %w", err)
	}
	var n int64
	if err := st.QueryRowContext(ctx).Scan(&n); err != nil {
		return 0, fmt.Errorf("auth epoch: %w", err)
	}
	return n, nil
}

// reqState is the request path's state: statements prepared once on the
// pool (database/sql prepares each again on a connection the first time it
// runs there) and the epoch of an in-memory store.
type reqState struct {
	mu       sync.Mutex
	m        map[string]*sql.Stmt
	audit    [auditBatchMax + 1]*sql.Stmt // the INSERT of n audit records
	memEpoch atomic.Int64
}

// changed moves the in-memory epoch after a committed change.
func (d *DB) changed() { d.req.memEpoch.Add(1) }

func (s *reqState) get(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.m[query]; st != nil {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if s.m == nil {
		s.m = map[string]*sql.Stmt{}
	}
	s.m[query] = st
	return st, nil
}

// getN returns the INSERT of n audit records.
func (s *reqState) getN(ctx context.Context, db *sql.DB, n int) (*sql.Stmt, error) {
	s.mu.Lock()
	st := s.audit[n]
	s.mu.Unlock()
	if st != nil {
		return st, nil
	}
	st, err := s.get(ctx, db, auditInsertSQL(n))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.audit[n] = st
	s.mu.Unlock()
	return st, nil
}

// CreateUser implements hotgrid.AccountStore.
func (d *DB) CreateUser(ctx context.Context, u *hotgrid.User) error {
	res, err := d.db.ExecContext(ctx, `INSERT INTO users (name, role, unit, password_hash, disabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, u.Name, u.Role, u.Unit, u.PasswordHash, u.Disabled, textTime(u.CreatedAt), textTime(u.UpdatedAt))
	if isUnique(err) {
		return hotgrid.Errorf(hotgrid.ECONFLICT, "account %q exists", u.Name)
	} else if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	if u.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

// UpdateUser implements hotgrid.AccountStore.
func (d *DB) UpdateUser(ctx context.Context, u *hotgrid.User) error {
	res, err := d.db.ExecContext(ctx, `UPDATE users SET role = ?, unit = ?, password_hash = ?, disabled = ?, updated_at = ? WHERE id = ?`,
		u.Role, u.Unit, u.PasswordHash, u.Disabled, textTime(u.UpdatedAt), u.ID)
	if err != nil {
		return fmt.Errorf("update user %q: %w", u.Name, err)
	}
	d.changed()
	if n, _ := res.RowsAffected(); n == 0 {
		return hotgrid.Errorf(hotgrid.ENOTFOUND, "no account %d", u.ID)
	}
	return nil
}

const userCols = `id, name, role, unit, password_hash, disabled, created_at, updated_at`

func scanUser(r rowScanner) (*hotgrid.User, error) {
	var u hotgrid.User
	var created, updated string
	if err := r.Scan(&u.ID, &u.Name, &u.Role, &u.Unit, &u.PasswordHash, &u.Disabled, &created, &updated); err != nil {
		return nil, err
	}
	var err error
	if u.CreatedAt, err = parseTextTime(created); err != nil {
		return nil, err
	}
	if u.UpdatedAt, err = parseTextTime(updated); err != nil {
		return nil, err
	}
	return &u, nil
}

func (d *DB) userWhere(ctx context.Context, what string, where string, arg any) (*hotgrid.User, error) {
	u, err := scanUser(d.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no account %s", what)
	} else if err != nil {
		return nil, fmt.Errorf("account %s: %w", what, err)
	}
	return u, nil
}

// UserByID implements hotgrid.AccountStore.
func (d *DB) UserByID(ctx context.Context, id int64) (*hotgrid.User, error) {
	return d.userWhere(ctx, fmt.Sprint(id), `id = ?`, id)
}

// UserByName implements hotgrid.AccountStore.
func (d *DB) UserByName(ctx context.Context, name string) (*hotgrid.User, error) {
	return d.userWhere(ctx, fmt.Sprintf("%q", name), `name = ?`, name)
}

// Users implements hotgrid.AccountStore.
func (d *DB) Users(ctx context.Context) ([]*hotgrid.User, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var out []*hotgrid.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateSession implements hotgrid.AccountStore.
func (d *DB) CreateSession(ctx context.Context, s *hotgrid.Session) error {
	_, err := d.db.ExecContext(ctx, `INSERT INTO sessions (id, user_id, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)`,
		s.ID, s.UserID, s.CSRF, textTime(s.CreatedAt), textTime(s.LastSeen))
	if err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// Session implements hotgrid.AccountStore.
func (d *DB) Session(ctx context.Context, id string) (*hotgrid.Session, error) {
	var s hotgrid.Session
	var created, seen string
	err := d.db.QueryRowContext(ctx, `SELECT id, user_id, csrf, created_at, last_seen FROM sessions WHERE id = ?`, id).
		Scan(&s.ID, &s.UserID, &s.CSRF, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no session")
	} else if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	if s.CreatedAt, err = parseTextTime(created); err != nil {
		return nil, err
	}
	if s.LastSeen, err = parseTextTime(seen); err != nil {
		return nil, err
	}
	return &s, nil
}

// TouchSession implements hotgrid.AccountStore.
func (d *DB) TouchSession(ctx context.Context, id string, t time.Time) error {
	if _, err := d.db.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE id = ?`, textTime(t), id); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession implements hotgrid.AccountStore.
func (d *DB) DeleteSession(ctx context.Context, id string) error {
	if _, err := d.db.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	d.changed()
	return nil
}

// DeleteUserSessions implements hotgrid.AccountStore.
func (d *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := d.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("delete sessions of %d: %w", userID, err)
	}
	d.changed()
	return nil
}

// CreateToken implements hotgrid.AccountStore.
func (d *DB) CreateToken(ctx context.Context, t *hotgrid.APIToken) error {
	_, err := d.db.ExecContext(ctx, `INSERT INTO api_tokens (id, user_id, name, created_at) VALUES (?, ?, ?, ?)`,
		t.ID, t.UserID, t.Name, textTime(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert token: %w", err)
	}
	return nil
}

// Token implements hotgrid.AccountStore.
func (d *DB) Token(ctx context.Context, id string) (*hotgrid.APIToken, error) {
	var t hotgrid.APIToken
	var created string
	err := d.db.QueryRowContext(ctx, `SELECT id, user_id, name, created_at FROM api_tokens WHERE id = ?`, id).
		Scan(&t.ID, &t.UserID, &t.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no token")
	} else if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	if t.CreatedAt, err = parseTextTime(created); err != nil {
		return nil, err
	}
	return &t, nil
}
