package evaluate

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/score"
)

// Input is what a method trains on: one study area and the training
// window's offences of one crime group that fall inside it.
type Input struct {
	Study    *Study
	Events   []Event // every event has Idx >= 0
	From, To time.Time
}

// Method turns training offences into a score per study cell; higher scores
// are flagged first and cells scoring zero are never flagged.
type Method struct {
	Name  string
	About string // how it scores, for reports
	Score func(in *Input) []float64
}

// Params tunes the methods. Zero values mean the documented defaults.
type Params struct {
	KDEBandwidthKm float64 // quartic kernel bandwidth; default 0.3 km
	RingWeight     float64 // k-ring weight of each first-ring neighbour; default 0.5
	HalfLifeDays   float64 // recency half-life; default 30 days
	Alpha          float64 // Gi* FDR level; default 0.05
	NRDistanceKm   float64 // near-repeat distance scale; default 0.2 km
	NRDays         float64 // near-repeat time scale; default 14 days
	BlendRing      float64 // hotgrid blend: weight of first-ring counts; default 0.1
	BlendHarm      float64 // hotgrid blend: weight of harm in offence units; default 0.1
}

func (p Params) withDefaults() Params {
	def := func(v *float64, d float64) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&p.KDEBandwidthKm, 0.3)
	def(&p.RingWeight, 0.5)
	def(&p.HalfLifeDays, 30)
	def(&p.Alpha, 0.05)
	def(&p.NRDistanceKm, 0.2)
	def(&p.NRDays, 14)
	def(&p.BlendRing, 0.1)
	def(&p.BlendHarm, 0.1)
	return p
}

// DefaultMethod is the name of hotgrid's own ranking in results.
const DefaultMethod = "hotgrid"

// Methods returns every method compared, hotgrid's default last.
func Methods(p Params) []Method {
	p = p.withDefaults()
	return []Method{
		{"naive", "offence count in the last month of the training window", Naive},
		{"counts", "offence count over the whole training window", Counts},
		{"kde", "quartic kernel density at cell centres, fixed bandwidth " + km(p.KDEBandwidthKm), func(in *Input) []float64 { return KDE(in, p.KDEBandwidthKm) }},
		{"kring", "count plus " + ftoa(p.RingWeight) + " x each first-ring neighbour's count", func(in *Input) []float64 { return KRing(in, p.RingWeight) }},
		{"gistar", "Gi* z of counts (cell + first ring), hot cells with Benjamini-Hochberg q < " + ftoa(p.Alpha) + " only", func(in *Input) []float64 { return GiStarHot(in, p.Alpha) }},
		{"recency", "harm decayed with a half-life of " + ftoa(p.HalfLifeDays) + " days to the end of training", func(in *Input) []float64 { return Recency(in, p.HalfLifeDays) }},
		{"nearrepeat", "count plus exp(-d/" + km(p.NRDistanceKm) + ")·exp(-t/" + ftoa(p.NRDays) + " d) from each burglary and robbery", func(in *Input) []float64 { return NearRepeat(in, p.NRDistanceKm, p.NRDays) }},
		{"harm", "ONS Crime Severity Score harm over the training window (the engine's harm metric)", Harm},
		{DefaultMethod, "hotgrid's default: count + " + ftoa(p.BlendRing) + " x first-ring counts + " + ftoa(p.BlendHarm) + " x harm in offence units", func(in *Input) []float64 { return Blend(in, p.BlendRing, p.BlendHarm) }},
	}
}

// Naive scores the offence count of the last calendar month of training.
func Naive(in *Input) []float64 {
	start := lastMonthStart(in.To)
	if start.Before(in.From) {
		start = in.From
	}
	return cellSums(in, func(e *Event) float64 {
		if e.From.Before(start) {
			return 0
		}
		return e.Weight
	})
}

// Counts scores the offence count over the whole training window.
func Counts(in *Input) []float64 {
	return cellSums(in, func(e *Event) float64 { return e.Weight })
}

// Harm scores the severity-weighted count over the training window.
func Harm(in *Input) []float64 {
	return cellSums(in, func(e *Event) float64 { return e.Harm })
}

