package postgres

import (
	"context"
	"fmt"
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
// and reports the current epoch again, so no change is missed. It returns
// nil when ctx ends.
func (db *DB) WatchAuthEpoch(ctx context.Context, fn func(epoch int64, listening bool)) error {
	return db.watchCounter(ctx, counter{AuthChannel, `SELECT n FROM auth_epoch WHERE id = 1`, "auth epoch"}, fn)
}
