package geo

import (
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// TileBound returns the lon/lat bound of a web map tile.
func TileBound(t maptile.Tile) orb.Bound { return t.Bound() }

// BoundPolygon returns a bound as a closed counter-clockwise polygon.
func BoundPolygon(b orb.Bound) orb.Polygon {
	return orb.Polygon{{
		{b.Min[0], b.Min[1]}, {b.Max[0], b.Min[1]}, {b.Max[0], b.Max[1]},
		{b.Min[0], b.Max[1]}, {b.Min[0], b.Min[1]},
	}}
}

// TileCells returns the sorted, distinct cells at res whose outline touches
// the tile, so a map tile drawn from them has no gaps at its edges. Cells much
// larger than the tile are found from its corners and centre.
func TileCells(t maptile.Tile, res int) ([]uint64, error) {
	return BoundCells(t.Bound(), res)
}

// BoundCells returns the sorted, distinct cells at res whose outline touches
// the bound.
func BoundCells(b orb.Bound, res int) ([]uint64, error) {
	seeds, err := Polyfill(orb.MultiPolygon{BoundPolygon(b)}, res)
	if err != nil {
		return nil, err
	}
	for _, p := range []orb.Point{b.Min, b.Max, {b.Min[0], b.Max[1]}, {b.Max[0], b.Min[1]}, b.Center()} {
		if c, err := CellAt(p[0], p[1], res); err == nil {
			seeds = append(seeds, c)
		}
	}
	seen := make(map[uint64]struct{}, len(seeds)*2)
	out := make([]uint64, 0, len(seeds)*2)
	for _, s := range seeds {
		for _, c := range Disk(s, 1) {
			if _, ok := seen[c]; ok {
				continue
			}
			seen[c] = struct{}{}
			if Boundary(c).Bound().Intersects(b) {
				out = append(out, c)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}
