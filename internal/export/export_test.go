package export_test

import (
	"bytes"
	"context"
	"flag"
	"path/filepath"
	"testing"

	"github.com/hotgrid/hotgrid/internal/export"
	"github.com/hotgrid/hotgrid/internal/export/exporttest"
	"github.com/hotgrid/hotgrid/internal/export/gpkg"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestContentType(t *testing.T) {
	tests := []struct {
		format, ct, ext string
	}{
		{"geojson", "application/geo+json", ".geojson"},
		{"gpkg", "application/geopackage+sqlite3", ".gpkg"},
		{"kml", "application/vnd.google-earth.kml+xml", ".kml"},
		{"csv", "text/csv; charset=utf-8", ".csv"},
	}
	if len(tests) != len(export.Formats) {
		t.Fatalf("Formats has %d entries, test covers %d", len(export.Formats), len(tests))
	}
	for i, tt := range tests {
		if export.Formats[i] != tt.format {
			t.Errorf("Formats[%d] = %q, want %q", i, export.Formats[i], tt.format)
		}
		ct, ext, err := export.ContentType(tt.format)
		if err != nil || ct != tt.ct || ext != tt.ext {
			t.Errorf("ContentType(%q) = %q, %q, %v; want %q, %q", tt.format, ct, ext, err, tt.ct, tt.ext)
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	if _, _, err := export.ContentType("shp"); hotgrid.ErrorCode(err) != hotgrid.EINVALID {
		t.Errorf("ContentType(shp) error %v, want EINVALID", err)
	}
	var buf bytes.Buffer
	err := export.Write(context.Background(), &buf, "xlsx", exporttest.Small())
	if hotgrid.ErrorCode(err) != hotgrid.EINVALID || buf.Len() != 0 {
		t.Errorf("Write(xlsx) = %v with %d bytes, want EINVALID and nothing written", err, buf.Len())
	}
}

func TestBadInput(t *testing.T) {
	in := exporttest.Small()
	in.Cells[2].H3 = "not-a-cell"
	in.Cells[2].Cell = 0
	for _, f := range export.Formats {
		var buf bytes.Buffer
		err := export.Write(context.Background(), &buf, f, in)
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte("cell 3 (rank 3)")) {
			t.Errorf("%s: error %v, want one naming cell 3", f, err)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before failing", f, buf.Len())
		}
	}
	in = exporttest.Small()
	in.Areas[1].Cells = append(in.Areas[1].Cells, "zzz")
	if err := export.Write(context.Background(), &bytes.Buffer{}, "geojson", in); err == nil || !bytes.Contains([]byte(err.Error()), []byte(`patrol area "BE-1" cell 3`)) {
		t.Errorf("bad area cell: error %v", err)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, f := range export.Formats {
		if err := export.Write(ctx, &bytes.Buffer{}, f, exporttest.Small()); err == nil {
			t.Errorf("%s: cancelled context: want error", f)
		}
	}
}

// TestGolden compares each format's output for the small fixed input with
// testdata/small.<ext> (GeoPackage: a text dump of its tables, since SQLite
// page layout is not ours to fix). Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	for _, f := range export.Formats {
		t.Run(f, func(t *testing.T) {
			var buf bytes.Buffer
			if err := export.Write(context.Background(), &buf, f, exporttest.Small()); err != nil {
				t.Fatal(err)
			}
			_, ext, _ := export.ContentType(f)
			got := buf.Bytes()
			if f == "gpkg" {
				dump, err := gpkg.Dump(context.Background(), got)
				if err != nil {
					t.Fatal(err)
				}
				got, ext = []byte(dump), ".gpkg.txt"
			}
			testenv.Golden(t, filepath.Join("testdata", "small"+ext), got, *update)
		})
	}
}
