package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/uber/h3-go/v4"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// copyBatch is how many offences are buffered before each COPY.
const copyBatch = 8192

// offenceCols are the columns ingest writes and scans read, in COPY order.
const offenceCols = "id, source_hash, source_row, force, " +
	"occurred_from, occurred_to, month_only, category, offence_code, weapon, " +
	"lon, lat, lsoa, location, unit, outcome, cell"

// Compile-time interface checks.
var (
	_ hotgrid.OffenceStore   = (*DB)(nil)
	_ hotgrid.SourceRecorder = (*DB)(nil)
)

// createStage makes the per-transaction staging table that COPY fills.
const createStage = `CREATE TEMP TABLE offences_stage (
	id text, source_hash text, source_row integer, force text,
	occurred_from timestamptz, occurred_to timestamptz, month_only boolean,
	category text, offence_code text, weapon smallint, lon double precision,
	lat double precision, lsoa text, location text, unit text, outcome text, cell bigint
) ON COMMIT DROP`

// insertStaged moves the staged rows into offences, skipping those already
// stored (same id), and adds the new ones to the materialised cell counts.
// It returns how many were added and the cells new to cell_counts (xmax = 0
// marks a row the upsert inserted rather than updated), which may need a
// shape.
const insertStaged = `WITH ins AS (
	INSERT INTO offences (` + offenceCols + `)
	SELECT ` + offenceCols + ` FROM offences_stage ORDER BY source_row
	ON CONFLICT DO NOTHING
	RETURNING cell, unit, category, weapon, month_only, occurred_from, occurred_to
), agg AS (
	INSERT INTO cell_counts AS c (res, cell, unit, offences, crimes, knife, month_only, first_from, last_to)
	SELECT g.r, h3_parent(ins.cell, g.r), ins.unit, count(*),
		count(*) FILTER (WHERE ins.category <> $3),
		count(*) FILTER (WHERE ins.weapon = $4),
		count(*) FILTER (WHERE ins.month_only),
		min(ins.occurred_from), max(ins.occurred_to)
	FROM ins CROSS JOIN generate_series($1::int, $2::int) AS g(r)
	GROUP BY 1, 2, 3
	ON CONFLICT (res, cell, unit) DO UPDATE SET
		offences = c.offences + excluded.offences,
		crimes = c.crimes + excluded.crimes,
		knife = c.knife + excluded.knife,
		month_only = c.month_only + excluded.month_only,
		first_from = least(c.first_from, excluded.first_from),
		last_to = greatest(c.last_to, excluded.last_to)
	RETURNING cell, xmax = 0 AS inserted
)
SELECT (SELECT count(*) FROM ins), coalesce((SELECT array_agg(DISTINCT cell) FROM agg WHERE inserted), '{}')`

