// Package exporttest holds what the export tests and benchmarks share: a
// small fixed Input for golden files, a synthetic West Midlands Input of
// realistic size, hostile text for the CSV injection tests, and helpers to
// find GDAL's command-line tools.
package exporttest

import (
	"math"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/export/feature"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
)

// MadeAt is the fixed export time of the test inputs.
var MadeAt = time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)

// Small returns a fixed Input: six cells in two units around Birmingham
// (one with a negative z), a patrol area of three adjacent cells, one of two
// cells that do not touch (a MultiPolygon), two unit boundaries and a full
// provenance.
func Small() feature.Input {
	must := func(lon, lat float64) uint64 {
		c, err := geo.CellAt(lon, lat, 9)
		if err != nil {
			panic(err)
		}
		return c
	}
	a := must(-1.8904, 52.4862)
	ring := geo.Ring(a, 1)
	b := must(-1.80, 52.47)
	d := must(-1.83, 52.45)
	e := must(-1.95, 52.52)
	cell := func(id uint64, unit string, rank int, count, harm, z float64, class hotgrid.Class, area string) hotgrid.CellScore {
		p := math.Erfc(math.Abs(z) / math.Sqrt2)
		return hotgrid.CellScore{
			Cell: id, H3: geo.String(id), Unit: unit, Rank: rank, Count: count, Harm: harm,
			Recency: harm * 0.61, Z: z, P: p, Q: math.Min(1, p*3), Class: class,
			Trend: "rising", PeakBand: "fri-sat-night", Area: area,
		}
	}
	cells := []hotgrid.CellScore{
		cell(a, "BW", 1, 41.25, 3120.5, 5.8123, hotgrid.ClassHot99, "BW-1"),
		cell(ring[0], "BW", 2, 30, 2210.75, 3.1, hotgrid.ClassHot99, "BW-1"),
		cell(ring[1], "BW", 3, 22.5, 1500, 2.2, hotgrid.ClassHot95, "BW-1"),
		cell(b, "BE", 1, 18.125, 990.25, 1.7, hotgrid.ClassHot90, "BE-1"),
		cell(d, "BE", 2, 12, 600, 0.4, hotgrid.ClassNone, "BE-1"),
		cell(e, "BW", 4, 0.5, 2, -2.7, hotgrid.ClassCold95, ""),
	}
	cells[3].Trend, cells[4].Trend, cells[5].Trend = "steady", "falling", "steady"
	cells[5].PeakBand = "any"
	areas := []hotgrid.PatrolArea{
		{ID: "BW-1", Unit: "BW", Rank: 1, Cells: []string{cells[0].H3, cells[1].H3, cells[2].H3},
			Count: 93.75, Harm: 6831.25, PeakBands: []string{"fri-sat-night", "weekday-evening"},
			Dose: hotgrid.Dose{Band: "fri-sat-night", VisitMinutes: 15, EveryMinutes: 120, Visits: 4}},
		{ID: "BE-1", Unit: "BE", Rank: 1, Cells: []string{cells[3].H3, cells[4].H3},
			Count: 30.125, Harm: 1590.25, PeakBands: []string{"fri-sat-night"},
			Dose: hotgrid.Dose{Band: "fri-sat-night", VisitMinutes: 15, EveryMinutes: 180, Visits: 3}},
	}
	box := func(x0, y0, x1, y1 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
	}
	units := []hotgrid.Unit{
		{Code: "BW", Name: "Birmingham West", Force: "West Midlands Police", Approximate: true, Geometry: box(-2.0, 52.45, -1.87, 52.55)},
		{Code: "BE", Name: "Birmingham East", Force: "West Midlands Police", Geometry: box(-1.87, 52.40, -1.75, 52.50)},
	}
	return feature.Input{Cells: cells, Areas: areas, Units: units, Provenance: Provenance(), Layer: "hotgrid"}
}

