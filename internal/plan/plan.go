// Package plan is hotgrid's patrol plan workflow, free of any transport:
// plans move draft -> proposed -> agreed -> closed, agreed plans never change
// (a new version is made instead), edits are checked against optimistic
// versions; it also compares a plan with the previous period's, fits doses
// into a unit's patrol capacity, reads patrol logs (form, CSV, GPS points)
// and reports coverage per day and band.
package plan

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Limits on plan content.
const (
	MaxAreas        = 200
	MaxVisitMinutes = 480
	MaxVisits       = 48
	MaxNoteLength   = 4000
)

// Service runs the plan workflow over a PlanStore.
type Service struct {
	Store hotgrid.PlanStore
	Bands []hotgrid.Band   // when set, dose bands must be among them
	Now   func() time.Time // time.Now when nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Date truncates t to its calendar date as a UTC midnight, the form plan
// periods are kept in.
func Date(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a YYYY-MM-DD date, naming field in errors.
func ParseDate(field, s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, hotgrid.FieldErrorf(field, "want a date as YYYY-MM-DD, got %q", s)
	}
	return t, nil
}

// FromRanking makes a draft plan for one unit from its ranking: one plan
// area per patrol area, with the engine's suggested dose.
func FromRanking(r *hotgrid.UnitRanking, from, to time.Time) *hotgrid.Plan {
	p := &hotgrid.Plan{Unit: r.Unit, From: Date(from), To: Date(to), State: hotgrid.PlanDraft}
	for _, a := range r.Areas {
		pa := hotgrid.PlanArea{ID: a.ID, Rank: a.Rank, Cells: slices.Clone(a.Cells), Count: a.Count, Harm: a.Harm}
		if a.Dose.Band != "" && a.Dose.VisitMinutes > 0 {
			d := a.Dose
			if d.Visits < 1 {
				d.Visits = 1
			}
			pa.Doses = []hotgrid.Dose{d}
		}
		p.Areas = append(p.Areas, pa)
	}
	return p
}

// Validate checks a plan's content.
func (s *Service) Validate(p *hotgrid.Plan) error {
	if p.Unit == "" {
		return hotgrid.FieldErrorf("unit", "a plan needs a unit")
	}
	if p.From.IsZero() || p.To.IsZero() || !p.To.After(p.From) {
		return hotgrid.FieldErrorf("to", "period end %s must be after its start %s", p.To.Format(time.DateOnly), p.From.Format(time.DateOnly))
	}
	if p.To.Sub(p.From) > 366*24*time.Hour {
		return hotgrid.FieldErrorf("to", "a plan period may not exceed a year")
	}
	if len(p.Note) > MaxNoteLength {
		return hotgrid.FieldErrorf("note", "note longer than %d characters", MaxNoteLength)
	}
	if len(p.Areas) > MaxAreas {
		return hotgrid.FieldErrorf("areas", "more than %d areas", MaxAreas)
	}
	ids := map[string]bool{}
	cells := map[string]string{}
	for i, a := range p.Areas {
		field := fmt.Sprintf("areas[%d]", i)
		if a.ID == "" || len(a.ID) > 64 {
			return hotgrid.FieldErrorf(field+".id", "area id must be 1 to 64 characters")
		}
		if ids[a.ID] {
			return hotgrid.FieldErrorf(field+".id", "area id %q used twice", a.ID)
		}
		ids[a.ID] = true
		if len(a.Cells) == 0 {
			return hotgrid.FieldErrorf(field+".cells", "area %q has no cells", a.ID)
		}
		for _, c := range a.Cells {
			if _, err := geo.ParseCell(c); err != nil {
				return hotgrid.FieldErrorf(field+".cells", "area %q: %q is not an H3 cell", a.ID, c)
			}
			if other, dup := cells[c]; dup {
				return hotgrid.FieldErrorf(field+".cells", "cell %s is in areas %q and %q", c, other, a.ID)
			}
			cells[c] = a.ID
		}
		if err := s.validateDoses(field, a); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) validateDoses(field string, a hotgrid.PlanArea) error {
	seen := map[string]bool{}
	for j, d := range a.Doses {
		f := fmt.Sprintf("%s.doses[%d]", field, j)
		if d.Band == "" {
			return hotgrid.FieldErrorf(f+".band", "area %q: dose has no band", a.ID)
		}
		if len(s.Bands) > 0 && !slices.ContainsFunc(s.Bands, func(b hotgrid.Band) bool { return b.Name == d.Band }) {
			return hotgrid.FieldErrorf(f+".band", "area %q: unknown band %q", a.ID, d.Band)
		}
		if seen[d.Band] {
			return hotgrid.FieldErrorf(f+".band", "area %q: band %q given twice", a.ID, d.Band)
		}
		seen[d.Band] = true
		if d.VisitMinutes < 1 || d.VisitMinutes > MaxVisitMinutes {
			return hotgrid.FieldErrorf(f+".visit_minutes", "area %q: visit minutes must be 1 to %d", a.ID, MaxVisitMinutes)
		}
		if d.Visits < 1 || d.Visits > MaxVisits {
			return hotgrid.FieldErrorf(f+".visits", "area %q: visits must be 1 to %d", a.ID, MaxVisits)
		}
	}
	return nil
}

// Create validates and stores a new draft plan.
func (s *Service) Create(ctx context.Context, p *hotgrid.Plan, actor string) error {
	p.From, p.To = Date(p.From), Date(p.To)
	if err := s.Validate(p); err != nil {
		return err
	}
	now := s.now()
	p.ID, p.State, p.Version = 0, hotgrid.PlanDraft, 0
	p.CreatedBy, p.UpdatedBy, p.CreatedAt, p.UpdatedAt = actor, actor, now, now
	p.AgreedBy, p.AgreedAt = "", time.Time{}
	if err := s.Store.CreatePlan(ctx, p); err != nil {
		return fmt.Errorf("create plan: %w", err)
	}
	return nil
}

// Editable reports whether a plan in state st may be edited.
func Editable(st hotgrid.PlanState) bool {
	return st == hotgrid.PlanDraft || st == hotgrid.PlanProposed
}

// Update saves edits (period, note, areas) of a draft or proposed plan.
// in.Version must be the version the edit was made on; a stale version
// gives ECONFLICT and changes nothing. The unit cannot change.
func (s *Service) Update(ctx context.Context, in *hotgrid.Plan, actor string) (*hotgrid.Plan, error) {
	cur, err := s.Store.Plan(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if cur.Version != in.Version {
		return nil, staleErr(cur, in.Version)
	}
	if !Editable(cur.State) {
		return nil, hotgrid.Errorf(hotgrid.ECONFLICT, "plan %d is %s and cannot change: make a new version", cur.ID, cur.State)
	}
	if in.Unit != "" && in.Unit != cur.Unit {
		return nil, hotgrid.FieldErrorf("unit", "a plan's unit cannot change")
	}
	next := *cur
	next.From, next.To, next.Note, next.Areas = Date(in.From), Date(in.To), in.Note, in.Areas
	if err := s.Validate(&next); err != nil {
		return nil, err
	}
	next.UpdatedBy, next.UpdatedAt = actor, s.now()
	if err := s.Store.UpdatePlan(ctx, &next); err != nil {
		return nil, fmt.Errorf("update plan %d: %w", cur.ID, err)
	}
	return &next, nil
}

func staleErr(cur *hotgrid.Plan, v int) error {
	return hotgrid.Errorf(hotgrid.ECONFLICT, "plan %d was changed by %s (version %d, you edited version %d): reload and apply your change again",
		cur.ID, cur.UpdatedBy, cur.Version, v)
}

// transitions lists the allowed state changes.
var transitions = map[[2]hotgrid.PlanState]bool{
	{hotgrid.PlanDraft, hotgrid.PlanProposed}:  true, // planner proposes
	{hotgrid.PlanProposed, hotgrid.PlanDraft}:  true, // withdrawn or sent back
	{hotgrid.PlanProposed, hotgrid.PlanAgreed}: true, // board agrees
	{hotgrid.PlanAgreed, hotgrid.PlanClosed}:   true, // period over or superseded
}

// CanMove reports whether a plan may go from one state to another.
func CanMove(from, to hotgrid.PlanState) bool { return transitions[[2]hotgrid.PlanState{from, to}] }

// Transition moves plan id, at version, to state to. Proposing needs areas
// with doses. Agreeing a plan that supersedes another agreed plan closes
// that one.
func (s *Service) Transition(ctx context.Context, id int64, version int, to hotgrid.PlanState, actor string) (*hotgrid.Plan, error) {
	cur, err := s.Store.Plan(ctx, id)
	if err != nil {
		return nil, err
	}
	if cur.Version != version {
		return nil, staleErr(cur, version)
	}
	if !CanMove(cur.State, to) {
		return nil, hotgrid.Errorf(hotgrid.ECONFLICT, "plan %d is %s: it cannot become %s", id, cur.State, to)
	}
	if to == hotgrid.PlanProposed || to == hotgrid.PlanAgreed {
		if err := readyToAgree(cur); err != nil {
			return nil, err
		}
	}
	next := *cur
	now := s.now()
	next.State, next.UpdatedBy, next.UpdatedAt = to, actor, now
	if to == hotgrid.PlanAgreed {
		next.AgreedBy, next.AgreedAt = actor, now
	}
	if err := s.Store.UpdatePlan(ctx, &next); err != nil {
		return nil, fmt.Errorf("plan %d to %s: %w", id, to, err)
	}
	if to == hotgrid.PlanAgreed && next.Supersedes != 0 {
		if err := s.closeSuperseded(ctx, next.Supersedes, actor); err != nil {
			return nil, err
		}
	}
	return &next, nil
}

func readyToAgree(p *hotgrid.Plan) error {
	if len(p.Areas) == 0 {
		return hotgrid.FieldErrorf("areas", "plan %d has no areas", p.ID)
	}
	for _, a := range p.Areas {
		if len(a.Doses) == 0 {
			return hotgrid.FieldErrorf("areas", "area %q has no dose: give it a band, visit minutes and visits", a.ID)
		}
	}
	return nil
}

func (s *Service) closeSuperseded(ctx context.Context, id int64, actor string) error {
	for range 10 {
		old, err := s.Store.Plan(ctx, id)
		if err != nil {
			return fmt.Errorf("superseded plan %d: %w", id, err)
		}
		if old.State != hotgrid.PlanAgreed {
			return nil
		}
		old.State, old.UpdatedBy, old.UpdatedAt = hotgrid.PlanClosed, actor, s.now()
		err = s.Store.UpdatePlan(ctx, old)
		if hotgrid.ErrorCode(err) != hotgrid.ECONFLICT {
			return err
		}
	}
	return hotgrid.Errorf(hotgrid.ECONFLICT, "could not close superseded plan %d", id)
}

// NewVersion makes a draft copy of an agreed or closed plan, to be edited
// and agreed in its place.
func (s *Service) NewVersion(ctx context.Context, id int64, actor string) (*hotgrid.Plan, error) {
	cur, err := s.Store.Plan(ctx, id)
	if err != nil {
		return nil, err
	}
	if Editable(cur.State) {
		return nil, hotgrid.Errorf(hotgrid.ECONFLICT, "plan %d is %s: edit it directly", id, cur.State)
	}
	n := &hotgrid.Plan{Unit: cur.Unit, From: cur.From, To: cur.To, Note: cur.Note, Supersedes: cur.ID}
	for _, a := range cur.Areas {
		a.Cells, a.Doses = slices.Clone(a.Cells), slices.Clone(a.Doses)
		n.Areas = append(n.Areas, a)
	}
	if err := s.Create(ctx, n, actor); err != nil {
		return nil, err
	}
	return n, nil
}
