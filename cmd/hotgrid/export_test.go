package main

import (
	"bytes"
	"context"
	stdcsv "encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/export/exporttest"
	"github.com/hotgrid/hotgrid/internal/export/gpkg"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	ogeojson "github.com/paulmach/orb/geojson"
)

// fixedService answers every query with the export package's small fixed
// input and records the last query.
type fixedService struct {
	last  hotgrid.Query
	knife bool
}

func (s *fixedService) Units() []hotgrid.Unit { return exporttest.Small().Units }
func (s *fixedService) Bands() []hotgrid.Band { return nil }
func (s *fixedService) ranking(q hotgrid.Query) *hotgrid.Ranking {
	s.last = q
	in := exporttest.Small()
	return &hotgrid.Ranking{Query: q, Notes: []string{"fixed"}, Units: []hotgrid.UnitRanking{
		{Unit: "BW", Cells: []hotgrid.CellScore{in.Cells[0], in.Cells[1], in.Cells[2]}, Areas: in.Areas[:1]},
		{Unit: "BE", Cells: []hotgrid.CellScore{in.Cells[3], in.Cells[4]}, Areas: in.Areas[1:]},
	}}
}
func (s *fixedService) Rank(_ context.Context, q hotgrid.Query) (*hotgrid.Ranking, error) {
	return s.ranking(q), nil
}
func (s *fixedService) Knife(_ context.Context, q hotgrid.Query) (*hotgrid.Ranking, error) {
	s.knife = true
	return s.ranking(q), nil
}
func (s *fixedService) Cells(_ context.Context, q hotgrid.Query) ([]hotgrid.CellScore, error) {
	s.last = q
	return exporttest.Small().Cells, nil
}
func (s *fixedService) Cell(context.Context, string, hotgrid.Query) (*hotgrid.CellDetail, error) {
	return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no")
}
func (s *fixedService) Provenance(_ context.Context, q hotgrid.Query) hotgrid.Provenance {
	p := exporttest.Provenance()
	p.Query = q
	return p
}

func runExportFixed(t *testing.T, svc *fixedService, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	open := func(context.Context, *Env, string) (hotgrid.Service, func(), error) { return svc, func() {}, nil }
	err := exportCommand(context.Background(), env, args, open)
	return out.String() + errb.String(), err
}

func TestExportFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--out", "x"}, "--format is required"},
		{[]string{"--format", "shp", "--out", "x"}, "unknown export format"},
		{[]string{"--format", "csv"}, "--out FILE is required"},
		{[]string{"--format", "csv", "--out", "x", "--all", "--knife"}, "cannot be combined"},
		{[]string{"--format", "csv", "--out", "x", "--all", "--top", "5"}, "cannot be combined"},
		{[]string{"--format", "csv", "--out", "x", "--from", "last year"}, "--from"},
		{[]string{"--format", "csv", "--out", "x", "extra"}, "unexpected argument"},
	}
	for _, tt := range tests {
		out, err := runExportFixed(t, &fixedService{}, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("export %v: error %v (output %q), want %q", tt.args, err, out, tt.want)
		}
	}
}

func TestExportRank(t *testing.T) {
	svc := &fixedService{}
	out, err := runExportFixed(t, svc, "--format", "geojson", "--out", "-", "--unit", "BW, BE", "--band", "fri-sat-night",
		"--from", "2017-01", "--to", "2017-12", "--metric", "count", "--top", "5", "--res", "9", "--category", "robbery")
	if err != nil {
		t.Fatal(err)
	}
	q := svc.last
	if strings.Join(q.Units, "|") != "BW|BE" || q.Band != "fri-sat-night" || q.Metric != hotgrid.MetricCount || q.Top != 5 ||
		q.From.Format("2006-01-02") != "2017-01-01" || q.To.Format("2006-01-02") != "2018-01-01" || q.Categories[0] != "robbery" {
		t.Errorf("query %+v", q)
	}
	fc, err := ogeojson.UnmarshalFeatureCollection([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 5+2 || fc.ExtraMembers["name"] != exportLayerRank {
		t.Errorf("%d features, name %v", len(fc.Features), fc.ExtraMembers["name"])
	}
	prov, _ := json.Marshal(fc.ExtraMembers["provenance"])
	if !strings.Contains(string(prov), `"notes":["demo data","fixed"]`) {
		t.Errorf("provenance lacks the ranking's notes: %s", prov)
	}
}

func TestExportFiles(t *testing.T) {
	dir := t.TempDir()
	svc := &fixedService{}
	path := filepath.Join(dir, "all.csv")
	out, err := runExportFixed(t, svc, "--format", "csv", "--all", "--out", path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "wrote 6 cells, 0 patrol areas and 2 units") {
		t.Errorf("summary %q", out)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := stdcsv.NewReader(f).ReadAll()
	if err != nil || len(recs) != 7 {
		t.Fatalf("%d rows, %v", len(recs), err)
	}
	for _, side := range []string{filepath.Join(dir, "all.csvt"), path + ".provenance.json"} {
		if _, err := os.Stat(side); err != nil {
			t.Errorf("sidecar: %v", err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d files in the output directory (temporary files left?)", len(entries))
	}

	kpath := filepath.Join(dir, "knife.gpkg")
	if _, err := runExportFixed(t, svc, "--format", "gpkg", "--knife", "--unit", "BW", "--out", kpath); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(kpath)
	if err != nil {
		t.Fatal(err)
	}
	dump, err := gpkg.Dump(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	if !svc.knife || !strings.Contains(dump, `identifier="hotgrid-knife cells"`) || strings.Count(dump, `| code="`) != 1 {
		t.Errorf("knife export: knife called %v, dump:\n%s", svc.knife, dump[:min(len(dump), 2000)])
	}
}
