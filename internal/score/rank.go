package score

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Patrol dose: Koper-curve visits of about 15 minutes every two hours.
const (
	DoseVisitMinutes = 15
	DoseEveryMinutes = 120
	// MaxAreaCells is the most cells merged into one patrol area.
	MaxAreaCells = 3
)

// Rank returns each unit's top cells by the query metric (harm by default)
// and the patrol areas they form.
func (e *Engine) Rank(ctx context.Context, q hotgrid.Query) (*hotgrid.Ranking, error) {
	return e.rank(ctx, q, false)
}

// Knife returns each unit's top knife-point robbery cells (robbery with a
// knife or sharp instrument flag; top 3 by count by default). When no
// offence carries a weapon flag it returns no cells and says so in Notes.
func (e *Engine) Knife(ctx context.Context, q hotgrid.Query) (*hotgrid.Ranking, error) {
	return e.rank(ctx, q, true)
}

func (e *Engine) rank(ctx context.Context, q hotgrid.Query, knife bool) (*hotgrid.Ranking, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n, err := e.normalise(q, knife)
	if err != nil {
		return nil, err
	}
	out := &hotgrid.Ranking{Query: n.q, Notes: []string{}, Units: []hotgrid.UnitRanking{}}
	if knife && !slices.ContainsFunc(e.ix.weaponsFlagged, func(c int) bool { return c > 0 }) {
		out.StudyArea = e.studyAreas(n.units, n.q.Resolution)
		out.Notes = append(out.Notes, "The data carry no weapon flag (data.police.uk records do not say whether a knife was used), so knife-point robbery hotspots cannot be found; no cells are listed.")
		return out, nil
	}
	if err := e.prepareStudies(n.units, n.q.Resolution, n.q.K); err != nil {
		return nil, err
	}
	var monthOnly, tooLong int
	periods := -1
	var noWeapon []string
	for _, u := range n.units {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ur, s, err := e.unitRanking(n, u)
		if err != nil {
			return nil, err
		}
		a := s.a
		periods = s.periods
		if knife && e.ix.weaponsFlagged[u] == 0 {
			noWeapon = append(noWeapon, e.units[u].Code)
			ur.Cells, ur.Areas = []hotgrid.CellScore{}, []hotgrid.PatrolArea{}
		}
		out.Units = append(out.Units, ur)
		out.Offences += a.offences
		monthOnly += a.monthOnly
		tooLong += a.tooLng
	}
	out.StudyArea = e.studyAreas(n.units, n.q.Resolution)
	out.Notes = append(out.Notes, e.notes(n, monthOnly, tooLong, out.Offences)...)
	if periods >= 0 && periods < MinTrendPeriods {
		out.Notes = append(out.Notes, fmt.Sprintf("The window holds %d period(s) (months, or weeks for windows under three months); a trend needs at least %d, so no trend is given.", periods, MinTrendPeriods))
	}
	if len(noWeapon) > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("No offence in %s carries a weapon flag, so no knife-point robbery cells are listed there.", strings.Join(noWeapon, ", ")))
	}
	return out, nil
}

// unitRanking builds one unit's hot grid. Callers hold e.mu.
func (e *Engine) unitRanking(n *normQuery, u int) (hotgrid.UnitRanking, *scored, error) {
	s, err := e.score(n, u)
	if err != nil {
		return hotgrid.UnitRanking{}, nil, err
	}
	info := e.units[u]
	ur := hotgrid.UnitRanking{Unit: info.Code, Name: info.Name, StudyCells: len(s.a.st.cells),
		Cells: []hotgrid.CellScore{}, Areas: []hotgrid.PatrolArea{}}
	x := s.a.values(n.band, n.q.Metric)
	var chosen []int32
	for _, i := range s.order {
		if len(chosen) == n.q.Top {
			break
		}
		if x[i] <= 0 || n.q.SignificantOnly && !isHot(Classify(s.z[i], s.q[i])) {
			continue
		}
		chosen = append(chosen, i)
	}
	for _, i := range chosen {
		ur.Cells = append(ur.Cells, e.cellScore(s, u, int(i)))
	}
	ur.Areas = e.patrolAreas(s, u, chosen, ur.Cells)
	return ur, s, nil
}

