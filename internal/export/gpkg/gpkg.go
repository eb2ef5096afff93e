// Package gpkg writes hot grids as an OGC GeoPackage 1.3 (a SQLite file)
// using the project's pure-Go SQLite driver: the required
// gpkg_spatial_ref_sys, gpkg_contents and gpkg_geometry_columns tables,
// feature layers "cells" (POLYGON), "patrol_areas" and "units"
// (MULTIPOLYGON) in EPSG:4326 with GeoPackage binary geometries (a "GP"
// header and envelope around go-geom's WKB), and the provenance twice: as
// JSON in gpkg_metadata (the metadata extension) and as key/value rows in
// the "hotgrid_provenance" attributes table, which any GIS lists. Every
// feature layer has an R-tree spatial index (the gpkg_rtree_index
// extension) so QGIS and ArcGIS pan and query quickly.
//
// The file is built in memory and serialised, so Write can stream it to any
// writer (an HTTP response, a file).
package gpkg

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/hotgrid/hotgrid/internal/export/feature"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// rtreeTriggers keep a layer's R-tree index in step with edits made later
// by GIS tools (GeoPackage 1.3 rtree extension; the ST_ functions are those
// every GeoPackage reader provides). %[1]s is the table, %[2]s the geometry
// column, %[3]s the R-tree table.
var rtreeTriggers = [...]string{
	`CREATE TRIGGER "%[3]s_insert" AFTER INSERT ON "%[1]s" WHEN (new."%[2]s" NOT NULL AND NOT ST_IsEmpty(NEW."%[2]s")) BEGIN INSERT OR REPLACE INTO "%[3]s" VALUES (NEW."fid",ST_MinX(NEW."%[2]s"), ST_MaxX(NEW."%[2]s"),ST_MinY(NEW."%[2]s"), ST_MaxY(NEW."%[2]s")); END`,
	`CREATE TRIGGER "%[3]s_update1" AFTER UPDATE OF "%[2]s" ON "%[1]s" WHEN OLD."fid" = NEW."fid" AND (NEW."%[2]s" NOTNULL AND NOT ST_IsEmpty(NEW."%[2]s")) BEGIN INSERT OR REPLACE INTO "%[3]s" VALUES (NEW."fid",ST_MinX(NEW."%[2]s"), ST_MaxX(NEW."%[2]s"),ST_MinY(NEW."%[2]s"), ST_MaxY(NEW."%[2]s")); END`,
	`CREATE TRIGGER "%[3]s_update2" AFTER UPDATE OF "%[2]s" ON "%[1]s" WHEN OLD."fid" = NEW."fid" AND (NEW."%[2]s" ISNULL OR ST_IsEmpty(NEW."%[2]s")) BEGIN DELETE FROM "%[3]s" WHERE id = OLD."fid"; END`,
	`CREATE TRIGGER "%[3]s_update3" AFTER UPDATE ON "%[1]s" WHEN OLD."fid" != NEW."fid" AND (NEW."%[2]s" NOTNULL AND NOT ST_IsEmpty(NEW."%[2]s")) BEGIN DELETE FROM "%[3]s" WHERE id = OLD."fid"; INSERT OR REPLACE INTO "%[3]s" VALUES (NEW."fid",ST_MinX(NEW."%[2]s"), ST_MaxX(NEW."%[2]s"),ST_MinY(NEW."%[2]s"), ST_MaxY(NEW."%[2]s")); END`,
	`CREATE TRIGGER "%[3]s_update4" AFTER UPDATE ON "%[1]s" WHEN OLD."fid" != NEW."fid" AND (NEW."%[2]s" ISNULL OR ST_IsEmpty(NEW."%[2]s")) BEGIN DELETE FROM "%[3]s" WHERE id IN (OLD."fid", NEW."fid"); END`,
	`CREATE TRIGGER "%[3]s_delete" AFTER DELETE ON "%[1]s" WHEN old."%[2]s" NOT NULL BEGIN DELETE FROM "%[3]s" WHERE id = OLD."fid"; END`,
}

