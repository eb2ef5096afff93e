package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/server"
	store "github.com/hotgrid/hotgrid/internal/store/open"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
)

// DemoPassword is the password of the demo accounts made when serve runs on
// the embedded demo data (no --db).
const DemoPassword = "hotgrid-demo"

// authStore keeps accounts, plans and the audit trail.
type authStore interface {
	hotgrid.AccountStore
	hotgrid.PlanStore
	hotgrid.AuditStore
	Close() error
}

// authOptions are serve's account flags.
type authOptions struct {
	Idle, Absolute time.Duration
	SecureCookies  bool
}

// serveAuth opens accounts, plans and the audit trail for serve: in the
// --db store when one is given, else in a private in-memory store seeded
// with the demo accounts (returned as a note for the login page).
func serveAuth(ctx context.Context, env *Env, dsn string, svc hotgrid.Service, o authOptions, log *slog.Logger) (*server.Auth, string, func(), error) {
	if dsn == "" {
		dsn = env.Getenv("HOTGRID_DB")
	}
	demo := dsn == ""
	var s authStore
	if demo {
		db, err := sqlite.Open(ctx, sqlite.MemoryPath)
		if err != nil {
			return nil, "", nil, fmt.Errorf("demo accounts: %w", err)
		}
		s = db
	} else {
		os, err := store.Open(ctx, dsn)
		if err != nil {
			return nil, "", nil, err
		}
		as, ok := os.(authStore)
		if !ok {
			os.Close()
			return nil, "", nil, fmt.Errorf("store %T keeps no accounts, plans or audit trail", os)
		}
		s = as
	}
	a := &server.Auth{
		Accounts:      &auth.Service{Store: s, Idle: o.Idle, Absolute: o.Absolute},
		Audit:         &audit.Logger{Store: s},
		Plans:         &plan.Service{Store: s, Bands: svc.Bands()},
		SecureCookies: o.SecureCookies,
	}
	// PostgreSQL announces account changes (LISTEN/NOTIFY): follow them so
	// cached sessions need no database read per request
	watchCtx, stopWatch := context.WithCancel(ctx)
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		if err := a.Accounts.Watch(watchCtx); err != nil {
			log.Error("account change announcements lost: sessions are checked against the store on every request", "err", err)
		}
	}()
	closeAll := func() {
		stopWatch()
		<-watched
		// commit the views still queued before the store closes
		if err := a.Audit.Close(); err != nil {
			log.Error("audit trail: records lost at shutdown", "err", err)
		}
		s.Close()
	}
	note := ""
	if demo {
		var err error
		if note, err = seedDemo(ctx, a.Accounts, svc); err != nil {
			closeAll()
			return nil, "", nil, err
		}
		log.Warn("demo mode: accounts are in memory and vanish on exit", "accounts", note)
	} else if us, err := s.Users(ctx); err == nil && len(us) == 0 {
		log.Warn("no accounts yet: nobody can sign in; add one with `hotgrid user add --db ... --role admin NAME`")
	}
	return a, note, closeAll, nil
}

// seedDemo makes the documented demo accounts, all with DemoPassword:
// demo (viewer, all units), planner (planner of the first unit), chair
// (board chair) and admin.
func seedDemo(ctx context.Context, acc *auth.Service, svc hotgrid.Service) (string, error) {
	unit := ""
	if us := svc.Units(); len(us) > 0 {
		unit = us[0].Code
	}
	for _, u := range []struct {
		name string
		role hotgrid.Role
		unit string
	}{{"demo", hotgrid.RoleViewer, ""}, {"planner", hotgrid.RolePlanner, unit}, {"chair", hotgrid.RoleChair, ""}, {"admin", hotgrid.RoleAdmin, ""}} {
		if _, err := acc.AddUser(ctx, u.name, DemoPassword, u.role, u.unit); err != nil {
			return "", fmt.Errorf("demo account %s: %w", u.name, err)
		}
	}
	return fmt.Sprintf("Demo accounts, password %q: demo (viewer), planner (planner, unit %s), chair (board chair), admin.", DemoPassword, unit), nil
}