// IngestFile stores one file in one transaction: offences are copied in
// batches into a temporary table, then inserted into offences. If fill or
// put fails, or the context ends, nothing of the file is kept. Offences whose
// ID is stored already are skipped; an empty ID is derived as
// "<src.Hash>:<row>", as the SQLite store does.
func (db *DB) IngestFile(ctx context.Context, src hotgrid.SourceFile, fill func(put func(*hotgrid.Offence) error) error) (added int, err error) {
	if src.Hash == "" {
		return 0, fmt.Errorf("ingest %s: source has no hash", src.Name)
	}
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("ingest %s: begin: %w", src.Name, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, createStage); err != nil {
		return 0, fmt.Errorf("ingest %s: staging table: %w", src.Name, err)
	}
	st := &stager{ctx: ctx, tx: tx, hash: src.Hash, batch: make([]hotgrid.Offence, 0, copyBatch),
		cols: strings.Split(offenceCols, ", ")}
	st.row = make([]any, len(st.cols))
	if err := fill(st.put); err != nil {
		return 0, err
	}
	if err := st.flush(); err != nil {
		return 0, fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	var n int64
	var missing []int64
	if err := tx.QueryRow(ctx, insertStaged, MinCellResolution, MaxCellResolution,
		"Anti-social behaviour", int16(hotgrid.WeaponKnife)).Scan(&n, &missing); err != nil {
		return 0, fmt.Errorf("ingest %s: insert offences: %w", src.Name, err)
	}
	if err := addShapes(ctx, tx, missing); err != nil {
		return 0, fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	if err := saveSource(ctx, tx, src, st); err != nil {
		return 0, fmt.Errorf("ingest %s: %w", src.Name, err)
	}
	if n > 0 {
		if err := bumpVersion(ctx, tx); err != nil {
			return 0, fmt.Errorf("ingest %s: %w", src.Name, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("ingest %s: commit: %w", src.Name, err)
	}
	return int(n), nil
}

// stager buffers offences and copies them into the staging table.
// It counts the offences put and their time span for the source record.
type stager struct {
	ctx      context.Context
	tx       pgx.Tx
	hash     string
	batch    []hotgrid.Offence
	cols     []string
	row      []any
	puts     int
	min, max time.Time
}

func (s *stager) put(o *hotgrid.Offence) error {
	if o.ID == "" && o.Source.Row <= 0 {
		return fmt.Errorf("offence has neither an ID nor a source row")
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	s.batch = append(s.batch, *o)
	if o.ID == "" {
		s.batch[len(s.batch)-1].ID = s.hash + ":" + strconv.Itoa(o.Source.Row)
	}
	s.puts++
	if s.puts == 1 || o.From.Before(s.min) {
		s.min = o.From
	}
	if o.To.After(s.max) {
		s.max = o.To
	}
	if len(s.batch) == cap(s.batch) {
		return s.flush()
	}
	return nil
}

func (s *stager) flush() error {
	if len(s.batch) == 0 {
		return nil
	}
	i := -1
	src := pgx.CopyFromFunc(func() ([]any, error) {
		i++
		if i == len(s.batch) {
			return nil, nil
		}
		o := &s.batch[i]
		r := s.row
		r[0], r[1], r[2], r[3] = o.ID, s.hash, int32(o.Source.Row), o.Force
		r[4], r[5], r[6], r[7], r[8] = o.From, o.To, o.MonthOnly, o.Category, o.OffenceCode
		r[9], r[10], r[11], r[12], r[13] = int16(o.Weapon), o.Lon, o.Lat, o.LSOA, o.Location
		r[14], r[15], r[16] = o.Unit, o.Outcome, int64(o.Cell)
		return r, nil
	})
	if _, err := s.tx.CopyFrom(s.ctx, pgx.Identifier{"offences_stage"}, s.cols, src); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	s.batch = s.batch[:0]
	return nil
}

// addShapes stores the polygons of cells that have none yet. A value that
// is no H3 cell (a store given made-up cells) gets no shape, so it stays out
// of the gis_cells view.
func addShapes(ctx context.Context, tx pgx.Tx, cells []int64) error {
	var valid []int64
	var wkbs [][]byte
	for _, c := range cells {
		if !h3.Cell(c).IsValid() {
			continue
		}
		b, err := wkb.Marshal(geo.Boundary(uint64(c)))
		if err != nil {
			return fmt.Errorf("cell %s boundary: %w", geo.String(uint64(c)), err)
		}
		valid, wkbs = append(valid, c), append(wkbs, b)
	}
	if len(valid) == 0 {
		return nil
	}
	cells = valid
	_, err := tx.Exec(ctx, `INSERT INTO cell_shapes (cell, res, h3, geom)
		SELECT c, (c >> 52) & 15, to_hex(c), ST_SetSRID(ST_GeomFromWKB(w), 4326)
		FROM unnest($1::bigint[], $2::bytea[]) AS t(c, w)
		ON CONFLICT (cell) DO NOTHING`, cells, wkbs)
	if err != nil {
		return fmt.Errorf("cell shapes: %w", err)
	}
	return nil
}

// saveSource records a file with what the stager saw: offences put and
// their time span; rows read and rejected come from src when it has them. A
// file recorded before (same hash) keeps its place and takes the new name,
// format and time, as in the SQLite store.
func saveSource(ctx context.Context, tx pgx.Tx, src hotgrid.SourceFile, st *stager) error {
	at := src.IngestedAt
	if at.IsZero() {
		at = time.Now()
	}
	rows := max(src.Rows, st.puts+src.Rejected)
	_, err := tx.Exec(ctx, `INSERT INTO sources (hash, name, format, rows, accepted, rejected, min_time, max_time, ingested_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (hash) DO UPDATE SET name = excluded.name, format = excluded.format,
			ingested_at = excluded.ingested_at, rows = excluded.rows, accepted = excluded.accepted,
			rejected = excluded.rejected, min_time = excluded.min_time, max_time = excluded.max_time`,
		src.Hash, src.Name, src.Format, rows, st.puts, src.Rejected,
		nullTime(st.min), nullTime(st.max), at.UTC())
	if err != nil {
		return fmt.Errorf("record source: %w", err)
	}
	return nil
}

// bumpVersion increments the data version and announces it to listeners;
// the notification is delivered when the transaction commits.
func bumpVersion(ctx context.Context, tx pgx.Tx) error {
	var v int64
	if err := tx.QueryRow(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'data_version' RETURNING value`).Scan(&v); err != nil {
		return fmt.Errorf("data version: %w", err)
	}
	if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", NotifyChannel, strconv.FormatInt(v, 10)); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// RecordSource updates the counts of the source with src.Hash: ingest calls
// it once the rows read and rejected are known. Zero times keep the stored
// span. ENOTFOUND when no source has the hash.
func (db *DB) RecordSource(ctx context.Context, src hotgrid.SourceFile) error {
	tag, err := db.pool.Exec(ctx, `UPDATE sources SET rows = $2, accepted = $3, rejected = $4,
		min_time = coalesce($5, min_time), max_time = coalesce($6, max_time) WHERE hash = $1`,
		src.Hash, src.Rows, src.Accepted, src.Rejected, nullTime(src.MinTime), nullTime(src.MaxTime))
	if err != nil {
		return fmt.Errorf("record source %s: %w", src.Name, err)
	}
	if tag.RowsAffected() == 0 {
		return hotgrid.Errorf(hotgrid.ENOTFOUND, "record source %s: no source with hash %s", src.Name, src.Hash)
	}
	return nil
}

// Sources lists the ingested files in the order they were first ingested.
func (db *DB) Sources(ctx context.Context) ([]hotgrid.SourceFile, error) {
	rows, err := db.pool.Query(ctx, `SELECT name, hash, format, rows, accepted, rejected, min_time, max_time, ingested_at
		FROM sources ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	defer rows.Close()
	var out []hotgrid.SourceFile
	for rows.Next() {
		var s hotgrid.SourceFile
		var minT, maxT *time.Time
		if err := rows.Scan(&s.Name, &s.Hash, &s.Format, &s.Rows, &s.Accepted, &s.Rejected, &minT, &maxT, &s.IngestedAt); err != nil {
			return nil, fmt.Errorf("list sources: %w", err)
		}
		if minT != nil {
			s.MinTime = db.local(*minT)
		}
		if maxT != nil {
			s.MaxTime = db.local(*maxT)
		}
		s.IngestedAt = db.local(s.IngestedAt)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	return out, nil
}

// sourceNames maps source hashes to file names.
func (db *DB) sourceNames(ctx context.Context) (map[string]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT hash, name FROM sources`)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	m := map[string]string{}
	var h, n string
	_, err = pgx.ForEachRow(rows, []any{&h, &n}, func() error { m[h] = n; return nil })
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	return m, nil
}

// DataVersion returns a number that grows each time offences are added.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'data_version'`).Scan(&v); err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}

// ScanOffences calls fn for each stored offence that matches f, in the order
// they were stored, with times in Europe/London like the SQLite store. The
// offence passed to fn is reused.
func (db *DB) ScanOffences(ctx context.Context, f hotgrid.OffenceFilter, fn func(*hotgrid.Offence) error) error {
	names, err := db.sourceNames(ctx)
	if err != nil {
		return err
	}
	q, args := scanQuery(f)
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("scan offences: %w", err)
	}
	defer rows.Close()
	var (
		o      hotgrid.Offence
		row    int32
		weapon int16
		cell   int64
	)
	dest := []any{&o.ID, &o.Source.Hash, &row, &o.Force, &o.From, &o.To,
		&o.MonthOnly, &o.Category, &o.OffenceCode, &weapon, &o.Lon, &o.Lat, &o.LSOA,
		&o.Location, &o.Unit, &o.Outcome, &cell}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("scan offences: %w", err)
		}
		o.Source.File = names[o.Source.Hash]
		o.Source.Row, o.Weapon, o.Cell = int(row), hotgrid.Weapon(weapon), uint64(cell)
		o.From, o.To = db.local(o.From), db.local(o.To)
		if err := fn(&o); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan offences: %w", err)
	}
	return nil
}

// scanQuery builds the offence query for a filter, with the SQLite store's
// overlap rule: a window [from, to) overlaps [From, To) when from < To and
// it ends after From, an instant (from = to) when it is at or after From.
func scanQuery(f hotgrid.OffenceFilter) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, v any) { // every ? in cond binds v
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if !f.From.IsZero() {
		add("(occurred_to > ? OR occurred_from >= ?)", f.From)
	}
	if !f.To.IsZero() {
		add("occurred_from < ?", f.To)
	}
	if len(f.Units) > 0 {
		add("unit = ANY(?)", f.Units)
	}
	if f.Force != "" {
		add("force = ?", f.Force)
	}
	q := "SELECT " + offenceCols + " FROM offences"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY seq", args
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// local returns a stored time in Europe/London; the zero time stays zero.
func (db *DB) local(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.In(db.loc)
}
