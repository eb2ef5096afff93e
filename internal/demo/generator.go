package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
)

// Calendar constants of 2017 (1 January was a Sunday).
const (
	daysInYear = 365
	dayMinutes = 24 * 60
	// dstGap is 2017-03-26 01:00, the first minute of the hour that does
	// not exist in Europe/London (clocks go forward).
	dstGap = (31+28+25)*dayMinutes + 60
)

// edgeMargin is how far (metres) every offence keeps from its NPU's edge,
// so that the coordinate rounding and BNG conversion of ingest cannot move
// it into a neighbour.
const edgeMargin = 10

// generator draws offences; it is not safe for concurrent use.
type generator struct {
	cfg      Config
	rng      *rand.Rand
	hourCum  map[string][]float64 // kind name -> cumulative hour-of-year weights
	dayCum   map[dayKey][]float64
	npus     map[string]*npuPlaces
	streets  []string
	outcomes []weighted
}

type dayKey struct {
	kind string
	days [7]bool
}

type weighted struct {
	s string
	w float64
}

// npuPlaces holds where an NPU's offences can be drawn.
type npuPlaces struct {
	hot   []place
	corr  []corrPoint
	bound orb.Bound
}

type corrPoint struct {
	lon, lat float64
	road     string
}

func newGenerator(cfg Config) (*generator, error) {
	g := &generator{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		hourCum: map[string][]float64{}, dayCum: map[dayKey][]float64{}, npus: map[string]*npuPlaces{},
		streets: streets(), outcomes: outcomes()}
	for _, u := range cfg.Units.Units() {
		g.npus[u.Code] = &npuPlaces{bound: u.Geometry.Bound()}
	}
	for _, v := range cfg.Volumes {
		if g.npus[v.NPU] == nil {
			return nil, fmt.Errorf("demo: volume for NPU %q, which is not in the units", v.NPU)
		}
	}
	for _, p := range places() {
		if n := g.npus[cfg.Units.Locate(p.lon, p.lat)]; n != nil {
			n.hot = append(n.hot, p)
		}
	}
	for _, c := range corridors() {
		for _, pt := range densify(c.way, 100) {
			if n := g.npus[cfg.Units.Locate(pt[0], pt[1])]; n != nil {
				n.corr = append(n.corr, corrPoint{pt[0], pt[1], c.name})
			}
		}
	}
	for _, k := range kinds() {
		g.hourCum[k.name] = hourOfYear(&k)
	}
	return g, nil
}

// densify returns points every step metres along a polyline.
func densify(way [][2]float64, step float64) [][2]float64 {
	var out [][2]float64
	for i := 0; i+1 < len(way); i++ {
		a, b := way[i], way[i+1]
		n := int(metresBetween(a, b)/step) + 1
		for j := 0; j < n; j++ {
			t := float64(j) / float64(n)
			out = append(out, [2]float64{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])})
		}
	}
	return out
}

func metresBetween(a, b [2]float64) float64 {
	dy := (b[1] - a[1]) * 111_320
	dx := (b[0] - a[0]) * 111_320 * math.Cos(a[1]*math.Pi/180)
	return math.Hypot(dx, dy)
}

// hourOfYear returns the cumulative weights of the 8,760 hours of 2017 for
// a kind: month x weekday x hour x the Friday/Saturday night boost.
func hourOfYear(k *kind) []float64 {
	cum := make([]float64, daysInYear*24)
	total := 0.0
	for d := 0; d < daysInYear; d++ {
		m, wd := monthOf(d), d%7
		for hr := 0; hr < 24; hr++ {
			w := k.months[m] * k.days[wd] * k.hours[hr]
			if k.nightBoost > 0 && isWeekendNight(wd, hr) {
				w *= k.nightBoost
			}
			if d*dayMinutes+hr*60 == dstGap {
				w = 0
			}
			total += w
			cum[d*24+hr] = total
		}
	}
	return cum
}

// isWeekendNight reports Friday or Saturday 20:00 to 04:00 the next day.
func isWeekendNight(wd, hr int) bool {
	return (hr >= 20 && (wd == 5 || wd == 6)) || (hr < 4 && (wd == 6 || wd == 0))
}

func monthOf(day int) int {
	return int(time.Date(2017, 1, 1+day, 0, 0, 0, 0, time.UTC).Month()) - 1
}

