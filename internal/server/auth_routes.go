package server

import (
	"context"
	"net/http"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/auth"
)

// routeTable is the one list of the server's routes: method, path
// pattern, the permission it needs, how its unit is found, and what it
// writes to the audit trail. Dispatch (auth.go) checks every request
// against it; the access matrix test walks it.
func (a *API) routeTable() []route {
	const get, post, put = http.MethodGet, http.MethodPost, http.MethodPut
	view, edit, agree := auth.PermView, auth.PermEditPlan, auth.PermAgree
	return []route{
		// public
		{get, "/healthz", auth.PermPublic, unscoped, "", func(ctx context.Context, c *call) *Response { return a.healthz(ctx) }},
		{get, "/login", auth.PermPublic, unscoped, "", a.loginPage},
		{get, "/favicon.ico", auth.PermPublic, unscoped, "", a.favicon},
		{post, "/login", auth.PermPublic, unscoped, "", a.login}, // audits login and login.failed itself

		// session
		{get, "/logout", auth.PermSession, unscoped, "", a.logoutPage},
		{post, "/logout", auth.PermSession, unscoped, audit.ActionLogout, a.logout},
		{get, "/api/v1/session", auth.PermSession, unscoped, "", a.sessionInfo},
		{post, "/api/v1/tokens", auth.PermSession, unscoped, audit.ActionTokenCreate, a.createToken},

		// map API (unit-scoped by ?unit=)
		{get, "/api/v1/config", view, unscoped, "", func(_ context.Context, c *call) *Response { return a.config(c.Query) }},
		{get, "/api/v1/units", view, unscoped, audit.ActionView, func(_ context.Context, c *call) *Response { return a.units(c.Query) }},
		{get, "/api/v1/bands", view, unscoped, "", func(_ context.Context, c *call) *Response { return a.bands(c.Query) }},
		{get, "/api/v1/wards", view, unscoped, audit.ActionView, func(_ context.Context, c *call) *Response { return a.wards(c.Query) }},
		{get, "/api/v1/accuracy", view, unitParam, audit.ActionView, a.accuracy},
		{get, "/api/v1/hotgrids", view, unitParam, audit.ActionView, func(ctx context.Context, c *call) *Response { return a.hotgrids(ctx, c.Query) }},
		{get, "/api/v1/knife-robbery-hotspots", view, unitParam, audit.ActionView, func(ctx context.Context, c *call) *Response { return a.knife(ctx, c.Query) }},
		{get, "/api/v1/summary", view, unitParam, audit.ActionView, func(ctx context.Context, c *call) *Response { return a.summary(ctx, c.Query) }},
		{get, "/api/v1/map.svg", view, unitParam, audit.ActionView, func(ctx context.Context, c *call) *Response { return a.mapSVG(ctx, c.Query) }},
		{get, "/api/v1/export", auth.PermExport, unitParam, audit.ActionExport, a.exportFor},
		{get, "/api/v1/cells/{h3}", view, unitParam, audit.ActionView, func(ctx context.Context, c *call) *Response {
			return a.cell(ctx, c.params["h3"], c.Query)
		}},
		{get, "/tiles/{zxy...}", view, unitParam, audit.ActionView, func(ctx context.Context, c *call) *Response {
			return a.tile(ctx, c.params["zxy"], c.Query)
		}},

		// plans
		{get, "/api/v1/plans", view, unitParam, audit.ActionView, a.listPlans},
		{post, "/api/v1/plans", edit, bodyUnit, audit.ActionPlanCreate, a.createPlan},
		{get, "/api/v1/plans/{id}", view, planUnit, audit.ActionView, a.getPlan},
		{put, "/api/v1/plans/{id}", edit, planUnit, audit.ActionPlanUpdate, a.updatePlan},
		{post, "/api/v1/plans/{id}/propose", edit, planUnit, audit.ActionPlanState, a.transition("proposed")},
		{post, "/api/v1/plans/{id}/withdraw", edit, planUnit, audit.ActionPlanState, a.transition("draft")},
		{post, "/api/v1/plans/{id}/return", agree, planUnit, audit.ActionPlanState, a.transition("draft")},
		{post, "/api/v1/plans/{id}/agree", agree, planUnit, audit.ActionPlanState, a.transition("agreed")},
		{post, "/api/v1/plans/{id}/close", agree, planUnit, audit.ActionPlanState, a.transition("closed")},
		{post, "/api/v1/plans/{id}/versions", edit, planUnit, audit.ActionPlanVersion, a.newVersion},
		{get, "/api/v1/plans/{id}/changes", view, planUnit, audit.ActionView, a.planChanges},
		{get, "/api/v1/plans/{id}/fit", view, planUnit, audit.ActionView, a.planFit},
		{get, "/api/v1/capacity", view, unitParam, audit.ActionView, a.getCapacity},
		{put, "/api/v1/capacity", edit, unitParam, audit.ActionCapacity, a.putCapacity},

		// patrols and coverage
		{get, "/api/v1/plans/{id}/patrols", view, planUnit, audit.ActionView, a.listPatrols},
		{post, "/api/v1/plans/{id}/patrols", edit, planUnit, audit.ActionPatrolAdd, a.addPatrol},
		{post, "/api/v1/plans/{id}/patrols.csv", edit, planUnit, audit.ActionPatrolAdd, a.uploadPatrols},
		{post, "/api/v1/plans/{id}/gps.csv", edit, planUnit, audit.ActionPatrolAdd, a.uploadGPS},
		{get, "/api/v1/plans/{id}/coverage", view, planUnit, audit.ActionView, a.coverage},
		{get, "/api/v1/plans/{id}/areas", view, planUnit, audit.ActionView, a.planAreas},
		{get, "/plans/{id}/briefing", view, planUnit, audit.ActionView, a.briefing},
		{get, "/plans", view, unscoped, "", a.plansPage},
		{get, "/ui/{file...}", view, unscoped, "", a.uiAsset},

		// audit trail
		{get, "/api/v1/audit", auth.PermAdmin, unscoped, audit.ActionView, a.auditList},
		{get, "/api/v1/audit/verify", auth.PermAdmin, unscoped, audit.ActionView, a.auditVerify},

		// the map page and its assets
		{get, "/{file...}", view, unscoped, "", func(_ context.Context, c *call) *Response { return a.file(c.Path) }},
	}
}

// exportFor runs an export; ?recipient= names who the file goes to (the
// account itself by default), which the audit record keeps. ?plan=ID
// exports a patrol plan, checked against the account's units
// (export_extras.go).
func (a *API) exportFor(ctx context.Context, c *call) *Response {
	q := cloneValues(c.Query)
	c.audit.Recipient = q.Get("recipient")
	if c.audit.Recipient == "" {
		c.audit.Recipient = c.user()
	}
	q.Del("recipient")
	if q.Has("plan") {
		return withProvenanceLink(a.exportPlan(ctx, c, q), c.Path, q)
	}
	return withProvenanceLink(a.export(ctx, q), c.Path, q)
}
