package plan_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/plan/plantest"
)

func TestMemStore(t *testing.T) {
	plantest.Run(t, func(*testing.T) hotgrid.PlanStore { return &plan.MemStore{} })
}

var every = [7]bool{true, true, true, true, true, true, true}

func testBands() []hotgrid.Band {
	var friSat [7]bool
	friSat[time.Friday], friSat[time.Saturday] = true, true
	return []hotgrid.Band{
		{Name: "any", Label: "Any time", Days: every, AnyTime: true},
		{Name: "day", Label: "Day", Days: every, Start: 8 * 60, End: 16 * 60},
		{Name: "night", Label: "Fri/Sat night", Days: friSat, Start: 20 * 60, End: 4 * 60},
	}
}

func newService() *plan.Service {
	return &plan.Service{Store: &plan.MemStore{}, Bands: testBands(),
		Now: func() time.Time { return time.Date(2017, 5, 20, 9, 0, 0, 0, time.UTC) }}
}

func TestValidate(t *testing.T) {
	s := newService()
	cs := plantest.Cells(4)
	tests := map[string]struct {
		mut   func(p *hotgrid.Plan)
		field string
	}{
		"ok":             {func(p *hotgrid.Plan) {}, ""},
		"no unit":        {func(p *hotgrid.Plan) { p.Unit = "" }, "unit"},
		"empty period":   {func(p *hotgrid.Plan) { p.To = p.From }, "to"},
		"long period":    {func(p *hotgrid.Plan) { p.To = p.From.AddDate(2, 0, 0) }, "to"},
		"dup area":       {func(p *hotgrid.Plan) { p.Areas[1].ID = p.Areas[0].ID }, "areas[1].id"},
		"no cells":       {func(p *hotgrid.Plan) { p.Areas[0].Cells = nil }, "areas[0].cells"},
		"bad cell":       {func(p *hotgrid.Plan) { p.Areas[0].Cells = []string{"zz"} }, "areas[0].cells"},
		"shared cell":    {func(p *hotgrid.Plan) { p.Areas[1].Cells = []string{cs[0]} }, "areas[1].cells"},
		"unknown band":   {func(p *hotgrid.Plan) { p.Areas[0].Doses[0].Band = "lunch" }, "areas[0].doses[0].band"},
		"zero minutes":   {func(p *hotgrid.Plan) { p.Areas[0].Doses[0].VisitMinutes = 0 }, "areas[0].doses[0].visit_minutes"},
		"too many visit": {func(p *hotgrid.Plan) { p.Areas[0].Doses[0].Visits = 49 }, "areas[0].doses[0].visits"},
		"dup band": {func(p *hotgrid.Plan) {
			p.Areas[0].Doses = append(p.Areas[0].Doses, p.Areas[0].Doses[0])
		}, "areas[0].doses[1].band"},
	}
	for name, c := range tests {
		p := plantest.Sample()
		c.mut(p)
		err := s.Validate(p)
		var he *hotgrid.Error
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if err == nil || !asError(err, &he) || he.Field != c.field || he.Code != hotgrid.EINVALID {
			t.Errorf("%s: err = %#v, want field %q", name, err, c.field)
		}
	}
}

