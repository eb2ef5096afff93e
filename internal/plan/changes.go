package plan

import (
	"context"
	"fmt"
	"sort"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Changes compares a plan's cells with the previous period's plan.
type Changes struct {
	Plan       int64    `json:"plan"`
	Previous   int64    `json:"previous"` // 0 when there is none
	New        []string `json:"new"`      // cells only in this plan
	Persistent []string `json:"persistent"`
	Dropped    []string `json:"dropped"` // cells only in the previous plan
}

// Previous finds the plan of the period before p for the same unit: the
// agreed or closed plan with the latest end not after p's start (the newest
// version when several share a period). nil when there is none.
func (s *Service) Previous(ctx context.Context, p *hotgrid.Plan) (*hotgrid.Plan, error) {
	ps, err := s.Store.Plans(ctx, hotgrid.PlanFilter{Unit: p.Unit})
	if err != nil {
		return nil, fmt.Errorf("plans of %s: %w", p.Unit, err)
	}
	var best *hotgrid.Plan
	for _, q := range ps {
		if q.ID == p.ID || q.To.After(p.From) || (q.State != hotgrid.PlanAgreed && q.State != hotgrid.PlanClosed) {
			continue
		}
		if best == nil || q.To.After(best.To) || q.To.Equal(best.To) && q.ID > best.ID {
			best = q
		}
	}
	return best, nil
}

// Changes reports new, persistent and dropped cells against the previous
// period's plan.
func (s *Service) Changes(ctx context.Context, p *hotgrid.Plan) (*Changes, error) {
	prev, err := s.Previous(ctx, p)
	if err != nil {
		return nil, err
	}
	c := Compare(prev, p)
	return &c, nil
}

// Compare reports the cells of cur that are new, persistent or dropped
// against prev (nil: every cell is new). Lists are sorted.
func Compare(prev, cur *hotgrid.Plan) Changes {
	c := Changes{Plan: cur.ID, New: []string{}, Persistent: []string{}, Dropped: []string{}}
	before := map[string]bool{}
	if prev != nil {
		c.Previous = prev.ID
		for _, a := range prev.Areas {
			for _, cell := range a.Cells {
				before[cell] = true
			}
		}
	}
	now := map[string]bool{}
	for _, a := range cur.Areas {
		for _, cell := range a.Cells {
			now[cell] = true
			if before[cell] {
				c.Persistent = append(c.Persistent, cell)
			} else {
				c.New = append(c.New, cell)
			}
		}
	}
	for cell := range before {
		if !now[cell] {
			c.Dropped = append(c.Dropped, cell)
		}
	}
	sort.Strings(c.New)
	sort.Strings(c.Persistent)
	sort.Strings(c.Dropped)
	return c
}