// spatialIndex adds the gpkg_rtree_index extension to table: an R-tree of
// its features' envelopes (fid i+1 has bounds[i]; nil bounds are skipped),
// its registration and its triggers. It runs after the rows are in, so the
// triggers, which call functions only GIS readers define, never fire here.
func spatialIndex(ctx context.Context, tx *sql.Tx, table string, bounds []*orb.Bound) error {
	rt := "rtree_" + table + "_" + GeomColumn
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`CREATE VIRTUAL TABLE %q USING rtree(id, minx, maxx, miny, maxy)`, rt)); err != nil {
		return fmt.Errorf("geopackage spatial index %s: %w", table, err)
	}
	st, err := tx.PrepareContext(ctx, fmt.Sprintf(`INSERT INTO %q VALUES (?, ?, ?, ?, ?)`, rt))
	if err != nil {
		return fmt.Errorf("geopackage spatial index %s: %w", table, err)
	}
	defer st.Close()
	for i, b := range bounds {
		if b == nil {
			continue
		}
		if _, err := st.ExecContext(ctx, i+1, b.Min[0], b.Max[0], b.Min[1], b.Max[1]); err != nil {
			return fmt.Errorf("geopackage spatial index %s row %d: %w", table, i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`, table, GeomColumn); err != nil {
		return fmt.Errorf("geopackage spatial index %s: %w", table, err)
	}
	for _, tr := range rtreeTriggers {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(tr, table, GeomColumn, rt)); err != nil {
			return fmt.Errorf("geopackage spatial index %s trigger: %w", table, err)
		}
	}
	return nil
}

// Layer (table) names.
const (
	CellsTable      = "cells"
	AreasTable      = "patrol_areas"
	UnitsTable      = "units"
	ProvenanceTable = "hotgrid_provenance"
	GeomColumn      = "geom"
)

// ApplicationID is the SQLite application_id of a GeoPackage ("GPKG").
const ApplicationID = 0x47504B47

// UserVersion is the SQLite user_version of a GeoPackage 1.3.0.
const UserVersion = 10300

// SRSID is the spatial reference of every layer: EPSG:4326 (WGS 84).
const SRSID = 4326

// MetadataURI is the md_standard_uri of the provenance metadata row.
const MetadataURI = "https://github.com/hotgrid/hotgrid#provenance"

const wgs84WKT = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`

const schema = `
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10300;
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);
CREATE TABLE gpkg_metadata (
  id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL,
  md_scope TEXT NOT NULL DEFAULT 'dataset',
  md_standard_uri TEXT NOT NULL,
  mime_type TEXT NOT NULL DEFAULT 'text/xml',
  metadata TEXT NOT NULL DEFAULT ''
);
CREATE TABLE gpkg_metadata_reference (
  reference_scope TEXT NOT NULL,
  table_name TEXT,
  column_name TEXT,
  row_id_value INTEGER,
  timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  md_file_id INTEGER NOT NULL,
  md_parent_id INTEGER,
  CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),
  CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id)
);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
INSERT INTO gpkg_extensions VALUES
  ('gpkg_metadata', NULL, 'gpkg_metadata', 'http://www.geopackage.org/spec/#extension_metadata', 'read-write'),
  ('gpkg_metadata_reference', NULL, 'gpkg_metadata', 'http://www.geopackage.org/spec/#extension_metadata', 'read-write');
`

// Write writes in to w as a GeoPackage.
func Write(ctx context.Context, w io.Writer, in feature.Input) error {
	b, err := Build(ctx, in)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write geopackage: %w", err)
	}
	return nil
}

// Build returns the bytes of a GeoPackage holding in.
func Build(ctx context.Context, in feature.Input) ([]byte, error) {
	s, err := feature.Prepare(in)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, fmt.Errorf("open in-memory geopackage: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("open in-memory geopackage: %w", err)
	}
	defer conn.Close()
	if err := fill(ctx, conn, s); err != nil {
		return nil, err
	}
	var out []byte
	err = conn.Raw(func(dc any) error {
		ser, ok := dc.(interface{ Serialize() ([]byte, error) })
		if !ok {
			return fmt.Errorf("sqlite driver %T cannot serialise", dc)
		}
		out, err = ser.Serialize()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("serialise geopackage: %w", err)
	}
	return out, nil
}

// fill creates the GeoPackage tables and writes every layer in one
// transaction.
func fill(ctx context.Context, conn *sql.Conn, s *feature.Set) error {
	for _, p := range []string{"PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("geopackage %s: %w", p, err)
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("geopackage: begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("geopackage schema: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`, wgs84WKT); err != nil {
		return fmt.Errorf("geopackage srs: %w", err)
	}
	w := &writer{tx: tx, set: s, when: s.Provenance.MadeAt.UTC().Format("2006-01-02T15:04:05.000Z")}
	steps := []func(context.Context) error{w.cells, w.areas, w.units, w.provenance}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("geopackage: commit: %w", err)
	}
	return nil
}

type writer struct {
	tx   *sql.Tx
	set  *feature.Set
	when string // last_change and metadata timestamp
}

// column is one attribute column of a layer.
type column struct {
	name, sqlType string
}

func columns(fs []feature.Field) []column {
	out := make([]column, len(fs))
	for i, f := range fs {
		t := "TEXT"
		switch f.Kind {
		case feature.Integer:
			t = "INTEGER"
		case feature.Real:
			t = "REAL"
		}
		out[i] = column{f.Name, t}
	}
	return out
}

// batchRows is the number of rows per INSERT: one statement per row costs
// more than the row itself.
const batchRows = 64

// inserter adds rows to a table in multi-row INSERTs.
type inserter struct {
	tx    *sql.Tx
	table string
	head  string // INSERT INTO t (columns) VALUES
	one   string // (?, ?, ...)
	ncol  int
	full  *sql.Stmt // batchRows rows
	args  []any
	first string // the first feature of the pending rows, for errors
}

func newInserter(ctx context.Context, tx *sql.Tx, table string, names []string) (*inserter, error) {
	in := &inserter{tx: tx, table: table, ncol: len(names),
		head: fmt.Sprintf("INSERT INTO %q (%s) VALUES ", table, strings.Join(names, ", ")),
		one:  "(?" + strings.Repeat(", ?", len(names)-1) + ")"}
	st, err := tx.PrepareContext(ctx, in.query(batchRows))
	if err != nil {
		return nil, fmt.Errorf("geopackage prepare %s insert: %w", table, err)
	}
	in.full = st
	return in, nil
}

func (in *inserter) query(rows int) string {
	return in.head + in.one + strings.Repeat(", "+in.one, rows-1)
}

// add queues one row (its values in column order); name names the feature
// in errors.
func (in *inserter) add(ctx context.Context, name string, vals ...any) error {
	if len(in.args) == 0 {
		in.first = name
	}
	in.args = append(in.args, vals...)
	if len(in.args) < batchRows*in.ncol {
		return nil
	}
	_, err := in.full.ExecContext(ctx, in.args...)
	return in.done(err)
}

// flush inserts the queued rows and closes the inserter.
func (in *inserter) flush(ctx context.Context) error {
	defer in.full.Close()
	if len(in.args) == 0 {
		return nil
	}
	_, err := in.tx.ExecContext(ctx, in.query(len(in.args)/in.ncol), in.args...)
	return in.done(err)
}

func (in *inserter) done(err error) error {
	if err != nil {
		return fmt.Errorf("geopackage insert into %s (rows from %s): %w", in.table, in.first, err)
	}
	in.args = in.args[:0]
	return nil
}

// layer creates a feature table, registers it and returns an inserter
// taking the geometry then each column.
func (w *writer) layer(ctx context.Context, table, geomType, ident, desc string, cols []column, bound *orb.Bound) (*inserter, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %q (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, %q %s", table, GeomColumn, geomType)
	names := []string{fmt.Sprintf("%q", GeomColumn)}
	for _, c := range cols {
		fmt.Fprintf(&b, ", %q %s", c.name, c.sqlType)
		names = append(names, fmt.Sprintf("%q", c.name))
	}
	b.WriteString(")")
	if _, err := w.tx.ExecContext(ctx, b.String()); err != nil {
		return nil, fmt.Errorf("geopackage create %s: %w", table, err)
	}
	var minX, minY, maxX, maxY any
	if bound != nil {
		minX, minY, maxX, maxY = bound.Min[0], bound.Min[1], bound.Max[0], bound.Max[1]
	}
	if _, err := w.tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)`,
		table, ident, desc, w.when, minX, minY, maxX, maxY, SRSID); err != nil {
		return nil, fmt.Errorf("geopackage register %s: %w", table, err)
	}
	if _, err := w.tx.ExecContext(ctx, `INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)`, table, GeomColumn, geomType, SRSID); err != nil {
		return nil, fmt.Errorf("geopackage register %s geometry: %w", table, err)
	}
	return newInserter(ctx, w.tx, table, names)
}

func (w *writer) cells(ctx context.Context) error {
	fs := feature.CellFields()
	var bound *orb.Bound
	if len(w.set.Cells) > 0 {
		bound = boundOf(len(w.set.Cells), func(i int) orb.Bound { return w.set.Cells[i].Polygon.Bound() })
	}
	st, err := w.layer(ctx, CellsTable, "POLYGON", w.set.Layer+" cells", "scored H3 cells, hottest first", columns(fs), bound)
	if err != nil {
		return err
	}
	args := make([]any, len(fs)+1)
	bounds := make([]*orb.Bound, len(w.set.Cells))
	for i := range w.set.Cells {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		c := &w.set.Cells[i]
		g, err := feature.GeomPolygon(c.Polygon)
		if err != nil {
			return fmt.Errorf("cell %s: %w", c.H3, err)
		}
		b := c.Polygon.Bound()
		bounds[i] = &b
		if args[0], err = w.geometry(g, b); err != nil {
			return fmt.Errorf("cell %s: %w", c.H3, err)
		}
		for j := range fs {
			args[j+1] = sqlValue(feature.CellValue(&c.CellScore, j))
		}
		if err := st.add(ctx, "cell "+c.H3, args...); err != nil {
			return err
		}
	}
	if err := st.flush(ctx); err != nil {
		return err
	}
	return spatialIndex(ctx, w.tx, CellsTable, bounds)
}

func (w *writer) areas(ctx context.Context) error {
	fs := feature.AreaFields()
	var bound *orb.Bound
	if len(w.set.Areas) > 0 {
		bound = boundOf(len(w.set.Areas), func(i int) orb.Bound { return w.set.Areas[i].Outline.Bound() })
	}
	st, err := w.layer(ctx, AreasTable, "MULTIPOLYGON", w.set.Layer+" patrol areas", "patrol areas: unions of adjacent chosen cells", columns(fs), bound)
	if err != nil {
		return err
	}
	args := make([]any, len(fs)+1)
	bounds := make([]*orb.Bound, len(w.set.Areas))
	for i := range w.set.Areas {
		a := &w.set.Areas[i]
		g, err := feature.GeomMultiPolygon(a.Outline)
		if err != nil {
			return fmt.Errorf("patrol area %s: %w", a.ID, err)
		}
		b := a.Outline.Bound()
		bounds[i] = &b
		if args[0], err = w.geometry(g, b); err != nil {
			return fmt.Errorf("patrol area %s: %w", a.ID, err)
		}
		for j := range fs {
			args[j+1] = sqlValue(feature.AreaValue(&a.PatrolArea, j))
		}
		if err := st.add(ctx, "patrol area "+a.ID, args...); err != nil {
			return err
		}
	}
	if err := st.flush(ctx); err != nil {
		return err
	}
	return spatialIndex(ctx, w.tx, AreasTable, bounds)
}

func (w *writer) units(ctx context.Context) error {
	us := w.set.Units
	var bound *orb.Bound
	if n := countGeometries(us); n > 0 {
		var b orb.Bound
		first := true
		for _, u := range us {
			if len(u.Geometry) == 0 {
				continue
			}
			if first {
				b, first = u.Geometry.Bound(), false
			} else {
				b = b.Union(u.Geometry.Bound())
			}
		}
		bound = &b
	}
	cols := []column{{"code", "TEXT"}, {"name", "TEXT"}, {"force", "TEXT"}, {"approximate", "BOOLEAN"}}
	st, err := w.layer(ctx, UnitsTable, "MULTIPOLYGON", w.set.Layer+" units", "unit (NPU) boundaries; approximate = not the force's own boundary", cols, bound)
	if err != nil {
		return err
	}
	bounds := make([]*orb.Bound, len(us))
	for i, u := range us {
		var g any
		if len(u.Geometry) > 0 {
			b := u.Geometry.Bound()
			bounds[i] = &b
			mp, err := feature.GeomMultiPolygon(u.Geometry)
			if err != nil {
				return fmt.Errorf("unit %s: %w", u.Code, err)
			}
			if g, err = w.geometry(mp, u.Geometry.Bound()); err != nil {
				return fmt.Errorf("unit %s: %w", u.Code, err)
			}
		}
		if err := st.add(ctx, "unit "+u.Code, g, u.Code, u.Name, u.Force, u.Approximate); err != nil {
			return err
		}
	}
	if err := st.flush(ctx); err != nil {
		return err
	}
	return spatialIndex(ctx, w.tx, UnitsTable, bounds)
}

func (w *writer) provenance(ctx context.Context) error {
	js, err := feature.ProvenanceJSON(w.set.Provenance)
	if err != nil {
		return err
	}
	res, err := w.tx.ExecContext(ctx, `INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) VALUES ('dataset', ?, 'application/json', ?)`, MetadataURI, string(js))
	if err != nil {
		return fmt.Errorf("geopackage metadata: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("geopackage metadata: %w", err)
	}
	if _, err := w.tx.ExecContext(ctx, `INSERT INTO gpkg_metadata_reference (reference_scope, table_name, column_name, row_id_value, timestamp, md_file_id) VALUES ('geopackage', NULL, NULL, NULL, ?, ?)`, w.when, id); err != nil {
		return fmt.Errorf("geopackage metadata reference: %w", err)
	}
	if _, err := w.tx.ExecContext(ctx, fmt.Sprintf(`CREATE TABLE %q (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "key" TEXT NOT NULL, "value" TEXT)`, ProvenanceTable)); err != nil {
		return fmt.Errorf("geopackage create %s: %w", ProvenanceTable, err)
	}
	if _, err := w.tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES (?, 'attributes', ?, 'how this export was made: sources, window, bands, resolution, metric, weights, versions', ?)`,
		ProvenanceTable, w.set.Layer+" provenance", w.when); err != nil {
		return fmt.Errorf("geopackage register %s: %w", ProvenanceTable, err)
	}
	st, err := w.tx.PrepareContext(ctx, fmt.Sprintf(`INSERT INTO %q ("key", "value") VALUES (?, ?)`, ProvenanceTable))
	if err != nil {
		return fmt.Errorf("geopackage prepare %s insert: %w", ProvenanceTable, err)
	}
	defer st.Close()
	rows := append(feature.ProvenanceLines(w.set.Provenance), [2]string{"json", string(js)})
	for _, kv := range rows {
		if _, err := st.ExecContext(ctx, kv[0], kv[1]); err != nil {
			return fmt.Errorf("geopackage insert provenance %s: %w", kv[0], err)
		}
	}
	return nil
}

// geometry encodes g as a GeoPackage binary geometry: "GP", version 0,
// flags (envelope [minx, maxx, miny, maxy], little-endian), the SRS id,
// the envelope, then the WKB.
func (w *writer) geometry(g geom.T, b orb.Bound) ([]byte, error) {
	wk, err := wkb.Marshal(g, binary.LittleEndian)
	if err != nil {
		return nil, fmt.Errorf("wkb: %w", err)
	}
	return appendHeader(make([]byte, 0, HeaderSize+len(wk)), b, wk), nil
}

// HeaderSize is the length of the GeoPackage binary header written here
// (8 bytes and an XY envelope of 4 doubles).
const HeaderSize = 8 + 32

// Flags is the header flags byte written: standard GeoPackage binary, not
// empty, envelope type 1 ([minx, maxx, miny, maxy]), little-endian.
const Flags = 1<<1 | 1

func appendHeader(dst []byte, b orb.Bound, wk []byte) []byte {
	dst = append(dst, 'G', 'P', 0, Flags)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(int32(SRSID)))
	for _, v := range [4]float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
	}
	return append(dst, wk...)
}

func sqlValue(v feature.Value) any {
	switch v.Kind {
	case feature.Integer:
		return v.I
	case feature.Real:
		if !feature.Finite(v.F) {
			return nil
		}
		return v.F
	}
	return v.S
}

func boundOf(n int, f func(int) orb.Bound) *orb.Bound {
	b := f(0)
	for i := 1; i < n; i++ {
		b = b.Union(f(i))
	}
	return &b
}

func countGeometries(us []hotgrid.Unit) int {
	n := 0
	for _, u := range us {
		if len(u.Geometry) > 0 {
			n++
		}
	}
	return n
}
