package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

var _ hotgrid.PlanStore = (*DB)(nil)

// planCols are the columns of a plan row, in scan order.
const planCols = "id, unit, period_from, period_to, state, version, supersedes, note, areas, " +
	"created_by, updated_by, agreed_by, created_at, updated_at, agreed_at"

// CreatePlan stores a new plan, setting its ID and Version 1.
func (db *DB) CreatePlan(ctx context.Context, p *hotgrid.Plan) error {
	areas, cells, err := planAreas(p)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO plans (unit, period_from, period_to, state, version, supersedes, note, areas,
			created_by, updated_by, agreed_by, created_at, updated_at, agreed_at)
			VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			p.Unit, p.From, p.To, string(p.State), nullID(p.Supersedes), p.Note, areas,
			p.CreatedBy, p.UpdatedBy, p.AgreedBy, p.CreatedAt, p.UpdatedAt, nullTime(p.AgreedAt)).Scan(&id)
		if err != nil {
			return fmt.Errorf("create plan: %w", err)
		}
		if err := savePlanCells(ctx, tx, id, cells); err != nil {
			return err
		}
		p.ID, p.Version = id, 1
		return nil
	})
}

// UpdatePlan replaces a stored plan if its stored version is p.Version
// (UPDATE ... WHERE id AND version, so it holds across processes), then sets
// p.Version to the new version; ECONFLICT when another edit got there
// first, ENOTFOUND when there is no such plan.
func (db *DB) UpdatePlan(ctx context.Context, p *hotgrid.Plan) error {
	areas, cells, err := planAreas(p)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE plans SET unit = $3, period_from = $4, period_to = $5, state = $6,
			version = version + 1, supersedes = $7, note = $8, areas = $9, updated_by = $10, agreed_by = $11,
			updated_at = $12, agreed_at = $13
			WHERE id = $1 AND version = $2`,
			p.ID, p.Version, p.Unit, p.From, p.To, string(p.State), nullID(p.Supersedes), p.Note, areas,
			p.UpdatedBy, p.AgreedBy, p.UpdatedAt, nullTime(p.AgreedAt))
		if err != nil {
			return fmt.Errorf("update plan %d: %w", p.ID, err)
		}
		if tag.RowsAffected() == 0 {
			var v int
			err := tx.QueryRow(ctx, "SELECT version FROM plans WHERE id = $1", p.ID).Scan(&v)
			if errors.Is(err, pgx.ErrNoRows) {
				return hotgrid.Errorf(hotgrid.ENOTFOUND, "no plan %d", p.ID)
			} else if err != nil {
				return fmt.Errorf("update plan %d: %w", p.ID, err)
			}
			return hotgrid.Errorf(hotgrid.ECONFLICT, "plan %d is at version %d, not %d", p.ID, v, p.Version)
		}
		if _, err := tx.Exec(ctx, "DELETE FROM plan_cells WHERE plan_id = $1", p.ID); err != nil {
			return fmt.Errorf("update plan %d: %w", p.ID, err)
		}
		if err := savePlanCells(ctx, tx, p.ID, cells); err != nil {
			return err
		}
		p.Version++
		return nil
	})
}

// planCell is one cell of a plan area.
type planCell struct {
	area string
	rank int
	cell uint64
}

// planAreas encodes a plan's areas and lists their cells; a cell that is
// not an H3 index is EINVALID.
func planAreas(p *hotgrid.Plan) ([]byte, []planCell, error) {
	areas := p.Areas
	if areas == nil {
		areas = []hotgrid.PlanArea{}
	}
	b, err := json.Marshal(areas)
	if err != nil {
		return nil, nil, fmt.Errorf("encode plan areas: %w", err)
	}
	var cells []planCell
	for i, a := range areas {
		for j, s := range a.Cells {
			c, err := geo.ParseCell(s)
			if err != nil {
				return nil, nil, hotgrid.FieldErrorf(fmt.Sprintf("areas[%d].cells[%d]", i, j), "%v", err)
			}
			cells = append(cells, planCell{area: a.ID, rank: a.Rank, cell: c})
		}
	}
	return b, cells, nil
}

// savePlanCells writes a plan's cells and the shapes of any cell that has
// none yet, so the GIS views can draw them.
func savePlanCells(ctx context.Context, tx pgx.Tx, id int64, cells []planCell) error {
	if len(cells) == 0 {
		return nil
	}
	areas, ranks, cs := make([]string, len(cells)), make([]int32, len(cells)), make([]int64, len(cells))
	for i, c := range cells {
		areas[i], ranks[i], cs[i] = c.area, int32(c.rank), int64(c.cell)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO plan_cells (plan_id, area, rank, cell)
		SELECT $1, a, r, c FROM unnest($2::text[], $3::int[], $4::bigint[]) AS t(a, r, c)
		ON CONFLICT DO NOTHING`, id, areas, ranks, cs); err != nil {
		return fmt.Errorf("plan %d cells: %w", id, err)
	}
	var missing []int64
	if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(DISTINCT c), '{}') FROM unnest($1::bigint[]) AS c
		WHERE NOT EXISTS (SELECT 1 FROM cell_shapes s WHERE s.cell = c)`, cs).Scan(&missing); err != nil {
		return fmt.Errorf("plan %d cells: %w", id, err)
	}
	if err := addShapes(ctx, tx, missing); err != nil {
		return fmt.Errorf("plan %d: %w", id, err)
	}
	return nil
}

// Plan returns one plan; ENOTFOUND when absent.
func (db *DB) Plan(ctx context.Context, id int64) (*hotgrid.Plan, error) {
	rows, err := db.pool.Query(ctx, "SELECT "+planCols+" FROM plans WHERE id = $1", id)
	if err != nil {
		return nil, fmt.Errorf("plan %d: %w", id, err)
	}
	ps, err := scanPlans(rows)
	if err != nil {
		return nil, fmt.Errorf("plan %d: %w", id, err)
	}
	if len(ps) == 0 {
		return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no plan %d", id)
	}
	return ps[0], nil
}

// Plans lists plans, newest period first, then newest first.
func (db *DB) Plans(ctx context.Context, f hotgrid.PlanFilter) ([]*hotgrid.Plan, error) {
	var where []string
	var args []any
	if f.Unit != "" {
		args = append(args, f.Unit)
		where = append(where, "unit = $"+strconv.Itoa(len(args)))
	}
	if f.State != "" {
		args = append(args, string(f.State))
		where = append(where, "state = $"+strconv.Itoa(len(args)))
	}
	q := "SELECT " + planCols + " FROM plans"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := db.pool.Query(ctx, q+" ORDER BY period_from DESC, id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	ps, err := scanPlans(rows)
	if err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	return ps, nil
}

func scanPlans(rows pgx.Rows) ([]*hotgrid.Plan, error) {
	out := []*hotgrid.Plan{}
	defer rows.Close()
	for rows.Next() {
		p := &hotgrid.Plan{}
		var state string
		var supersedes *int64
		var areas []byte
		var agreedAt *time.Time
		if err := rows.Scan(&p.ID, &p.Unit, &p.From, &p.To, &state, &p.Version, &supersedes, &p.Note, &areas,
			&p.CreatedBy, &p.UpdatedBy, &p.AgreedBy, &p.CreatedAt, &p.UpdatedAt, &agreedAt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(areas, &p.Areas); err != nil {
			return nil, fmt.Errorf("plan %d areas: %w", p.ID, err)
		}
		p.State = hotgrid.PlanState(state)
		if supersedes != nil {
			p.Supersedes = *supersedes
		}
		if agreedAt != nil {
			p.AgreedAt = agreedAt.UTC()
		}
		p.From, p.To, p.CreatedAt, p.UpdatedAt = p.From.UTC(), p.To.UTC(), p.CreatedAt.UTC(), p.UpdatedAt.UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetCapacity replaces a unit's capacity.
func (db *DB) SetCapacity(ctx context.Context, unit string, c []hotgrid.Capacity) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM capacities WHERE unit = $1", unit); err != nil {
			return fmt.Errorf("set capacity %s: %w", unit, err)
		}
		for _, x := range c {
			if _, err := tx.Exec(ctx, `INSERT INTO capacities (unit, band, minutes) VALUES ($1, $2, $3)
				ON CONFLICT (unit, band) DO UPDATE SET minutes = excluded.minutes`, unit, x.Band, x.Minutes); err != nil {
				return fmt.Errorf("set capacity %s %s: %w", unit, x.Band, err)
			}
		}
		return nil
	})
}

// Capacity returns a unit's capacity, ordered by band.
func (db *DB) Capacity(ctx context.Context, unit string) ([]hotgrid.Capacity, error) {
	rows, err := db.pool.Query(ctx, "SELECT unit, band, minutes FROM capacities WHERE unit = $1 ORDER BY band", unit)
	if err != nil {
		return nil, fmt.Errorf("capacity %s: %w", unit, err)
	}
	out := []hotgrid.Capacity{}
	var c hotgrid.Capacity
	if _, err := pgx.ForEachRow(rows, []any{&c.Unit, &c.Band, &c.Minutes}, func() error {
		out = append(out, c)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("capacity %s: %w", unit, err)
	}
	return out, nil
}

// AddPatrols stores patrol logs in one transaction, setting their IDs.
func (db *DB) AddPatrols(ctx context.Context, logs []hotgrid.PatrolLog) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for i := range logs {
			l := &logs[i]
			if err := tx.QueryRow(ctx, `INSERT INTO patrols (unit, plan_id, area, cell, start_at, minutes, source, ref, created_by, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
				l.Unit, l.PlanID, l.Area, l.Cell, l.Start, l.Minutes, l.Source, l.Ref, l.CreatedBy, l.CreatedAt).Scan(&l.ID); err != nil {
				return fmt.Errorf("add patrol %d: %w", i+1, err)
			}
		}
		return nil
	})
}

