package geo

import (
	"fmt"
	"sort"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// CellsOutline returns the union of cells of one H3 resolution as a
// multipolygon: edges shared by adjacent cells cancel, so a patch of cells
// becomes one outline, and separate patches become separate polygons. Outer
// rings are counter-clockwise and holes clockwise (RFC 7946 winding); every
// ring is closed. Duplicate cells are ignored; cells of mixed resolutions are
// an error.
func CellsOutline(cells []uint64) (orb.MultiPolygon, error) {
	if len(cells) == 0 {
		return nil, nil
	}
	cs := make([]h3.Cell, 0, len(cells))
	seen := make(map[uint64]struct{}, len(cells))
	res := Resolution(cells[0])
	for _, c := range cells {
		if !h3.Cell(c).IsValid() {
			return nil, fmt.Errorf("outline: %x is not an H3 cell", c)
		}
		if r := Resolution(c); r != res {
			return nil, fmt.Errorf("outline: cell %s has resolution %d, want %d", String(c), r, res)
		}
		if _, dup := seen[c]; dup {
			continue
		}
		seen[c] = struct{}{}
		cs = append(cs, h3.Cell(c))
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
	gps, err := h3.CellsToMultiPolygon(cs)
	if err != nil {
		return nil, fmt.Errorf("outline of %d cells: %w", len(cs), err)
	}
	mp := make(orb.MultiPolygon, 0, len(gps))
	for _, gp := range gps {
		p := orb.Polygon{loopRing(gp.GeoLoop, orb.CCW)}
		for _, h := range gp.Holes {
			p = append(p, loopRing(h, orb.CW))
		}
		mp = append(mp, p)
	}
	return mp, nil
}

// loopRing converts an H3 loop to a closed ring wound as want.
func loopRing(l h3.GeoLoop, want orb.Orientation) orb.Ring {
	r := make(orb.Ring, 0, len(l)+1)
	for _, ll := range l {
		r = append(r, orb.Point{ll.Lng, ll.Lat})
	}
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	if r.Orientation() != want {
		r.Reverse()
	}
	return r
}
