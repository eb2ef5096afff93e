package server

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
)

// needAgreed refuses patrol logging on plans not agreed: coverage is of
// agreed areas.
func needAgreed(p *hotgrid.Plan) error {
	if p.State != hotgrid.PlanAgreed {
		return hotgrid.Errorf(hotgrid.ECONFLICT, "plan %d is %s: patrols are logged against agreed plans", p.ID, p.State)
	}
	return nil
}

func (a *API) listPatrols(ctx context.Context, c *call) *Response {
	ls, err := a.plans().Store.Patrols(ctx, hotgrid.PatrolFilter{PlanID: c.plan.ID})
	if err != nil {
		return a.fail(err)
	}
	return a.noStoreJSON(http.StatusOK, ls)
}

// storePatrols stamps and stores logs.
func (a *API) storePatrols(ctx context.Context, c *call, logs []hotgrid.PatrolLog) error {
	now := a.now().UTC()
	for i := range logs {
		logs[i].Unit, logs[i].PlanID, logs[i].CreatedBy, logs[i].CreatedAt = c.plan.Unit, c.plan.ID, c.user(), now
	}
	if len(logs) == 0 {
		return nil
	}
	if err := a.plans().Store.AddPatrols(ctx, logs); err != nil {
		return err
	}
	c.audit.Detail = strconv.Itoa(len(logs)) + " patrols"
	return nil
}

// addPatrol logs one patrol from the form: {area, start, minutes, ref}.
func (a *API) addPatrol(ctx context.Context, c *call) *Response {
	if err := needAgreed(c.plan); err != nil {
		return a.fail(err)
	}
	var b struct {
		Area    string `json:"area"`
		Start   string `json:"start"`
		Minutes int    `json:"minutes"`
		Ref     string `json:"ref"`
	}
	if err := decodeBody(c.Body, &b); err != nil {
		return a.fail(err)
	}
	start, err := plan.ParseLocalTime(b.Start, a.loc)
	if err != nil {
		return a.fail(hotgrid.FieldErrorf("start", "%v", err))
	}
	l := hotgrid.PatrolLog{Area: b.Area, Start: start, Minutes: b.Minutes, Ref: b.Ref, Source: plan.SourceForm}
	if field, err := plan.CheckPatrol(c.plan, &l, a.loc); err != nil {
		return a.fail(hotgrid.FieldErrorf(field, "%v", err))
	}
	logs := []hotgrid.PatrolLog{l}
	if err := a.storePatrols(ctx, c, logs); err != nil {
		return a.fail(err)
	}
	return a.noStoreJSON(http.StatusCreated, logs[0])
}

// uploadPatrols stores a CSV of patrols (area,start,minutes[,ref]); any bad
// row rejects the file with every bad line named.
func (a *API) uploadPatrols(ctx context.Context, c *call) *Response {
	if err := needAgreed(c.plan); err != nil {
		return a.fail(err)
	}
	name := c.Query.Get("name")
	if name == "" {
		name = "upload.csv"
	}
	logs, err := plan.ParsePatrolCSV(bytes.NewReader(c.Body), name, c.plan, a.loc)
	if err != nil {
		return a.fail(err)
	}
	if err := a.storePatrols(ctx, c, logs); err != nil {
		return a.fail(err)
	}
	return a.noStoreJSON(http.StatusCreated, map[string]any{"stored": len(logs)})
}

// uploadGPS matches vehicle locator points (time,lon,lat[,vehicle]) to the
// plan's cells and stores the visits found; ?gap=minutes joins points.
func (a *API) uploadGPS(ctx context.Context, c *call) *Response {
	if err := needAgreed(c.plan); err != nil {
		return a.fail(err)
	}
	gap, err := parseInt("gap", c.Query.Get("gap"), 1, 60, 5)
	if err != nil {
		return a.fail(err)
	}
	name := c.Query.Get("name")
	if name == "" {
		name = "gps.csv"
	}
	pts, err := plan.ParseGPSCSV(bytes.NewReader(c.Body), name, a.loc)
	if err != nil {
		return a.fail(err)
	}
	m, err := plan.MatchGPS(c.plan, pts, time.Duration(gap)*time.Minute, a.loc)
	if err != nil {
		return a.fail(err)
	}
	if err := a.storePatrols(ctx, c, m.Logs); err != nil {
		return a.fail(err)
	}
	return a.noStoreJSON(http.StatusCreated, m)
}

// coverage answers the plan's coverage per day and band: covered, short or
// missed; ?from=&to= (dates, to exclusive) narrow the window.
func (a *API) coverage(ctx context.Context, c *call) *Response {
	if err := checkParams(c.Query, "from", "to"); err != nil {
		return a.fail(err)
	}
	from, to, err := plan.Window(c.Query.Get("from"), c.Query.Get("to"))
	if err != nil {
		return a.fail(err)
	}
	logs, err := a.plans().Store.Patrols(ctx, hotgrid.PatrolFilter{PlanID: c.plan.ID})
	if err != nil {
		return a.fail(err)
	}
	cov, err := plan.BuildCoverage(c.plan, logs, a.svc.Bands(), a.loc, from, to)
	if err != nil {
		return a.fail(err)
	}
	return a.noStoreJSON(http.StatusOK, cov)
}
