package export_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/hotgrid/hotgrid/data"
	"github.com/hotgrid/hotgrid/internal/export"
	"github.com/hotgrid/hotgrid/internal/export/exporttest"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/ingest"
	"github.com/hotgrid/hotgrid/internal/score"
	"github.com/hotgrid/hotgrid/internal/severity"
	"github.com/hotgrid/hotgrid/internal/store/sqlite"
	"github.com/hotgrid/hotgrid/internal/units"
)

// demoService scores the embedded demo data (West Midlands 2017) as
// `hotgrid` does without a store: the embedded units, force areas and
// weights over the demo offences ingested into an in-memory store. The
// store stays open for the test binary's life.
func demoService() (hotgrid.Service, error) {
	ctx := context.Background()
	npus, err := units.Default()
	if err != nil {
		return nil, err
	}
	forces, err := units.DefaultForces()
	if err != nil {
		return nil, err
	}
	weights, err := severity.Default()
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, sqlite.MemoryPath)
	if err != nil {
		return nil, err
	}
	m, err := ingest.LoadMapping(bytes.NewReader(data.DemoMapping()), "data/mappings/demo.json")
	if err != nil {
		return nil, err
	}
	rc, name := data.DemoCSV()
	defer rc.Close()
	in := &ingest.Ingester{Store: db, Units: npus, Codes: weights}
	if _, err := in.IngestReader(ctx, rc, name, ingest.FormatMapped, m); err != nil {
		return nil, err
	}
	if err := in.Flush(); err != nil {
		return nil, err
	}
	sources, err := db.Sources(ctx)
	if err != nil {
		return nil, err
	}
	return score.NewEngine(score.Config{Units: npus.Units(), Forces: forces.Units(), Weights: weights, Version: "test", Sources: sources},
		func(fn func(*hotgrid.Offence) error) error { return db.ScanOffences(ctx, hotgrid.OffenceFilter{}, fn) })
}

// demo is the demo service and every scored cell of it at resolution 9
// with the unit boundaries and provenance, as `hotgrid export --all` builds
// it; made once per test binary, as ingesting and scoring take seconds.
type demo struct {
	svc hotgrid.Service
	in  export.Input
}

var loadDemo = sync.OnceValues(func() (*demo, error) {
	svc, err := demoService()
	if err != nil {
		return nil, fmt.Errorf("demo service: %w", err)
	}
	ctx := context.Background()
	q := hotgrid.Query{Resolution: 9}
	cells, err := svc.Cells(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(cells) == 0 {
		return nil, fmt.Errorf("demo data scored no cells")
	}
	return &demo{svc: svc, in: export.Input{Cells: cells, Units: svc.Units(), Provenance: svc.Provenance(ctx, q), Layer: "hotgrid"}}, nil
})

func demoData(tb testing.TB) *demo {
	tb.Helper()
	d, err := loadDemo()
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// TestDemoEndToEnd exports every res-9 cell of the demo data in every
// format and checks with GDAL that each holds exactly Service.Cells, with
// the same h3, rank, count, harm and z, and only valid polygons; and the
// top hot grids of Service.Rank with their patrol areas.
func TestDemoEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests and scores the demo data; skipped with -short")
	}
	exporttest.Tool(t, "ogrinfo")
	exporttest.Tool(t, "ogr2ogr")
	d := demoData(t)
	svc, in := d.svc, d.in
	t.Logf("demo data: %d cells at res 9, %d units", len(in.Cells), len(in.Units))
	dir := t.TempDir()
	for _, format := range export.Formats {
		t.Run("all-"+format, func(t *testing.T) {
			checkGDAL(t, writeFile(t, dir, format, in), format, in)
		})
	}
	rk, err := svc.Rank(context.Background(), hotgrid.Query{})
	if err != nil {
		t.Fatal(err)
	}
	var top export.Input
	for _, u := range rk.Units {
		top.Cells = append(top.Cells, u.Cells...)
		top.Areas = append(top.Areas, u.Areas...)
	}
	top.Units = svc.Units()
	top.Provenance = svc.Provenance(context.Background(), rk.Query)
	if len(top.Areas) == 0 {
		t.Fatal("demo ranking has no patrol areas")
	}
	t.Run("rank-gpkg", func(t *testing.T) {
		checkGDAL(t, writeFile(t, t.TempDir(), "gpkg", top), "gpkg", top)
	})
	t.Run("rank-geojson", func(t *testing.T) {
		checkGDAL(t, writeFile(t, t.TempDir(), "geojson", top), "geojson", top)
	})
}
