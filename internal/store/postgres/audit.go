package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

var (
	_ hotgrid.AuditStore = (*DB)(nil)
	_ audit.Batcher      = (*DB)(nil)
)

const auditCols = "seq, time_ns, actor, action, objects, recipient, outcome, detail, prev, hash"

// LastAudit returns the newest record, or nil when the trail is empty.
func (db *DB) LastAudit(ctx context.Context) (*hotgrid.AuditRecord, error) {
	var last *hotgrid.AuditRecord
	err := db.scanAudit(ctx, " ORDER BY seq DESC LIMIT 1", func(r *hotgrid.AuditRecord) error {
		c := *r
		last = &c
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("last audit record: %w", err)
	}
	return last, nil
}

// InsertAudit appends a record; ECONFLICT when its Seq is taken (another
// writer, perhaps another server, got there first) so the caller can chain
// again. The primary key on seq makes this hold across processes.
func (db *DB) InsertAudit(ctx context.Context, r *hotgrid.AuditRecord) error {
	return insertAudit(ctx, db.pool, r)
}

// auditBatchMax is the most records one INSERT statement carries.
const auditBatchMax = 32

// InsertAuditBatch appends records all or none, in one commit
// (audit.Batcher), so concurrent requests share it; ECONFLICT when a Seq is
// taken. Up to auditBatchMax records are one multi-row INSERT, a
// transaction of its own and one round trip; more take a transaction of
// several.
func (db *DB) InsertAuditBatch(ctx context.Context, rs []*hotgrid.AuditRecord) error {
	if len(rs) <= auditBatchMax {
		return insertAuditRows(ctx, db.pool, rs)
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for i := 0; i < len(rs); i += auditBatchMax {
			if err := insertAuditRows(ctx, tx, rs[i:min(i+auditBatchMax, len(rs))]); err != nil {
				return err
			}
		}
		return nil
	})
}

// insertAuditRows inserts records with one statement.
func insertAuditRows(ctx context.Context, db execer, rs []*hotgrid.AuditRecord) error {
	var q strings.Builder
	q.WriteString(`INSERT INTO audit (` + auditCols + `, at) VALUES `)
	args := make([]any, 0, 11*len(rs))
	for i, r := range rs {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteByte('(')
		for j := range 11 {
			if j > 0 {
				q.WriteByte(',')
			}
			q.WriteByte('$')
			q.WriteString(strconv.Itoa(11*i + j + 1))
		}
		q.WriteByte(')')
		objs := r.Objects
		if objs == nil {
			objs = []string{}
		}
		args = append(args, r.Seq, r.Time.UnixNano(), r.User, r.Action, objs, r.Recipient, r.Outcome, r.Detail, r.Prev, r.Hash, r.Time)
	}
	_, err := db.Exec(ctx, q.String(), args...)
	if isUniqueViolation(err) {
		return hotgrid.Errorf(hotgrid.ECONFLICT, "audit record %d exists", rs[0].Seq)
	} else if err != nil {
		return fmt.Errorf("insert audit records %d-%d: %w", rs[0].Seq, rs[len(rs)-1].Seq, err)
	}
	return nil
}

// execer is a pool or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func insertAudit(ctx context.Context, db execer, r *hotgrid.AuditRecord) error {
	objs := r.Objects
	if objs == nil {
		objs = []string{}
	}
	_, err := db.Exec(ctx, `INSERT INTO audit (`+auditCols+`, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		r.Seq, r.Time.UnixNano(), r.User, r.Action, objs, r.Recipient, r.Outcome, r.Detail, r.Prev, r.Hash, r.Time)
	if isUniqueViolation(err) {
		return hotgrid.Errorf(hotgrid.ECONFLICT, "audit record %d exists", r.Seq)
	} else if err != nil {
		return fmt.Errorf("insert audit record %d: %w", r.Seq, err)
	}
	return nil
}

// ScanAudit calls fn for every record in Seq order, times in UTC at the
// nanosecond they were hashed with.
func (db *DB) ScanAudit(ctx context.Context, fn func(*hotgrid.AuditRecord) error) error {
	if err := db.scanAudit(ctx, " ORDER BY seq", fn); err != nil {
		return fmt.Errorf("scan audit: %w", err)
	}
	return nil
}

func (db *DB) scanAudit(ctx context.Context, tail string, fn func(*hotgrid.AuditRecord) error) error {
	rows, err := db.pool.Query(ctx, "SELECT "+auditCols+" FROM audit"+tail)
	if err != nil {
		return err
	}
	var r hotgrid.AuditRecord
	var ns int64
	_, err = pgx.ForEachRow(rows, []any{&r.Seq, &ns, &r.User, &r.Action, &r.Objects, &r.Recipient, &r.Outcome,
		&r.Detail, &r.Prev, &r.Hash}, func() error {
		r.Time = time.Unix(0, ns).UTC()
		err := fn(&r)
		r.Objects = nil // a fresh slice per record: fn may keep this one
		return err
	})
	return err
}
