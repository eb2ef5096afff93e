package sqlite

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// ScanOffences calls fn for every stored offence whose occurrence window
// overlaps [f.From, f.To) and that is in one of f.Units (when given; "" is
// the outside-units code) and of f.Force (when given). Offences come in
// insertion order. The offence passed to fn is reused between calls; fn
// must not call the store.
func (d *DB) ScanOffences(ctx context.Context, f hotgrid.OffenceFilter, fn func(*hotgrid.Offence) error) error {
	srcs, err := d.sourceNames(ctx)
	if err != nil {
		return err
	}
	names, err := d.names(ctx)
	if err != nil {
		return err
	}
	query, args := scanQuery(f)
	rows, err := d.db.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("scan offences: %w", err)
	}
	defer rows.Close()

	var (
		o                           hotgrid.Offence
		srcID, from, to, cell       int64
		monthOnly, weapon           int64
		force, category, code, unit int64
		outcome                     int64
		id, lsoa, location          sql.RawBytes
		idBlob                      bool
		intern                      = newInterner()
	)
	for rows.Next() {
		if err := rows.Scan(&idBlob, &id, &srcID, &o.Source.Row, &force, &from, &to, &monthOnly, &category, &code,
			&weapon, &o.Lon, &o.Lat, &lsoa, &location, &unit, &outcome, &cell); err != nil {
			return fmt.Errorf("scan offences: %w", err)
		}
		s := srcs[srcID]
		o.ID = scannedID(id, idBlob)
		o.Source.File, o.Source.Hash = s.Name, s.Hash
		if !names.has(force, category, code, unit, outcome) {
			if names, err = d.names(ctx); err != nil { // added by an ingest since the scan began
				return err
			}
		}
		o.Force = names[force]
		o.From, o.To = d.fromUnix(from), d.fromUnix(to)
		o.MonthOnly = monthOnly != 0
		o.Category = names[category]
		o.OffenceCode = names[code]
		o.Weapon = hotgrid.Weapon(weapon)
		o.LSOA = intern.get(lsoa)
		o.Location = string(location)
		o.Unit = names[unit]
		o.Outcome = names[outcome]
		o.Cell = uint64(cell)
		if err := fn(&o); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan offences: %w", err)
	}
	return nil
}

// scannedID returns a stored ID as text (see storedID).
func scannedID(b []byte, blob bool) string {
	if blob {
		return hex.EncodeToString(b)
	}
	return string(b)
}

// scanQuery builds the SELECT for a filter.
func scanQuery(f hotgrid.OffenceFilter) (string, []any) {
	var (
		where []string
		args  []any
	)
	if !f.To.IsZero() {
		where = append(where, "from_ts < ?")
		args = append(args, f.To.Unix())
	}
	if !f.From.IsZero() {
		// A window [from, to) overlaps when it ends after From; an instant
		// (from = to) when it is at or after From.
		where = append(where, "(to_ts > ? OR from_ts >= ?)")
		args = append(args, f.From.Unix(), f.From.Unix())
	}
	if len(f.Units) > 0 {
		where = append(where, "unit IN (SELECT id FROM offence_names WHERE name IN (?"+strings.Repeat(",?", len(f.Units)-1)+"))")
		for _, u := range f.Units {
			args = append(args, u)
		}
	}
	if f.Force != "" {
		where = append(where, "force = (SELECT id FROM offence_names WHERE name = ?)")
		args = append(args, f.Force)
	}
	q := "SELECT " + selectColumns + " FROM offences"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY rowid", args
}

// selectColumns are the scanned columns, in Scan order.
const selectColumns = "typeof(id) = 'blob', id, source_id, source_row, force, from_ts, to_ts, month_only, category, code, " +
	"weapon, lon, lat, lsoa, location, unit, outcome, cell"

// interner keeps one copy of each repeated string value of a scan.
type interner struct{ m map[string]string }

func newInterner() *interner { return &interner{m: make(map[string]string)} }

// get returns b as a string, shared with earlier equal values. It keeps at
// most 100k distinct values, after which it just copies.
func (in *interner) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(in.m) < 100_000 {
		in.m[s] = s
	}
	return s
}

// nameMap maps offence_names ids to names.
type nameMap map[int64]string

// has reports whether every id is in the map.
func (m nameMap) has(ids ...int64) bool {
	for _, id := range ids {
		if _, ok := m[id]; !ok {
			return false
		}
	}
	return true
}

// names reads offence_names.
func (d *DB) names(ctx context.Context) (nameMap, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, name FROM offence_names`)
	if err != nil {
		return nil, fmt.Errorf("list names: %w", err)
	}
	defer rows.Close()
	m := make(nameMap)
	for rows.Next() {
		var (
			id   int64
			name string
		)
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("list names: %w", err)
		}
		m[id] = name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list names: %w", err)
	}
	return m, nil
}

// sourceNames maps source ids to their files.
func (d *DB) sourceNames(ctx context.Context) (map[int64]hotgrid.SourceFile, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, name, hash FROM sources`)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	defer rows.Close()
	m := make(map[int64]hotgrid.SourceFile)
	for rows.Next() {
		var (
			id int64
			s  hotgrid.SourceFile
		)
		if err := rows.Scan(&id, &s.Name, &s.Hash); err != nil {
			return nil, fmt.Errorf("list sources: %w", err)
		}
		m[id] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	return m, nil
}

// Sources lists the ingested files in the order they were first ingested.
func (d *DB) Sources(ctx context.Context) ([]hotgrid.SourceFile, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT name, hash, format, rows, accepted, rejected, min_time, max_time, ingested_at
		FROM sources ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	defer rows.Close()
	var out []hotgrid.SourceFile
	for rows.Next() {
		var (
			s          hotgrid.SourceFile
			mn, mx, at int64
		)
		if err := rows.Scan(&s.Name, &s.Hash, &s.Format, &s.Rows, &s.Accepted, &s.Rejected, &mn, &mx, &at); err != nil {
			return nil, fmt.Errorf("list sources: %w", err)
		}
		s.MinTime, s.MaxTime, s.IngestedAt = d.fromUnix(mn), d.fromUnix(mx), d.fromUnix(at)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	return out, nil
}

// compile-time check that *DB is an offence store.
var _ hotgrid.OffenceStore = (*DB)(nil)
var _ hotgrid.SourceRecorder = (*DB)(nil)
var _ hotgrid.IngestBatcher = (*DB)(nil)
var _ hotgrid.IngestBatch = (*Batch)(nil)
