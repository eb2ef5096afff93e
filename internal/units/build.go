package units

import (
	"fmt"
	"math"
	"sort"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// coverMargin widens each unit's bounding box before it is covered with
// coarse cells, so points just outside a unit still hit the index (degrees,
// about 5 km).
const coverMargin = 0.05

// indexBuilder holds what building the cell index needs.
type indexBuilder struct {
	s     *Set
	grid  *edgeGrid
	boxes map[uint64]orb.Bound // memoised cell boundary boxes
	x     *cellIndex
	cand  map[string]int32
}

func buildIndex(s *Set) (*cellIndex, error) {
	b := &indexBuilder{s: s, boxes: make(map[uint64]orb.Bound), cand: make(map[string]int32),
		x: &cellIndex{cells: make(map[uint64]int32)}}
	b.x.all = s.bounds[0]
	for _, bd := range s.bounds[1:] {
		b.x.all = b.x.all.Union(bd)
	}
	b.grid = newEdgeGrid(s, b.x.all)
	b.x.coarse, b.x.fine = coarseRes, fineRes
	if math.Max(b.x.all.Max[0]-b.x.all.Min[0], b.x.all.Max[1]-b.x.all.Min[1]) > largeExtent {
		b.x.coarse, b.x.fine = largeCoarseRes, largeFineRes
	}
	cover, err := coverCells(s.bounds, b.x.coarse)
	if err != nil {
		return nil, err
	}
	for _, c := range cover {
		if _, err := b.classify(c, b.x.coarse); err != nil {
			return nil, err
		}
	}
	return b.x, nil
}

// coverCells returns the sorted distinct coarse cells whose centres lie in
// any unit's widened bounding box.
func coverCells(bounds []orb.Bound, res int) ([]uint64, error) {
	var mp orb.MultiPolygon
	for _, bd := range bounds {
		mp = append(mp, bd.Pad(coverMargin).ToPolygon())
	}
	cs, err := geo.Polyfill(mp, res)
	if err != nil {
		return nil, fmt.Errorf("cover units: %w", err)
	}
	return cs, nil
}

// mixed is what classify returns for a cell whose region is not one value.
const mixed = int32(-1 << 30)

// classify stores cell c (at res) as interior to one unit or to none, or
// splits it into children, or at the finest level stores the units whose
// boundaries may pass through it. Children that all come out the same
// non-edge value are folded back into c. It returns c's value or mixed.
func (b *indexBuilder) classify(c uint64, res int) (int32, error) {
	box := b.regionBox(c)
	if !b.grid.anyEdge(box) {
		v, ok := b.neighbourValue(c)
		if !ok {
			v = int32(b.s.scan(geo.Center(c), nil))
		}
		b.x.cells[c] = v
		return v, nil
	}
	if res == b.x.fine {
		b.x.cells[c] = b.candidates(box)
		return mixed, nil
	}
	kids, err := h3.Cell(c).Children(res + 1)
	if err != nil {
		return 0, fmt.Errorf("children of %s: %w", geo.String(c), err)
	}
	same := int32(0)
	for i, k := range kids {
		v, err := b.classify(uint64(k), res+1)
		if err != nil {
			return 0, err
		}
		if i == 0 || v == same {
			same = v
		} else {
			same = mixed
		}
	}
	if same == mixed || same <= edgeBase {
		return mixed, nil
	}
	for _, k := range kids {
		delete(b.x.cells, uint64(k))
	}
	b.x.cells[c] = same
	return same, nil
}

// neighbourValue returns the value of an already classified neighbour of
// c that no boundary passes near. No edge meets c's region box, which holds
// the neighbour's centre too, so the segment between the two centres
// crosses no boundary and both lie in the same unit (or in none). This
// spares the O(vertices) point-in-polygon test for all but the first cell
// of each interior region, which matters for boundaries of a million
// vertices.
func (b *indexBuilder) neighbourValue(c uint64) (int32, bool) {
	for _, n := range geo.Ring(c, 1) {
		if v, ok := b.x.cells[n]; ok && v > edgeBase {
			return v, true
		}
	}
	return 0, false
}

// regionBox bounds every point whose fine (or finer) cell is c or descends
// from c: H3 children poke out of their parent, but never beyond its
// neighbours, so the box holds c and its ring of neighbours, padded a
// little for the curvature of cell edges.
func (b *indexBuilder) regionBox(c uint64) orb.Bound {
	box := b.cellBox(c)
	for _, n := range geo.Disk(c, 1) {
		box = box.Union(b.cellBox(n))
	}
	return box.Pad(0.05 * math.Max(box.Max[0]-box.Min[0], box.Max[1]-box.Min[1]))
}

func (b *indexBuilder) cellBox(c uint64) orb.Bound {
	if bd, ok := b.boxes[c]; ok {
		return bd
	}
	bd := geo.Boundary(c).Bound()
	b.boxes[c] = bd
	return bd
}

// candidates returns the edge entry listing the units whose bounds touch
// box, sharing identical lists.
func (b *indexBuilder) candidates(box orb.Bound) int32 {
	var list []int32
	for i, bd := range b.s.bounds {
		if bd.Intersects(box) {
			list = append(list, int32(i))
		}
	}
	key := fmt.Sprint(list)
	if v, ok := b.cand[key]; ok {
		return v
	}
	v := edgeBase - int32(len(b.x.cands))
	b.x.cands = append(b.x.cands, list)
	b.cand[key] = v
	return v
}

// edgeGrid buckets every unit ring segment by a regular lon/lat grid, to
// answer "does any boundary pass through this box".
type edgeGrid struct {
	origin  orb.Point
	size    float64
	nx, ny  int
	buckets [][]int32
	segs    [][2]orb.Point
}

func newEdgeGrid(s *Set, all orb.Bound) *edgeGrid {
	w, h := all.Max[0]-all.Min[0], all.Max[1]-all.Min[1]
	size := math.Max(math.Max(w, h)/256, 1e-4)
	g := &edgeGrid{origin: all.Min, size: size, nx: int(w/size) + 1, ny: int(h/size) + 1}
	g.buckets = make([][]int32, g.nx*g.ny)
	for _, u := range s.units {
		for _, p := range u.Geometry {
			for _, r := range p {
				for k := 0; k+1 < len(r); k++ {
					g.add([2]orb.Point{r[k], r[k+1]})
				}
			}
		}
	}
	return g
}

func (g *edgeGrid) add(seg [2]orb.Point) {
	id := int32(len(g.segs))
	g.segs = append(g.segs, seg)
	x0, y0, x1, y1 := g.span(orb.Bound{Min: seg[0], Max: seg[0]}.Extend(seg[1]))
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			g.buckets[y*g.nx+x] = append(g.buckets[y*g.nx+x], id)
		}
	}
}