// days returns the cumulative anchor-day weights of a kind under a weekday
// mask.
func (g *generator) days(k *kind, mask [7]bool) []float64 {
	key := dayKey{k.name, mask}
	if c, ok := g.dayCum[key]; ok {
		return c
	}
	any := mask == [7]bool{}
	cum := make([]float64, daysInYear)
	total := 0.0
	for d := 0; d < daysInYear; d++ {
		if any || mask[d%7] {
			total += k.months[monthOf(d)] * k.days[d%7]
		}
		cum[d] = total
	}
	g.dayCum[key] = cum
	return cum
}

// pick returns an index drawn from cumulative weights.
func (g *generator) pick(cum []float64) int {
	x := g.rng.Float64() * cum[len(cum)-1]
	return min(sort.SearchFloat64s(cum, x), len(cum)-1)
}

func (g *generator) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.rng.IntN(hi-lo+1)
}

// draw generates one offence of kind k in npu.
func (g *generator) draw(npu string, k *kind) (record, error) {
	cs := g.code(k)
	r := record{code: cs.code, category: k.category, weapon: g.weapon(cs.weapons), outcome: g.outcome()}
	r.from, r.to = g.when(k, cs)
	night := isWeekendNight(((r.from/dayMinutes)%7+7)%7, (r.from%dayMinutes)/60) ||
		(r.from%dayMinutes)/60 >= 21 || (r.from%dayMinutes)/60 < 3
	var err error
	r.e, r.n, r.street, err = g.where(npu, k, night)
	return r, err
}

func (g *generator) code(k *kind) codeShare {
	total := 0.0
	for _, c := range k.codes {
		total += c.share
	}
	x := g.rng.Float64() * total
	for _, c := range k.codes {
		if x < c.share {
			return c
		}
		x -= c.share
	}
	return k.codes[len(k.codes)-1]
}

func (g *generator) weapon(m weaponMix) hotgrid.Weapon {
	x := g.rng.Float64()
	for i, s := range m {
		if x < s {
			return hotgrid.Weapon(i)
		}
		x -= s
	}
	return hotgrid.WeaponUnknown
}

func (g *generator) outcome() string {
	total := 0.0
	for _, o := range g.outcomes {
		total += o.w
	}
	x := g.rng.Float64() * total
	for _, o := range g.outcomes {
		if x < o.w {
			return o.s
		}
		x -= o.w
	}
	return g.outcomes[0].s
}

// when draws the occurrence window (minutes after 2017-01-01 00:00).
func (g *generator) when(k *kind, cs codeShare) (from, to int) {
	ws := cs.windows
	if ws == nil {
		ws = k.windows
	}
	w := g.window(ws)
	switch {
	case w.exact:
		from = g.exactMinute(k)
		to = from
	case w.relative && w.fromHi == 0:
		from = g.exactMinute(k)
		to = from + g.between(w.toLo, w.toHi)
	case w.relative:
		from = g.pick(g.days(k, w.days))*dayMinutes + g.between(w.fromLo, w.fromHi)
		to = from + g.between(w.toLo, w.toHi)
	default:
		day := g.pick(g.days(k, w.days)) * dayMinutes
		from, to = day+g.between(w.fromLo, w.fromHi), day+g.between(w.toLo, w.toHi)
	}
	if from >= daysInYear*dayMinutes { // a window starting after midnight on 31 December
		from, to = from-7*dayMinutes, to-7*dayMinutes
	}
	from, to = skipGap(from), skipGap(to)
	if !w.exact && to <= from {
		to = from + 15
	}
	return from, to
}

func (g *generator) window(ws []window) window {
	total := 0.0
	for _, w := range ws {
		total += math.Max(w.share, 0)
	}
	if total == 0 {
		return ws[0]
	}
	x := g.rng.Float64() * total
	for _, w := range ws {
		if x < w.share {
			return w
		}
		x -= w.share
	}
	return ws[len(ws)-1]
}

func (g *generator) exactMinute(k *kind) int {
	return g.pick(g.hourCum[k.name])*60 + g.rng.IntN(60)
}

// skipGap moves a minute in the missing DST hour to the hour after.
func skipGap(m int) int {
	if m >= dstGap && m < dstGap+60 {
		return m + 60
	}
	return m
}

