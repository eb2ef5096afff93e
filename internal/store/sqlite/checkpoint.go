package sqlite

import (
	"context"
	"database/sql"
)

// checkpointer copies committed ingest pages from the write-ahead log into
// the database on a connection of its own, while ingest goes on: the
// ingest connection does not checkpoint (wal_autocheckpoint = 0), so a
// commit never waits for the copy, and little is left to copy when the
// store closes.
type checkpointer struct {
	kick chan struct{} // a commit happened; buffered, so kicks coalesce
	done chan struct{}
}

// startCheckpointer starts the checkpointing goroutine on conn.
func startCheckpointer(conn *sql.Conn) *checkpointer {
	c := &checkpointer{kick: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		defer conn.Close()
		for range c.kick {
			// PASSIVE: copy what no reader still needs, never wait for
			// locks. A failure loses nothing: the pages stay in the log,
			// and the next checkpoint (or closing the store) copies them.
			conn.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}()
	return c
}

// committed asks for a checkpoint unless one is already asked for.
func (c *checkpointer) committed() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// stop waits for the running checkpoint and ends the goroutine.
func (c *checkpointer) stop() {
	close(c.kick)
	<-c.done
}
