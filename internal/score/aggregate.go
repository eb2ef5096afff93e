package score

import (
	"math"
	"slices"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// aggKey identifies one unit's band sums for a window and filter.
type aggKey struct {
	unit, res int
	from, to  int64
	cats      string
	halfLife  float64
	knife     bool
}

// agg holds one unit's per-cell sums for every band: expected count, harm
// and recency-weighted harm. A nil band slice means all zeros.
type agg struct {
	key               aggKey
	st                *study
	count, harm, rec  [][]float64 // [band][cell]
	offences          int         // offence records kept
	kept, keptCell    []int32     // index of each kept offence and of its cell
	monthOnly, tooLng int
	zeros             []float64
}

// aggregate returns (computing once) unit u's sums for n. Callers hold e.mu.
func (e *Engine) aggregate(n *normQuery, u int) (*agg, error) {
	key := aggKey{u, n.q.Resolution, n.from, n.to, n.catKey, n.halfLife, n.knife}
	if a, ok := e.aggs[key]; ok {
		return a, nil
	}
	st, err := e.study(u, n.q.Resolution)
	if err != nil {
		return nil, err
	}
	nb := len(e.bands)
	a := &agg{key: key, st: st, count: make([][]float64, nb), harm: make([][]float64, nb), rec: make([][]float64, nb)}
	a.zeros = make([]float64, len(st.cells))
	ix, t := e.ix, e.ix.timed
	res := n.q.Resolution
	anchor := float64(n.to)
	var last uint64
	ci := -1
	for i := int(ix.unitStart[u]); i < int(ix.unitStart[u+1]); i++ {
		if !e.keep(n, i) {
			continue
		}
		a.offences++
		switch {
		case ix.flags[i]&flagMonthOnly != 0:
			a.monthOnly++
		case ix.flags[i]&flagTooLong != 0:
			a.tooLng++
		}
		if c := geo.Parent(ix.cell[i], res); c != last || ci < 0 {
			last = c
			ci, _ = st.find(c) // every offence cell is in its unit's study area
		}
		a.kept = append(a.kept, int32(i))
		a.keptCell = append(a.keptCell, int32(ci))
		w := float64(ix.weight[i])
		r := w * math.Exp2(-(anchor-float64(ix.mid[i]))/n.halfLife)
		sh := ix.shares[i*t : (i+1)*t]
		for b := 0; b < nb; b++ {
			s := 1.0
			if ti := e.timed[b]; ti >= 0 {
				if sh[ti] == 0 {
					continue
				}
				s = float64(sh[ti]) / shareScale
			}
			if a.count[b] == nil {
				a.count[b] = make([]float64, len(st.cells))
				a.harm[b] = make([]float64, len(st.cells))
				a.rec[b] = make([]float64, len(st.cells))
			}
			a.count[b][ci] += s
			a.harm[b][ci] += s * w
			a.rec[b][ci] += s * r
		}
	}
	e.aggs[key] = a
	return a, nil
}

// values returns the per-cell values of a metric in band b.
func (a *agg) values(b int, m hotgrid.Metric) []float64 {
	var v []float64
	switch m {
	case hotgrid.MetricCount:
		v = a.count[b]
	case hotgrid.MetricRecency:
		v = a.rec[b]
	default:
		v = a.harm[b]
	}
	if v == nil {
		return a.zeros
	}
	return v
}

// scoreKey identifies one scored band of one unit.
type scoreKey struct {
	agg    aggKey
	band   int
	metric hotgrid.Metric
	k      int
}

// scored is one unit's Gi* scores for one band and metric.
type scored struct {
	a       *agg
	band    int
	metric  hotgrid.Metric
	z, p, q []float64
	trend   []uint8 // index into trendNames
	order   []int32 // cells with any offence, ranked: metric desc, count desc, cell asc
	rank    []int32 // cell -> 1-based rank, 0 when unranked
	periods int
}

// score returns (computing once) the scores of unit u for n. Callers hold e.mu.
func (e *Engine) score(n *normQuery, u int) (*scored, error) {
	a, err := e.aggregate(n, u)
	if err != nil {
		return nil, err
	}
	key := scoreKey{a.key, n.band, n.q.Metric, n.q.K}
	if s, ok := e.scores[key]; ok {
		return s, nil
	}
	nc := len(a.st.cells)
	s := &scored{a: a, band: n.band, metric: n.q.Metric,
		z: make([]float64, nc), p: make([]float64, nc), q: make([]float64, nc),
		trend: make([]uint8, nc), rank: make([]int32, nc)}
	x := a.values(n.band, n.q.Metric)
	g := a.st.neighbours(n.q.K)
	g.giStar(x, s.z)
	for i, z := range s.z {
		s.p[i] = PValue(z)
	}
	benjaminiHochberg(s.p, s.q)
	e.trends(n, s, g)
	cnt := a.values(n.band, hotgrid.MetricCount)
	for i := range cnt {
		if cnt[i] > 0 || x[i] > 0 {
			s.order = append(s.order, int32(i))
		}
	}
	cells := a.st.cells
	slices.SortFunc(s.order, func(i, j int32) int {
		if c := cmpFloat(x[j], x[i]); c != 0 {
			return c
		}
		if c := cmpFloat(cnt[j], cnt[i]); c != 0 {
			return c
		}
		if cells[i] < cells[j] {
			return -1
		}
		return 1
	})
	for r, i := range s.order {
		s.rank[i] = int32(r + 1)
	}
	if len(e.scores) > 4096 {
		clear(e.scores)
		clear(e.aggs)
	}
	e.scores[key] = s
	return s, nil
}

// stubPeriod returns 1 when the window's final period is a stub covering
// under a quarter of a period (an overnight burglary window ending on New
// Year's morning makes January a stub of a year's data): a stub would always
// read "not hot in the final period" and turn every persistent hot spot into
// a historical one, so it is left out of the trend.
func (e *Engine) stubPeriod(n *normQuery, last time.Time, monthly bool, periods int) int {
	if periods <= MinTrendPeriods {
		return 0
	}
	const week = 7 * 86400
	if !monthly {
		if rem := (n.to - n.from) % week; rem > 0 && rem < week/4 {
			return 1
		}
		return 0
	}
	start := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, e.loc)
	if n.to-start.Unix() < 7*86400 {
		return 1
	}
	return 0
}