// formatMinute formats minutes after 2017-01-01 00:00 as local wall time.
func formatMinute(m int) string {
	return time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(m) * time.Minute).Format("2006-01-02T15:04")
}

// where draws a location in npu for kind k: at a hotspot, along a
// corridor, or anywhere in the NPU, keeping edgeMargin from its edges.
func (g *generator) where(npu string, k *kind, night bool) (e, n int, street string, err error) {
	np := g.npus[npu]
	for try := 0; try < 10_000; try++ {
		lon, lat, st := g.candidate(np, k, night, try)
		if e, n, ok := g.accept(npu, lon, lat); ok {
			return e, n, st, nil
		}
	}
	return 0, 0, "", fmt.Errorf("demo: no location found in NPU %s for %s", npu, k.name)
}

// candidate proposes a point; after many rejections it falls back to the
// background, which always succeeds eventually.
func (g *generator) candidate(np *npuPlaces, k *kind, night bool, try int) (lon, lat float64, street string) {
	x := g.rng.Float64()
	if try > 50 {
		x = 1
	}
	if x < k.place.hotspot && len(np.hot) > 0 {
		p := g.hotspot(np.hot, k, night)
		lon, lat = g.jitter(p.lon, p.lat, p.sigma)
		return lon, lat, "On or near " + p.name
	}
	if x < k.place.hotspot+k.place.corridor && len(np.corr) > 0 {
		c := np.corr[g.rng.IntN(len(np.corr))]
		lon, lat = g.jitter(c.lon, c.lat, 70)
		return lon, lat, "On or near " + c.road
	}
	b := np.bound
	lon = b.Min[0] + g.rng.Float64()*(b.Max[0]-b.Min[0])
	lat = b.Min[1] + g.rng.Float64()*(b.Max[1]-b.Min[1])
	return lon, lat, "On or near " + g.streets[g.rng.IntN(len(g.streets))]
}

func (g *generator) hotspot(hot []place, k *kind, night bool) place {
	ws := make([]float64, len(hot))
	total := 0.0
	for i, p := range hot {
		w := p.weight * k.place.affinity[p.typ]
		if night && p.typ == ptNight {
			w *= 3
		}
		total += w
		ws[i] = total
	}
	return hot[g.pick(ws)]
}

// jitter offsets a point by a normal deviate of sigma metres each way.
func (g *generator) jitter(lon, lat, sigma float64) (float64, float64) {
	dy := g.rng.NormFloat64() * sigma
	dx := g.rng.NormFloat64() * sigma
	return lon + dx/(111_320*math.Cos(lat*math.Pi/180)), lat + dy/111_320
}

// accept reports whether a point lies in npu with edgeMargin to spare and
// still does after rounding to whole grid metres and converting back the
// way ingest does; it returns the grid coordinates.
func (g *generator) accept(npu string, lon, lat float64) (e, n int, ok bool) {
	u := g.cfg.Units
	if u.Locate(lon, lat) != npu {
		return 0, 0, false
	}
	dLat := edgeMargin / 111_320.0
	dLon := dLat / math.Cos(lat*math.Pi/180)
	for _, d := range [4][2]float64{{dLon, 0}, {-dLon, 0}, {0, dLat}, {0, -dLat}} {
		if u.Locate(lon+d[0], lat+d[1]) != npu {
			return 0, 0, false
		}
	}
	fe, fn := geo.WGS84ToBNG(lon, lat)
	e, n = int(math.Round(fe)), int(math.Round(fn))
	lon2, lat2, err := geo.BNGToWGS84(float64(e), float64(n))
	if err != nil || u.Locate(lon2, lat2) != npu {
		return 0, 0, false
	}
	return e, n, true
}

// outcomes are police.uk last-outcome categories with rough shares.
func outcomes() []weighted {
	return []weighted{
		{"Investigation complete; no suspect identified", 0.45},
		{"Unable to prosecute suspect", 0.24},
		{"Under investigation", 0.08},
		{"Awaiting court outcome", 0.06},
		{"Local resolution", 0.05},
		{"Offender given a caution", 0.03},
		{"Court result unavailable", 0.05},
		{"Formal action is not in the public interest", 0.04},
	}
}