// span returns the bucket range a box overlaps, clamped to the grid.
func (g *edgeGrid) span(b orb.Bound) (x0, y0, x1, y1 int) {
	clamp := func(v float64, n int) int {
		i := int(math.Floor(v / g.size))
		return max(0, min(n-1, i))
	}
	return clamp(b.Min[0]-g.origin[0], g.nx), clamp(b.Min[1]-g.origin[1], g.ny),
		clamp(b.Max[0]-g.origin[0], g.nx), clamp(b.Max[1]-g.origin[1], g.ny)
}

// anyEdge reports whether any segment meets box.
func (g *edgeGrid) anyEdge(box orb.Bound) bool {
	x0, y0, x1, y1 := g.span(box)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			for _, id := range g.buckets[y*g.nx+x] {
				if segmentMeetsBox(g.segs[id], box) {
					return true
				}
			}
		}
	}
	return false
}

// segmentMeetsBox reports whether a segment touches a box: their bounds
// overlap and the box's corners are not all on one side of the segment.
func segmentMeetsBox(s [2]orb.Point, b orb.Bound) bool {
	sb := orb.Bound{Min: s[0], Max: s[0]}.Extend(s[1])
	if !sb.Intersects(b) {
		return false
	}
	corners := [4]orb.Point{b.Min, {b.Max[0], b.Min[1]}, b.Max, {b.Min[0], b.Max[1]}}
	var pos, neg bool
	for _, c := range corners {
		d := cross(s[0], s[1], c)
		pos = pos || d >= 0
		neg = neg || d <= 0
	}
	return pos && neg
}

// Stats describes the index, for reports and benchmarks.
type Stats struct {
	Cells, EdgeCells, CandidateLists int
	CellsByRes                       map[int]int
}

// IndexStats returns counts of the cell index.
func (s *Set) IndexStats() Stats {
	st := Stats{Cells: len(s.index.cells), CandidateLists: len(s.index.cands), CellsByRes: map[int]int{}}
	keys := make([]uint64, 0, len(s.index.cells))
	for c, v := range s.index.cells {
		keys = append(keys, c)
		if v <= edgeBase {
			st.EdgeCells++
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	for _, c := range keys {
		st.CellsByRes[geo.Resolution(c)]++
	}
	return st
}
