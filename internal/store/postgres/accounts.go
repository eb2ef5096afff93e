package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

var _ hotgrid.AccountStore = (*DB)(nil)

const userCols = "id, name, role, unit, password_hash, disabled, created_at, updated_at"

// CreateUser stores a new account and sets its ID; ECONFLICT when the name
// is taken.
func (db *DB) CreateUser(ctx context.Context, u *hotgrid.User) error {
	err := db.pool.QueryRow(ctx, `INSERT INTO users (name, role, unit, password_hash, disabled, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		u.Name, string(u.Role), u.Unit, u.PasswordHash, u.Disabled, u.CreatedAt, u.UpdatedAt).Scan(&u.ID)
	if isUniqueViolation(err) {
		return hotgrid.Errorf(hotgrid.ECONFLICT, "account %q exists", u.Name)
	} else if err != nil {
		return fmt.Errorf("create user %s: %w", u.Name, err)
	}
	return nil
}

// UpdateUser saves an account's role, unit, password hash and disabled flag;
// ENOTFOUND when there is no such account.
func (db *DB) UpdateUser(ctx context.Context, u *hotgrid.User) error {
	tag, err := db.pool.Exec(ctx, `UPDATE users SET role = $2, unit = $3, password_hash = $4, disabled = $5,
		updated_at = $6 WHERE id = $1`, u.ID, string(u.Role), u.Unit, u.PasswordHash, u.Disabled, u.UpdatedAt)
	if err != nil {
		return fmt.Errorf("update user %s: %w", u.Name, err)
	}
	if tag.RowsAffected() == 0 {
		return hotgrid.Errorf(hotgrid.ENOTFOUND, "no account %d", u.ID)
	}
	return nil
}

// UserByID returns one account; ENOTFOUND when absent.
func (db *DB) UserByID(ctx context.Context, id int64) (*hotgrid.User, error) {
	return db.user(ctx, "id = $1", id)
}

// UserByName returns one account; ENOTFOUND when absent.
func (db *DB) UserByName(ctx context.Context, name string) (*hotgrid.User, error) {
	return db.user(ctx, "name = $1", name)
}

func (db *DB) user(ctx context.Context, where string, arg any) (*hotgrid.User, error) {
	rows, err := db.pool.Query(ctx, "SELECT "+userCols+" FROM users WHERE "+where, arg)
	if err != nil {
		return nil, fmt.Errorf("user %v: %w", arg, err)
	}
	us, err := scanUsers(rows)
	if err != nil {
		return nil, fmt.Errorf("user %v: %w", arg, err)
	}
	if len(us) == 0 {
		return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no account %v", arg)
	}
	return us[0], nil
}

// Users lists every account by name.
func (db *DB) Users(ctx context.Context) ([]*hotgrid.User, error) {
	rows, err := db.pool.Query(ctx, "SELECT "+userCols+" FROM users ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	us, err := scanUsers(rows)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return us, nil
}

func scanUsers(rows pgx.Rows) ([]*hotgrid.User, error) {
	defer rows.Close()
	out := []*hotgrid.User{}
	for rows.Next() {
		u := &hotgrid.User{}
		var role string
		if err := rows.Scan(&u.ID, &u.Name, &role, &u.Unit, &u.PasswordHash, &u.Disabled, &u.CreatedAt, &u.UpdatedAt); err != nil {
			return nil, err
		}
		u.Role, u.CreatedAt, u.UpdatedAt = hotgrid.Role(role), u.CreatedAt.UTC(), u.UpdatedAt.UTC()
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateSession stores a session.
func (db *DB) CreateSession(ctx context.Context, s *hotgrid.Session) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO sessions (id, user_id, csrf, created_at, last_seen) VALUES ($1, $2, $3, $4, $5)`,
		s.ID, s.UserID, s.CSRF, s.CreatedAt, s.LastSeen)
	if isUniqueViolation(err) {
		return hotgrid.Errorf(hotgrid.ECONFLICT, "session exists")
	} else if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Session returns one session; ENOTFOUND when absent.
func (db *DB) Session(ctx context.Context, id string) (*hotgrid.Session, error) {
	s := &hotgrid.Session{}
	err := db.pool.QueryRow(ctx, `SELECT id, user_id, csrf, created_at, last_seen FROM sessions WHERE id = $1`, id).
		Scan(&s.ID, &s.UserID, &s.CSRF, &s.CreatedAt, &s.LastSeen)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no session")
	} else if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	s.CreatedAt, s.LastSeen = s.CreatedAt.UTC(), s.LastSeen.UTC()
	return s, nil
}

// TouchSession sets a session's LastSeen.
func (db *DB) TouchSession(ctx context.Context, id string, t time.Time) error {
	if _, err := db.pool.Exec(ctx, `UPDATE sessions SET last_seen = $2 WHERE id = $1`, id, t); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession removes one session; absent sessions are not an error.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	if _, err := db.pool.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions removes every session of an account.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := db.pool.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// CreateToken stores an API token.
func (db *DB) CreateToken(ctx context.Context, t *hotgrid.APIToken) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO api_tokens (id, user_id, name, created_at) VALUES ($1, $2, $3, $4)`,
		t.ID, t.UserID, t.Name, t.CreatedAt)
	if isUniqueViolation(err) {
		return hotgrid.Errorf(hotgrid.ECONFLICT, "token exists")
	} else if err != nil {
		return fmt.Errorf("create token %s: %w", t.Name, err)
	}
	return nil
}

// Token returns one API token; ENOTFOUND when absent.
func (db *DB) Token(ctx context.Context, id string) (*hotgrid.APIToken, error) {
	t := &hotgrid.APIToken{}
	err := db.pool.QueryRow(ctx, `SELECT id, user_id, name, created_at FROM api_tokens WHERE id = $1`, id).
		Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no token")
	} else if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	t.CreatedAt = t.CreatedAt.UTC()
	return t, nil
}
