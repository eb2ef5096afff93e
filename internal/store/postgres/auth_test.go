package postgres_test

import (
	"context"
	"testing"

	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/auth/authtest"
	"github.com/hotgrid/hotgrid/internal/store/pgtest"
	"github.com/hotgrid/hotgrid/internal/store/postgres"
)

// TestAuthCrossProcess: two handles on one database, as two servers (or a
// server and `hotgrid user disable`) have. A change through one ends the
// other's cached access: announced by NOTIFY to a watching Service, or
// read per request by one that does not watch.
func TestAuthCrossProcess(t *testing.T) {
	c := pgtest.Start(t)
	open := func(t *testing.T) (*postgres.DB, *postgres.DB) {
		dsn := c.NewDatabase(t)
		var dbs [2]*postgres.DB
		for i := range dbs {
			db, err := postgres.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			dbs[i] = db
		}
		return dbs[0], dbs[1]
	}
	t.Run("notify", func(t *testing.T) {
		authtest.RunCrossProcess(t, func(t *testing.T) (auth.EpochStore, auth.EpochStore) {
			a, b := open(t)
			return a, b
		})
	})
	t.Run("read", func(t *testing.T) {
		authtest.RunCrossProcess(t, func(t *testing.T) (auth.EpochStore, auth.EpochStore) {
			a, b := open(t)
			return readEpoch{a}, b
		})
	})
}

// readEpoch hides WatchAuthEpoch: the Service reads the epoch per request.
type readEpoch struct{ *postgres.DB }

func (r readEpoch) AuthEpoch(ctx context.Context) (int64, error) { return r.DB.AuthEpoch(ctx) }
