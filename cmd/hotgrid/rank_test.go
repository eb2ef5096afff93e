package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

func TestParseDay(t *testing.T) {
	cases := []struct {
		in   string
		end  bool
		want string
	}{
		{"2017-03-04", false, "2017-03-04T00:00:00Z"},
		{"2017-03-04", true, "2017-03-05T00:00:00Z"},
		{"2017-06", false, "2017-05-31T23:00:00Z"},
		{"2017-06", true, "2017-06-30T23:00:00Z"},
	}
	for _, c := range cases {
		got, err := parseDay(c.in, c.end)
		if err != nil || got.UTC().Format(time.RFC3339) != c.want {
			t.Errorf("parseDay(%q,%v) = %v, %v; want %s", c.in, c.end, got.UTC(), err, c.want)
		}
	}
	if _, err := parseDay("03/2017", false); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Fatalf("err = %v", err)
	}
}

func TestRankFlags(t *testing.T) {
	env := &Env{Stderr: &bytes.Buffer{}}
	if _, err := parseRankFlags(env, "rank", 10, []string{"--top", "0"}); err == nil {
		t.Fatal("want error for --top 0")
	}
	if _, err := parseRankFlags(env, "rank", 10, []string{"--format", "kml"}); err == nil {
		t.Fatal("want error for --format kml")
	}
	f, err := parseRankFlags(env, "knife", 3, []string{"--unit", "B1, B2", "--category", "robbery", "--from", "2017-01", "--to", "2017-03"})
	if err != nil {
		t.Fatal(err)
	}
	q, err := f.query()
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Units) != 2 || q.Units[1] != "B2" || q.Top != 3 || q.Categories[0] != "robbery" || !q.To.After(q.From) {
		t.Fatalf("query %+v", q)
	}
}

func TestRankingGeoJSON(t *testing.T) {
	cell, _ := geo.CellAt(-1.8998, 52.4814, 9)
	r := &hotgrid.Ranking{Query: hotgrid.Query{Band: "nte", Metric: hotgrid.MetricHarm}, StudyArea: "units",
		Notes: []string{"a note"}, Units: []hotgrid.UnitRanking{{Unit: "B1", Cells: []hotgrid.CellScore{{
			Cell: cell, H3: geo.String(cell), Unit: "B1", Rank: 1, Count: 3.5, Harm: 900, Z: 2.5, P: 0.01, Q: 0.04,
			Class: hotgrid.ClassHot95, Trend: "new-hot", PeakBand: "nte", Area: "B1-01"}}}}}
	var buf bytes.Buffer
	if err := writeRankingGeoJSON(&buf, r, hotgrid.Provenance{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Type     string `json:"type"`
		Features []struct {
			Geometry struct {
				Type        string        `json:"type"`
				Coordinates [][][]float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
		Notes      []string       `json:"notes"`
		Provenance map[string]any `json:"provenance"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Type != "FeatureCollection" || len(got.Features) != 1 || got.Notes[0] != "a note" || got.Provenance["hotgrid_version"] != "test" {
		t.Fatalf("collection %+v", got)
	}
	f := got.Features[0]
	if f.Geometry.Type != "Polygon" || len(f.Geometry.Coordinates[0]) != 7 {
		t.Fatalf("geometry %+v", f.Geometry)
	}
	for _, k := range []string{"h3", "unit", "rank", "count", "harm", "z", "p", "q", "class", "trend", "peak_band", "recency", "patrol_area"} {
		if _, ok := f.Properties[k]; !ok {
			t.Errorf("property %s missing", k)
		}
	}
	if f.Properties["class"] != "hot-95" || f.Properties["rank"] != 1.0 {
		t.Fatalf("properties %v", f.Properties)
	}
}
