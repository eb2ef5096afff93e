package score

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

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
	st, err := e.buildStudy(u, res)
	if err != nil {
		return nil, err
	}
	e.studies[key] = st
	return st, nil
}

// prepareStudies builds the missing study areas and k-ring graphs of the
// units at res on every CPU, for queries over many units (a national
// ranking fills every force). Callers hold e.mu.
func (e *Engine) prepareStudies(units []int, res, k int) error {
	var todo []int
	for _, u := range units {
		if _, ok := e.studies[studyKey{u, res}]; !ok {
			todo = append(todo, u)
		}
	}
	if len(todo) < 2 {
		return nil
	}
	built := make([]*study, len(todo))
	errs := make([]error, len(todo))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(todo)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				if built[j], errs[j] = e.buildStudy(todo[j], res); errs[j] == nil {
					built[j].neighbours(k)
				}
			}
		}()
	}
	// largest first, so one big force does not finish last alone
	order := make([]int, len(todo))
	for j := range order {
		order[j] = j
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmpFloat(e.studySize(todo[b], res), e.studySize(todo[a], res))
	})
	for _, j := range order {
		next <- j
	}
	close(next)
	wg.Wait()
	for j, u := range todo {
		if errs[j] != nil {
			return errs[j]
		}
		e.studies[studyKey{u, res}] = built[j]
	}
	return nil
}

// studySize guesses the work of building a study area.
func (e *Engine) studySize(u, res int) float64 {
	if len(e.units[u].Geometry) > 0 {
		return estimateCells(e.units[u], res)
	}
	return float64(e.ix.unitStart[u+1] - e.ix.unitStart[u])
}

// buildStudy fills unit u's study area at res. It only reads the engine,
// so several may run at once.
func (e *Engine) buildStudy(u, res int) (*study, error) {
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
