package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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

var _ hotgrid.AccountStore = (*DB)(nil)

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
	return nil
}

// DeleteUserSessions implements hotgrid.AccountStore.
func (d *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := d.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("delete sessions of %d: %w", userID, err)
	}
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
