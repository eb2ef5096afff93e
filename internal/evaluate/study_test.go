package evaluate

import (
	"slices"
	"sync"
	"testing"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/units"
	"github.com/paulmach/orb"
)

// TestPolyfillMatchesGeo checks that the study polyfill picks exactly the
// cells geo.Polyfill picks: on a hand-made square with a hole, a
// two-polygon multipolygon, and the smaller police force areas.
func TestPolyfillMatchesGeo(t *testing.T) {
	square := func(lon, lat, d float64) orb.Ring {
		return orb.Ring{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}
	}
	cases := map[string]orb.MultiPolygon{
		"square with hole": {{square(-1.95, 52.43, 0.1), square(-1.92, 52.46, 0.03)}},
		"two squares":      {{square(-1.95, 52.43, 0.05)}, {square(-1.80, 52.50, 0.04)}},
	}
	fs, err := units.DefaultForces()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range fs.Units() {
		switch u.Code {
		case "City of London Police", "Cleveland Police", "Warwickshire Police":
			cases[u.Code] = u.Geometry
		}
	}
	if len(cases) != 5 {
		t.Fatalf("expected 3 force areas, have %d cases", len(cases))
	}
	for name, mp := range cases {
		for _, res := range []int{8, 9} {
			want, err := geo.Polyfill(mp, res)
			if err != nil {
				t.Fatal(err)
			}
			got, err := polyfill(mp, res)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 || !slices.Equal(got, want) {
				t.Errorf("%s res %d: %d cells, geo.Polyfill %d", name, res, len(got), len(want))
			}
		}
	}
}

// TestStudyCache checks that a cached boundary study is built once, shared
// between concurrent callers, told apart by geometry and resolution, and
// gives each caller its own per-run state.
func TestStudyCache(t *testing.T) {
	mp := orb.MultiPolygon{{{{-1.95, 52.43}, {-1.90, 52.43}, {-1.90, 52.47}, {-1.95, 52.47}, {-1.95, 52.43}}}}
	c := NewStudyCache()
	var wg sync.WaitGroup
	got := make([]*Study, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := c.Boundary("X", mp, 9)
			if err != nil {
				t.Error(err)
				return
			}
			s.Centre(0)
			s.Neighbours()
			got[i] = s
		}()
	}
	wg.Wait()
	fresh, err := BoundaryStudy("X", mp, 9)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range got {
		if s == nil {
			t.Fatal("no study")
		}
		if &s.Cells[0] != &got[0].Cells[0] || s.nb != got[0].nb {
			t.Errorf("copy %d does not share the cached cells and neighbours", i)
		}
		if i > 0 && &s.centres[0] == &got[0].centres[0] {
			t.Errorf("copy %d shares per-run centres", i)
		}
		if !slices.Equal(s.Cells, fresh.Cells) || s.Total != fresh.Total {
			t.Errorf("copy %d differs from an uncached study", i)
		}
	}
	if n := len(c.m); n != 1 {
		t.Fatalf("%d cache entries, want 1", n)
	}
	moved := orb.MultiPolygon{{{{-1.95, 52.43}, {-1.90, 52.43}, {-1.90, 52.48}, {-1.95, 52.48}, {-1.95, 52.43}}}}
	s2, _ := c.Boundary("X", moved, 9)
	s3, _ := c.Boundary("X", mp, 8)
	if len(c.m) != 3 || len(s2.Cells) <= len(fresh.Cells) || geo.Resolution(s3.Cells[0]) != 8 {
		t.Errorf("a changed boundary or resolution reused a cached study (%d entries)", len(c.m))
	}
}
