package evaluate

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/paulmach/orb"
)

// tinyInput is a study of one cell and its first two rings, with two
// burglaries in the centre cell (one in each of January and February) and
// one robbery in a first-ring cell in February; training runs Jan-Feb.
func tinyInput(t *testing.T) (*Input, int32, int32) {
	t.Helper()
	centre, err := geo.CellAt(-1.9, 52.48, 9)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewStudy("tiny", StudyFootprint, 9, geo.Disk(centre, 2))
	if err != nil {
		t.Fatal(err)
	}
	nbCell := geo.Ring(centre, 1)[0]
	c, n := s.Index[centre], s.Index[nbCell]
	pc, pn := geo.Center(centre), geo.Center(nbCell)
	ev := func(idx int32, p [2]float64, m, group string, harm float64) Event {
		return Event{Idx: idx, Cell: s.Cells[idx], Lon: p[0], Lat: p[1], From: month(m), To: month(m).AddDate(0, 1, 0), Group: group, Harm: harm, Weight: 1}
	}
	in := &Input{Study: s, From: month("2025-01"), To: month("2025-03"), Events: []Event{
		ev(c, pc, "2025-01", "burglary", 5), ev(c, pc, "2025-02", "burglary", 5), ev(n, pn, "2025-02", "robbery", 10)}}
	return in, c, n
}

func TestMethodsByHand(t *testing.T) {
	in, c, n := tinyInput(t)
	far := int32(-1) // a second-ring cell not next to n
	for i, cell := range in.Study.Cells {
		if geo.Resolution(cell) == 9 && !geo.Neighbours(cell, in.Study.Cells[c]) && cell != in.Study.Cells[c] && !geo.Neighbours(cell, in.Study.Cells[n]) {
			far = int32(i)
			break
		}
	}
	decay := func(days float64) float64 { return math.Exp2(-days / 30) }
	mid := func(m string) float64 { // days from mid-month to the end of training
		from := month(m)
		return in.To.Sub(from.Add(from.AddDate(0, 1, 0).Sub(from)/2)).Hours() / 24
	}
	tests := []struct {
		name          string
		score         func(*Input) []float64
		centre, nb, f float64
	}{
		{"naive counts the last month only", Naive, 1, 1, 0},
		{"counts", Counts, 2, 1, 0},
		{"harm", Harm, 10, 10, 0},
		{"kring 0.5", func(in *Input) []float64 { return KRing(in, 0.5) }, 2.5, 2, 0},
		{"recency halves every 30 days", func(in *Input) []float64 { return Recency(in, 30) },
			5*decay(mid("2025-01")) + 5*decay(mid("2025-02")), 10 * decay(mid("2025-02")), 0},
		{"blend", func(in *Input) []float64 { return Blend(in, 0.1, 0.1) }, 2 + 0.1 + 0.1*10/(20.0/3), 1 + 0.2 + 0.1*10/(20.0/3), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.score(in)
			if !approx(s[c], tt.centre) || !approx(s[n], tt.nb) || (far >= 0 && !approx(s[far], tt.f)) {
				t.Errorf("centre %g neighbour %g far %g, want %g %g %g", s[c], s[n], s[far], tt.centre, tt.nb, tt.f)
			}
		})
	}
}

func TestKernelMethods(t *testing.T) {
	in, c, n := tinyInput(t)
	kde := KDE(in, 0.3)
	// Two offences at the centre cell's centre: 2·3/(π·0.09) there.
	// Two offences at the centre cell's centre give 2·K(0) = 2·3/(π·0.09)
	// there; the robbery one cell away adds less than K(0).
	k0 := 3 / (math.Pi * 0.09)
	if kde[c] < 2*k0-1e-9 || kde[c] >= 3*k0 {
		t.Errorf("kde centre %g, want in [%g, %g)", kde[c], 2*k0, 3*k0)
	}
	if !(kde[c] > kde[n] && kde[n] > 0) {
		t.Errorf("kde centre %g should beat neighbour %g > 0", kde[c], kde[n])
	}
	nr := NearRepeat(in, 0.2, 14)
	counts := Counts(in)
	for i := range nr {
		if nr[i] < counts[i] {
			t.Fatalf("near-repeat %g below count %g at %d", nr[i], counts[i], i)
		}
	}
	// The February robbery is younger than the January burglary, so it
	// excites its own cell more than the older burglary excites the centre.
	if !(nr[n]-counts[n] > 0) {
		t.Errorf("near-repeat term at the robbery cell is %g", nr[n]-counts[n])
	}
}

