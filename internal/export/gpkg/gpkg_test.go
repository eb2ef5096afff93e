package gpkg_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/export/exporttest"
	"github.com/hotgrid/hotgrid/internal/export/gpkg"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/twpayne/go-geom"
)

// open writes in as a GeoPackage file and opens it with database/sql.
func open(t *testing.T) (*sql.DB, func() []byte) {
	t.Helper()
	in := exporttest.Small()
	in.Cells[5].Q = math.NaN()
	b, err := gpkg.Build(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "out.gpkg")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, func() []byte { return b }
}

func TestHeaderAndRegistry(t *testing.T) {
	db, raw := open(t)
	if string(raw()[:16]) != "SQLite format 3\x00" {
		t.Fatal("not a SQLite file")
	}
	var appID, userVersion int64
	if err := db.QueryRow("PRAGMA application_id").Scan(&appID); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("PRAGMA user_version").Scan(&userVersion); err != nil {
		t.Fatal(err)
	}
	if appID != gpkg.ApplicationID || userVersion != gpkg.UserVersion {
		t.Errorf("application_id %x user_version %d", appID, userVersion)
	}
	var srs []int64
	rows, err := db.Query("SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		srs = append(srs, id)
	}
	rows.Close()
	if len(srs) != 3 || srs[0] != -1 || srs[1] != 0 || srs[2] != 4326 {
		t.Errorf("srs ids %v, want -1 0 4326", srs)
	}
	want := map[string]string{"cells": "features", "patrol_areas": "features", "units": "features", "hotgrid_provenance": "attributes"}
	rows, err = db.Query("SELECT table_name, data_type, last_change || '' FROM gpkg_contents")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var name, typ, when string
		rows.Scan(&name, &typ, &when)
		if want[name] != typ {
			t.Errorf("gpkg_contents %s is %q", name, typ)
		}
		if when != "2024-03-01T09:30:00.000Z" {
			t.Errorf("%s last_change %q", name, when)
		}
		n++
	}
	rows.Close()
	if n != len(want) {
		t.Errorf("%d gpkg_contents rows, want %d", n, len(want))
	}
	var geomType string
	if err := db.QueryRow("SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = 'cells' AND column_name = 'geom' AND srs_id = 4326").Scan(&geomType); err != nil || geomType != "POLYGON" {
		t.Errorf("cells geometry column %q %v", geomType, err)
	}
	var ext int
	db.QueryRow("SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_metadata'").Scan(&ext)
	if ext != 2 {
		t.Errorf("%d gpkg_metadata extension rows, want 2", ext)
	}
}

