// Package authtest is a conformance suite for hotgrid.AccountStore
// implementations.
package authtest

import (
	"context"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Run runs the suite; open returns an empty store.
func Run(t *testing.T, open func(t *testing.T) hotgrid.AccountStore) {
	t.Run("Users", func(t *testing.T) { testUsers(t, open(t)) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, open(t)) })
	t.Run("Tokens", func(t *testing.T) { testTokens(t, open(t)) })
}

var t0 = time.Date(2017, 6, 1, 8, 0, 0, 0, time.UTC)

func testUsers(t *testing.T, s hotgrid.AccountStore) {
	ctx := context.Background()
	a := &hotgrid.User{Name: "alice", Role: hotgrid.RolePlanner, Unit: "B1", PasswordHash: "h1", CreatedAt: t0, UpdatedAt: t0}
	if err := s.CreateUser(ctx, a); err != nil || a.ID == 0 {
		t.Fatalf("create: id %d, %v", a.ID, err)
	}
	b := &hotgrid.User{Name: "bob", Role: hotgrid.RoleViewer, PasswordHash: "h2", CreatedAt: t0, UpdatedAt: t0}
	if err := s.CreateUser(ctx, b); err != nil || b.ID == a.ID {
		t.Fatalf("create bob: %v", err)
	}
	if err := s.CreateUser(ctx, &hotgrid.User{Name: "alice", Role: hotgrid.RoleViewer}); hotgrid.ErrorCode(err) != hotgrid.ECONFLICT {
		t.Errorf("duplicate name: err = %v, want conflict", err)
	}
	got, err := s.UserByName(ctx, "alice")
	if err != nil || got.ID != a.ID || got.Role != hotgrid.RolePlanner || got.Unit != "B1" || got.PasswordHash != "h1" || !got.CreatedAt.Equal(t0) {
		t.Fatalf("by name = %+v, %v", got, err)
	}
	got.Disabled, got.PasswordHash, got.Role = true, "h3", hotgrid.RoleChair
	if err := s.UpdateUser(ctx, got); err != nil {
		t.Fatal(err)
	}
	got, err = s.UserByID(ctx, a.ID)
	if err != nil || !got.Disabled || got.PasswordHash != "h3" || got.Role != hotgrid.RoleChair {
		t.Fatalf("after update = %+v, %v", got, err)
	}
	if _, err := s.UserByID(ctx, 999); hotgrid.ErrorCode(err) != hotgrid.ENOTFOUND {
		t.Errorf("missing id: %v", err)
	}
	if _, err := s.UserByName(ctx, "carol"); hotgrid.ErrorCode(err) != hotgrid.ENOTFOUND {
		t.Errorf("missing name: %v", err)
	}
	us, err := s.Users(ctx)
	if err != nil || len(us) != 2 || us[0].Name != "alice" || us[1].Name != "bob" {
		t.Fatalf("users = %v, %v", us, err)
	}
}

func testSessions(t *testing.T, s hotgrid.AccountStore) {
	ctx := context.Background()
	u := &hotgrid.User{Name: "alice", Role: hotgrid.RoleViewer}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"s1", "s2"} {
		if err := s.CreateSession(ctx, &hotgrid.Session{ID: id, UserID: u.ID, CSRF: "c-" + id, CreatedAt: t0, LastSeen: t0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.TouchSession(ctx, "s1", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Session(ctx, "s1")
	if err != nil || got.UserID != u.ID || got.CSRF != "c-s1" || !got.LastSeen.Equal(t0.Add(time.Minute)) || !got.CreatedAt.Equal(t0) {
		t.Fatalf("session = %+v, %v", got, err)
	}
	if err := s.DeleteSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, "s1"); hotgrid.ErrorCode(err) != hotgrid.ENOTFOUND {
		t.Errorf("deleted session: %v", err)
	}
	if err := s.DeleteSession(ctx, "nope"); err != nil {
		t.Errorf("delete unknown: %v", err)
	}
	if err := s.DeleteUserSessions(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, "s2"); hotgrid.ErrorCode(err) != hotgrid.ENOTFOUND {
		t.Errorf("user sessions not deleted: %v", err)
	}
}

func testTokens(t *testing.T, s hotgrid.AccountStore) {
	ctx := context.Background()
	u := &hotgrid.User{Name: "gis", Role: hotgrid.RoleViewer}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateToken(ctx, &hotgrid.APIToken{ID: "t1", UserID: u.ID, Name: "qgis", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Token(ctx, "t1")
	if err != nil || got.UserID != u.ID || got.Name != "qgis" || !got.CreatedAt.Equal(t0) {
		t.Fatalf("token = %+v, %v", got, err)
	}
	if _, err := s.Token(ctx, "t2"); hotgrid.ErrorCode(err) != hotgrid.ENOTFOUND {
		t.Errorf("missing token: %v", err)
	}
}
