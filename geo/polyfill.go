package geo

import (
	"fmt"
	"sort"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// Polyfill returns the sorted, distinct cells at res whose centres lie in mp.
func Polyfill(mp orb.MultiPolygon, res int) ([]uint64, error) {
	seen := make(map[uint64]struct{})
	for i, p := range mp {
		if len(p) == 0 {
			continue
		}
		cs, err := h3.PolygonToCells(toGeoPolygon(p), res)
		if err != nil {
			return nil, fmt.Errorf("polyfill polygon %d at res %d: %w", i, res, err)
		}
		for _, c := range cs {
			seen[uint64(c)] = struct{}{}
		}
	}
	out := make([]uint64, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

func toGeoPolygon(p orb.Polygon) h3.GeoPolygon {
	gp := h3.GeoPolygon{GeoLoop: toLoop(p[0])}
	for _, hole := range p[1:] {
		gp.Holes = append(gp.Holes, toLoop(hole))
	}
	return gp
}

func toLoop(r orb.Ring) h3.GeoLoop {
	n := len(r)
	if n > 1 && r[0] == r[n-1] {
		n--
	}
	loop := make(h3.GeoLoop, n)
	for i := 0; i < n; i++ {
		loop[i] = h3.NewLatLng(r[i][1], r[i][0])
	}
	return loop
}