func TestGiStarHotFlagsOnlySignificantClusters(t *testing.T) {
	in, c, _ := tinyInput(t)
	if s := GiStarHot(in, 0.05); s[c] != 0 {
		t.Errorf("three offences in 19 cells should not be significant, got z %g", s[c])
	}
	// A big cluster in a wide, otherwise quiet study area is significant.
	big, err := NewStudy("wide", StudyFootprint, 9, geo.Disk(in.Study.Cells[c], 8))
	if err != nil {
		t.Fatal(err)
	}
	centre := big.Index[in.Study.Cells[c]]
	var es []Event
	for _, cell := range geo.Disk(in.Study.Cells[c], 1) {
		for k := 0; k < 10; k++ {
			es = append(es, Event{Idx: big.Index[cell], Cell: cell, Weight: 1, Harm: 1, From: month("2025-01"), To: month("2025-02")})
		}
	}
	s := GiStarHot(&Input{Study: big, Events: es, From: month("2025-01"), To: month("2025-02")}, 0.05)
	if s[centre] <= 0 {
		t.Fatalf("cluster centre not hot: %g", s[centre])
	}
	for i, v := range s {
		if v > 0 && len(geo.Disk(big.Cells[i], 2)) > 0 && !nearCluster(big.Cells[i], in.Study.Cells[c]) {
			t.Errorf("cell %s far from the cluster flagged hot (z %g)", geo.String(big.Cells[i]), v)
		}
	}
}

func nearCluster(cell, centre uint64) bool {
	for _, d := range geo.Disk(centre, 2) {
		if d == cell {
			return true
		}
	}
	return false
}

func TestBandShare(t *testing.T) {
	night := bandFor(20*60, 4*60)
	d := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC) // a Friday
	tests := []struct {
		name     string
		from, to time.Time
		want     float64
	}{
		{"instant inside", d.Add(21 * time.Hour), d.Add(21 * time.Hour), 1},
		{"instant outside", d.Add(12 * time.Hour), d.Add(12 * time.Hour), 0},
		{"half in", d.Add(18 * time.Hour), d.Add(22 * time.Hour), 0.5},
		{"long window: the band's share of a week", d, d.AddDate(0, 0, 10), 8.0 / 24},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BandShare(night, tt.from, tt.to); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("got %g, want %g", got, tt.want)
			}
		})
	}
}

// TestGiStarHotSparseMatchesDense checks the sparse Gi* shortcut against
// score.GiStar and score.BenjaminiHochberg over every cell, on clustered
// random counts from sparse to dense, and that it declines when the
// counts do not vary.
func TestGiStarHotSparseMatchesDense(t *testing.T) {
	box := orb.MultiPolygon{{{{-2.0, 52.40}, {-1.7, 52.40}, {-1.7, 52.58}, {-2.0, 52.58}, {-2.0, 52.40}}}}
	s, err := BoundaryStudy("box", box, 9)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	used := 0
	for _, c := range []struct {
		events  int
		centres int
	}{{30, 3}, {400, 10}, {5000, 40}, {60000, 200}} {
		x := make([]float64, len(s.Cells))
		hubs := make([]int, c.centres)
		for i := range hubs {
			hubs[i] = rng.IntN(len(s.Cells))
		}
		for range c.events {
			i := hubs[rng.IntN(len(hubs))]
			for range rng.IntN(4) { // wander a few rings from the hub
				nb := s.Neighbours()[i]
				if len(nb) > 0 {
					i = int(nb[rng.IntN(len(nb))])
				}
			}
			x[i]++
		}
		want := giStarHotDense(s, x, 0.05)
		got, ok := giStarHotSparse(s, x, 0.05)
		if !ok {
			t.Logf("%d events: shortcut declined", c.events)
			continue
		}
		used++
		hot := 0
		for i := range want {
			if (want[i] > 0) != (got[i] > 0) || math.Abs(want[i]-got[i]) > 1e-9*math.Max(1, math.Abs(want[i])) {
				t.Fatalf("%d events: cell %d: sparse %g, dense %g", c.events, i, got[i], want[i])
			}
			if want[i] > 0 {
				hot++
			}
		}
		if hot == 0 {
			t.Errorf("%d events: no hot cells, a weak test", c.events)
		}
	}
	if used < 3 {
		t.Errorf("shortcut used in %d of 4 cases", used)
	}
	if _, ok := giStarHotSparse(s, make([]float64, len(s.Cells)), 0.05); ok {
		t.Error("shortcut taken with no counts at all (sd = 0)")
	}
}