// Blend is hotgrid's default ranking: a cell's count plus ring times each
// first-ring neighbour's count plus harm times its harm divided by the mean
// harm of one training offence (so harm is in offence units). The ring term
// spreads a little weight to the neighbours of busy cells and the harm term
// breaks the many ties between cells of equal count in favour of the more
// harmful.
func Blend(in *Input, ring, harm float64) []float64 {
	out := KRing(in, ring)
	h := Harm(in)
	var tot, n float64
	for i := range in.Events {
		tot += in.Events[i].Harm
		n += in.Events[i].Weight
	}
	if tot == 0 {
		return out
	}
	scale := harm * n / tot
	for i := range out {
		out[i] += scale * h[i]
	}
	return out
}

// Recency scores harm decayed by age (end of training minus the middle of
// the occurrence window) with the given half-life.
func Recency(in *Input, halfLifeDays float64) []float64 {
	return cellSums(in, func(e *Event) float64 {
		age := in.To.Sub(e.Mid()).Hours() / 24
		return e.Harm * math.Exp2(-age/halfLifeDays)
	})
}

// KDE is a quartic-kernel density of the training offences evaluated at
// each cell centre: K(d) = 3/(πh²)·(1−d²/h²)² for d < h.
func KDE(in *Input, h float64) []float64 {
	c := 3 / (math.Pi * h * h)
	return scatter(in, in.Events, h, func(e *Event, d float64) float64 {
		u := 1 - d*d/(h*h)
		return e.Weight * c * u * u
	})
}

// KRing scores a cell's count plus w times each first-ring neighbour's count.
func KRing(in *Input, w float64) []float64 {
	x := Counts(in)
	out := append([]float64(nil), x...)
	for i, v := range x {
		if v == 0 {
			continue
		}
		for _, d := range geo.Ring(in.Study.Cells[i], 1) {
			if j, ok := in.Study.Index[d]; ok {
				out[j] += w * v
			}
		}
	}
	return out
}

// GiStarHot scores cells by their Gi* z of counts when they are hot and
// significant after the Benjamini-Hochberg correction (q < alpha), zero
// otherwise.
func GiStarHot(in *Input, alpha float64) []float64 {
	x := Counts(in)
	if out, ok := giStarHotSparse(in.Study, x, alpha); ok {
		return out
	}
	return giStarHotDense(in.Study, x, alpha)
}

// giStarHotDense runs score.GiStar and score.BenjaminiHochberg over every
// cell of the study area.
func giStarHotDense(s *Study, x []float64, alpha float64) []float64 {
	z := score.GiStar(x, s.Neighbours())
	p := make([]float64, len(z))
	for i, v := range z {
		p[i] = score.PValue(v)
	}
	q := score.BenjaminiHochberg(p)
	out := make([]float64, len(z))
	for i, v := range z {
		if v > 0 && q[i] < alpha {
			out[i] = v
		}
	}
	return out
}

// giStarHotSparse gives giStarHotDense's answer while computing Gi* only
// for the cells with a count or a neighbour with one (most of a force's
// cells have neither). Every other cell has a neighbourhood sum of zero, so
// its z is -x̄·w/den(w) < 0: never hot. When all those p-values exceed
// alpha (checked for every neighbourhood size w = 1..7), they cannot change
// whether a cell with p < alpha has q < alpha: each of their terms
// p·n/rank in the step-up minimum is above alpha, and they rank after every
// such cell. So Benjamini-Hochberg over the active cells, with n = every
// cell, flags the same cells. ok is false when the shortcut does not hold
// (then the caller runs the dense version).
func giStarHotSparse(s *Study, x []float64, alpha float64) (out []float64, ok bool) {
	n := len(x)
	if n < 2 {
		return nil, false
	}
	nf := float64(n)
	var sum float64
	var nz []int32
	for i, v := range x {
		if v != 0 {
			sum += v
			nz = append(nz, int32(i))
		}
	}
	xbar := sum / nf
	var ss float64
	for _, i := range nz {
		d := x[i] - xbar
		ss += d * d
	}
	ss += float64(n-len(nz)) * xbar * xbar
	sd := math.Sqrt(ss / nf)
	if sd == 0 || math.IsNaN(sd) {
		return nil, false
	}
	z := func(lag, w float64) float64 {
		den := sd * math.Sqrt((nf*w-w*w)/(nf-1))
		if den == 0 || math.IsNaN(den) {
			return 0
		}
		return (lag - xbar*w) / den
	}
	for w := 1.0; w <= 7; w++ {
		if score.PValue(z(0, w)) <= alpha {
			return nil, false
		}
	}
	nb := s.Neighbours()
	active := make([]int32, 0, 7*len(nz))
	for _, i := range nz {
		active = append(active, i)
		active = append(active, nb[i]...)
	}
	slices.Sort(active)
	active = slices.Compact(active)
	type cellP struct {
		i    int32
		z, p float64
	}
	cs := make([]cellP, len(active))
	for k, i := range active {
		lag := x[i]
		for _, j := range nb[i] {
			lag += x[j]
		}
		zi := z(lag, float64(len(nb[i])+1))
		cs[k] = cellP{i, zi, score.PValue(zi)}
	}
	slices.SortFunc(cs, func(a, b cellP) int { return cmp.Compare(a.p, b.p) })
	out = make([]float64, n)
	prev := 1.0
	for r := len(cs) - 1; r >= 0; r-- {
		if v := cs[r].p * nf / float64(r+1); v < prev {
			prev = v
		}
		if cs[r].z > 0 && prev < alpha {
			out[cs[r].i] = cs[r].z
		}
	}
	return out, true
}

