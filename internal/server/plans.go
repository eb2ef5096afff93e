package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
)

// planBody is a plan as clients send it.
type planBody struct {
	Unit        string             `json:"unit"`
	From        string             `json:"from"`
	To          string             `json:"to"`
	Note        string             `json:"note"`
	Areas       []hotgrid.PlanArea `json:"areas"`
	Version     int                `json:"version"`
	FromRanking *rankingChoice     `json:"from_ranking,omitempty"`
}

// rankingChoice makes a plan's areas from the current ranking.
type rankingChoice struct {
	Band     string `json:"band"`
	Top      int    `json:"top"`
	DataFrom string `json:"data_from"`
	DataTo   string `json:"data_to"`
	Metric   string `json:"metric"`
}

func (a *API) listPlans(ctx context.Context, c *call) *Response {
	if err := checkParams(c.Query, "unit", "state"); err != nil {
		return a.fail(err)
	}
	var out []*hotgrid.Plan
	units := c.units
	if len(units) == 0 {
		units = []string{""}
	}
	for _, u := range units {
		ps, err := a.plans().Store.Plans(ctx, hotgrid.PlanFilter{Unit: u, State: hotgrid.PlanState(c.Query.Get("state"))})
		if err != nil {
			return a.fail(err)
		}
		out = append(out, ps...)
	}
	plan.SortPlans(out)
	if out == nil {
		out = []*hotgrid.Plan{}
	}
	return a.noStoreJSON(http.StatusOK, out)
}

func (a *API) parsePlanBody(c *call) (*planBody, time.Time, time.Time, error) {
	var b planBody
	if err := decodeBody(c.Body, &b); err != nil {
		return nil, time.Time{}, time.Time{}, err
	}
	from, err := plan.ParseDate("from", b.From)
	if err != nil {
		return nil, from, from, err
	}
	to, err := plan.ParseDate("to", b.To)
	if err != nil {
		return nil, from, to, err
	}
	return &b, from, to, nil
}

func (a *API) createPlan(ctx context.Context, c *call) *Response {
	b, from, to, err := a.parsePlanBody(c)
	if err != nil {
		return a.fail(err)
	}
	p := &hotgrid.Plan{Unit: c.units[0], From: from, To: to, Note: b.Note, Areas: b.Areas}
	if b.FromRanking != nil {
		if p, err = a.planFromRanking(ctx, c.units[0], from, to, b.FromRanking); err != nil {
			return a.fail(err)
		}
		p.Note = b.Note
	}
	if err := a.plans().Create(ctx, p, c.user()); err != nil {
		return a.fail(err)
	}
	c.plan = p
	return a.noStoreJSON(http.StatusCreated, p)
}

// planFromRanking ranks the unit now and turns its patrol areas into a
// draft plan.
func (a *API) planFromRanking(ctx context.Context, unit string, from, to time.Time, rc *rankingChoice) (*hotgrid.Plan, error) {
	v := map[string][]string{"unit": {unit}}
	if rc.Band != "" {
		v["band"] = []string{rc.Band}
	}
	if rc.DataFrom != "" {
		v["from"] = []string{rc.DataFrom}
	}
	if rc.DataTo != "" {
		v["to"] = []string{rc.DataTo}
	}
	if rc.Metric != "" {
		v["metric"] = []string{rc.Metric}
	}
	q, err := a.parseQuery(v)
	if err != nil {
		return nil, err
	}
	if q.Top, err = parseInt("top", itoa(rc.Top), 1, maxTop, 10); err != nil {
		return nil, err
	}
	rk, err := a.svc.Rank(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range rk.Units {
		if rk.Units[i].Unit == unit {
			return plan.FromRanking(&rk.Units[i], from, to), nil
		}
	}
	return nil, hotgrid.FieldErrorf("unit", "no ranking for unit %s", unit)
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func (a *API) getPlan(_ context.Context, c *call) *Response {
	return a.noStoreJSON(http.StatusOK, c.plan)
}

func (a *API) updatePlan(ctx context.Context, c *call) *Response {
	b, from, to, err := a.parsePlanBody(c)
	if err != nil {
		return a.fail(err)
	}
	if b.FromRanking != nil {
		return a.fail(hotgrid.FieldErrorf("from_ranking", "only when creating a plan"))
	}
	in := &hotgrid.Plan{ID: c.plan.ID, Unit: b.Unit, From: from, To: to, Note: b.Note, Areas: b.Areas, Version: b.Version}
	if in.Unit != "" {
		in.Unit = a.canonicalUnit(in.Unit)
	}
	p, err := a.plans().Update(ctx, in, c.user())
	if err != nil {
		return a.fail(err)
	}
	return a.noStoreJSON(http.StatusOK, p)
}

// transition moves a plan to a state; the body names the version seen.
func (a *API) transition(to hotgrid.PlanState) func(ctx context.Context, c *call) *Response {
	return func(ctx context.Context, c *call) *Response {
		var b struct {
			Version int `json:"version"`
		}
		if err := decodeBody(c.Body, &b); err != nil {
			return a.fail(err)
		}
		p, err := a.plans().Transition(ctx, c.plan.ID, b.Version, to, c.user())
		if err != nil {
			return a.fail(err)
		}
		c.audit.Detail = string(c.plan.State) + " -> " + string(to)
		return a.noStoreJSON(http.StatusOK, p)
	}
}

func (a *API) newVersion(ctx context.Context, c *call) *Response {
	p, err := a.plans().NewVersion(ctx, c.plan.ID, c.user())
	if err != nil {
		return a.fail(err)
	}
	c.audit.Objects = []string{"new-plan:" + strconv.FormatInt(p.ID, 10)}
	return a.noStoreJSON(http.StatusCreated, p)
}

func (a *API) planChanges(ctx context.Context, c *call) *Response {
	ch, err := a.plans().Changes(ctx, c.plan)
	if err != nil {
		return a.fail(err)
	}
	return a.noStoreJSON(http.StatusOK, ch)
}

func (a *API) planFit(ctx context.Context, c *call) *Response {
	caps, err := a.plans().Store.Capacity(ctx, c.plan.Unit)
	if err != nil {
		return a.fail(err)
	}
	return a.noStoreJSON(http.StatusOK, plan.FitCapacity(c.plan, caps))
}

func (a *API) capacityUnit(c *call) (string, error) {
	if len(c.units) != 1 {
		return "", hotgrid.FieldErrorf("unit", "name exactly one unit")
	}
	return c.units[0], nil
}

func (a *API) getCapacity(ctx context.Context, c *call) *Response {
	if err := checkParams(c.Query, "unit"); err != nil {
		return a.fail(err)
	}
	u, err := a.capacityUnit(c)
	if err != nil {
		return a.fail(err)
	}
	cs, err := a.plans().Store.Capacity(ctx, u)
	if err != nil {
		return a.fail(err)
	}
	return a.noStoreJSON(http.StatusOK, cs)
}

func (a *API) putCapacity(ctx context.Context, c *call) *Response {
	u, err := a.capacityUnit(c)
	if err != nil {
		return a.fail(err)
	}
	var cs []hotgrid.Capacity
	if err := decodeBody(c.Body, &cs); err != nil {
		return a.fail(err)
	}
	if err := a.plans().ValidateCapacity(u, cs); err != nil {
		return a.fail(err)
	}
	if err := a.plans().Store.SetCapacity(ctx, u, cs); err != nil {
		return a.fail(err)
	}
	got, err := a.plans().Store.Capacity(ctx, u)
	if err != nil {
		return a.fail(err)
	}
	return a.noStoreJSON(http.StatusOK, got)
}
