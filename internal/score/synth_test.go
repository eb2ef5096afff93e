package score

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
)

// testWeights weighs offences by category (ASB 0), with a per-code override.
type testWeights map[string]float64

func (w testWeights) Weight(code, category string) (float64, bool) {
	if v, ok := w[code]; ok && code != "" {
		return v, true
	}
	v, ok := w[category]
	return v, ok
}

func (w testWeights) Version() string { return "test-weights-1" }

func defaultTestWeights() testWeights {
	return testWeights{
		"Anti-social behaviour": 0, "Bicycle theft": 20, "Burglary": 300, "Criminal damage and arson": 60,
		"Drugs": 30, "Other theft": 40, "Possession of weapons": 200, "Public order": 50, "Robbery": 900,
		"Shoplifting": 20, "Theft from the person": 110, "Vehicle crime": 70,
		"Violence and sexual offences": 350, "Other crime": 100,
	}
}

// testUnits are eight 3 km x 3 km squares in a 4 x 2 grid south-west of
// Birmingham city centre, codes U1..U8.
func testUnits() []hotgrid.Unit {
	var us []hotgrid.Unit
	const dLon, dLat = 0.044, 0.027 // about 3 km each way at 52.5 N
	for i := 0; i < 8; i++ {
		x0 := -1.99 + float64(i%4)*dLon
		y0 := 52.42 + float64(i/4)*dLat
		ring := orb.Ring{{x0, y0}, {x0 + dLon, y0}, {x0 + dLon, y0 + dLat}, {x0, y0 + dLat}, {x0, y0}}
		us = append(us, hotgrid.Unit{Code: fmt.Sprintf("U%d", i+1), Name: fmt.Sprintf("Unit %d", i+1),
			Force: "Test Police", Geometry: orb.MultiPolygon{{ring}}})
	}
	return us
}

func unitOf(us []hotgrid.Unit, p orb.Point) string {
	for _, u := range us {
		if u.Geometry.Bound().Contains(p) {
			return u.Code
		}
	}
	return ""
}

// synthOffences makes n offences over 2017 in the test units, clustered
// around three hot spots per unit, with instants and from/to windows, a
// weapon flag on every robbery (a quarter knife), and categories in
// realistic proportions.
func synthOffences(t testing.TB, n int, seed uint64) []hotgrid.Offence {
	t.Helper()
	us := testUnits()
	rng := rand.New(rand.NewPCG(seed, 7))
	loc, _ := time.LoadLocation("Europe/London")
	start := time.Date(2017, 1, 1, 0, 0, 0, 0, loc)
	cats := []string{"Violence and sexual offences", "Violence and sexual offences", "Violence and sexual offences",
		"Anti-social behaviour", "Anti-social behaviour", "Other theft", "Shoplifting", "Burglary", "Vehicle crime",
		"Criminal damage and arson", "Robbery", "Public order", "Drugs", "Bicycle theft", "Possession of weapons",
		"Theft from the person", "Other crime"}
	out := make([]hotgrid.Offence, 0, n)
	for i := 0; i < n; i++ {
		u := us[i%len(us)]
		b := u.Geometry.Bound()
		var p orb.Point
		if rng.IntN(3) > 0 { // two thirds clustered
			h := rng.IntN(3)
			cx := b.Min[0] + (0.25+0.25*float64(h))*(b.Max[0]-b.Min[0])
			cy := b.Min[1] + (0.3+0.2*float64(h))*(b.Max[1]-b.Min[1])
			p = orb.Point{cx + rng.NormFloat64()*0.002, cy + rng.NormFloat64()*0.0012}
		} else {
			p = orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		}
		if !b.Contains(p) {
			p = b.Center()
		}
		cell, err := geo.CellAt(p[0], p[1], hotgrid.StoreResolution)
		if err != nil {
			t.Fatal(err)
		}
		from := start.Add(time.Duration(rng.Int64N(365*24*60)) * time.Minute)
		to := from
		cat := cats[rng.IntN(len(cats))]
		if cat == "Burglary" || cat == "Vehicle crime" || rng.IntN(5) == 0 {
			to = from.Add(time.Duration(rng.Int64N(14*60)) * time.Minute)
		}
		w := hotgrid.WeaponUnknown
		if cat == "Robbery" {
			w = hotgrid.WeaponNone
			if rng.IntN(4) == 0 {
				w = hotgrid.WeaponKnife
			}
		}
		out = append(out, hotgrid.Offence{
			ID: fmt.Sprintf("T%07d", i), Source: hotgrid.Source{File: "synth.csv", Row: i + 2},
			Force: "Test Police", From: from, To: to, Category: cat, Weapon: w,
			Lon: p[0], Lat: p[1], Unit: unitOf(us, p), Cell: cell,
		})
	}
	return out
}

func sliceScan(os []hotgrid.Offence) ScanFunc {
	return func(fn func(*hotgrid.Offence) error) error {
		var o hotgrid.Offence
		for i := range os {
			o = os[i]
			if err := fn(&o); err != nil {
				return err
			}
		}
		return nil
	}
}

func newTestEngine(t testing.TB, os []hotgrid.Offence, forces ...hotgrid.Unit) *Engine {
	t.Helper()
	e, err := NewEngine(Config{Units: testUnits(), Forces: forces, Weights: defaultTestWeights(), Version: "test"}, sliceScan(os))
	if err != nil {
		t.Fatal(err)
	}
	return e
}
