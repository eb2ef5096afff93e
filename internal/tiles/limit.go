package tiles

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/maptile"
)

// MaxFeatures is the most cells a tile holds. A tile that would show more
// (a dense resolution-11 view zoomed out) keeps the best-ranked MaxFeatures
// cells: ranked cells by rank, then unranked ones by harm and count.
// TileLimit reports how many were left out, and the server says so in a
// response header, so a map can ask the user to zoom in.
const MaxFeatures = 10000

// window is a tile's frame: its edges in unit mercator (widened by the
// buffer), its origin and scale in tile units, and the clip box.
type window struct {
	x0, x1, y0, y1 float64
	ox, oy, scale  float64
	box            orb.Bound
}

func newWindow(t maptile.Tile) window {
	n := float64(uint64(1) << t.Z)
	scale := n * Extent
	pad := buffer / scale
	return window{
		x0: float64(t.X)/n - pad, x1: float64(t.X+1)/n + pad,
		y0: float64(t.Y)/n - pad, y1: float64(t.Y+1)/n + pad,
		ox: float64(t.X) * Extent, oy: float64(t.Y) * Extent, scale: scale,
		box: orb.Bound{Min: orb.Point{-buffer, -buffer}, Max: orb.Point{Extent + buffer, Extent + buffer}},
	}
}

// TileLimit is Tile with at most max features (max <= 0: no limit). It
// returns the tile (nil when no cell shows), and how many cells that would
// have shown were left out to keep to max.
func (ix *Index) TileLimit(t maptile.Tile, max int) ([]byte, int, error) {
	if err := Valid(int(t.Z), int(t.X), int(t.Y)); err != nil {
		return nil, 0, err
	}
	e := encoders.Get().(*encoder)
	defer encoders.Put(e)
	e.reset()
	w := newWindow(t)
	ring := make(orb.Ring, 0, 8)
	count := 0
	ix.each(w, func(i int) {
		if ix.draw(e, i, w, &ring) {
			count++
		}
	})
	if count == 0 {
		return nil, 0, nil
	}
	if max <= 0 || count <= max {
		return e.finish(), 0, nil
	}
	// Too many: find the cells that show, best first, and draw max of them.
	shown := make([]int, 0, count)
	e.reset()
	ix.each(w, func(i int) {
		if ix.draw(e, i, w, &ring) {
			shown = append(shown, i)
		}
		e.reset()
	})
	sort.Slice(shown, func(a, b int) bool { return ix.better(shown[a], shown[b]) })
	for _, i := range shown[:max] {
		ix.draw(e, i, w, &ring)
	}
	return e.finish(), len(shown) - max, nil
}

// better orders cells for MaxFeatures: ranked before unranked, lower rank
// first, then higher weight, then index order (stable).
func (ix *Index) better(a, b int) bool {
	ca, cb := &ix.cells[a], &ix.cells[b]
	ra, rb := ca.rank, cb.rank
	if ra <= 0 {
		ra = math.MaxInt
	}
	if rb <= 0 {
		rb = math.MaxInt
	}
	if ra != rb {
		return ra < rb
	}
	if ca.weight != cb.weight {
		return ca.weight > cb.weight
	}
	return a < b
}

// each calls fn with the index of every cell whose bound meets the window.
func (ix *Index) each(w window, fn func(i int)) {
	lo := sort.Search(len(ix.cells), func(i int) bool { return ix.cells[i].minX >= w.x0-ix.maxW })
	for i := lo; i < len(ix.cells) && ix.cells[i].minX <= w.x1; i++ {
		c := &ix.cells[i]
		if c.maxX < w.x0 || c.minY > w.y1 || c.maxY < w.y0 {
			continue
		}
		fn(i)
	}
}

// draw adds cell i to the tile; false when it does not show (clipped away
// or smaller than one tile unit). ring is scratch space.
func (ix *Index) draw(e *encoder, i int, w window, ring *orb.Ring) bool {
	c := &ix.cells[i]
	r := (*ring)[:0]
	for _, p := range c.ring {
		r = append(r, orb.Point{math.Floor(p[0]*w.scale - w.ox), math.Floor(p[1]*w.scale - w.oy)})
	}
	*ring = r
	poly := orb.Polygon{r}
	if c.minX < w.x0 || c.maxX > w.x1 || c.minY < w.y0 || c.maxY > w.y1 {
		poly = clip.Polygon(w.box, orb.Polygon{append(orb.Ring(nil), r...)})
		if len(poly) == 0 {
			return false
		}
	}
	return e.addPolygon(poly, c.props)
}
