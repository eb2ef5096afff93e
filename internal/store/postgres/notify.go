package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

var _ hotgrid.DataWatcher = (*DB)(nil)

// WatchDataVersion implements hotgrid.DataWatcher with LISTEN/NOTIFY on its
// own connection. It calls fn with the current version once it listens,
// then with each version announced by an ingest in any process, until ctx
// ends (it then returns nil). A lost connection is reopened and fn called
// again with the current version, so no change is missed.
func (db *DB) WatchDataVersion(ctx context.Context, fn func(version int64)) error {
	wait := 100 * time.Millisecond
	for {
		err := db.listen(ctx, fn)
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

// fatalError is an error from fn's caller that ends the watch.
type fatalError struct{ err error }

func (e *fatalError) Error() string { return e.err.Error() }

// listen runs one LISTEN session until its connection fails or ctx ends.
func (db *DB) listen(ctx context.Context, fn func(int64)) error {
	conn, err := pgx.ConnectConfig(ctx, db.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{NotifyChannel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	var v int64
	if err := conn.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'data_version'`).Scan(&v); err != nil {
		return fmt.Errorf("listen: data version: %w", err)
	}
	fn(v)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("listen: %w", err)
		}
		v, err := strconv.ParseInt(n.Payload, 10, 64)
		if err != nil {
			return &fatalError{fmt.Errorf("notification %q on %s is not a data version", n.Payload, n.Channel)}
		}
		fn(v)
	}
}