// NearRepeat scores a cell's count plus a self-exciting term: every burglary
// and robbery adds exp(−d/dist)·exp(−t/days) at cell centres within
// 3·dist, t being the time from the offence to the end of training.
func NearRepeat(in *Input, dist, days float64) []float64 {
	out := Counts(in)
	trig := make([]Event, 0, len(in.Events)/8)
	for _, e := range in.Events {
		if e.Group == "burglary" || e.Group == "robbery" {
			trig = append(trig, e)
		}
	}
	nr := scatter(in, trig, 3*dist, func(e *Event, d float64) float64 {
		t := in.To.Sub(e.Mid()).Hours() / 24
		return e.Weight * math.Exp(-d/dist) * math.Exp(-t/days)
	})
	for i := range out {
		out[i] += nr[i]
	}
	return out
}

// cellSums adds value(e) into each event's cell.
func cellSums(in *Input, value func(e *Event) float64) []float64 {
	out := make([]float64, len(in.Study.Cells))
	for i := range in.Events {
		out[in.Events[i].Idx] += value(&in.Events[i])
	}
	return out
}

// scatter adds f(e, d) to every study cell whose centre is within radius km
// of event e (d in km). Events are grouped by cell so each cell's disk is
// looked up once.
func scatter(in *Input, events []Event, radius float64, f func(e *Event, d float64) float64) []float64 {
	s := in.Study
	out := make([]float64, len(s.Cells))
	if len(events) == 0 {
		return out
	}
	edge := s.EdgeKm()
	k := int(math.Ceil((radius + edge) / (math.Sqrt(3) * edge)))
	order := make([]int, len(events))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return events[order[a]].Idx < events[order[b]].Idx })
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && events[order[hi]].Idx == events[order[lo]].Idx {
			hi++
		}
		src, list := events[order[lo]].Idx, order[lo:hi]
		lo = hi
		for _, c := range geo.Disk(s.Cells[src], k) {
			j, ok := s.Index[c]
			if !ok {
				continue
			}
			p := s.Centre(j)
			for _, ei := range list {
				e := &events[ei]
				if d := distKm(e.Lon, e.Lat, p[0], p[1]); d < radius {
					out[j] += f(e, d)
				}
			}
		}
	}
	return out
}

// distKm is the equirectangular distance in km, accurate to well under 1%
// at the few-km scales used here.
func distKm(lon1, lat1, lon2, lat2 float64) float64 {
	const r = 6371.0088
	rad := math.Pi / 180
	x := (lon2 - lon1) * rad * math.Cos((lat1+lat2)/2*rad)
	y := (lat2 - lat1) * rad
	return r * math.Hypot(x, y)
}

// lastMonthStart is the first instant of the calendar month holding the
// instant just before t, in t's location.
func lastMonthStart(t time.Time) time.Time {
	u := t.Add(-time.Nanosecond)
	return time.Date(u.Year(), u.Month(), 1, 0, 0, 0, 0, t.Location())
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func km(f float64) string {
	if f < 1 {
		return ftoa(f*1000) + " m"
	}
	return ftoa(f) + " km"
}
