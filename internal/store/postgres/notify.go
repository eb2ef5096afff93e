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
	return db.watchCounter(ctx, counter{NotifyChannel, `SELECT value FROM meta WHERE key = 'data_version'`, "data version"},
		func(v int64, listening bool) {
			if listening {
				fn(v)
			}
		})
}

// counter is a database counter that a NOTIFY channel announces: the
// data version and the auth epoch.
type counter struct {
	channel string // NOTIFY channel carrying the new value as its payload
	query   string // reads the current value
	name    string // for errors
}

// watchCounter LISTENs for c on its own connection: fn(value, true) once
// listening, then for every announced value; fn(0, false) as soon as the
// connection fails, then it reconnects (backing off up to 10 s) and
// reports the current value again, so no change is missed. It returns nil
// when ctx ends.
func (db *DB) watchCounter(ctx context.Context, c counter, fn func(v int64, listening bool)) error {
	wait := 100 * time.Millisecond
	for {
		err := db.listen(ctx, c, fn)
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

// fatalError is an error from fn's caller that ends the watch.
type fatalError struct{ err error }

func (e *fatalError) Error() string { return e.err.Error() }

// listen runs one LISTEN session until its connection fails or ctx ends.
// The value is read after LISTEN, so a change committed in between is both
// read and announced, never neither.
func (db *DB) listen(ctx context.Context, c counter, fn func(int64, bool)) error {
	conn, err := pgx.ConnectConfig(ctx, db.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{c.channel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	var v int64
	if err := conn.QueryRow(ctx, c.query).Scan(&v); err != nil {
		return fmt.Errorf("listen: %s: %w", c.name, err)
	}
	fn(v, true)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("listen: %w", err)
		}
		v, err := strconv.ParseInt(n.Payload, 10, 64)
		if err != nil {
			return &fatalError{fmt.Errorf("notification %q on %s is not a %s", n.Payload, n.Channel, c.name)}
		}
		fn(v, true)
	}
}
