package auth_test

import (
	"context"
	"testing"

	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// BenchmarkHashPassword measures the production argon2id cost.
func BenchmarkHashPassword(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := auth.HashPassword("correct horse battery", auth.DefaultParams); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuthenticate measures the per-request session check.
func BenchmarkAuthenticate(b *testing.B) {
	ctx := context.Background()
	s := &auth.Service{Store: &auth.MemStore{}, Params: cheap}
	if _, err := s.AddUser(ctx, "alice", "correct horse", hotgrid.RoleViewer, ""); err != nil {
		b.Fatal(err)
	}
	_, sec, err := s.Login(ctx, "alice", "correct horse", "")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Authenticate(ctx, sec); err != nil {
			b.Fatal(err)
		}
	}
}
