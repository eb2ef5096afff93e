package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/audit/audittest"
	"github.com/hotgrid/hotgrid/internal/auth/authtest"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan/plantest"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
)

func openFile(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestPlanStore(t *testing.T) {
	plantest.Run(t, func(t *testing.T) hotgrid.PlanStore { return openFile(t) })
}

func TestAccountStore(t *testing.T) {
	authtest.Run(t, func(t *testing.T) hotgrid.AccountStore { return openFile(t) })
}

// sqlTamper edits the audit table directly, as someone with write access
// to the database file would: dropping the append-only triggers first.
type sqlTamper struct{ db *sqlite.DB }

func (s sqlTamper) exec(q string, args ...any) error {
	ctx := context.Background()
	for _, drop := range []string{`DROP TRIGGER IF EXISTS audit_no_update`, `DROP TRIGGER IF EXISTS audit_no_delete`} {
		if _, err := s.db.SQL().ExecContext(ctx, drop); err != nil {
			return err
		}
	}
	_, err := s.db.SQL().ExecContext(ctx, q, args...)
	return err
}

func (s sqlTamper) SetDetail(seq int64, d string) error {
	return s.exec(`UPDATE audit SET detail = ? WHERE seq = ?`, d, seq)
}

func (s sqlTamper) Delete(seq int64) error { return s.exec(`DELETE FROM audit WHERE seq = ?`, seq) }

func TestAuditStore(t *testing.T) {
	audittest.Run(t, func(t *testing.T) (hotgrid.AuditStore, audittest.Tamperer) {
		db := openFile(t)
		return db, sqlTamper{db}
	})
}

// TestAuditAppendOnly checks the triggers refuse changes made through SQL.
func TestAuditAppendOnly(t *testing.T) {
	ctx := context.Background()
	db := openFile(t)
	l := &audit.Logger{Store: db}
	if _, err := l.Record(ctx, audit.Entry{User: "u", Action: audit.ActionLogin}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, `UPDATE audit SET user = 'x'`); err == nil {
		t.Error("update of the audit trail allowed")
	}
	if _, err := db.SQL().ExecContext(ctx, `DELETE FROM audit`); err == nil {
		t.Error("delete from the audit trail allowed")
	}
}

// BenchmarkAuditRecordFile measures one audit record appended to a SQLite
// file (one durable transaction each).
func BenchmarkAuditRecordFile(b *testing.B) {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "h.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	l := &audit.Logger{Store: db}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Record(context.Background(), audit.Entry{User: "u", Action: audit.ActionView, Objects: []string{"GET /api/v1/hotgrids?unit=B1"}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuditRecordFileParallel measures audit records from concurrent
// requests, which the Logger commits in groups.
func BenchmarkAuditRecordFileParallel(b *testing.B) {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "h.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	l := &audit.Logger{Store: db}
	b.ReportAllocs()
	b.SetParallelism(25) // 50 goroutines on 2 cores, like 50 connections
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := l.Record(context.Background(), audit.Entry{User: "u", Action: audit.ActionView, Objects: []string{"GET /api/v1/hotgrids?unit=B1"}}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
