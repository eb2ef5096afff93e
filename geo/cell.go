// Package geo is hotgrid's pure geometry: lon/lat and H3 maths (cells,
// rings, boundaries, polyfill, tile to cells, orb to go-geom). It does no
// I/O. Cells are carried as uint64 H3 indexes so callers need not import h3.
package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// ValidLonLat reports an error when lon/lat is not a usable WGS84 point:
// NaN, infinite, out of range, or exactly (0, 0), a common missing-value code.
func ValidLonLat(lon, lat float64) error {
	switch {
	case math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0):
		return fmt.Errorf("coordinate is not a number")
	case lat < -90 || lat > 90:
		return fmt.Errorf("latitude %g out of range -90..90", lat)
	case lon < -180 || lon > 180:
		return fmt.Errorf("longitude %g out of range -180..180", lon)
	case lon == 0 && lat == 0:
		return fmt.Errorf("coordinate (0, 0) is a missing-value code")
	}
	return nil
}

// CellAt returns the H3 cell at res holding lon/lat.
func CellAt(lon, lat float64, res int) (uint64, error) {
	if err := ValidLonLat(lon, lat); err != nil {
		return 0, err
	}
	c, err := h3.LatLngToCell(h3.NewLatLng(lat, lon), res)
	if err != nil {
		return 0, fmt.Errorf("h3 cell at %g,%g res %d: %w", lon, lat, res, err)
	}
	return uint64(c), nil
}

// Parent returns cell's ancestor at res (cell itself when res is its own),
// or 0 when res is finer than the cell's own resolution. It works on the
// index bits (no cgo call), so it is cheap enough for per-offence loops.
func Parent(cell uint64, res int) uint64 {
	own := int(cell>>resOffset) & 0xf
	switch {
	case res == own:
		return cell
	case res < 0 || res > own:
		return 0
	}
	cell = cell&^(0xf<<resOffset) | uint64(res)<<resOffset
	for r := res + 1; r <= own; r++ {
		cell |= 7 << ((15 - r) * 3)
	}
	return cell
}

// resOffset is the bit offset of the resolution field of an H3 index.
const resOffset = 52

// Resolution returns the cell's H3 resolution.
func Resolution(cell uint64) int { return h3.Cell(cell).Resolution() }

// Disk returns the cell and every cell within k steps of it.
func Disk(cell uint64, k int) []uint64 {
	cs, err := h3.GridDisk(h3.Cell(cell), k)
	if err != nil {
		return nil
	}
	return toUint64(cs)
}

// Ring returns the cells exactly k steps from cell.
func Ring(cell uint64, k int) []uint64 {
	cs, err := h3.GridRing(h3.Cell(cell), k)
	if err != nil {
		return nil
	}
	return toUint64(cs)
}

// Neighbours reports whether two cells share an edge.
func Neighbours(a, b uint64) bool {
	ok, err := h3.Cell(a).IsNeighbor(h3.Cell(b))
	return err == nil && ok
}

// String formats a cell as its 15-character hex index.
func String(cell uint64) string { return h3.IndexToString(cell) }

// ParseCell reads a hex H3 cell index, rejecting anything that is not a
// valid cell.
func ParseCell(s string) (uint64, error) {
	c := h3.CellFromString(s)
	if len(s) == 0 || len(s) > 16 || !c.IsValid() {
		return 0, fmt.Errorf("%q is not an H3 cell", s)
	}
	return uint64(c), nil
}

// Center returns the cell's centre as lon/lat.
func Center(cell uint64) orb.Point {
	ll, err := h3.Cell(cell).LatLng()
	if err != nil {
		return orb.Point{}
	}
	return orb.Point{ll.Lng, ll.Lat}
}

// Boundary returns the cell's outline as a closed, counter-clockwise ring
// (RFC 7946 winding) of lon/lat points.
func Boundary(cell uint64) orb.Polygon {
	b, err := h3.Cell(cell).Boundary()
	if err != nil {
		return nil
	}
	ring := make(orb.Ring, 0, len(b)+1)
	for _, ll := range b {
		ring = append(ring, orb.Point{ll.Lng, ll.Lat})
	}
	ring = append(ring, ring[0])
	if ring.Orientation() == orb.CW {
		ring.Reverse()
	}
	return orb.Polygon{ring}
}

// AreaKm2 returns the cell's true area in square kilometres.
func AreaKm2(cell uint64) float64 {
	a, err := h3.CellAreaKm2(h3.Cell(cell))
	if err != nil {
		return 0
	}
	return a
}

func toUint64(cs []h3.Cell) []uint64 {
	out := make([]uint64, 0, len(cs))
	for _, c := range cs {
		if c != 0 {
			out = append(out, uint64(c))
		}
	}
	return out
}