func asError(err error, he **hotgrid.Error) bool {
	e, ok := err.(*hotgrid.Error)
	*he = e
	return ok
}

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	s := newService()
	p := plantest.Sample()
	p.State, p.ID = hotgrid.PlanAgreed, 77 // ignored by Create
	if err := s.Create(ctx, p, "alice"); err != nil {
		t.Fatal(err)
	}
	if p.State != hotgrid.PlanDraft || p.Version != 1 || p.ID != 1 || p.CreatedBy != "alice" {
		t.Fatalf("created = %+v", p)
	}
	// agree straight from draft is refused
	if _, err := s.Transition(ctx, p.ID, 1, hotgrid.PlanAgreed, "chair"); hotgrid.ErrorCode(err) != hotgrid.ECONFLICT {
		t.Fatalf("draft -> agreed: %v", err)
	}
	// stale version refused
	if _, err := s.Transition(ctx, p.ID, 0, hotgrid.PlanProposed, "alice"); hotgrid.ErrorCode(err) != hotgrid.ECONFLICT {
		t.Fatalf("stale: %v", err)
	}
	q, err := s.Transition(ctx, p.ID, 1, hotgrid.PlanProposed, "alice")
	if err != nil || q.State != hotgrid.PlanProposed || q.Version != 2 {
		t.Fatalf("propose: %+v %v", q, err)
	}
	// proposed plans may still be edited
	q.Note = "board asked for a night dose"
	q.Areas[0].Doses = append(q.Areas[0].Doses, hotgrid.Dose{Band: "night", VisitMinutes: 20, Visits: 1})
	if q, err = s.Update(ctx, q, "alice"); err != nil || q.Version != 3 {
		t.Fatalf("edit proposed: %v", err)
	}
	if q, err = s.Transition(ctx, p.ID, 3, hotgrid.PlanAgreed, "chair"); err != nil || q.AgreedBy != "chair" || q.AgreedAt.IsZero() {
		t.Fatalf("agree: %+v %v", q, err)
	}
	// agreed is immutable
	q.Note = "sneaky"
	if _, err := s.Update(ctx, q, "alice"); hotgrid.ErrorCode(err) != hotgrid.ECONFLICT || !strings.Contains(err.Error(), "new version") {
		t.Fatalf("edit agreed: %v", err)
	}
	stored, _ := s.Store.Plan(ctx, p.ID)
	if stored.Note != "board asked for a night dose" {
		t.Errorf("agreed plan changed: %q", stored.Note)
	}
	if _, err := s.Transition(ctx, p.ID, 4, hotgrid.PlanDraft, "alice"); hotgrid.ErrorCode(err) != hotgrid.ECONFLICT {
		t.Errorf("agreed -> draft: %v", err)
	}
	// a new version supersedes it and, once agreed, closes it
	n, err := s.NewVersion(ctx, p.ID, "alice")
	if err != nil || n.State != hotgrid.PlanDraft || n.Supersedes != p.ID || len(n.Areas) != 2 || n.ID == p.ID {
		t.Fatalf("new version: %+v %v", n, err)
	}
	n.Areas = n.Areas[:1]
	if n, err = s.Update(ctx, n, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NewVersion(ctx, n.ID, "alice"); hotgrid.ErrorCode(err) != hotgrid.ECONFLICT {
		t.Errorf("new version of a draft: %v", err)
	}
	n, _ = s.Transition(ctx, n.ID, n.Version, hotgrid.PlanProposed, "alice")
	if _, err = s.Transition(ctx, n.ID, n.Version, hotgrid.PlanAgreed, "chair"); err != nil {
		t.Fatal(err)
	}
	old, _ := s.Store.Plan(ctx, p.ID)
	if old.State != hotgrid.PlanClosed {
		t.Errorf("superseded plan is %s, want closed", old.State)
	}
	orig, _ := s.Store.Plan(ctx, p.ID)
	if len(orig.Areas) != 2 {
		t.Errorf("editing the new version changed the old one")
	}
}

func TestProposeNeedsDoses(t *testing.T) {
	ctx := context.Background()
	s := newService()
	p := plantest.Sample()
	p.Areas[1].Doses = nil
	if err := s.Create(ctx, p, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, p.ID, 1, hotgrid.PlanProposed, "alice"); hotgrid.ErrorCode(err) != hotgrid.EINVALID {
		t.Fatalf("propose without dose: %v", err)
	}
}

func TestUpdateCannotMoveUnit(t *testing.T) {
	ctx := context.Background()
	s := newService()
	p := plantest.Sample()
	_ = s.Create(ctx, p, "alice")
	p.Unit = "B2"
	if _, err := s.Update(ctx, p, "alice"); hotgrid.ErrorCode(err) != hotgrid.EINVALID {
		t.Fatalf("unit change: %v", err)
	}
}

func TestFromRanking(t *testing.T) {
	cs := plantest.Cells(3)
	r := &hotgrid.UnitRanking{Unit: "B1", Areas: []hotgrid.PatrolArea{
		{ID: "B1-1", Unit: "B1", Rank: 1, Cells: cs[:2], Harm: 50, Dose: hotgrid.Dose{Band: "night", VisitMinutes: 15, EveryMinutes: 60}},
		{ID: "B1-2", Unit: "B1", Rank: 2, Cells: cs[2:], Harm: 20},
	}}
	p := plan.FromRanking(r, time.Date(2017, 6, 1, 13, 0, 0, 0, time.UTC), time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC))
	if p.Unit != "B1" || p.From.Hour() != 0 || len(p.Areas) != 2 || len(p.Areas[0].Doses) != 1 || p.Areas[0].Doses[0].Visits != 1 || len(p.Areas[1].Doses) != 0 {
		t.Fatalf("plan = %+v", p)
	}
	if err := newService().Validate(p); err != nil {
		t.Error(err)
	}
}

