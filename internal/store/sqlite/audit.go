package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// migrateAudit adds the audit trail. Triggers refuse updates and deletes,
// so the application cannot alter it; someone with write access to the file
// still can, which the hash chain (audit.Verify) detects.
const migrateAudit = `CREATE TABLE audit (
	seq       INTEGER PRIMARY KEY,
	time      TEXT    NOT NULL,
	user      TEXT    NOT NULL,
	action    TEXT    NOT NULL,
	objects   TEXT    NOT NULL,
	recipient TEXT    NOT NULL DEFAULT '',
	outcome   TEXT    NOT NULL,
	detail    TEXT    NOT NULL DEFAULT '',
	prev      TEXT    NOT NULL,
	hash      TEXT    NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;`

var _ hotgrid.AuditStore = (*DB)(nil)

const auditCols = `seq, time, user, action, objects, recipient, outcome, detail, prev, hash`

func scanAudit(r rowScanner) (*hotgrid.AuditRecord, error) {
	var a hotgrid.AuditRecord
	var t, objs string
	if err := r.Scan(&a.Seq, &t, &a.User, &a.Action, &objs, &a.Recipient, &a.Outcome, &a.Detail, &a.Prev, &a.Hash); err != nil {
		return nil, err
	}
	var err error
	if a.Time, err = parseTextTime(t); err != nil {
		return nil, fmt.Errorf("audit %d: %w", a.Seq, err)
	}
	if err := json.Unmarshal([]byte(objs), &a.Objects); err != nil {
		return nil, fmt.Errorf("audit %d: objects: %w", a.Seq, err)
	}
	return &a, nil
}

// LastAudit implements hotgrid.AuditStore.
func (d *DB) LastAudit(ctx context.Context) (*hotgrid.AuditRecord, error) {
	a, err := scanAudit(d.db.QueryRowContext(ctx, `SELECT `+auditCols+` FROM audit ORDER BY seq DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("last audit record: %w", err)
	}
	return a, nil
}

// InsertAudit implements hotgrid.AuditStore.
func (d *DB) InsertAudit(ctx context.Context, a *hotgrid.AuditRecord) error {
	objs := a.Objects
	if objs == nil {
		objs = []string{}
	}
	b, err := json.Marshal(objs)
	if err != nil {
		return fmt.Errorf("encode objects: %w", err)
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO audit (`+auditCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.Seq, textTime(a.Time), a.User, a.Action, string(b), a.Recipient, a.Outcome, a.Detail, a.Prev, a.Hash)
	if isUnique(err) {
		return hotgrid.Errorf(hotgrid.ECONFLICT, "audit record %d exists", a.Seq)
	} else if err != nil {
		return fmt.Errorf("insert audit record: %w", err)
	}
	return nil
}

// auditBatchMax is the most records one INSERT statement carries.
const auditBatchMax = 32

// auditInsertSQL is the INSERT of n records.
func auditInsertSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO audit (` + auditCols + `) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	}
	return b.String()
}

// InsertAuditBatch appends records all or none, in one durable commit
// (audit.Batcher), so concurrent requests share it. Up to auditBatchMax
// records go in one prepared multi-row INSERT, which SQLite commits on its
// own (one statement is one transaction); more take a transaction of
// several.
func (d *DB) InsertAuditBatch(ctx context.Context, rs []*hotgrid.AuditRecord) error {
	// prepared before any transaction: an in-memory database refuses the
	// schema read on another connection while a write is open
	full, err := d.req.getN(ctx, d.db, min(len(rs), auditBatchMax))
	if err != nil {
		return fmt.Errorf("insert audit records: %w", err)
	}
	if len(rs) <= auditBatchMax {
		return insertAuditRows(ctx, full, rs)
	}
	last, err := d.req.getN(ctx, d.db, max(len(rs)%auditBatchMax, 1))
	if err != nil {
		return fmt.Errorf("insert audit records: %w", err)
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("insert audit records: %w", err)
	}
	defer tx.Rollback()
	for len(rs) > 0 {
		n, st := auditBatchMax, full
		if len(rs) < auditBatchMax {
			n, st = len(rs), last
		}
		if err := insertAuditRows(ctx, tx.StmtContext(ctx, st), rs[:n]); err != nil {
			return err
		}
		rs = rs[n:]
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("insert audit records: %w", err)
	}
	return nil
}

// insertAuditRows runs the INSERT of len(rs) records.
func insertAuditRows(ctx context.Context, st *sql.Stmt, rs []*hotgrid.AuditRecord) error {
	args := make([]any, 0, 10*len(rs))
	var objs []byte
	for _, a := range rs {
		objs = audit.AppendJSONStrings(objs[:0], a.Objects)
		args = append(args, a.Seq, textTime(a.Time), a.User, a.Action, string(objs), a.Recipient, a.Outcome, a.Detail, a.Prev, a.Hash)
	}
	_, err := st.ExecContext(ctx, args...)
	if isUnique(err) {
		return hotgrid.Errorf(hotgrid.ECONFLICT, "audit record %d exists", rs[0].Seq)
	} else if err != nil {
		return fmt.Errorf("insert audit records %d-%d: %w", rs[0].Seq, rs[len(rs)-1].Seq, err)
	}
	return nil
}

// ScanAudit implements hotgrid.AuditStore.
func (d *DB) ScanAudit(ctx context.Context, fn func(*hotgrid.AuditRecord) error) error {
	rows, err := d.db.QueryContext(ctx, `SELECT `+auditCols+` FROM audit ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("scan audit: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAudit(rows)
		if err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
}
