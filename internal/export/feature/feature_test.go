package feature_test

import (
	"math"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/export/exporttest"
	"github.com/hotgrid/hotgrid/internal/export/feature"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

func TestPrepare(t *testing.T) {
	in := exporttest.Small()
	in.Layer = ""
	in.Provenance.MadeAt = in.Provenance.MadeAt.AddDate(-100, 0, 0) // any non-zero time is kept
	in.Cells[0].Cell = 0                                            // H3 alone is enough
	in.Cells[1].H3 = ""                                             // Cell alone is enough
	s, err := feature.Prepare(in)
	if err != nil {
		t.Fatal(err)
	}
	if s.Layer != feature.DefaultLayer || !s.Provenance.MadeAt.Equal(in.Provenance.MadeAt) {
		t.Errorf("layer %q made at %v", s.Layer, s.Provenance.MadeAt)
	}
	if s.Cells[0].Cell == 0 || s.Cells[1].H3 != geo.String(s.Cells[1].Cell) {
		t.Errorf("cell ids not completed: %+v %+v", s.Cells[0].CellScore, s.Cells[1].CellScore)
	}
	for _, c := range s.Cells {
		if !s.Bound.Contains(c.Center) || len(c.Polygon[0]) != 7 {
			t.Errorf("cell %s: centre %v outside bound %v or %d vertices", c.H3, c.Center, s.Bound, len(c.Polygon[0]))
		}
	}
	if len(s.Areas[0].Outline) != 1 || len(s.Areas[1].Outline) != 2 {
		t.Errorf("outlines: %d and %d polygons", len(s.Areas[0].Outline), len(s.Areas[1].Outline))
	}
}

func TestPrepareErrors(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*feature.Input)
		want   string
	}{
		{"no cell", func(in *feature.Input) { in.Cells[1].H3, in.Cells[1].Cell = "", 0 }, "cell 2 (rank 2): no H3 cell"},
		{"bad h3", func(in *feature.Input) { in.Cells[0].H3 = "=HYPERLINK()" }, "cell 1 (rank 1)"},
		{"mismatch", func(in *feature.Input) { in.Cells[0].Cell = in.Cells[1].Cell }, "does not match"},
		{"empty area", func(in *feature.Input) { in.Areas[0].Cells = nil }, `patrol area "BW-1" has no cells`},
		{"mixed area", func(in *feature.Input) {
			c, _ := geo.ParseCell(in.Areas[0].Cells[0])
			in.Areas[0].Cells = append(in.Areas[0].Cells, geo.String(geo.Parent(c, 8)))
		}, `patrol area "BW-1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := exporttest.Small()
			tt.modify(&in)
			_, err := feature.Prepare(in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestZeroMadeAtIsNow(t *testing.T) {
	in := exporttest.Small()
	in.Provenance = hotgrid.Provenance{}
	s, err := feature.Prepare(in)
	if err != nil {
		t.Fatal(err)
	}
	if s.Provenance.MadeAt.IsZero() || s.Provenance.MadeAt.Location().String() != "UTC" {
		t.Errorf("made at %v, want now in UTC", s.Provenance.MadeAt)
	}
}

func TestValues(t *testing.T) {
	c := exporttest.Small().Cells[0]
	fs := feature.CellFields()
	for i, f := range fs {
		v := feature.CellValue(&c, i)
		if v.Kind != f.Kind {
			t.Errorf("cell field %s: value kind %d, field kind %d", f.Name, v.Kind, f.Kind)
		}
	}
	if v := feature.CellValue(&c, 6); v.F != c.Z {
		t.Errorf("z = %v", v)
	}
	a := exporttest.Small().Areas[0]
	for i, f := range feature.AreaFields() {
		if v := feature.AreaValue(&a, i); v.Kind != f.Kind {
			t.Errorf("area field %s: value kind %d, field kind %d", f.Name, v.Kind, f.Kind)
		}
	}
	if v := feature.AreaValue(&a, 11); v.S != strings.Join(a.Cells, " ") {
		t.Errorf("cells = %q", v.S)
	}
	if feature.Finite(math.NaN()) || feature.Finite(math.Inf(-1)) || !feature.Finite(-2) {
		t.Error("Finite")
	}
}

func TestDoseText(t *testing.T) {
	tests := []struct {
		d    hotgrid.Dose
		want string
	}{
		{hotgrid.Dose{}, ""},
		{hotgrid.Dose{Band: "night", VisitMinutes: 15, EveryMinutes: 120, Visits: 4}, "15 min every 2 h in night (4 visits)"},
		{hotgrid.Dose{VisitMinutes: 10, EveryMinutes: 90}, "10 min every 90 min"},
	}
	for _, tt := range tests {
		if got := feature.DoseText(tt.d); got != tt.want {
			t.Errorf("DoseText(%+v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestProvenanceLines(t *testing.T) {
	got := map[string]string{}
	for _, kv := range feature.ProvenanceLines(exporttest.Provenance()) {
		got[kv[0]] = kv[1]
	}
	want := map[string]string{
		"source_1":        "wmp-2017.csv.gz sha256:9f2c4e0b7d1a mapped rows=1200 accepted=1198 rejected=2 2017-01-01..2017-12-31",
		"data_from":       "2017-01-01T00:00:00Z",
		"window_to":       "2018-01-01T00:00:00Z",
		"units":           "BW, BE",
		"band":            "fri-sat-night",
		"bands":           "any, fri-sat-night, weekday-evening",
		"resolution":      "9",
		"metric":          "harm",
		"categories":      "all",
		"weights_version": "ons-css-2023",
		"hotgrid_version": "test",
		"made_at":         "2024-03-01T09:30:00Z",
		"note_1":          "demo data",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	empty := map[string]string{}
	for _, kv := range feature.ProvenanceLines(hotgrid.Provenance{}) {
		empty[kv[0]] = kv[1]
	}
	if empty["units"] != "all" || empty["band"] != "any" || empty["metric"] != "harm" || empty["resolution"] != "9" {
		t.Errorf("defaults %v", empty)
	}
}

// TestPrepareLarge covers the parallel path: every cell gets its hexagon,
// and the error names the first bad cell whichever worker finds it.
func TestPrepareLarge(t *testing.T) {
	in := exporttest.Synthetic()
	s, err := feature.Prepare(in)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range s.Cells {
		if c.H3 != in.Cells[i].H3 || len(c.Polygon) != 1 || len(c.Polygon[0]) < 7 || c.Center != geo.Center(in.Cells[i].Cell) {
			t.Fatalf("cell %d prepared as %+v", i, c)
		}
	}
	for _, i := range []int{len(in.Cells) - 10, 5000} {
		in.Cells[i].H3, in.Cells[i].Cell = "", 0
	}
	if _, err := feature.Prepare(in); err == nil || !strings.Contains(err.Error(), "cell 5001 ") {
		t.Errorf("error %v, want one naming cell 5001", err)
	}
}