// Patrols lists patrol logs ordered by start.
func (db *DB) Patrols(ctx context.Context, f hotgrid.PatrolFilter) ([]hotgrid.PatrolLog, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, cond+"$"+strconv.Itoa(len(args)))
	}
	if f.Unit != "" {
		add("unit = ", f.Unit)
	}
	if f.PlanID != 0 {
		add("plan_id = ", f.PlanID)
	}
	if !f.From.IsZero() {
		add("start_at >= ", f.From)
	}
	if !f.To.IsZero() {
		add("start_at < ", f.To)
	}
	q := "SELECT id, unit, plan_id, area, cell, start_at, minutes, source, ref, created_by, created_at FROM patrols"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := db.pool.Query(ctx, q+" ORDER BY start_at, id", args...)
	if err != nil {
		return nil, fmt.Errorf("list patrols: %w", err)
	}
	out := []hotgrid.PatrolLog{}
	var l hotgrid.PatrolLog
	if _, err := pgx.ForEachRow(rows, []any{&l.ID, &l.Unit, &l.PlanID, &l.Area, &l.Cell, &l.Start, &l.Minutes,
		&l.Source, &l.Ref, &l.CreatedBy, &l.CreatedAt}, func() error {
		l.Start, l.CreatedAt = l.Start.UTC(), l.CreatedAt.UTC()
		out = append(out, l)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("list patrols: %w", err)
	}
	return out, nil
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}
