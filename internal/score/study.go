package score

import (
	"fmt"
	"math"
	"slices"

	"github.com/hotgrid/hotgrid/geo"
)

// maxStudyCells caps a boundary polyfill; a boundary that would need more
// cells (a large force at a fine resolution) falls back to the cells with
// offences and their rings.
const maxStudyCells = 4_000_000

type studyKey struct{ unit, res int }

// study is one unit's study area at one resolution: sorted cells and, per
// ring size k, the neighbour graph of the cells inside the area.
type study struct {
	cells []uint64
	kind  string      // StudyUnits, StudyForce or StudyRingsAlone
	nbs   map[int]csr // by k
}

// study returns (building once) unit u's study area at res. Callers hold e.mu.
func (e *Engine) study(u, res int) (*study, error) {
	key := studyKey{u, res}
	if st, ok := e.studies[key]; ok {
		return st, nil
	}
	info := e.units[u]
	st := &study{kind: info.study, nbs: map[int]csr{}}
	var cells []uint64
	if len(info.Geometry) > 0 {
		if est := estimateCells(info, res); est > maxStudyCells {
			st.kind = StudyRingsAlone
		} else {
			var err error
			if cells, err = geo.Polyfill(info.Geometry, res); err != nil {
				return nil, fmt.Errorf("score: study area of %s: %w", info.Code, err)
			}
		}
	}
	// Cells holding the unit's offences are always in its area, so no
	// offence is dropped where a boundary cell's centre falls outside.
	ix := e.ix
	var last uint64
	for i := ix.unitStart[u]; i < ix.unitStart[u+1]; i++ {
		c := geo.Parent(ix.cell[i], res)
		if c == last {
			continue
		}
		last = c
		cells = append(cells, c)
		if st.kind == StudyRingsAlone {
			cells = append(cells, geo.Ring(c, 1)...)
		}
	}
	slices.Sort(cells)
	st.cells = slices.Compact(cells)
	e.studies[key] = st
	return st, nil
}

// estimateCells roughly counts the cells a polyfill of the unit would give.
func estimateCells(u unitInfo, res int) float64 {
	b := u.Geometry.Bound()
	c := b.Center()
	cell, err := geo.CellAt(c[0], c[1], res)
	if err != nil {
		return 0
	}
	km := 111.32
	w := (b.Max[0] - b.Min[0]) * km * math.Cos(c[1]*math.Pi/180)
	h := (b.Max[1] - b.Min[1]) * km
	return w * h / geo.AreaKm2(cell)
}

// neighbours returns the k-ring graph of the study cells (self excluded).
func (st *study) neighbours(k int) csr {
	if g, ok := st.nbs[k]; ok {
		return g
	}
	g := csr{off: make([]int32, 1, len(st.cells)+1)}
	g.nb = make([]int32, 0, len(st.cells)*(3*k*(k+1)))
	for _, c := range st.cells {
		for _, n := range geo.Disk(c, k) {
			if n == c {
				continue
			}
			if j, ok := slices.BinarySearch(st.cells, n); ok {
				g.nb = append(g.nb, int32(j))
			}
		}
		g.off = append(g.off, int32(len(g.nb)))
	}
	st.nbs[k] = g
	return g
}

// find returns the position of cell c in the study area.
func (st *study) find(c uint64) (int, bool) { return slices.BinarySearch(st.cells, c) }