func TestCellsRoundTrip(t *testing.T) {
	db, _ := open(t)
	in := exporttest.Small()
	rows, err := db.Query(`SELECT geom, h3, unit, rank, count, harm, recency, z, p, q, class, trend, peak_band, patrol_area FROM cells ORDER BY fid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var blob []byte
		var c hotgrid.CellScore
		var q sql.NullFloat64
		var class string
		if err := rows.Scan(&blob, &c.H3, &c.Unit, &c.Rank, &c.Count, &c.Harm, &c.Recency, &c.Z, &c.P, &q, &class, &c.Trend, &c.PeakBand, &c.Area); err != nil {
			t.Fatal(err)
		}
		w := in.Cells[i]
		if c.H3 != w.H3 || c.Unit != w.Unit || c.Rank != w.Rank || c.Count != w.Count || c.Harm != w.Harm || c.Z != w.Z || c.P != w.P || class != string(w.Class) || c.Area != w.Area {
			t.Errorf("row %d = %+v, want %+v", i, c, w)
		}
		if i == 5 && q.Valid {
			t.Errorf("NaN q written as %v, want NULL", q.Float64)
		}
		g, err := gpkg.ReadGeometry(blob)
		if err != nil {
			t.Fatal(err)
		}
		if blob[3] != gpkg.Flags || g.SRSID != 4326 || g.Empty {
			t.Errorf("header flags %x srs %d empty %v", blob[3], g.SRSID, g.Empty)
		}
		p, ok := g.Geom.(*geom.Polygon)
		if !ok {
			t.Fatalf("geometry %T", g.Geom)
		}
		want := geo.Boundary(w.Cell)
		coords := p.Coords()[0]
		if len(coords) != len(want[0]) {
			t.Fatalf("%d vertices, want %d", len(coords), len(want[0]))
		}
		minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for j, c := range coords {
			if c[0] != want[0][j][0] || c[1] != want[0][j][1] {
				t.Errorf("vertex %d = %v, want %v", j, c, want[0][j])
			}
			minX, maxX = math.Min(minX, c[0]), math.Max(maxX, c[0])
			minY, maxY = math.Min(minY, c[1]), math.Max(maxY, c[1])
		}
		if g.Envelope != [4]float64{minX, maxX, minY, maxY} {
			t.Errorf("envelope %v, want %v", g.Envelope, [4]float64{minX, maxX, minY, maxY})
		}
		i++
	}
	if i != len(in.Cells) {
		t.Errorf("%d cells, want %d", i, len(in.Cells))
	}
}

func TestAreasUnitsProvenance(t *testing.T) {
	db, _ := open(t)
	in := exporttest.Small()
	var n int
	db.QueryRow("SELECT count(*) FROM patrol_areas").Scan(&n)
	if n != len(in.Areas) {
		t.Errorf("%d patrol areas, want %d", n, len(in.Areas))
	}
	var blob []byte
	var id string
	var cells int
	if err := db.QueryRow("SELECT geom, patrol_area, n_cells FROM patrol_areas WHERE fid = 2").Scan(&blob, &id, &cells); err != nil {
		t.Fatal(err)
	}
	g, err := gpkg.ReadGeometry(blob)
	if err != nil {
		t.Fatal(err)
	}
	if mp, ok := g.Geom.(*geom.MultiPolygon); !ok || mp.NumPolygons() != 2 || id != "BE-1" || cells != 2 {
		t.Errorf("area BE-1: %T %v %q %d", g.Geom, g.Geom, id, cells)
	}
	var code string
	var approx bool
	if err := db.QueryRow("SELECT code, approximate FROM units WHERE fid = 1").Scan(&code, &approx); err != nil || code != "BW" || !approx {
		t.Errorf("unit 1: %q %v %v", code, approx, err)
	}
	var md, mime string
	if err := db.QueryRow("SELECT m.metadata, m.mime_type FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id WHERE r.reference_scope = 'geopackage'").Scan(&md, &mime); err != nil {
		t.Fatal(err)
	}
	var prov hotgrid.Provenance
	if err := json.Unmarshal([]byte(md), &prov); err != nil || mime != "application/json" {
		t.Fatalf("metadata %q: %v", mime, err)
	}
	if !prov.MadeAt.Equal(exporttest.MadeAt) || prov.Sources[0].Name != "wmp-2017.csv.gz" {
		t.Errorf("provenance %+v", prov)
	}
	var v string
	if err := db.QueryRow(`SELECT value FROM hotgrid_provenance WHERE key = 'weights_version'`).Scan(&v); err != nil || v != "ons-css-2023" {
		t.Errorf("hotgrid_provenance weights_version %q %v", v, err)
	}
}

func TestReadGeometryErrors(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("XX\x00\x03aaaa"), []byte("GP\x01\x03aaaa"), []byte("GP\x00\x03\xe6\x10\x00\x00short")} {
		if _, err := gpkg.ReadGeometry(b); err == nil {
			t.Errorf("ReadGeometry(%q): want error", b)
		}
	}
}

func TestSpatialIndex(t *testing.T) {
	db, _ := open(t)
	in := exporttest.Small()
	for table, want := range map[string]int{"cells": len(in.Cells), "patrol_areas": len(in.Areas), "units": len(in.Units)} {
		var n, ext, triggers int
		db.QueryRow(`SELECT count(*) FROM "rtree_` + table + `_geom"`).Scan(&n)
		db.QueryRow(`SELECT count(*) FROM gpkg_extensions WHERE table_name = ? AND column_name = 'geom' AND extension_name = 'gpkg_rtree_index'`, table).Scan(&ext)
		db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?`, table).Scan(&triggers)
		if n != want || ext != 1 || triggers != 6 {
			t.Errorf("%s: %d index entries (want %d), %d extension rows, %d triggers", table, n, want, ext, triggers)
		}
	}
	// The index holds each cell's envelope (rounded outwards to float32).
	var minX, maxX float64
	if err := db.QueryRow(`SELECT minx, maxx FROM rtree_cells_geom WHERE id = 1`).Scan(&minX, &maxX); err != nil {
		t.Fatal(err)
	}
	b := geo.Boundary(in.Cells[0].Cell).Bound()
	if minX > b.Min[0] || maxX < b.Max[0] || b.Min[0]-minX > 1e-5 || maxX-b.Max[0] > 1e-5 {
		t.Errorf("index x range %g..%g, cell %g..%g", minX, maxX, b.Min[0], b.Max[0])
	}
}