func isHot(c hotgrid.Class) bool {
	return c == hotgrid.ClassHot99 || c == hotgrid.ClassHot95 || c == hotgrid.ClassHot90
}

// cellScore returns cell i's scores.
func (e *Engine) cellScore(s *scored, u, i int) hotgrid.CellScore {
	a := s.a
	c := a.st.cells[i]
	return hotgrid.CellScore{
		Cell: c, H3: geo.String(c), Unit: e.units[u].Code, Rank: int(s.rank[i]),
		Count:   a.values(s.band, hotgrid.MetricCount)[i],
		Harm:    a.values(s.band, hotgrid.MetricHarm)[i],
		Recency: a.values(s.band, hotgrid.MetricRecency)[i],
		Z:       s.z[i], P: s.p[i], Q: s.q[i], Class: Classify(s.z[i], s.q[i]), Trend: trendNames[s.trend[i]],
		PeakBand: e.peakBand(a, i),
	}
}

// peakBands returns the timed bands with the highest expected count over
// the cells, highest first: the top band and any within 75% of it, at most
// two. Month-only data give none.
func (e *Engine) peakBands(a *agg, cells []int) []string {
	type bc struct {
		b int
		c float64
	}
	var bs []bc
	for b := range e.bands {
		if b == e.anyIdx || a.count[b] == nil {
			continue
		}
		sum := 0.0
		for _, i := range cells {
			sum += a.count[b][i]
		}
		if sum > 0 {
			bs = append(bs, bc{b, sum})
		}
	}
	slices.SortStableFunc(bs, func(x, y bc) int { return cmpFloat(y.c, x.c) })
	out := []string{}
	for _, v := range bs {
		if len(out) == 2 || v.c < 0.75*bs[0].c {
			break
		}
		out = append(out, e.bands[v.b].Name)
	}
	return out
}

// peakBand returns cell i's timed band with the highest expected count
// (the first in band order on ties), "" when it has none.
func (e *Engine) peakBand(a *agg, i int) string {
	best, bc := -1, 0.0
	for b := range e.bands {
		if b == e.anyIdx || a.count[b] == nil {
			continue
		}
		if c := a.count[b][i]; c > bc {
			best, bc = b, c
		}
	}
	if best < 0 {
		return ""
	}
	return e.bands[best].Name
}

// patrolAreas merges adjacent chosen cells, in rank order, into areas of
// at most MaxAreaCells: each unassigned cell starts an area, which then
// takes the best-ranked unassigned chosen cells adjacent to it until full.
func (e *Engine) patrolAreas(s *scored, u int, chosen []int32, cells []hotgrid.CellScore) []hotgrid.PatrolArea {
	areas := []hotgrid.PatrolArea{}
	assigned := make([]bool, len(chosen))
	for start := range chosen {
		if assigned[start] {
			continue
		}
		assigned[start] = true
		members := []int{start}
		for len(members) < MaxAreaCells {
			next := -1
			for j := range chosen {
				if assigned[j] {
					continue
				}
				for _, m := range members {
					if geo.Neighbours(s.a.st.cells[chosen[m]], s.a.st.cells[chosen[j]]) {
						next = j
						break
					}
				}
				if next >= 0 {
					break
				}
			}
			if next < 0 {
				break
			}
			assigned[next] = true
			members = append(members, next)
		}
		pa := hotgrid.PatrolArea{ID: fmt.Sprintf("%s-%02d", e.units[u].Code, len(areas)+1), Unit: e.units[u].Code, Rank: len(areas) + 1}
		idx := make([]int, len(members))
		for k, m := range members {
			idx[k] = int(chosen[m])
			cells[m].Area = pa.ID
			pa.Cells = append(pa.Cells, cells[m].H3)
			pa.Count += cells[m].Count
			pa.Harm += cells[m].Harm
		}
		pa.PeakBands = e.peakBands(s.a, idx)
		pa.Dose = e.dose(pa.PeakBands)
		areas = append(areas, pa)
	}
	return areas
}

