package plan

import (
	"context"
	"slices"
	"sort"
	"sync"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// MemStore is an in-memory hotgrid.PlanStore for tests and demos.
type MemStore struct {
	mu       sync.Mutex
	plans    map[int64]hotgrid.Plan
	caps     map[string][]hotgrid.Capacity
	patrols  []hotgrid.PatrolLog
	nextPlan int64
}

var _ hotgrid.PlanStore = (*MemStore)(nil)

func clonePlan(p hotgrid.Plan) hotgrid.Plan {
	p.Areas = slices.Clone(p.Areas)
	for i := range p.Areas {
		p.Areas[i].Cells = slices.Clone(p.Areas[i].Cells)
		p.Areas[i].Doses = slices.Clone(p.Areas[i].Doses)
	}
	return p
}

// CreatePlan implements hotgrid.PlanStore.
func (m *MemStore) CreatePlan(_ context.Context, p *hotgrid.Plan) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.plans == nil {
		m.plans = map[int64]hotgrid.Plan{}
	}
	m.nextPlan++
	p.ID, p.Version = m.nextPlan, 1
	m.plans[p.ID] = clonePlan(*p)
	return nil
}

// UpdatePlan implements hotgrid.PlanStore.
func (m *MemStore) UpdatePlan(_ context.Context, p *hotgrid.Plan) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.plans[p.ID]
	if !ok {
		return hotgrid.Errorf(hotgrid.ENOTFOUND, "no plan %d", p.ID)
	}
	if cur.Version != p.Version {
		return hotgrid.Errorf(hotgrid.ECONFLICT, "plan %d is at version %d, not %d", p.ID, cur.Version, p.Version)
	}
	p.Version++
	m.plans[p.ID] = clonePlan(*p)
	return nil
}

// Plan implements hotgrid.PlanStore.
func (m *MemStore) Plan(_ context.Context, id int64) (*hotgrid.Plan, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.plans[id]
	if !ok {
		return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no plan %d", id)
	}
	c := clonePlan(p)
	return &c, nil
}

// Plans implements hotgrid.PlanStore.
func (m *MemStore) Plans(_ context.Context, f hotgrid.PlanFilter) ([]*hotgrid.Plan, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []*hotgrid.Plan{}
	for _, p := range m.plans {
		if (f.Unit == "" || p.Unit == f.Unit) && (f.State == "" || p.State == f.State) {
			c := clonePlan(p)
			out = append(out, &c)
		}
	}
	SortPlans(out)
	return out, nil
}

// SortPlans orders plans newest period first, then newest first.
func SortPlans(ps []*hotgrid.Plan) {
	sort.Slice(ps, func(i, j int) bool {
		if !ps[i].From.Equal(ps[j].From) {
			return ps[i].From.After(ps[j].From)
		}
		return ps[i].ID > ps[j].ID
	})
}

// SetCapacity implements hotgrid.PlanStore.
func (m *MemStore) SetCapacity(_ context.Context, unit string, c []hotgrid.Capacity) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.caps == nil {
		m.caps = map[string][]hotgrid.Capacity{}
	}
	cs := slices.Clone(c)
	for i := range cs {
		cs[i].Unit = unit
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Band < cs[j].Band })
	m.caps[unit] = cs
	return nil
}

// Capacity implements hotgrid.PlanStore.
func (m *MemStore) Capacity(_ context.Context, unit string) ([]hotgrid.Capacity, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]hotgrid.Capacity{}, m.caps[unit]...), nil
}

// AddPatrols implements hotgrid.PlanStore.
func (m *MemStore) AddPatrols(_ context.Context, logs []hotgrid.PatrolLog) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range logs {
		logs[i].ID = int64(len(m.patrols) + 1)
		m.patrols = append(m.patrols, logs[i])
	}
	return nil
}

// Patrols implements hotgrid.PlanStore.
func (m *MemStore) Patrols(_ context.Context, f hotgrid.PatrolFilter) ([]hotgrid.PatrolLog, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []hotgrid.PatrolLog{}
	for _, l := range m.patrols {
		if (f.Unit == "" || l.Unit == f.Unit) && (f.PlanID == 0 || l.PlanID == f.PlanID) &&
			(f.From.IsZero() || !l.Start.Before(f.From)) && (f.To.IsZero() || l.Start.Before(f.To)) {
			out = append(out, l)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}
