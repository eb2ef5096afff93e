package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/export"
	"github.com/hotgrid/hotgrid/internal/export/csv"
	"github.com/hotgrid/hotgrid/internal/export/exporttest"
	"github.com/hotgrid/hotgrid/internal/export/gpkg"
	"github.com/hotgrid/hotgrid/internal/export/kml"
)

// gdalLayer is one layer GDAL should find in an export.
type gdalLayer struct {
	name  string
	count int
	cells bool // holds the cells, in Input order (after any areas when mixed)
}

// writeFile writes in as format to dir and returns the path; CSV gets its
// .csvt sidecar, as the CLI writes it.
func writeFile(t *testing.T, dir, format string, in export.Input) string {
	t.Helper()
	_, ext, _ := export.ContentType(format)
	path := filepath.Join(dir, "hotgrid"+ext)
	var buf bytes.Buffer
	if err := export.Write(context.Background(), &buf, format, in); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if format == "csv" {
		var csvt bytes.Buffer
		if err := csv.WriteCSVT(&csvt); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(strings.TrimSuffix(path, ".csv")+".csvt", csvt.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func gdalLayers(format string, in export.Input) []gdalLayer {
	switch format {
	case "geojson":
		return []gdalLayer{{"hotgrid", len(in.Cells) + len(in.Areas), true}}
	case "gpkg":
		return []gdalLayer{{gpkg.CellsTable, len(in.Cells), true}, {gpkg.AreasTable, len(in.Areas), false},
			{gpkg.UnitsTable, len(in.Units), false}, {gpkg.ProvenanceTable, -1, false}}
	case "kml":
		return []gdalLayer{{kml.AreasFolder, len(in.Areas), false}, {kml.CellsFolder, len(in.Cells), true}}
	case "csv":
		return []gdalLayer{{"hotgrid", len(in.Cells), true}}
	}
	return nil
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(exporttest.Tool(t, name), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	if s := stderr.String(); strings.Contains(s, "ERROR") || strings.Contains(s, "Warning") {
		t.Errorf("%s %s wrote to stderr:\n%s", name, strings.Join(args, " "), s)
	}
	return string(out)
}

var (
	featureCount = regexp.MustCompile(`(?m)^Feature Count: (\d+)$`)
	geomColumn   = regexp.MustCompile(`(?m)^Geometry Column = (\S+)$`)
	intValue     = regexp.MustCompile(`(?m)^  (\w+) \(Integer\) = (\d+)$`)
)

// layerInfo returns a layer's feature count and geometry column name.
func layerInfo(t *testing.T, path, layer string) (int, string) {
	t.Helper()
	out := run(t, "ogrinfo", "-ro", "-so", path, layer)
	m := featureCount.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("ogrinfo %s %s: no feature count in\n%s", path, layer, out)
	}
	n, _ := strconv.Atoi(m[1])
	g := "GEOMETRY"
	if m := geomColumn.FindStringSubmatch(out); m != nil {
		g = m[1]
	}
	return n, g
}

// sqlInts runs a SQLite-dialect query and returns its integer columns.
func sqlInts(t *testing.T, path, query string) map[string]int {
	t.Helper()
	out := run(t, "ogrinfo", "-ro", "-q", "-dialect", "sqlite", "-sql", query, path)
	got := map[string]int{}
	for _, m := range intValue.FindAllStringSubmatch(out, -1) {
		got[m[1]], _ = strconv.Atoi(m[2])
	}
	return got
}

// properties reads a layer's attributes through GDAL (ogr2ogr to GeoJSON).
func properties(t *testing.T, path, layer string) []map[string]any {
	t.Helper()
	out := run(t, "ogr2ogr", "-f", "GeoJSON", "/vsistdout/", path, layer)
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(out), &fc); err != nil {
		t.Fatalf("ogr2ogr %s %s: %v", path, layer, err)
	}
	ps := make([]map[string]any, len(fc.Features))
	for i, f := range fc.Features {
		ps[i] = f.Properties
	}
	return ps
}

// TestGDAL opens every format with GDAL: layers and feature counts, the
// cells' h3, rank, count and harm, and that no polygon is invalid.
func TestGDAL(t *testing.T) {
	exporttest.Tool(t, "ogrinfo")
	exporttest.Tool(t, "ogr2ogr")
	in := exporttest.Small()
	for _, format := range export.Formats {
		t.Run(format, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), format, in)
			checkGDAL(t, path, format, in)
		})
	}
}

