package evaluate

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
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

	nb         *neighbours // shared by every run's copy of a cached study
	centreOnce sync.Once
	centres    []orb.Point // per run: filled lazily without locking
}

// neighbours is a study's first-ring lists, built once.
type neighbours struct {
	once  sync.Once
	lists [][]int32
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
		Area: make([]float64, len(cs)), Index: make(map[uint64]int32, len(cs)), nb: &neighbours{}}
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

// BoundaryStudy polyfills a boundary at res: the cells whose centres lie
// inside it, as geo.Polyfill.
func BoundaryStudy(key string, mp orb.MultiPolygon, res int) (*Study, error) {
	cells, err := polyfill(mp, res)
	if err != nil {
		return nil, fmt.Errorf("study area %q: %w", key, err)
	}
	return NewStudy(key, StudyBoundary, res, cells)
}

// polyfill returns the cells at res whose centres lie in mp, sorted. It is
// geo.Polyfill (same containment rule, same cells: a test checks) through
// H3's newer polygonToCellsExperimental, which is about a quarter faster
// on the police force areas.
func polyfill(mp orb.MultiPolygon, res int) ([]uint64, error) {
	var out []uint64
	for i, p := range mp {
		if len(p) == 0 {
			continue
		}
		cs, err := h3.PolygonToCellsExperimental(geoPolygon(p), res, h3.ContainmentCenter)
		if err != nil {
			return nil, fmt.Errorf("polyfill polygon %d at res %d: %w", i, res, err)
		}
		for _, c := range cs {
			out = append(out, uint64(c))
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func geoPolygon(p orb.Polygon) h3.GeoPolygon {
	loop := func(r orb.Ring) h3.GeoLoop {
		n := len(r)
		if n > 1 && r[0] == r[n-1] {
			n--
		}
		l := make(h3.GeoLoop, n)
		for i := range n {
			l[i] = h3.NewLatLng(r[i][1], r[i][0])
		}
		return l
	}
	gp := h3.GeoPolygon{GeoLoop: loop(p[0])}
	for _, hole := range p[1:] {
		gp.Holes = append(gp.Holes, loop(hole))
	}
	return gp
}

// runCopy returns a study sharing s's cells, areas, index and neighbour
// lists with fresh per-run state, so cached studies can serve concurrent
// runs.
func (s *Study) runCopy() *Study {
	return &Study{Key: s.Key, Source: s.Source, Res: s.Res, Cells: s.Cells, Area: s.Area, Total: s.Total, Index: s.Index, nb: s.nb}
}

// StudyCache keeps boundary study areas (the polyfill and every cell's true
// area: most of a national backtest's CPU) between runs, keyed by unit,
// resolution and a hash of the boundary's coordinates. It is safe for
// concurrent use; a server holds one and passes it in Config.Studies.
type StudyCache struct {
	mu sync.Mutex
	m  map[studyKey]*cachedStudy
}

type studyKey struct {
	key  string
	res  int
	geom uint64
}

type cachedStudy struct {
	once  sync.Once
	study *Study
	err   error
}

// NewStudyCache returns an empty cache.
func NewStudyCache() *StudyCache { return &StudyCache{m: map[studyKey]*cachedStudy{}} }

// Boundary returns the boundary study of key at res, building it once.
func (c *StudyCache) Boundary(key string, mp orb.MultiPolygon, res int) (*Study, error) {
	k := studyKey{key, res, geomHash(mp)}
	c.mu.Lock()
	e, ok := c.m[k]
	if !ok {
		e = &cachedStudy{}
		c.m[k] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.study, e.err = BoundaryStudy(key, mp, res) })
	if e.err != nil {
		return nil, e.err
	}
	return e.study.runCopy(), nil
}

// geomHash is an FNV-1a hash of a multipolygon's structure and coordinates.
func geomHash(mp orb.MultiPolygon) uint64 {
	h := fnv.New64a()
	var b [8]byte
	put := func(v uint64) {
		binary.LittleEndian.PutUint64(b[:], v)
		h.Write(b[:])
	}
	for _, p := range mp {
		put(uint64(len(p)))
		for _, r := range p {
			put(uint64(len(r)))
			for _, pt := range r {
				put(math.Float64bits(pt[0]))
				put(math.Float64bits(pt[1]))
			}
		}
	}
	return h.Sum64()
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
	s.nb.once.Do(func() {
		lists := make([][]int32, len(s.Cells))
		flat := make([]int32, 0, 6*len(s.Cells))
		for i, c := range s.Cells {
			start := len(flat)
			for _, d := range geo.Ring(c, 1) {
				if j, ok := s.Index[d]; ok {
					flat = append(flat, j)
				}
			}
			lists[i] = flat[start:len(flat):len(flat)]
		}
		s.nb.lists = lists
	})
	return s.nb.lists
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
