package evaluate

import (
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
)

// Study area sources.
const (
	StudyBoundary  = "boundary"  // polyfill of the unit's or force's boundary
	StudyFootprint = "footprint" // training offences' cells plus one ring
)

// Study is the set of cells a unit or force is scored and tested on.
type Study struct {
	Key    string
	Source string    // StudyBoundary or StudyFootprint
	Res    int       // H3 resolution
	Cells  []uint64  // sorted
	Area   []float64 // true H3 area of each cell, km²
	Total  float64   // A, km²
	Index  map[uint64]int32

	centreOnce sync.Once
	centres    []orb.Point
	nbOnce     sync.Once
	nb         [][]int32
}

// NewStudy builds a study area from its cells (any order, duplicates
// allowed). Areas are the cells' true H3 areas.
func NewStudy(key, source string, res int, cells []uint64) (*Study, error) {
	cs := append([]uint64(nil), cells...)
	sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
	cs = dedupe(cs)
	if len(cs) == 0 {
		return nil, fmt.Errorf("study area %q: no cells", key)
	}
	s := &Study{Key: key, Source: source, Res: res, Cells: cs,
		Area: make([]float64, len(cs)), Index: make(map[uint64]int32, len(cs))}
	for i, c := range cs {
		if r := geo.Resolution(c); r != res {
			return nil, fmt.Errorf("study area %q: cell %s has resolution %d, want %d", key, geo.String(c), r, res)
		}
		s.Index[c] = int32(i)
		s.Area[i] = geo.AreaKm2(c)
		s.Total += s.Area[i]
	}
	return s, nil
}

// BoundaryStudy polyfills a boundary at res.
func BoundaryStudy(key string, mp orb.MultiPolygon, res int) (*Study, error) {
	cells, err := geo.Polyfill(mp, res)
	if err != nil {
		return nil, fmt.Errorf("study area %q: %w", key, err)
	}
	return NewStudy(key, StudyBoundary, res, cells)
}

// FootprintStudy is the cells of the given (training) events plus their
// first ring: the study area when no boundary is known.
func FootprintStudy(key string, events []Event, res int) (*Study, error) {
	seen := make(map[uint64]struct{}, len(events))
	for i := range events {
		seen[events[i].Cell] = struct{}{}
	}
	cells := make([]uint64, 0, 7*len(seen))
	for c := range seen {
		cells = append(cells, geo.Disk(c, 1)...)
	}
	return NewStudy(key, StudyFootprint, res, cells)
}

// Centre returns cell i's centre.
func (s *Study) Centre(i int32) orb.Point {
	s.centreOnce.Do(func() {
		s.centres = make([]orb.Point, len(s.Cells))
		for j := range s.centres {
			s.centres[j] = orb.Point{math.NaN(), 0}
		}
	})
	p := s.centres[i]
	if math.IsNaN(p[0]) {
		p = geo.Center(s.Cells[i])
		s.centres[i] = p
	}
	return p
}

// Neighbours returns, for every cell, the indexes of its first-ring cells
// inside the study area (excluding the cell), as score.GiStar expects.
func (s *Study) Neighbours() [][]int32 {
	s.nbOnce.Do(func() {
		s.nb = make([][]int32, len(s.Cells))
		flat := make([]int32, 0, 6*len(s.Cells))
		for i, c := range s.Cells {
			start := len(flat)
			for _, d := range geo.Ring(c, 1) {
				if j, ok := s.Index[d]; ok {
					flat = append(flat, j)
				}
			}
			s.nb[i] = flat[start:len(flat):len(flat)]
		}
	})
	return s.nb
}

// EdgeKm returns the mean edge length of the study's cells, from their mean
// area (a regular hexagon of edge e has area 3√3/2·e²).
func (s *Study) EdgeKm() float64 {
	mean := s.Total / float64(len(s.Cells))
	return math.Sqrt(2 * mean / (3 * math.Sqrt(3)))
}

func dedupe(cs []uint64) []uint64 {
	out := cs[:0]
	for i, c := range cs {
		if i == 0 || c != cs[i-1] {
			out = append(out, c)
		}
	}
	return out
}

// Boundaries maps each unit's code to its geometry, for Config.Boundaries.
// Pass units.Default().Units() for --by unit and units.DefaultForces().Units()
// for forces (a force's code is its police.uk "Falls within" name).
func Boundaries(sets ...[]hotgrid.Unit) map[string]orb.MultiPolygon {
	out := map[string]orb.MultiPolygon{}
	for _, us := range sets {
		for _, u := range us {
			if len(u.Geometry) > 0 {
				out[u.Code] = u.Geometry
			}
		}
	}
	return out
}
