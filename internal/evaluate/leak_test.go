package evaluate

import (
	"context"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// synthetic returns n offences spread over a few km² of Birmingham in the
// given month, with fixed-seed positions and categories.
func synthetic(seed uint64, n int, m time.Time, idPrefix string) []hotgrid.Offence {
	r := rand.New(rand.NewPCG(seed, 7))
	cats := []string{"Burglary", "Robbery", "Violence and sexual offences", "Shoplifting", "Anti-social behaviour"}
	out := make([]hotgrid.Offence, n)
	for i := range out {
		lon := -1.90 + 0.03*r.NormFloat64()*0.3
		lat := 52.48 + 0.02*r.NormFloat64()*0.3
		cell, _ := geo.CellAt(lon, lat, hotgrid.StoreResolution)
		from := m.Add(time.Duration(r.IntN(27*24)) * time.Hour)
		out[i] = hotgrid.Offence{ID: idPrefix + string(rune('a'+i%26)) + strings.Repeat("x", i%3), Force: "West Midlands Police",
			From: from, To: from.Add(time.Duration(r.IntN(10)) * time.Hour), Category: cats[r.IntN(len(cats))],
			Lon: lon, Lat: lat, Cell: cell}
	}
	return out
}

// recorder wraps methods to keep the training events and scores each saw.
type recorder struct {
	mu     sync.Mutex
	scores map[string][]float64
	events map[string][]Event
}

func (rc *recorder) wrap(ms []Method) []Method {
	out := make([]Method, len(ms))
	for i, m := range ms {
		out[i] = Method{Name: m.Name, About: m.About, Score: func(in *Input) []float64 {
			s := m.Score(in)
			rc.mu.Lock()
			defer rc.mu.Unlock()
			k := in.Study.Key + "/" + m.Name + "/" + in.From.Format(time.DateOnly)
			rc.scores[k+"/"+strings.Join(groupsOf(in.Events), ",")] = append([]float64(nil), s...)
			rc.events[k] = append(rc.events[k], in.Events...)
			return s
		}}
	}
	return out
}

func groupsOf(es []Event) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range es {
		if !seen[e.Group] {
			seen[e.Group] = true
			out = append(out, e.Group)
		}
	}
	return out
}

// TestLeakFree proves that nothing from the test window reaches training:
// poisoned test-window offences (new places, huge harm, a marker ID) and
// offences straddling the split leave every method's trained scores
// unchanged, and no training event carries the marker.
func TestLeakFree(t *testing.T) {
	clean := append(synthetic(1, 400, month("2017-01"), "TRAIN-"), synthetic(2, 400, month("2017-02"), "TEST-")...)
	poison := synthetic(3, 300, month("2017-02"), "POISON-")
	for i := range poison {
		poison[i].Lon += 0.05 // new cells, so a leak would also change footprint study areas
		poison[i].Cell, _ = geo.CellAt(poison[i].Lon, poison[i].Lat, hotgrid.StoreResolution)
	}
	straddle := synthetic(4, 50, month("2017-01"), "POISON-STRADDLE-")
	for i := range straddle {
		straddle[i].From = month("2017-02").Add(-time.Hour)
		straddle[i].To = month("2017-02").Add(time.Hour)
	}
	dirty := append(append(append([]hotgrid.Offence(nil), clean...), poison...), straddle...)

	run := func(offs []hotgrid.Offence) *recorder {
		rc := &recorder{scores: map[string][]float64{}, events: map[string][]Event{}}
		cfg := Config{TrainFrom: month("2017-01"), TrainTo: month("2017-02"), TestFrom: month("2017-02"), TestTo: month("2017-03"),
			By: "force", Groups: []string{"all", "burglary", "robbery"}, Weights: realWeights(t), Methods: rc.wrap(Methods(Params{}))}
		if _, err := Run(context.Background(), cfg, sliceScan(offs)); err != nil {
			t.Fatal(err)
		}
		return rc
	}
	a, b := run(clean), run(dirty)
	if len(a.scores) == 0 {
		t.Fatal("no scores recorded")
	}
	if !reflect.DeepEqual(a.scores, b.scores) {
		t.Fatalf("trained scores differ when test-window offences are poisoned (%d vs %d score sets)", len(a.scores), len(b.scores))
	}
	for k, es := range b.events {
		for _, e := range es {
			if strings.HasPrefix(e.ID, "POISON-") || strings.HasPrefix(e.ID, "TEST-") || !e.From.Before(month("2017-02")) {
				t.Fatalf("%s: test-window offence %s (%s) reached training", k, e.ID, e.From)
			}
		}
	}
}
