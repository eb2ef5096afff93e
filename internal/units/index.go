package units

import (
	"bytes"
	"io"
	"math"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// Index resolutions: cells are looked up at the fine resolution, then at
// its coarser ancestors, so big interiors are stored as few coarse cells.
// Sets of NPU size use 7-9 (fine cells about 0.1 km2); sets spanning more
// than largeExtent degrees (police force areas of England and Wales) use
// 5-7, which keeps the index small and quick to build.
const (
	coarseRes      = 7
	fineRes        = 9
	largeCoarseRes = 5
	largeFineRes   = 7
	largeExtent    = 2.0 // degrees
)

// Cell index entry values: >= 0 is a unit index (every point of the cell
// region is in that unit and no other before it); outsideAll means no unit;
// values <= edgeBase point into cands (cells a boundary crosses).
const (
	outsideAll = -1
	edgeBase   = -2
)

// cellIndex maps H3 cells to units. A cell gets a unit entry only when no
// unit edge passes within the bounding box of the cell and its neighbours
// (the region holding all of its descendants), so every point whose fine
// cell descends from it is in that unit: the index never disagrees with an
// exact test.
type cellIndex struct {
	cells  map[uint64]int32
	cands  [][]int32
	all    orb.Bound
	coarse int // coarsest stored resolution
	fine   int // finest stored resolution; lookups start here
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// lookup returns the unit index for lon/lat, or -1.
func (x *cellIndex) lookup(lon, lat float64, s *Set) int {
	if !x.all.Contains(orb.Point{lon, lat}) || math.IsNaN(lon) || math.IsNaN(lat) {
		return -1
	}
	c, err := h3.LatLngToCell(h3.LatLng{Lat: lat, Lng: lon}, x.fine)
	if err != nil {
		return -1
	}
	return x.lookupCell(uint64(c), lon, lat, s)
}

// lookupCell answers for a point known to lie in cell (resolution x.fine
// or finer).
func (x *cellIndex) lookupCell(cell uint64, lon, lat float64, s *Set) int {
	p := orb.Point{lon, lat}
	if !x.all.Contains(p) {
		return -1
	}
	for res := x.fine; res >= x.coarse; res-- {
		v, ok := x.cells[parentBits(cell, res)]
		if !ok {
			continue
		}
		switch {
		case v >= 0:
			return int(v)
		case v == outsideAll:
			return -1
		default:
			return s.scan(p, x.cands[edgeBase-v])
		}
	}
	return s.scan(p, nil)
}

// parentBits returns cell's ancestor at res (res <= the cell's own) by
// rewriting the index bits: the resolution field and the unused digits.
func parentBits(cell uint64, res int) uint64 {
	const resShift, resMask = 52, uint64(0xF) << 52
	own := int((cell & resMask) >> resShift)
	if res >= own {
		return cell
	}
	c := cell&^resMask | uint64(res)<<resShift
	for r := res + 1; r <= 15; r++ {
		c |= uint64(7) << ((15 - r) * 3)
	}
	return c
}
