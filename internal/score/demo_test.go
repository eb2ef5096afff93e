package score

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/hotgrid/hotgrid/data"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/ingest"
	"github.com/hotgrid/hotgrid/internal/severity"
	"github.com/hotgrid/hotgrid/internal/units"
)

var demo struct {
	once     sync.Once
	offences []hotgrid.Offence
	cfg      Config
	err      error
}

// demoData ingests the embedded demo year (data.DemoCSV through
// data/mappings/demo.json) once, with the embedded NPUs, forces and weights.
func demoData(t testing.TB) ([]hotgrid.Offence, Config) {
	t.Helper()
	demo.once.Do(func() {
		npus, err := units.Default()
		if err != nil {
			demo.err = err
			return
		}
		forces, err := units.DefaultForces()
		if err != nil {
			demo.err = err
			return
		}
		w, err := severity.Default()
		if err != nil {
			demo.err = err
			return
		}
		m, err := ingest.LoadMapping(bytes.NewReader(data.DemoMapping()), "data/mappings/demo.json")
		if err != nil {
			demo.err = err
			return
		}
		rc, name := data.DemoCSV()
		defer rc.Close()
		st := &memStore{}
		in := &ingest.Ingester{Store: st, Units: npus, Codes: w}
		if _, err := in.IngestReader(context.Background(), rc, name, ingest.FormatMapped, m); err != nil {
			demo.err = err
			return
		}
		if err := in.Flush(); err != nil {
			demo.err = err
			return
		}
		demo.offences = st.offences
		demo.cfg = Config{Units: npus.Units(), Forces: forces.Units(), Weights: w, Version: "test"}
	})
	if demo.err != nil {
		t.Fatal(demo.err)
	}
	return demo.offences, demo.cfg
}

func demoEngine(t testing.TB) *Engine {
	t.Helper()
	offs, cfg := demoData(t)
	e, err := NewEngine(cfg, sliceScan(offs))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestDemoEveryNPU: on the default demo year every one of the 8 NPUs gets
// its top 10 hot grids and its top 3 knife-point robbery cells.
func TestDemoEveryNPU(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the demo year in -short mode")
	}
	e := demoEngine(t)
	ctx := context.Background()
	_, cfg := demoData(t)
	if len(cfg.Units) != 8 {
		t.Fatalf("%d default units, want 8 NPUs", len(cfg.Units))
	}
	codes := make([]string, len(cfg.Units))
	for i, u := range cfg.Units {
		codes[i] = u.Code
	}
	r, err := e.Rank(ctx, hotgrid.Query{Units: codes})
	if err != nil {
		t.Fatal(err)
	}
	k, err := e.Knife(ctx, hotgrid.Query{Units: codes})
	if err != nil {
		t.Fatal(err)
	}
	for i, ur := range r.Units {
		if len(ur.Cells) != 10 || len(ur.Areas) == 0 {
			t.Errorf("%s: %d hot grids, %d areas", ur.Unit, len(ur.Cells), len(ur.Areas))
		}
		if kc := k.Units[i].Cells; len(kc) != 3 || kc[0].Count <= 0 {
			t.Errorf("%s: %d knife cells", ur.Unit, len(kc))
		}
		t.Logf("%s %s: top harm %.0f (count %.1f, %s, %s); top knife count %.1f", ur.Unit, ur.Name,
			ur.Cells[0].Harm, ur.Cells[0].Count, ur.Cells[0].Class, ur.Cells[0].PeakBand, k.Units[i].Cells[0].Count)
	}
	if r.StudyArea != StudyUnits || r.Offences < 100000 {
		t.Fatalf("study area %q, %d offences", r.StudyArea, r.Offences)
	}
	// harm and count rankings differ somewhere in the demo data
	c, err := e.Rank(ctx, hotgrid.Query{Units: codes, Metric: hotgrid.MetricCount})
	if err != nil {
		t.Fatal(err)
	}
	differ := 0
	for i := range c.Units {
		if c.Units[i].Cells[0].H3 != r.Units[i].Cells[0].H3 {
			differ++
		}
	}
	t.Logf("top cell by count differs from top cell by harm in %d of 8 NPUs", differ)
	if differ == 0 {
		t.Fatal("ranking by harm never differs from ranking by count on the demo data")
	}
}

func BenchmarkDemoScore(b *testing.B) {
	e := demoEngine(b)
	scoreAll(b, e)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0) }()
	for i := 0; i < b.N; i++ {
		scoreAll(b, e)
	}
}

func BenchmarkDemoRankWarm(b *testing.B) {
	e := demoEngine(b)
	ctx := context.Background()
	q := hotgrid.Query{Units: []string{e.Units()[0].Code}, Band: "weekday-evening"}
	if _, err := e.Rank(ctx, q); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0) }()
	for i := 0; i < b.N; i++ {
		if _, err := e.Rank(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDemoLoad(b *testing.B) {
	offs, cfg := demoData(b)
	b.ReportAllocs()
	b.ResetTimer()
	var per float64
	for i := 0; i < b.N; i++ {
		per = loadBytes(b, cfg, offs)
	}
	b.ReportMetric(per, "bytes/offence")
}
