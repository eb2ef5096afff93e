// Package plantest is a conformance suite for hotgrid.PlanStore
// implementations, including 100 concurrent edits of one plan through
// plan.Service (no lost update, stale versions refused).
package plantest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
)

// Run runs the suite; open returns an empty store.
func Run(t *testing.T, open func(t *testing.T) hotgrid.PlanStore) {
	t.Run("RoundTrip", func(t *testing.T) { testRoundTrip(t, open(t)) })
	t.Run("OptimisticVersion", func(t *testing.T) { testCAS(t, open(t)) })
	t.Run("ConcurrentEdits", func(t *testing.T) { ConcurrentEdits(t, open(t), 100) })
	t.Run("Capacity", func(t *testing.T) { testCapacity(t, open(t)) })
	t.Run("Patrols", func(t *testing.T) { testPatrols(t, open(t)) })
}

// Cells returns n distinct resolution 9 cells in central Birmingham.
func Cells(n int) []string {
	c, _ := geo.CellAt(-1.8904, 52.4862, 9)
	var out []string
	for k := 0; len(out) < n; k++ {
		for _, x := range geo.Ring(c, k) {
			if len(out) < n {
				out = append(out, geo.String(x))
			}
		}
	}
	return out
}

// Sample returns a valid draft plan of unit B1 for June 2017 with two areas.
func Sample() *hotgrid.Plan {
	cs := Cells(3)
	return &hotgrid.Plan{
		Unit: "B1", From: time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC),
		State: hotgrid.PlanDraft, Note: "FTDB June",
		Areas: []hotgrid.PlanArea{
			{ID: "B1-1", Rank: 1, Cells: cs[:2], Count: 12.5, Harm: 900, Doses: []hotgrid.Dose{{Band: "any", VisitMinutes: 15, Visits: 2}}},
			{ID: "B1-2", Rank: 2, Cells: cs[2:], Count: 4, Harm: 300, Doses: []hotgrid.Dose{{Band: "any", VisitMinutes: 15, Visits: 1}}},
		},
		CreatedBy: "alice", UpdatedBy: "alice",
		CreatedAt: time.Date(2017, 5, 20, 9, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2017, 5, 20, 9, 0, 0, 0, time.UTC),
	}
}

func testRoundTrip(t *testing.T, s hotgrid.PlanStore) {
	ctx := context.Background()
	p := Sample()
	if err := s.CreatePlan(ctx, p); err != nil || p.ID == 0 || p.Version != 1 {
		t.Fatalf("create: id %d version %d, %v", p.ID, p.Version, err)
	}
	got, err := s.Plan(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Unit != "B1" || !got.From.Equal(p.From) || !got.To.Equal(p.To) || got.State != hotgrid.PlanDraft ||
		got.Note != p.Note || len(got.Areas) != 2 || got.Areas[0].Cells[1] != p.Areas[0].Cells[1] ||
		got.Areas[0].Doses[0] != p.Areas[0].Doses[0] || got.Areas[1].Harm != 300 || got.CreatedBy != "alice" ||
		!got.CreatedAt.Equal(p.CreatedAt) || !got.AgreedAt.IsZero() {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, p)
	}
	q := Sample()
	q.Unit, q.From, q.To = "B2", q.From.AddDate(0, 1, 0), q.To.AddDate(0, 1, 0)
	if err := s.CreatePlan(ctx, q); err != nil {
		t.Fatal(err)
	}
	all, err := s.Plans(ctx, hotgrid.PlanFilter{})
	if err != nil || len(all) != 2 || all[0].ID != q.ID {
		t.Fatalf("plans = %v, %v (want newest period first)", all, err)
	}
	b1, _ := s.Plans(ctx, hotgrid.PlanFilter{Unit: "B1"})
	agreed, _ := s.Plans(ctx, hotgrid.PlanFilter{State: hotgrid.PlanAgreed})
	if len(b1) != 1 || b1[0].ID != p.ID || len(agreed) != 0 {
		t.Errorf("filters: %d B1, %d agreed", len(b1), len(agreed))
	}
	if _, err := s.Plan(ctx, 999); hotgrid.ErrorCode(err) != hotgrid.ENOTFOUND {
		t.Errorf("missing plan: %v", err)
	}
}

func testCAS(t *testing.T, s hotgrid.PlanStore) {
	ctx := context.Background()
	p := Sample()
	if err := s.CreatePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Plan(ctx, p.ID)
	b, _ := s.Plan(ctx, p.ID)
	a.Note = "first"
	if err := s.UpdatePlan(ctx, a); err != nil || a.Version != 2 {
		t.Fatalf("update: version %d, %v", a.Version, err)
	}
	b.Note = "second"
	if err := s.UpdatePlan(ctx, b); hotgrid.ErrorCode(err) != hotgrid.ECONFLICT {
		t.Fatalf("stale update: err = %v, want conflict", err)
	}
	got, _ := s.Plan(ctx, p.ID)
	if got.Note != "first" || got.Version != 2 {
		t.Errorf("after conflict: note %q version %d", got.Note, got.Version)
	}
	if err := s.UpdatePlan(ctx, &hotgrid.Plan{ID: 999, Version: 1}); hotgrid.ErrorCode(err) != hotgrid.ENOTFOUND {
		t.Errorf("missing plan update: %v", err)
	}
}