func checkGDAL(t *testing.T, path, format string, in export.Input) {
	t.Helper()
	for _, l := range gdalLayers(format, in) {
		n, g := layerInfo(t, path, l.name)
		if l.count >= 0 && n != l.count {
			t.Errorf("%s: layer %q has %d features, want %d", format, l.name, n, l.count)
		}
		if l.name == gpkg.ProvenanceTable {
			if n == 0 {
				t.Errorf("empty provenance table")
			}
			continue
		}
		q := fmt.Sprintf(`SELECT count(*) AS n, sum(ST_IsValid("%s")) AS valid FROM "%s"`, g, l.name)
		if got := sqlInts(t, path, q); got["n"] != n || got["valid"] != n {
			t.Errorf("%s layer %q: %d features, %d valid geometries", format, l.name, got["n"], got["valid"])
		}
		if !l.cells {
			continue
		}
		ps := properties(t, path, l.name)
		var cells []map[string]any
		for _, p := range ps {
			if k, ok := p["kind"]; !ok || k == "cell" {
				cells = append(cells, p)
			}
		}
		if len(cells) != len(in.Cells) {
			t.Fatalf("%s: GDAL reads %d cells, want %d", format, len(cells), len(in.Cells))
		}
		for i, c := range in.Cells {
			p := cells[i]
			if p["h3"] != c.H3 || p["rank"] != float64(c.Rank) || p["count"] != c.Count || p["harm"] != c.Harm || p["z"] != c.Z {
				t.Errorf("%s: GDAL reads cell %d as h3 %v rank %v count %v harm %v z %v; want %s %d %g %g %g",
					format, i, p["h3"], p["rank"], p["count"], p["harm"], p["z"], c.H3, c.Rank, c.Count, c.Harm, c.Z)
			}
		}
	}
}

// TestGDALRoundTrip copies the GeoPackage with ogr2ogr and back: every
// layer keeps its count and valid geometries.
func TestGDALRoundTrip(t *testing.T) {
	exporttest.Tool(t, "ogr2ogr")
	in := exporttest.Small()
	dir := t.TempDir()
	src := writeFile(t, dir, "gpkg", in)
	out2 := filepath.Join(dir, "out2.gpkg")
	out3 := filepath.Join(dir, "out3.gpkg")
	run(t, "ogr2ogr", "-f", "GPKG", out2, src)
	run(t, "ogr2ogr", "-f", "GPKG", out3, out2)
	for _, p := range []string{out2, out3} {
		checkGDAL(t, p, "gpkg", in)
	}
	n, _ := layerInfo(t, out3, gpkg.ProvenanceTable)
	if m, _ := layerInfo(t, src, gpkg.ProvenanceTable); n != m {
		t.Errorf("provenance rows %d after round trip, want %d", n, m)
	}
	// GeoJSON into a GeoPackage through GDAL keeps every feature too.
	gj := writeFile(t, dir, "geojson", in)
	out4 := filepath.Join(dir, "from-geojson.gpkg")
	run(t, "ogr2ogr", "-f", "GPKG", out4, gj)
	if n, _ := layerInfo(t, out4, "hotgrid"); n != len(in.Cells)+len(in.Areas) {
		t.Errorf("geojson -> gpkg: %d features", n)
	}
}

// TestGDALSpatialIndex checks GDAL sees each layer's R-tree and that the
// triggers keep it right when a GIS edits the file.
func TestGDALSpatialIndex(t *testing.T) {
	exporttest.Tool(t, "ogrinfo")
	in := exporttest.Small()
	path := writeFile(t, t.TempDir(), "gpkg", in)
	for _, l := range []string{gpkg.CellsTable, gpkg.AreasTable, gpkg.UnitsTable} {
		out := run(t, "ogrinfo", "-ro", "-q", "-sql", fmt.Sprintf("SELECT HasSpatialIndex('%s', 'geom') AS h", l), path)
		if !strings.Contains(out, "HasSpatialIndex (Integer) = 1") {
			t.Errorf("GDAL finds no spatial index on %s", l)
		}
	}
	// Move cell 1 onto cell 6, delete cell 2: a spatial filter around cell
	// 6 then finds both, and the index has one entry fewer.
	run(t, "ogrinfo", "-q", path, "-sql", "UPDATE cells SET geom = (SELECT geom FROM cells WHERE fid = 6) WHERE fid = 1")
	run(t, "ogrinfo", "-q", path, "-sql", "DELETE FROM cells WHERE fid = 2")
	if got := sqlInts(t, path, "SELECT count(*) AS n FROM rtree_cells_geom"); got["n"] != len(in.Cells)-1 {
		t.Errorf("R-tree has %d entries after a delete, want %d", got["n"], len(in.Cells)-1)
	}
	out := run(t, "ogrinfo", "-ro", "-q", path, "-spat", "-1.9515", "52.5195", "-1.9495", "52.5205", gpkg.CellsTable)
	if n := strings.Count(out, "OGRFeature(cells)"); n != 2 {
		t.Errorf("spatial filter around cell 6 finds %d cells, want 2 (cell 6 and the moved cell 1)", n)
	}
}
