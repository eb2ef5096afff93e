package server_test

import (
	"context"
	"fmt"
	"sort"
	"sync/atomic"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
)

// fakeService is a small deterministic hotgrid.Service: each unit is a
// square round a centre, and its cells are a disk whose values fall with
// distance from the centre. Values scale with the band and categories so
// that changing a filter changes the answer.
type fakeService struct {
	units []hotgrid.Unit
	bands []hotgrid.Band
	calls atomic.Int64 // scoring calls, to see the cache work
}

var fakeCentres = map[string]orb.Point{
	"BE": {-1.8904, 52.4862}, // Birmingham
	"CV": {-1.5197, 52.4068}, // Coventry
}

func newFake() *fakeService {
	f := &fakeService{}
	for _, code := range []string{"BE", "CV"} {
		c := fakeCentres[code]
		d := 0.03
		ring := orb.Ring{{c[0] - d, c[1] - d}, {c[0] + d, c[1] - d}, {c[0] + d, c[1] + d}, {c[0] - d, c[1] + d}, {c[0] - d, c[1] - d}}
		f.units = append(f.units, hotgrid.Unit{Code: code, Name: map[string]string{"BE": "Birmingham East", "CV": "Coventry"}[code],
			Force: "West Midlands Police", Geometry: orb.MultiPolygon{{ring}}})
	}
	late := hotgrid.Band{Name: "late", Label: "Fri-Sat 20:00-04:00", Start: 20 * 60, End: 4 * 60}
	late.Days[time.Friday], late.Days[time.Saturday] = true, true
	f.bands = []hotgrid.Band{{Name: hotgrid.AnyTimeBand, Label: "Any time", AnyTime: true}, late}
	return f
}

func (f *fakeService) Units() []hotgrid.Unit { return f.units }
func (f *fakeService) Bands() []hotgrid.Band { return f.bands }

func (f *fakeService) unitCodes(q hotgrid.Query) []string {
	if len(q.Units) > 0 {
		return q.Units
	}
	return []string{"BE", "CV"}
}

// scored returns one unit's cells, best first.
func (f *fakeService) scored(unit string, q hotgrid.Query) []hotgrid.CellScore {
	res := q.Resolution
	if res == 0 {
		res = hotgrid.DefaultResolution
	}
	scale := 1.0
	if q.Band == "late" {
		scale = 0.25
	}
	if len(q.Categories) > 0 {
		scale *= 0.1 * float64(len(q.Categories))
	}
	c := fakeCentres[unit]
	centre, _ := geo.CellAt(c[0], c[1], res)
	var out []hotgrid.CellScore
	for k := 0; k <= 4; k++ {
		for i, id := range geo.Ring(centre, k) {
			count := scale * float64(100-20*k-i%3)
			if count <= 0 {
				count = 0.5 * scale
			}
			cl := hotgrid.ClassNone
			if k == 0 {
				cl = hotgrid.ClassHot99
			} else if k == 1 {
				cl = hotgrid.ClassHot95
			}
			out = append(out, hotgrid.CellScore{Cell: id, H3: geo.String(id), Unit: unit, Count: count, Harm: 10 * count,
				Recency: 5 * count, Z: 3 - float64(k)*0.7, P: 0.001 * float64(k+1), Q: 0.002 * float64(k+1), Class: cl,
				Trend: "stable", PeakBand: "late"})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Harm > out[j].Harm })
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

func (f *fakeService) Rank(ctx context.Context, q hotgrid.Query) (*hotgrid.Ranking, error) {
	f.calls.Add(1)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	top := q.Top
	if top == 0 {
		top = 10
	}
	rk := &hotgrid.Ranking{Query: q, StudyArea: "units", Notes: []string{"fake data"}, Offences: 1234}
	for _, u := range f.unitCodes(q) {
		cells := f.scored(u, q)
		if len(cells) > top {
			cells = cells[:top]
		}
		area := hotgrid.PatrolArea{ID: u + "-1", Unit: u, Rank: 1}
		for i := range cells {
			if i < 3 {
				cells[i].Area = area.ID
				area.Cells = append(area.Cells, cells[i].H3)
				area.Count += cells[i].Count
				area.Harm += cells[i].Harm
			}
		}
		area.PeakBands = []string{"late"}
		area.Dose = hotgrid.Dose{Band: "late", VisitMinutes: 15, EveryMinutes: 120, Visits: 4}
		rk.Units = append(rk.Units, hotgrid.UnitRanking{Unit: u, Name: u, StudyCells: 61, Cells: cells, Areas: []hotgrid.PatrolArea{area}})
	}
	return rk, nil
}

func (f *fakeService) Knife(ctx context.Context, q hotgrid.Query) (*hotgrid.Ranking, error) {
	if q.Top == 0 {
		q.Top = 3
	}
	rk, err := f.Rank(ctx, q)
	if err != nil {
		return nil, err
	}
	rk.Notes = []string{"knife: fake data"}
	for i := range rk.Units {
		rk.Units[i].Areas = nil
		for j := range rk.Units[i].Cells {
			rk.Units[i].Cells[j].Area = ""
		}
	}
	return rk, nil
}

func (f *fakeService) Cells(ctx context.Context, q hotgrid.Query) ([]hotgrid.CellScore, error) {
	f.calls.Add(1)
	var out []hotgrid.CellScore
	for _, u := range f.unitCodes(q) {
		out = append(out, f.scored(u, q)...)
	}
	if q.SignificantOnly {
		keep := out[:0]
		for _, c := range out {
			if c.Class != hotgrid.ClassNone {
				keep = append(keep, c)
			}
		}
		out = keep
	}
	return out, nil
}

func (f *fakeService) Cell(ctx context.Context, h3 string, q hotgrid.Query) (*hotgrid.CellDetail, error) {
	cells, err := f.Cells(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, c := range cells {
		if c.H3 == h3 {
			return &hotgrid.CellDetail{CellScore: c,
				ByCategory: map[string]float64{"Robbery": c.Count / 4, "Violence and sexual offences": c.Count * 3 / 4},
				ByBand:     map[string]float64{"any": c.Count, "late": c.Count / 4},
				Monthly:    []hotgrid.MonthValue{{Month: "2017-01", Count: c.Count / 2, Harm: c.Harm / 2}, {Month: "2017-02", Count: c.Count / 2, Harm: c.Harm / 2}},
				Knife:      1}, nil
		}
	}
	return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "cell %s is outside the study area", h3)
}

func (f *fakeService) Provenance(ctx context.Context, q hotgrid.Query) hotgrid.Provenance {
	return hotgrid.Provenance{Query: q, Bands: []string{"any", "late"}, WeightsVersion: "fake", Version: "test",
		DataFrom: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), DataTo: time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC),
		MadeAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Notes: []string{fmt.Sprintf("units %v", f.unitCodes(q))}}
}