// dose suggests visits in the first peak band (any time when none).
func (e *Engine) dose(peak []string) hotgrid.Dose {
	b := e.bands[e.anyIdx]
	if len(peak) > 0 {
		b = e.bands[e.bandIndex(peak[0])]
	}
	return hotgrid.Dose{Band: b.Name, VisitMinutes: DoseVisitMinutes, EveryMinutes: DoseEveryMinutes,
		Visits: max(1, b.Minutes()/DoseEveryMinutes)}
}

// studyAreas describes the units' study areas for Ranking.StudyArea.
func (e *Engine) studyAreas(units []int, res int) string {
	counts := map[string]int{}
	var kinds []string
	for _, u := range units {
		k := e.units[u].study
		if st, ok := e.studies[studyKey{u, res}]; ok {
			k = st.kind
		}
		if counts[k] == 0 {
			kinds = append(kinds, k)
		}
		counts[k]++
	}
	if len(kinds) == 1 {
		return kinds[0]
	}
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s (%d units)", k, counts[k])
	}
	return strings.Join(parts, "; ")
}

// notes lists the limitations a user must see with a result.
func (e *Engine) notes(n *normQuery, monthOnly, tooLong, total int) []string {
	var out []string
	band := e.bands[n.band]
	if monthOnly > 0 {
		where := "they are counted in this any-time band only"
		if !band.AnyTime {
			where = fmt.Sprintf("they count only in the %q band and are left out of %q", e.bands[e.anyIdx].Name, band.Name)
		}
		out = append(out, fmt.Sprintf("%d of %d offences carry only a month, not a date and time (data.police.uk); they cannot be placed in a time band: %s.", monthOnly, total, where))
	}
	if tooLong > 0 {
		out = append(out, fmt.Sprintf("%d of %d offences have a from/to window longer than a week; they cannot be placed in a time band and count only in %q.", tooLong, total, e.bands[e.anyIdx].Name))
	}
	for _, u := range n.units {
		if st, ok := e.studies[studyKey{u, n.q.Resolution}]; ok && st.kind == StudyRingsAlone {
			out = append(out, fmt.Sprintf("%s has no boundary here (or one too large for resolution %d): its study area is the cells with offences and their rings, so Gi* compares busy places with their surroundings only.", e.units[u].Code, n.q.Resolution))
		}
	}
	if total == 0 {
		out = append(out, "No offence matches the query's window and filters.")
	}
	return out
}

// Cells returns every scored cell of the query's units that holds an
// offence, in rank order within each unit.
func (e *Engine) Cells(ctx context.Context, q hotgrid.Query) ([]hotgrid.CellScore, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n, err := e.normalise(q, false)
	if err != nil {
		return nil, err
	}
	if err := e.prepareStudies(n.units, n.q.Resolution, n.q.K); err != nil {
		return nil, err
	}
	var out []hotgrid.CellScore
	for _, u := range n.units {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s, err := e.score(n, u)
		if err != nil {
			return nil, err
		}
		out = slices.Grow(out, len(s.order))
		for _, i := range s.order {
			out = append(out, e.cellScore(s, u, int(i)))
		}
	}
	return out, nil
}

// Cell returns one cell's detail for the query, in the first of the
// query's units (every unit when none) whose study area holds it. The
// cell's own resolution is used.
func (e *Engine) Cell(ctx context.Context, h3 string, q hotgrid.Query) (*hotgrid.CellDetail, error) {
	c, err := geo.ParseCell(h3)
	if err != nil {
		return nil, hotgrid.FieldErrorf("h3", "%v", err)
	}
	q.Resolution = geo.Resolution(c)
	e.mu.Lock()
	defer e.mu.Unlock()
	n, err := e.normalise(q, false)
	if err != nil {
		return nil, err
	}
	for _, u := range n.units {
		if !e.mayHold(u, c) {
			continue
		}
		s, err := e.score(n, u)
		if err != nil {
			return nil, err
		}
		i, ok := s.a.st.find(c)
		if !ok {
			continue
		}
		return e.cellDetail(n, s, u, i), nil
	}
	return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "cell %s is not in the study area of the query's units", h3)
}

