// Package tiles builds Mapbox Vector Tiles (version 2) of scored H3 cells.
// It does no I/O: an Index is made once from a query's cells (each hexagon
// is projected to Web Mercator and its properties encoded once) and then cuts
// any number of tiles, each a "cells" layer of hexagon polygons carrying the
// cell's h3 index, unit, rank, count, harm, recency, z, class and patrol area.
package tiles

import (
	"fmt"
	"math"
	"sort"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// LayerName is the name of the tile layer holding the cells.
const LayerName = "cells"

// Extent is the tile's coordinate extent.
const Extent = mvt.DefaultExtent

// MaxZoom is the deepest zoom a tile may be asked for.
const MaxZoom = 22

// buffer is how far, in tile units, polygons reach past the tile's edge so
// that outlines do not show seams.
const buffer = 64

// Index holds cells ready to be cut into tiles. It is safe for concurrent use.
type Index struct {
	cells []cell  // sorted by minX
	maxW  float64 // widest cell in mercator units
	bound orb.Bound
}

// cell is one hexagon in unit Web Mercator coordinates (0..1 both ways, y down).
type cell struct {
	minX, minY, maxX, maxY float64
	ring                   []orb.Point
	props                  []prop
	rank                   int     // the cell's rank in its unit (0: unranked), for MaxFeatures
	weight                 float64 // harm, then count: orders unranked cells
}

// NewIndex projects cells' hexagons once. Cells that are not valid H3
// indexes are an error naming the cell.
func NewIndex(cells []hotgrid.CellScore) (*Index, error) {
	ix := &Index{cells: make([]cell, 0, len(cells)), bound: orb.Bound{Min: orb.Point{180, 90}, Max: orb.Point{-180, -90}}}
	for i := range cells {
		c := &cells[i]
		id := c.Cell
		if id == 0 {
			var err error
			if id, err = geo.ParseCell(c.H3); err != nil {
				return nil, fmt.Errorf("cell %d: %w", i, err)
			}
		}
		poly := geo.Boundary(id)
		if len(poly) == 0 {
			return nil, fmt.Errorf("cell %s: no boundary", c.H3)
		}
		ix.bound = ix.bound.Union(poly.Bound())
		pc := project(poly[0], encodeProps(c))
		pc.rank, pc.weight = c.Rank, c.Harm+c.Count*1e-9
		ix.cells = append(ix.cells, pc)
	}
	sort.Slice(ix.cells, func(i, j int) bool { return ix.cells[i].minX < ix.cells[j].minX })
	for _, c := range ix.cells {
		ix.maxW = math.Max(ix.maxW, c.maxX-c.minX)
	}
	return ix, nil
}

// Len returns how many cells the index holds.
func (ix *Index) Len() int { return len(ix.cells) }

// Bound returns the lon/lat bound of every cell (an empty bound for no cells).
func (ix *Index) Bound() orb.Bound {
	if len(ix.cells) == 0 {
		return orb.Bound{}
	}
	return ix.bound
}

// round keeps four decimals: enough for colouring, and tiles stay small.
func round(v float64) float64 { return math.Round(v*1e4) / 1e4 }

func project(r orb.Ring, props []prop) cell {
	c := cell{minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1), props: props}
	c.ring = make([]orb.Point, len(r))
	for i, p := range r {
		x, y := mercator(p[0], p[1])
		c.ring[i] = orb.Point{x, y}
		c.minX, c.maxX = math.Min(c.minX, x), math.Max(c.maxX, x)
		c.minY, c.maxY = math.Min(c.minY, y), math.Max(c.maxY, y)
	}
	return c
}

// mercator returns lon/lat in unit Web Mercator (0..1, y growing south).
func mercator(lon, lat float64) (x, y float64) {
	x = (lon + 180) / 360
	s := math.Sin(lat * math.Pi / 180)
	y = 0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)
	return x, y
}

// Valid reports an error when z/x/y is not a tile of the Web Mercator pyramid
// at zoom 0..MaxZoom.
func Valid(z, x, y int) error {
	if z < 0 || z > MaxZoom {
		return fmt.Errorf("zoom %d out of range 0..%d", z, MaxZoom)
	}
	n := 1 << z
	if x < 0 || x >= n {
		return fmt.Errorf("x %d out of range 0..%d at zoom %d", x, n-1, z)
	}
	if y < 0 || y >= n {
		return fmt.Errorf("y %d out of range 0..%d at zoom %d", y, n-1, z)
	}
	return nil
}

// Tile returns the encoded (uncompressed) vector tile t, or nil when no cell
// shows in it. Polygons are in tile units (0..Extent, y down), clipped to a
// small buffer round the tile; cells that shrink below one unit are left out.
// A tile holds at most MaxFeatures cells (see TileLimit).
func (ix *Index) Tile(t maptile.Tile) ([]byte, error) {
	b, _, err := ix.TileLimit(t, MaxFeatures)
	return b, err
}