// Provenance returns a fixed provenance with one source.
func Provenance() hotgrid.Provenance {
	return hotgrid.Provenance{
		Sources: []hotgrid.SourceFile{{
			Name: "wmp-2017.csv.gz", Hash: "9f2c4e0b7d1a", Format: "mapped", Rows: 1200, Accepted: 1198, Rejected: 2,
			MinTime:    time.Date(2017, 1, 1, 0, 5, 0, 0, time.UTC),
			MaxTime:    time.Date(2017, 12, 31, 23, 40, 0, 0, time.UTC),
			IngestedAt: time.Date(2024, 2, 28, 12, 0, 0, 0, time.UTC),
		}},
		DataFrom: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC),
		DataTo:   time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC),
		Query: hotgrid.Query{Units: []string{"BW", "BE"}, Band: "fri-sat-night", Metric: hotgrid.MetricHarm, Top: 10, Resolution: 9,
			From: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)},
		Bands:          []string{"any", "fri-sat-night", "weekday-evening"},
		WeightsVersion: "ons-css-2023",
		Version:        "test",
		MadeAt:         MadeAt,
		Notes:          []string{"demo data"},
	}
}

// WestMidlandsBox is the box the synthetic input fills.
var WestMidlandsBox = orb.Bound{Min: orb.Point{-2.2, 52.35}, Max: orb.Point{-1.42, 52.66}}

// Synthetic returns an Input of every res-9 cell in WestMidlandsBox (about
// 19,000 cells: the box is larger than the force area) with deterministic
// made-up scores, ranked, and a patrol area around every 100th cell.
func Synthetic() feature.Input {
	ids, err := geo.Polyfill(orb.MultiPolygon{geo.BoundPolygon(WestMidlandsBox)}, 9)
	if err != nil {
		panic(err)
	}
	cells := make([]hotgrid.CellScore, len(ids))
	for i, id := range ids {
		x := float64((i*7919)%1000) / 10
		z := float64((i*104729)%1200)/100 - 4
		cls := hotgrid.ClassNone
		switch {
		case z > 2.58:
			cls = hotgrid.ClassHot99
		case z < -2.58:
			cls = hotgrid.ClassCold99
		}
		cells[i] = hotgrid.CellScore{Cell: id, H3: geo.String(id), Unit: "U" + string(rune('A'+i%20)), Rank: i + 1,
			Count: x, Harm: x * 37.5, Recency: x * 20.25, Z: z, P: math.Erfc(math.Abs(z) / math.Sqrt2), Q: 0.5,
			Class: cls, Trend: "steady", PeakBand: "any"}
	}
	var areas []hotgrid.PatrolArea
	for i := 0; i < len(ids); i += 100 {
		cs := []string{cells[i].H3}
		for _, n := range geo.Ring(ids[i], 1) {
			cs = append(cs, geo.String(n))
		}
		areas = append(areas, hotgrid.PatrolArea{ID: cells[i].H3, Unit: cells[i].Unit, Rank: len(areas) + 1, Cells: cs,
			Count: 10, Harm: 100, PeakBands: []string{"any"}, Dose: hotgrid.Dose{Band: "any", VisitMinutes: 15, EveryMinutes: 120, Visits: 4}})
		cells[i].Area = cells[i].H3
	}
	units := []hotgrid.Unit{{Code: "WM", Name: "West Midlands", Force: "West Midlands Police",
		Geometry: orb.MultiPolygon{geo.BoundPolygon(WestMidlandsBox)}}}
	return feature.Input{Cells: cells, Areas: areas, Units: units, Provenance: Provenance(), Layer: "hotgrid"}
}

// Hostile lists texts a spreadsheet would evaluate if written as they are.
var Hostile = []string{`=HYPERLINK("http://x","click")`, "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\t=1", "\r=1", "=1+2;=3"}

// Tool returns the path of a GDAL command-line tool (ogrinfo, ogr2ogr). When
// the tool is absent the test is skipped with the reason, or fails when the
// environment variable CI is "true".
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found (install gdal-bin): %v", name, err)
		}
		t.Skipf("%s not found (install gdal-bin to run the GDAL tests): %v", name, err)
	}
	return p
}