// mayHold is a cheap test that unit u's study area could hold cell c:
// its boundary's bound holds the cell centre, or it has offences there.
func (e *Engine) mayHold(u int, c uint64) bool {
	if g := e.units[u].Geometry; len(g) > 0 && g.Bound().Contains(geo.Center(c)) {
		return true
	}
	lo, hi := e.childRange(u, c)
	return hi > lo
}

// childRange returns unit u's offences in cell c (any resolution), as an
// index range: a cell's resolution-11 descendants are contiguous in index
// order.
func (e *Engine) childRange(u int, c uint64) (int, int) {
	ix := e.ix
	res := geo.Resolution(c)
	lo, hi := int(ix.unitStart[u]), int(ix.unitStart[u+1])
	first, _ := slices.BinarySearchFunc(ix.cell[lo:hi], c, func(x, t uint64) int {
		if geo.Parent(x, res) < t {
			return -1
		}
		if geo.Parent(x, res) > t {
			return 1
		}
		return 0
	})
	first += lo
	last := first
	for last < hi && geo.Parent(ix.cell[last], res) == c {
		last++
	}
	return first, last
}

// cellDetail adds counts by category and band, the monthly series and
// knife robberies to a cell's scores.
func (e *Engine) cellDetail(n *normQuery, s *scored, u, i int) *hotgrid.CellDetail {
	d := &hotgrid.CellDetail{CellScore: e.cellScore(s, u, i), ByCategory: map[string]float64{}, ByBand: map[string]float64{}}
	for b, band := range e.bands {
		if a := s.a.count[b]; a != nil && a[i] > 0 {
			d.ByBand[band.Name] = a[i]
		}
	}
	ix := e.ix
	t, ti := ix.timed, e.timed[n.band]
	months := map[int]*hotgrid.MonthValue{}
	lo, hi := e.childRange(u, s.a.st.cells[i])
	for j := lo; j < hi; j++ {
		if !e.keep(n, j) {
			continue
		}
		sh := 1.0
		if ti >= 0 {
			sh = float64(ix.shares[j*t+ti]) / shareScale
		}
		if sh == 0 {
			continue
		}
		d.ByCategory[e.cats[ix.cat[j]]] += sh
		if e.cats[ix.cat[j]] == "Robbery" && hotgrid.Weapon(ix.weapon[j]) == hotgrid.WeaponKnife {
			d.Knife += sh
		}
		m := int(ix.month[j])
		mv, ok := months[m]
		if !ok {
			mv = &hotgrid.MonthValue{Month: monthString(m)}
			months[m] = mv
		}
		mv.Count += sh
		mv.Harm += sh * float64(ix.weight[j])
	}
	// every month of the window, zeros included
	mFrom := int(monthIndex(time.Unix(n.from, 0).In(e.loc)))
	mTo := int(monthIndex(time.Unix(n.to-1, 0).In(e.loc)))
	for m := mFrom; m <= mTo && m-mFrom < 1200; m++ {
		if mv, ok := months[m]; ok {
			d.Monthly = append(d.Monthly, *mv)
		} else {
			d.Monthly = append(d.Monthly, hotgrid.MonthValue{Month: monthString(m)})
		}
	}
	return d
}

// Provenance describes the data and settings behind a query's answer.
func (e *Engine) Provenance(_ context.Context, q hotgrid.Query) hotgrid.Provenance {
	e.mu.Lock()
	defer e.mu.Unlock()
	if n, err := e.normalise(q, false); err == nil {
		q = n.q
	}
	names := make([]string, len(e.bands))
	for i, b := range e.bands {
		names[i] = b.Name
	}
	p := hotgrid.Provenance{
		Sources: append([]hotgrid.SourceFile{}, e.cfg.Sources...), Query: q, Bands: names,
		WeightsVersion: e.cfg.Weights.Version(), Version: e.cfg.Version, MadeAt: time.Now().UTC(),
	}
	if e.ix.len() > 0 {
		p.DataFrom = time.Unix(e.ix.minFrom, 0).UTC()
		p.DataTo = time.Unix(e.ix.maxTo, 0).UTC()
	}
	return p
}
