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
// must not call the store. Only blocks whose spans can match are read.
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
	sc := &scanner{d: d, f: f, fn: fn, names: names, intern: newInterner(), units: make(map[string]bool, len(f.Units))}
	for _, u := range f.Units {
		sc.units[u] = true
	}
	for rows.Next() {
		var (
			id, srcID int64
			data      sql.RawBytes
		)
		if err := rows.Scan(&id, &srcID, &data); err != nil {
			return fmt.Errorf("scan offences: %w", err)
		}
		s := srcs[srcID]
		sc.o.Source.File, sc.o.Source.Hash = s.Name, s.Hash
		if err := sc.block(ctx, data); err != nil {
			return fmt.Errorf("scan offences: block %d: %w", id, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan offences: %w", err)
	}
	return nil
}

// scanner turns the offences of blocks into hotgrid offences.
type scanner struct {
	d      *DB
	f      hotgrid.OffenceFilter
	fn     func(*hotgrid.Offence) error
	names  nameMap
	intern *interner
	units  map[string]bool
	r      blockReader
	s      stored
	o      hotgrid.Offence
}

// block calls fn for each offence of a rows blob that the filter keeps.
func (sc *scanner) block(ctx context.Context, data []byte) error {
	if err := sc.r.reset(data); err != nil {
		return err
	}
	s := &sc.s
	for sc.r.next(s) {
		if !sc.keepTime(s) {
			continue
		}
		if !sc.names.has(s.force, s.category, s.code, s.unit, s.outcome) {
			var err error
			if sc.names, err = sc.d.names(ctx); err != nil { // added by an ingest since the scan began
				return err
			}
		}
		if !sc.keepNames(s) {
			continue
		}
		sc.fill(s)
		if err := sc.fn(&sc.o); err != nil {
			return err
		}
	}
	return sc.r.Err()
}

// keepTime reports whether the offence's window overlaps [From, To): a
// window [from, to) overlaps when it starts before To and ends after From;
// an instant (from = to) when it is at or after From.
func (sc *scanner) keepTime(s *stored) bool {
	if !sc.f.To.IsZero() && s.from >= sc.f.To.Unix() {
		return false
	}
	if from := sc.f.From; !from.IsZero() && s.to <= from.Unix() && s.from < from.Unix() {
		return false
	}
	return true
}

// keepNames applies the unit and force filters.
func (sc *scanner) keepNames(s *stored) bool {
	if len(sc.units) > 0 && !sc.units[sc.names[s.unit]] {
		return false
	}
	return sc.f.Force == "" || sc.names[s.force] == sc.f.Force
}

// fill sets the scanned offence from s (the source is set per block).
func (sc *scanner) fill(s *stored) {
	o, names := &sc.o, sc.names
	o.ID = scannedID(s.id, s.idBlob)
	o.Source.Row = int(s.row)
	o.Force, o.Category, o.OffenceCode = names[s.force], names[s.category], names[s.code]
	o.Unit, o.Outcome = names[s.unit], names[s.outcome]
	o.From, o.To = sc.d.fromUnix(s.from), sc.d.fromUnix(s.to)
	o.MonthOnly = s.monthOnly
	o.Weapon = hotgrid.Weapon(s.weapon)
	o.Lon, o.Lat = s.lon, s.lat
	o.LSOA = sc.intern.get(s.lsoa)
	o.Location = sc.intern.get(s.location)
	o.Cell = s.cell
}

// scannedID returns a stored ID as text (it reverses appendStoredID).
func scannedID(b []byte, blob bool) string {
	if blob {
		return hex.EncodeToString(b)
	}
	return string(b)
}

// scanQuery builds the SELECT of the blocks that can hold offences the
// filter keeps, from their spans and names.
func scanQuery(f hotgrid.OffenceFilter) (string, []any) {
	var (
		where []string
		args  []any
	)
	if !f.To.IsZero() {
		where = append(where, "min_from < ?")
		args = append(args, f.To.Unix())
	}
	if !f.From.IsZero() {
		where = append(where, "(max_to > ? OR max_from >= ?)")
		args = append(args, f.From.Unix(), f.From.Unix())
	}
	if len(f.Units) > 0 {
		where = append(where, blockHasName(len(f.Units)))
		for _, u := range f.Units {
			args = append(args, u)
		}
	}
	if f.Force != "" {
		where = append(where, blockHasName(1))
		args = append(args, f.Force)
	}
	q := "SELECT id, source_id, rows FROM offence_blocks"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY id", args
}

// blockHasName is a condition on offence_blocks: the block holds one of n
// names (bound after it).
func blockHasName(n int) string {
	return "id IN (SELECT block FROM offence_block_names WHERE name IN (SELECT id FROM offence_names WHERE name IN (?" +
		strings.Repeat(",?", n-1) + ")))"
}

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
