package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuthChannel is the LISTEN/NOTIFY channel on which every account,
// session or token change announces the new auth epoch (migration 005).
const AuthChannel = "hotgrid_auth"

// AuthEpoch returns the auth epoch (auth.EpochStore): it grows, in the
// transaction of the change, with every account updated or deleted and
// every session or token deleted, by any process.
func (db *DB) AuthEpoch(ctx context.Context) (int64, error) {
	var n int64
	if err := db.pool.QueryRow(ctx, `SELECT n FROM auth_epoch WHERE id = 1`).Scan(&n); err != nil {
		return 0, fmt.Errorf("auth epoch: %w", err)
	}
	return n, nil
}

// WatchAuthEpoch implements auth.EpochWatcher with LISTEN on its own
// connection: fn(epoch, true) once listening, then for every announced
// epoch; fn(0, false) as soon as the connection fails, then it reconnects
// (backing off up to 10 s) and reports the current epoch again, so no
// change is missed. It returns nil when ctx ends.
func (db *DB) WatchAuthEpoch(ctx context.Context, fn func(epoch int64, listening bool)) error {
	wait := 100 * time.Millisecond
	for {
		err := db.listenAuth(ctx, fn)
		fn(0, false)
		if ctx.Err() != nil {
			return nil
		}
		var fatal *fatalError
		if errors.As(err, &fatal) {
			return fatal.err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, 10*time.Second)
	}
}

// listenAuth runs one LISTEN session until its connection fails or ctx
// ends. The epoch is read after LISTEN, so a change committed in between
// is both read and announced, never neither.
func (db *DB) listenAuth(ctx context.Context, fn func(int64, bool)) error {
	conn, err := pgx.ConnectConfig(ctx, db.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{AuthChannel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	var n int64
	if err := conn.QueryRow(ctx, `SELECT n FROM auth_epoch WHERE id = 1`).Scan(&n); err != nil {
		return fmt.Errorf("listen: auth epoch: %w", err)
	}
	fn(n, true)
	for {
		note, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("listen: %w", err)
		}
		v, err := strconv.ParseInt(note.Payload, 10, 64)
		if err != nil {
			return &fatalError{fmt.Errorf("notification %q on %s is not an auth epoch", note.Payload, note.Channel)}
		}
		fn(v, true)
	}
}