// ConcurrentEdits runs n goroutines that each add one area to one plan via
// plan.Service, reloading and retrying on ECONFLICT. Every area must be in
// the final plan (0 lost updates), the version must count n edits, and
// conflicts must have happened only as ECONFLICT.
func ConcurrentEdits(t *testing.T, s hotgrid.PlanStore, n int) {
	ctx := context.Background()
	svc := &plan.Service{Store: s}
	p := Sample()
	p.Areas = p.Areas[:1]
	if err := svc.Create(ctx, p, "alice"); err != nil {
		t.Fatal(err)
	}
	cells := Cells(n + 2)[2:]
	var conflicts, other atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for {
				cur, err := s.Plan(ctx, p.ID)
				if err != nil {
					other.Add(1)
					return
				}
				cur.Areas = append(cur.Areas, hotgrid.PlanArea{ID: fmt.Sprintf("x%d", i), Cells: []string{cells[i]}})
				_, err = svc.Update(ctx, cur, fmt.Sprintf("u%d", i))
				if err == nil {
					return
				}
				if hotgrid.ErrorCode(err) != hotgrid.ECONFLICT {
					t.Errorf("edit %d: %v", i, err)
					other.Add(1)
					return
				}
				conflicts.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	got, err := s.Plan(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, a := range got.Areas {
		have[a.ID] = true
	}
	lost := 0
	for i := range n {
		if !have[fmt.Sprintf("x%d", i)] {
			lost++
		}
	}
	t.Logf("%d concurrent edits: %d conflicts retried, %d lost, final version %d", n, conflicts.Load(), lost, got.Version)
	if lost != 0 || other.Load() != 0 || len(got.Areas) != n+1 || got.Version != n+1 {
		t.Fatalf("lost %d updates, %d other errors, %d areas, version %d; want 0, 0, %d, %d", lost, other.Load(), len(got.Areas), got.Version, n+1, n+1)
	}
}

func testCapacity(t *testing.T, s hotgrid.PlanStore) {
	ctx := context.Background()
	if err := s.SetCapacity(ctx, "B1", []hotgrid.Capacity{{Band: "night", Minutes: 60}, {Band: "any", Minutes: 120}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCapacity(ctx, "B2", []hotgrid.Capacity{{Band: "any", Minutes: 10}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCapacity(ctx, "B1", []hotgrid.Capacity{{Band: "night", Minutes: 90}, {Band: "any", Minutes: 30}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Capacity(ctx, "B1")
	want := []hotgrid.Capacity{{Unit: "B1", Band: "any", Minutes: 30}, {Unit: "B1", Band: "night", Minutes: 90}}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("capacity = %v, %v; want %v", got, err, want)
	}
	if got, _ := s.Capacity(ctx, "B9"); len(got) != 0 {
		t.Errorf("unknown unit capacity = %v", got)
	}
}

func testPatrols(t *testing.T, s hotgrid.PlanStore) {
	ctx := context.Background()
	at := func(h int) time.Time { return time.Date(2017, 6, 2, h, 30, 0, 0, time.UTC) }
	logs := []hotgrid.PatrolLog{
		{Unit: "B1", PlanID: 1, Area: "B1-1", Start: at(10), Minutes: 15, Source: "csv", Ref: "PC 1", CreatedBy: "alice", CreatedAt: at(12)},
		{Unit: "B1", PlanID: 1, Area: "B1-2", Cell: Cells(1)[0], Start: at(8), Minutes: 5, Source: "gps", CreatedBy: "alice", CreatedAt: at(12)},
		{Unit: "B2", PlanID: 2, Area: "B2-1", Start: at(9), Minutes: 20, Source: "form", CreatedBy: "bob", CreatedAt: at(12)},
	}
	if err := s.AddPatrols(ctx, logs); err != nil {
		t.Fatal(err)
	}
	if logs[0].ID == 0 || logs[0].ID == logs[1].ID {
		t.Errorf("ids not set: %d %d", logs[0].ID, logs[1].ID)
	}
	got, err := s.Patrols(ctx, hotgrid.PatrolFilter{Unit: "B1"})
	if err != nil || len(got) != 2 || got[0].Area != "B1-2" || got[0].Cell != logs[1].Cell || !got[1].Start.Equal(at(10)) ||
		got[1].Ref != "PC 1" || got[1].Minutes != 15 || got[1].Source != "csv" {
		t.Fatalf("patrols = %+v, %v", got, err)
	}
	got, _ = s.Patrols(ctx, hotgrid.PatrolFilter{PlanID: 2})
	if len(got) != 1 || got[0].Unit != "B2" {
		t.Errorf("by plan = %+v", got)
	}
	got, _ = s.Patrols(ctx, hotgrid.PatrolFilter{From: at(9), To: at(10)})
	if len(got) != 1 || got[0].Area != "B2-1" {
		t.Errorf("by window = %+v", got)
	}
}