func TestChanges(t *testing.T) {
	ctx := context.Background()
	s := newService()
	cs := plantest.Cells(6)
	mk := func(from time.Time, cells ...string) *hotgrid.Plan {
		p := &hotgrid.Plan{Unit: "B1", From: from, To: from.AddDate(0, 1, 0)}
		for i, c := range cells {
			p.Areas = append(p.Areas, hotgrid.PlanArea{ID: c, Rank: i + 1, Cells: []string{c},
				Doses: []hotgrid.Dose{{Band: "any", VisitMinutes: 10, Visits: 1}}})
		}
		if err := s.Create(ctx, p, "alice"); err != nil {
			t.Fatal(err)
		}
		return p
	}
	agree := func(p *hotgrid.Plan) {
		q, err := s.Transition(ctx, p.ID, p.Version, hotgrid.PlanProposed, "alice")
		if err == nil {
			_, err = s.Transition(ctx, q.ID, q.Version, hotgrid.PlanAgreed, "chair")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	may := time.Date(2017, 5, 1, 0, 0, 0, 0, time.UTC)
	april := mk(may.AddDate(0, -1, 0), cs[5])
	agree(april)
	prev := mk(may, cs[0], cs[1], cs[2])
	agree(prev)
	_ = mk(may, cs[4]) // a draft of May never agreed: not the previous plan
	cur := mk(may.AddDate(0, 1, 0), cs[1], cs[2], cs[3])
	c, err := s.Changes(ctx, cur)
	if err != nil {
		t.Fatal(err)
	}
	if c.Previous != prev.ID || strings.Join(c.New, ",") != cs[3] || len(c.Persistent) != 2 || strings.Join(c.Dropped, ",") != cs[0] {
		t.Fatalf("changes = %+v", c)
	}
	first, _ := s.Changes(ctx, april)
	if first.Previous != 0 || len(first.New) != 1 || len(first.Dropped) != 0 {
		t.Errorf("first plan changes = %+v", first)
	}
}

func TestFitCapacity(t *testing.T) {
	p := &hotgrid.Plan{ID: 1, Unit: "B1", Areas: []hotgrid.PlanArea{
		{ID: "low", Rank: 3, Harm: 10, Doses: []hotgrid.Dose{{Band: "day", VisitMinutes: 15, Visits: 2}}},
		{ID: "top", Rank: 1, Harm: 90, Doses: []hotgrid.Dose{{Band: "day", VisitMinutes: 20, Visits: 2}, {Band: "night", VisitMinutes: 30, Visits: 1}}},
		{ID: "mid", Rank: 2, Harm: 40, Doses: []hotgrid.Dose{{Band: "day", VisitMinutes: 10, Visits: 3}}},
	}}
	f := plan.FitCapacity(p, []hotgrid.Capacity{{Unit: "B1", Band: "day", Minutes: 60}, {Unit: "B2", Band: "night", Minutes: 500}})
	if len(f.Bands) != 2 || f.Bands[0].Band != "day" {
		t.Fatalf("bands = %+v", f.Bands)
	}
	day := f.Bands[0]
	got := ""
	for _, a := range day.Areas {
		got += a.Area + ":" + itoa(a.Need) + "/" + itoa(a.Given) + "/" + itoa(a.Short) + " "
	}
	// top needs 40 and gets it, mid needs 30 and gets the 20 left, low gets none
	if want := "top:40/40/0 mid:30/20/10 low:30/0/30 "; got != want || day.Demand != 100 || day.Given != 60 || day.Capacity != 60 {
		t.Errorf("day fit = %q (demand %d given %d), want %q", got, day.Demand, day.Given, want)
	}
	// no night capacity for B1 (B2's does not count): the whole night dose is short
	if len(f.Shortfall) != 3 || f.Shortfall[2].Area != "top" || f.Shortfall[2].Band != "night" || f.ShortMinutes != 70 {
		t.Errorf("shortfall = %+v, %d", f.Shortfall, f.ShortMinutes)
	}
	s := newService()
	for name, caps := range map[string][]hotgrid.Capacity{
		"unknown band": {{Band: "lunch", Minutes: 1}},
		"negative":     {{Band: "day", Minutes: -1}},
		"dup":          {{Band: "day", Minutes: 1}, {Band: "day", Minutes: 2}},
		"other unit":   {{Unit: "B2", Band: "day", Minutes: 1}},
	} {
		if err := s.ValidateCapacity("B1", caps); hotgrid.ErrorCode(err) != hotgrid.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
