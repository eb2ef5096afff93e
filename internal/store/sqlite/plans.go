package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// migratePlans adds plans, unit capacities and patrol logs. Plan areas are
// kept as JSON: they are read and written whole, and the version column
// makes every write a compare-and-swap.
const migratePlans = `CREATE TABLE plans (
	id         INTEGER PRIMARY KEY,
	unit       TEXT    NOT NULL,
	from_date  TEXT    NOT NULL,
	to_date    TEXT    NOT NULL,
	state      TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	supersedes INTEGER NOT NULL DEFAULT 0,
	note       TEXT    NOT NULL DEFAULT '',
	areas      TEXT    NOT NULL,
	created_by TEXT    NOT NULL,
	updated_by TEXT    NOT NULL,
	agreed_by  TEXT    NOT NULL DEFAULT '',
	created_at TEXT    NOT NULL,
	updated_at TEXT    NOT NULL,
	agreed_at  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX plans_unit ON plans(unit, from_date);
CREATE TABLE capacity (
	unit    TEXT    NOT NULL,
	band    TEXT    NOT NULL,
	minutes INTEGER NOT NULL,
	PRIMARY KEY (unit, band)
);
CREATE TABLE patrols (
	id         INTEGER PRIMARY KEY,
	unit       TEXT    NOT NULL,
	plan_id    INTEGER NOT NULL,
	area       TEXT    NOT NULL,
	cell       TEXT    NOT NULL DEFAULT '',
	start      TEXT    NOT NULL,
	minutes    INTEGER NOT NULL,
	source     TEXT    NOT NULL,
	ref        TEXT    NOT NULL DEFAULT '',
	created_by TEXT    NOT NULL,
	created_at TEXT    NOT NULL
);
CREATE INDEX patrols_plan ON patrols(plan_id, start);
CREATE INDEX patrols_unit ON patrols(unit, start);`

// textLayout stores times as fixed-width UTC text: exact to the nanosecond
// and ordered as text.
const textLayout = "2006-01-02T15:04:05.000000000Z"

func textTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(textLayout)
}

func parseTextTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(textLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

var _ hotgrid.PlanStore = (*DB)(nil)

// CreatePlan implements hotgrid.PlanStore.
func (d *DB) CreatePlan(ctx context.Context, p *hotgrid.Plan) error {
	areas, err := json.Marshal(p.Areas)
	if err != nil {
		return fmt.Errorf("encode areas: %w", err)
	}
	res, err := d.db.ExecContext(ctx, `INSERT INTO plans (unit, from_date, to_date, state, version, supersedes, note, areas,
		created_by, updated_by, agreed_by, created_at, updated_at, agreed_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Unit, textTime(p.From), textTime(p.To), p.State, p.Supersedes, p.Note, areas,
		p.CreatedBy, p.UpdatedBy, p.AgreedBy, textTime(p.CreatedAt), textTime(p.UpdatedAt), textTime(p.AgreedAt))
	if err != nil {
		return fmt.Errorf("insert plan: %w", err)
	}
	if p.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("insert plan: %w", err)
	}
	p.Version = 1
	return nil
}

// UpdatePlan implements hotgrid.PlanStore: one UPDATE guarded by the
// version, so concurrent writers cannot overwrite each other.
func (d *DB) UpdatePlan(ctx context.Context, p *hotgrid.Plan) error {
	areas, err := json.Marshal(p.Areas)
	if err != nil {
		return fmt.Errorf("encode areas: %w", err)
	}
	res, err := d.db.ExecContext(ctx, `UPDATE plans SET from_date = ?, to_date = ?, state = ?, version = version + 1,
		supersedes = ?, note = ?, areas = ?, updated_by = ?, agreed_by = ?, updated_at = ?, agreed_at = ?
		WHERE id = ? AND version = ?`,
		textTime(p.From), textTime(p.To), p.State, p.Supersedes, p.Note, areas, p.UpdatedBy, p.AgreedBy,
		textTime(p.UpdatedAt), textTime(p.AgreedAt), p.ID, p.Version)
	if err != nil {
		return fmt.Errorf("update plan %d: %w", p.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update plan %d: %w", p.ID, err)
	} else if n == 1 {
		p.Version++
		return nil
	}
	var v int
	err = d.db.QueryRowContext(ctx, `SELECT version FROM plans WHERE id = ?`, p.ID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return hotgrid.Errorf(hotgrid.ENOTFOUND, "no plan %d", p.ID)
	} else if err != nil {
		return fmt.Errorf("update plan %d: %w", p.ID, err)
	}
	return hotgrid.Errorf(hotgrid.ECONFLICT, "plan %d is at version %d, not %d", p.ID, v, p.Version)
}

const planCols = `id, unit, from_date, to_date, state, version, supersedes, note, areas,
	created_by, updated_by, agreed_by, created_at, updated_at, agreed_at`

type rowScanner interface{ Scan(dest ...any) error }

func scanPlan(r rowScanner) (*hotgrid.Plan, error) {
	var p hotgrid.Plan
	var from, to, created, updated, agreed, areas string
	if err := r.Scan(&p.ID, &p.Unit, &from, &to, &p.State, &p.Version, &p.Supersedes, &p.Note, &areas,
		&p.CreatedBy, &p.UpdatedBy, &p.AgreedBy, &created, &updated, &agreed); err != nil {
		return nil, err
	}
	var err error
	for _, f := range []struct {
		s string
		t *time.Time
	}{{from, &p.From}, {to, &p.To}, {created, &p.CreatedAt}, {updated, &p.UpdatedAt}, {agreed, &p.AgreedAt}} {
		if *f.t, err = parseTextTime(f.s); err != nil {
			return nil, fmt.Errorf("plan %d: %w", p.ID, err)
		}
	}
	if err := json.Unmarshal([]byte(areas), &p.Areas); err != nil {
		return nil, fmt.Errorf("plan %d: areas: %w", p.ID, err)
	}
	return &p, nil
}

// Plan implements hotgrid.PlanStore.
func (d *DB) Plan(ctx context.Context, id int64) (*hotgrid.Plan, error) {
	p, err := scanPlan(d.db.QueryRowContext(ctx, `SELECT `+planCols+` FROM plans WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no plan %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("plan %d: %w", id, err)
	}
	return p, nil
}

// Plans implements hotgrid.PlanStore.
func (d *DB) Plans(ctx context.Context, f hotgrid.PlanFilter) ([]*hotgrid.Plan, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+planCols+` FROM plans
		WHERE (? = '' OR unit = ?) AND (? = '' OR state = ?) ORDER BY from_date DESC, id DESC`,
		f.Unit, f.Unit, f.State, f.State)
	if err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	defer rows.Close()
	out := []*hotgrid.Plan{}
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, fmt.Errorf("plans: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetCapacity implements hotgrid.PlanStore.
func (d *DB) SetCapacity(ctx context.Context, unit string, cs []hotgrid.Capacity) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set capacity: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM capacity WHERE unit = ?`, unit); err != nil {
		return fmt.Errorf("set capacity: %w", err)
	}
	for _, c := range cs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO capacity (unit, band, minutes) VALUES (?, ?, ?)`, unit, c.Band, c.Minutes); err != nil {
			return fmt.Errorf("set capacity %s/%s: %w", unit, c.Band, err)
		}
	}
	return tx.Commit()
}