// MinTrendPeriods is the fewest periods a trend is classified from; with
// fewer the trend is left empty and the ranking notes say why.
const MinTrendPeriods = 3

// trends fills s.trend with emerging hot spot classes from Gi* of the
// metric (harm for recency) in each month of the window, or each week when
// the window spans fewer than three months (month-only data: always months).
func (e *Engine) trends(n *normQuery, s *scored, g csr) {
	ix := e.ix
	mFrom := int(monthIndex(time.Unix(n.from, 0).In(e.loc)))
	last := time.Unix(n.to-1, 0).In(e.loc)
	mTo := int(monthIndex(last))
	monthly := mTo-mFrom+1 >= MinTrendPeriods || s.a.monthOnly > 0
	const week = 7 * 86400
	periods := mTo - mFrom + 1
	if !monthly {
		periods = int((n.to - n.from + week - 1) / week)
	}
	periods -= e.stubPeriod(n, last, monthly, periods)
	s.periods = periods
	if periods < MinTrendPeriods {
		return
	}
	nc := len(s.a.st.cells)
	vals := make([]float64, periods*nc)
	t, ti := ix.timed, e.timed[n.band]
	weighted := s.metric != hotgrid.MetricCount
	for k, i32 := range s.a.kept {
		i := int(i32)
		sh := 1.0
		if ti >= 0 {
			if ix.shares[i*t+ti] == 0 {
				continue
			}
			sh = float64(ix.shares[i*t+ti]) / shareScale
		}
		p := int(ix.month[i]) - mFrom
		if !monthly {
			p = int((ix.mid[i] - n.from) / week)
		}
		if p < 0 || p >= periods {
			continue
		}
		if weighted {
			sh *= float64(ix.weight[i])
		}
		vals[p*nc+int(s.a.keptCell[k])] += sh
	}
	zs := make([]float64, periods*nc)
	sig := make([]bool, nc)
	for p := 0; p < periods; p++ {
		z := zs[p*nc : (p+1)*nc]
		g.giStar(vals[p*nc:(p+1)*nc], z)
		for i, v := range z {
			if math.Abs(v) > trendZ {
				sig[i] = true
			}
		}
	}
	zc, pc := make([]float64, periods), make([]float64, periods)
	for i := 0; i < nc; i++ {
		if !sig[i] {
			s.trend[i] = trendCode(TrendNone)
			continue
		}
		for p := 0; p < periods; p++ {
			zc[p] = zs[p*nc+i]
			pc[p] = PValue(zc[p])
		}
		s.trend[i] = trendCode(EmergingClass(zc, pc))
	}
}
