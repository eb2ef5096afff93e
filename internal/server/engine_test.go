package server_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/score"
	"github.com/hotgrid/hotgrid/internal/units"
)

// categoryWeights is a stand-in severity table: a weight per category.
type categoryWeights map[string]float64

func (w categoryWeights) Weight(_, category string) (float64, bool) {
	v, ok := w[category]
	if !ok {
		return 1, false
	}
	return v, true
}

func (w categoryWeights) Version() string { return "test weights" }

// syntheticEngine is the real scoring engine over the embedded West Midlands
// NPUs and n synthetic offences clustered round a few hotspots per unit, for
// tests that need real scores without the demo data set.
func syntheticEngine(t testing.TB, n int) *score.Engine {
	t.Helper()
	d := syntheticOffences(t, n)
	e, err := score.NewEngine(score.Config{Units: d.units, Weights: d.weights, Version: "test"}, d.scan)
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	return e
}

// synthetic is a synthetic offence set over the embedded NPUs.
type synthetic struct {
	units    []hotgrid.Unit
	weights  categoryWeights
	offences []hotgrid.Offence
}

// scan calls fn for every offence.
func (d *synthetic) scan(fn func(*hotgrid.Offence) error) error {
	for i := range d.offences {
		if err := fn(&d.offences[i]); err != nil {
			return err
		}
	}
	return nil
}

// syntheticOffences makes n offences of 2017 clustered round four hotspots
// per West Midlands NPU (deterministic).
func syntheticOffences(t testing.TB, n int) *synthetic {
	t.Helper()
	set, err := units.Default()
	if err != nil {
		t.Fatalf("load units: %v", err)
	}
	us := set.Units()
	r := rand.New(rand.NewPCG(7, 2017))
	type spot struct {
		lon, lat, sd float64
		unit         string
	}
	var spots []spot
	for _, u := range us {
		b := u.Geometry.Bound()
		for k := 0; k < 4; {
			lon := b.Min[0] + r.Float64()*(b.Max[0]-b.Min[0])
			lat := b.Min[1] + r.Float64()*(b.Max[1]-b.Min[1])
			if set.Locate(lon, lat) != u.Code {
				continue
			}
			spots = append(spots, spot{lon, lat, 0.002 + 0.004*r.Float64(), u.Code})
			k++
		}
	}
	cats := []struct {
		name string
		w    float64
		p    float64
	}{
		{"Violence and sexual offences", 400, 0.3}, {"Anti-social behaviour", 0, 0.15}, {"Burglary", 450, 0.1},
		{"Vehicle crime", 150, 0.1}, {"Criminal damage and arson", 120, 0.1}, {"Shoplifting", 30, 0.08},
		{"Robbery", 800, 0.07}, {"Drugs", 100, 0.05}, {"Public order", 80, 0.05},
	}
	w := categoryWeights{}
	for _, c := range cats {
		w[c.name] = c.w
	}
	start := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	offences := make([]hotgrid.Offence, 0, n)
	for i := 0; len(offences) < n; i++ {
		var lon, lat float64
		var unit string
		if r.Float64() < 0.6 {
			s := spots[r.IntN(len(spots))]
			lon, lat = s.lon+r.NormFloat64()*s.sd*1.6, s.lat+r.NormFloat64()*s.sd
		} else {
			s := spots[r.IntN(len(spots))]
			lon, lat = s.lon+r.NormFloat64()*0.03, s.lat+r.NormFloat64()*0.02
		}
		if unit = set.Locate(lon, lat); unit == "" {
			continue
		}
		cell, err := geo.CellAt(lon, lat, hotgrid.StoreResolution)
		if err != nil {
			t.Fatal(err)
		}
		x, cat := r.Float64(), cats[0].name
		for _, c := range cats {
			if x < c.p {
				cat = c.name
				break
			}
			x -= c.p
		}
		hour := int(math.Mod(18+r.NormFloat64()*5+24, 24))
		from := start.Add(time.Duration(r.IntN(365))*24*time.Hour + time.Duration(hour)*time.Hour + time.Duration(r.IntN(60))*time.Minute)
		o := hotgrid.Offence{ID: fmt.Sprintf("T%06d", i), Force: "West Midlands Police", From: from, To: from,
			Category: cat, Lon: lon, Lat: lat, Unit: unit, Cell: cell, Weapon: hotgrid.WeaponNone}
		if cat == "Robbery" && r.Float64() < 0.3 {
			o.Weapon = hotgrid.WeaponKnife
		}
		offences = append(offences, o)
	}
	return &synthetic{units: us, weights: w, offences: offences}
}