// Capacity implements hotgrid.PlanStore.
func (d *DB) Capacity(ctx context.Context, unit string) ([]hotgrid.Capacity, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT unit, band, minutes FROM capacity WHERE unit = ? ORDER BY band`, unit)
	if err != nil {
		return nil, fmt.Errorf("capacity: %w", err)
	}
	defer rows.Close()
	out := []hotgrid.Capacity{}
	for rows.Next() {
		var c hotgrid.Capacity
		if err := rows.Scan(&c.Unit, &c.Band, &c.Minutes); err != nil {
			return nil, fmt.Errorf("capacity: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddPatrols implements hotgrid.PlanStore.
func (d *DB) AddPatrols(ctx context.Context, logs []hotgrid.PatrolLog) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add patrols: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO patrols (unit, plan_id, area, cell, start, minutes, source, ref, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("add patrols: %w", err)
	}
	defer stmt.Close()
	ids := make([]int64, len(logs))
	for i, l := range logs {
		res, err := stmt.ExecContext(ctx, l.Unit, l.PlanID, l.Area, l.Cell, textTime(l.Start), l.Minutes, l.Source, l.Ref, l.CreatedBy, textTime(l.CreatedAt))
		if err != nil {
			return fmt.Errorf("add patrol %d: %w", i+1, err)
		}
		if ids[i], err = res.LastInsertId(); err != nil {
			return fmt.Errorf("add patrol %d: %w", i+1, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add patrols: %w", err)
	}
	for i := range logs {
		logs[i].ID = ids[i]
	}
	return nil
}

// Patrols implements hotgrid.PlanStore.
func (d *DB) Patrols(ctx context.Context, f hotgrid.PatrolFilter) ([]hotgrid.PatrolLog, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, unit, plan_id, area, cell, start, minutes, source, ref, created_by, created_at
		FROM patrols WHERE (? = '' OR unit = ?) AND (? = 0 OR plan_id = ?) AND (? = '' OR start >= ?) AND (? = '' OR start < ?)
		ORDER BY start, id`, f.Unit, f.Unit, f.PlanID, f.PlanID, textTime(f.From), textTime(f.From), textTime(f.To), textTime(f.To))
	if err != nil {
		return nil, fmt.Errorf("patrols: %w", err)
	}
	defer rows.Close()
	out := []hotgrid.PatrolLog{}
	for rows.Next() {
		var l hotgrid.PatrolLog
		var start, created string
		if err := rows.Scan(&l.ID, &l.Unit, &l.PlanID, &l.Area, &l.Cell, &start, &l.Minutes, &l.Source, &l.Ref, &l.CreatedBy, &created); err != nil {
			return nil, fmt.Errorf("patrols: %w", err)
		}
		if l.Start, err = parseTextTime(start); err != nil {
			return nil, err
		}
		if l.CreatedAt, err = parseTextTime(created); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
