package server

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "hotgrid_session"

// Auth is what the server needs for accounts, plans and the audit trail.
// Every route is checked against the route table (auth_routes.go) with it.
type Auth struct {
	Accounts *auth.Service
	Audit    *audit.Logger
	Plans    *plan.Service
	// SecureCookies marks the session cookie Secure even when the request
	// did not come over TLS (TLS terminated by a proxy).
	SecureCookies bool
}

// scope says how a route's unit is found.
type scope int

const (
	unscoped  scope = iota // not about one unit
	unitParam              // the "unit" query parameter (comma list); limited accounts default to their unit
	planUnit               // the unit of plan {id}
	bodyUnit               // the "unit" of the JSON body
)

func (s scope) String() string {
	return [...]string{"unscoped", "unit-param", "plan-unit", "body-unit"}[s]
}

// call is one request on its way through a route.
type call struct {
	Request
	p      *auth.Principal
	params map[string]string
	units  []string      // the units the request is about (scoped routes)
	plan   *hotgrid.Plan // plan {id}, for plan-scoped routes
	audit  audit.Entry   // extra audit detail set by handlers
}

func (c *call) user() string {
	if c.p == nil {
		return "anonymous"
	}
	return c.p.User.Name
}

// route is one entry of the route table.
type route struct {
	method  string
	pattern string // "/a/{id}/b"; a final "{name...}" takes the rest of the path
	perm    auth.Perm
	scope   scope
	action  string // audit action written on success; "" for none (page assets, session info)
	h       func(ctx context.Context, c *call) *Response
}

// RouteInfo describes a route of the table for tests and documentation.
type RouteInfo struct {
	Method, Pattern string
	Perm            auth.Perm
	Scope           string
	Audited         bool
}

// Routes lists the route table.
func (a *API) Routes() []RouteInfo {
	out := make([]RouteInfo, len(a.routes))
	for i, r := range a.routes {
		out[i] = RouteInfo{Method: r.method, Pattern: r.pattern, Perm: r.perm, Scope: r.scope.String(), Audited: r.action != ""}
	}
	return out
}

// checkRoutes refuses a table with a route lacking a permission or
// handler, or an unscoped route needing more than reading.
func checkRoutes(rs []route) error {
	seen := map[string]bool{}
	for _, r := range rs {
		id := r.method + " " + r.pattern
		if r.perm == "" || (r.perm != auth.PermPublic && !slices.Contains(auth.Perms, r.perm)) {
			return fmt.Errorf("server: route %s has no valid permission", id)
		}
		if r.h == nil {
			return fmt.Errorf("server: route %s has no handler", id)
		}
		if seen[id] {
			return fmt.Errorf("server: route %s listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// match finds the route of a method and path; allowed lists the methods of
// routes matching the path when none matches the method.
func (a *API) match(method, path string) (*route, map[string]string, []string) {
	var allowed []string
	for i := range a.routes {
		r := &a.routes[i]
		params, ok := matchPattern(r.pattern, path)
		if !ok {
			continue
		}
		if r.method == method || (method == http.MethodHead && r.method == http.MethodGet) {
			return r, params, nil
		}
		allowed = append(allowed, r.method)
	}
	return nil, nil, allowed
}

// matchPattern matches a path against a route pattern segment by segment,
// allocating only the parameters it finds.
func matchPattern(pattern, path string) (map[string]string, bool) {
	var params map[string]string
	set := func(name, v string) {
		if params == nil {
			params = map[string]string{}
		}
		params[name] = v
	}
	pathDone := false
	for {
		p, pRest, pMore := strings.Cut(pattern, "/")
		if pathDone {
			return nil, false
		}
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "...}") {
			set(p[1:len(p)-4], path) // the rest of the path
			return params, true
		}
		x, xRest, xMore := strings.Cut(path, "/")
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if x == "" {
				return nil, false
			}
			set(p[1:len(p)-1], x)
		} else if p != x {
			return nil, false
		}
		if !pMore {
			if xMore {
				return nil, false
			}
			return params, true
		}
		pattern, path, pathDone = pRest, xRest, !xMore
	}
}

// dispatch runs one request through the route table: find the route,
// resolve who is asking, check permission, unit and CSRF, run the handler
// and write the audit record.
func (a *API) dispatch(ctx context.Context, r Request) *Response {
	if r.Method == http.MethodOptions {
		return &Response{Status: http.StatusNoContent, Header: map[string]string{"Allow": "GET, HEAD, POST, PUT, OPTIONS"}}
	}
	rt, params, allowed := a.match(r.Method, r.Path)
	c := &call{Request: r, params: params}
	if a.auth != nil {
		p, err := a.principal(ctx, r)
		if err != nil {
			return a.fail(err)
		}
		c.p = p
	} else {
		c.p = openPrincipal
	}
	if rt == nil {
		if len(allowed) > 0 {
			return a.deny(ctx, c, "", hotgrid.Errorf(hotgrid.EINVALID, "method %s not allowed", r.Method), http.StatusMethodNotAllowed,
				map[string]string{"Allow": strings.Join(allowed, ", ")})
		}
		if c.p == nil { // do not reveal which paths exist
			return a.deny(ctx, c, "", hotgrid.Errorf(hotgrid.EUNAUTHORIZED, "sign in first"), 0, nil)
		}
		return a.fail(hotgrid.Errorf(hotgrid.ENOTFOUND, "no such route %s", r.Path))
	}
	if resp := a.authorize(ctx, rt, c); resp != nil {
		return resp
	}
	resp := rt.h(ctx, c)
	if rt.action != "" && resp.Status < 400 {
		if err := a.record(ctx, c, rt.action, audit.OutcomeOK, rt.pattern); err != nil {
			return a.fail(err) // nothing is shown that is not on record
		}
	}
	return resp
}

// internalGet answers a GET for the server itself (the warm-up), outside
// any account: nothing is shown to anyone, so nothing is checked or audited.
func (a *API) internalGet(ctx context.Context, target string) *Response {
	path, rawQuery, _ := strings.Cut(target, "?")
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return a.fail(hotgrid.Errorf(hotgrid.EINVALID, "bad query in %s: %v", target, err))
	}
	rt, params, _ := a.match(http.MethodGet, path)
	if rt == nil {
		return a.fail(hotgrid.Errorf(hotgrid.ENOTFOUND, "no such route %s", path))
	}
	return rt.h(ctx, &call{Request: Request{Method: http.MethodGet, Path: path, Query: query}, params: params, p: openPrincipal})
}

// openPrincipal is the account of a server built with Config.Open: every
// permission, every unit.
var openPrincipal = &auth.Principal{User: &hotgrid.User{Name: "open", Role: hotgrid.RoleAdmin}, Session: &hotgrid.Session{}}

// principal resolves a session cookie or a bearer token; nil for anonymous.
func (a *API) principal(ctx context.Context, r Request) (*auth.Principal, error) {
	if h := r.Authorization; h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, nil
		}
		p, err := a.auth.Accounts.AuthenticateToken(ctx, strings.TrimSpace(tok))
		if err != nil && hotgrid.ErrorCode(err) == hotgrid.EUNAUTHORIZED {
			return nil, nil
		}
		return p, err
	}
	p, err := a.auth.Accounts.Authenticate(ctx, r.SessionCookie)
	if err != nil && hotgrid.ErrorCode(err) == hotgrid.EUNAUTHORIZED {
		return nil, nil
	}
	return p, err
}

// allowed checks a permission; a server built with Config.Open allows all.
func (a *API) allowed(c *call, perm auth.Perm, scoped bool, unit string) bool {
	if a.auth == nil {
		return true
	}
	return auth.Allowed(c.p.User, perm, scoped, unit)
}

// authorize checks the route's permission, unit scope, read-only tokens and
// CSRF; nil when the call may go ahead.
func (a *API) authorize(ctx context.Context, rt *route, c *call) *Response {
	if rt.perm == auth.PermPublic {
		return nil
	}
	if c.p == nil {
		return a.deny(ctx, c, rt.pattern, hotgrid.Errorf(hotgrid.EUNAUTHORIZED, "sign in first"), 0, nil)
	}
	forbid := func(format string, args ...any) *Response {
		return a.deny(ctx, c, rt.pattern, hotgrid.Errorf(hotgrid.EFORBIDDEN, format, args...), 0, nil)
	}
	safe := c.Method == http.MethodGet || c.Method == http.MethodHead
	if c.CSRFToken == "" && strings.HasPrefix(c.ContentType, "application/x-www-form-urlencoded") {
		if f, err := url.ParseQuery(string(c.Body)); err == nil {
			c.CSRFToken = f.Get("csrf")
		}
	}
	if c.p.Token && (!safe || !rt.perm.ReadOnly()) {
		return forbid("API tokens are read-only")
	}
	if !safe && a.auth != nil && !auth.CheckCSRF(c.p, c.CSRFToken) {
		return forbid("missing or wrong CSRF token (send the X-CSRF-Token header from /api/v1/session)")
	}
	if !a.allowed(c, rt.perm, false, "") {
		return forbid("your role (%s) may not do this", c.p.User.Role)
	}
	units, err := a.scopeUnits(ctx, rt, c)
	if err != nil {
		if hotgrid.ErrorCode(err) == hotgrid.ENOTFOUND {
			return a.deny(ctx, c, rt.pattern, err, 0, nil)
		}
		return a.fail(err)
	}
	c.units = units
	if rt.scope == unscoped {
		return nil
	}
	if len(units) == 0 {
		units = []string{""}
	}
	for _, u := range units {
		if !a.allowed(c, rt.perm, true, u) {
			if u == "" {
				return forbid("your account is limited to unit %s: name it", c.p.User.Unit)
			}
			return forbid("your account may not use this for unit %s", u)
		}
	}
	return nil
}

// scopeUnits finds the units a scoped request is about. A unit-limited
// account that names no unit on a unit-param route is narrowed to its own.
func (a *API) scopeUnits(ctx context.Context, rt *route, c *call) ([]string, error) {
	switch rt.scope {
	case unitParam:
		v := strings.TrimSpace(c.Query.Get("unit"))
		if v == "" && c.p.User.Unit != "" {
			c.Query = cloneValues(c.Query)
			c.Query.Set("unit", c.p.User.Unit)
			return []string{c.p.User.Unit}, nil
		}
		var us []string
		for rest, more := v, true; more; {
			var u string
			u, rest, more = strings.Cut(rest, ",")
			if u = strings.TrimSpace(u); u != "" {
				us = append(us, a.canonicalUnit(u))
			}
		}
		return us, nil
	case planUnit:
		id, err := strconv.ParseInt(c.params["id"], 10, 64)
		if err != nil || id <= 0 {
			return nil, hotgrid.Errorf(hotgrid.ENOTFOUND, "no plan %q", c.params["id"])
		}
		p, err := a.plans().Store.Plan(ctx, id)
		if err != nil {
			return nil, err
		}
		c.plan = p
		return []string{p.Unit}, nil
	case bodyUnit:
		var b struct {
			Unit string `json:"unit"`
		}
		if err := json.Unmarshal(c.Body, &b); err != nil {
			return nil, hotgrid.FieldErrorf("body", "want a JSON object: %v", err)
		}
		if b.Unit == "" {
			return nil, hotgrid.FieldErrorf("unit", "name the unit")
		}
		return []string{a.canonicalUnit(b.Unit)}, nil
	}
	return nil, nil
}

// canonicalUnit returns the code of a known unit spelled in any case.
func (a *API) canonicalUnit(s string) string {
	for _, u := range a.svc.Units() {
		if strings.EqualFold(u.Code, s) {
			return u.Code
		}
	}
	return s
}

// deny answers 401 (anonymous; pages redirect to the login page) or 403 and
// writes an access.denied audit record.
func (a *API) deny(ctx context.Context, c *call, pattern string, err error, st int, hdr map[string]string) *Response {
	outcome := audit.OutcomeDenied
	if err := a.record(ctx, c, audit.ActionDenied, outcome, pattern+" "+hotgrid.ErrorMessage(err)); err != nil {
		return a.fail(err)
	}
	if c.p == nil && st == 0 && c.Method == http.MethodGet && wantsPage(c.Path) {
		next := c.Path
		if len(c.Query) > 0 {
			next += "?" + c.Query.Encode()
		}
		return &Response{Status: http.StatusSeeOther, Header: map[string]string{
			"Location": "/login?next=" + url.QueryEscape(next), "Cache-Control": "no-store"}}
	}
	resp := a.fail(err)
	if st != 0 {
		resp.Status = st
	}
	for k, v := range hdr {
		resp.Header[k] = v
	}
	return resp
}

func wantsPage(p string) bool {
	return !strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/tiles/")
}

// record writes one audit record for a call.
func (a *API) record(ctx context.Context, c *call, action, outcome, detail string) error {
	if a.auth == nil || a.auth.Audit == nil {
		return nil
	}
	objs := make([]string, 1, 3+len(c.units)+len(c.audit.Objects))
	if q := c.Query.Encode(); q != "" {
		objs[0] = c.Method + " " + c.Path + "?" + q
	} else {
		objs[0] = c.Method + " " + c.Path
	}
	for _, u := range c.units {
		objs = append(objs, "unit:"+u)
	}
	if c.plan != nil {
		objs = append(objs, "plan:"+strconv.FormatInt(c.plan.ID, 10))
	}
	objs = append(objs, c.audit.Objects...)
	if c.audit.Detail != "" {
		detail = c.audit.Detail
	}
	if c.RemoteAddr != "" {
		objs = append(objs, "remote:"+c.RemoteAddr)
	}
	e := audit.Entry{User: c.user(), Action: action, Objects: objs, Recipient: c.audit.Recipient, Outcome: outcome, Detail: detail}
	if action == audit.ActionView {
		// views are queued for the audit writer (committed within one
		// batch; a failing trail refuses the next requests), everything
		// else is stored before the answer
		return a.auth.Audit.Queue(ctx, e)
	}
	_, err := a.auth.Audit.Record(ctx, e)
	return err
}

func (a *API) plans() *plan.Service {
	if a.auth == nil || a.auth.Plans == nil {
		return &plan.Service{Store: &plan.MemStore{}, Bands: a.svc.Bands()}
	}
	return a.auth.Plans
}

// sessionCookie builds the Set-Cookie value of a session secret; an empty
// secret clears the cookie.
func (a *API) sessionCookie(r Request, secret string) string {
	c := (&http.Cookie{Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS || (a.auth != nil && a.auth.SecureCookies)})
	if secret == "" {
		c.MaxAge = -1
	}
	return c.String()
}

// sessionJSON is what the page learns of its session.
type sessionJSON struct {
	User string       `json:"user"`
	Role hotgrid.Role `json:"role"`
	Unit string       `json:"unit,omitempty"`
	CSRF string       `json:"csrf,omitempty"`
}

func (a *API) sessionInfo(_ context.Context, c *call) *Response {
	s := sessionJSON{User: c.p.User.Name, Role: c.p.User.Role, Unit: c.p.User.Unit}
	if c.p.Session != nil {
		s.CSRF = c.p.Session.CSRF
	}
	return a.noStoreJSON(http.StatusOK, s)
}

// noStoreJSON answers a per-user JSON body that no cache may keep.
func (a *API) noStoreJSON(st int, v any) *Response {
	b, err := json.Marshal(v)
	if err != nil {
		return a.fail(fmt.Errorf("encode json: %w", err))
	}
	return &Response{Status: st, Body: b, Header: map[string]string{"Content-Type": ctJSON, "Cache-Control": "no-store"}}
}

// pageCSP is the policy of the server-rendered pages (login, briefing):
// no scripts at all, inline styles only.
const pageCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

func htmlPage(st int, body []byte) *Response {
	return &Response{Status: st, Body: body, Header: map[string]string{"Content-Type": "text/html; charset=utf-8",
		"Cache-Control": "no-store", "Content-Security-Policy": pageCSP}}
}

var loginTmpl = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · hotgrid</title>
<style>
body{font:15px/1.4 system-ui,"Segoe UI",Arial,sans-serif;background:#eef1f5;display:flex;min-height:100vh;margin:0;align-items:center;justify-content:center;color:#111}
form{background:#fff;padding:28px 32px;border-radius:6px;box-shadow:0 2px 12px rgba(0,0,0,.12);width:300px}
h1{font-size:20px;margin:0 0 4px}p{margin:0 0 16px;color:#555;font-size:13px}
label{display:block;margin:10px 0 4px;font-weight:600;font-size:13px}
input{width:100%;box-sizing:border-box;padding:8px;border:1px solid #aab;border-radius:4px;font-size:15px}
button{margin-top:18px;width:100%;padding:9px;border:0;border-radius:4px;background:#123e7a;color:#fff;font-size:15px;cursor:pointer}
.err{color:#a00;font-weight:600}.demo{margin-top:14px;font-size:12px;color:#444}
</style></head><body>
<form method="post" action="/login">
<h1>hotgrid</h1><p>Patrol hot grids. Sign in to continue.</p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
<input type="hidden" name="next" value="{{.Next}}">
<label for="name">Name</label><input id="name" name="name" autocomplete="username" required autofocus value="{{.Name}}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
{{if .Demo}}<p class="demo">{{.Demo}}</p>{{end}}
</form></body></html>`))

// faviconSVG is a hexagon, so browsers asking every page for an icon get one.
const faviconSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M16 2 28 9v14l-12 7-12-7V9z" fill="#123e7a"/></svg>`

func (a *API) favicon(context.Context, *call) *Response {
	return a.ok("image/svg+xml", []byte(faviconSVG), 24*time.Hour)
}

// loginPage is the sign-in form; Config.DemoNote is shown on it.
func (a *API) loginPage(_ context.Context, c *call) *Response {
	return a.renderLogin(http.StatusOK, c.Query.Get("next"), "", "")
}

func (a *API) renderLogin(st int, next, name, msg string) *Response {
	var b strings.Builder
	_ = loginTmpl.Execute(&b, map[string]string{"Next": safeNext(next), "Name": name, "Error": msg, "Demo": a.cfg.DemoNote})
	return htmlPage(st, []byte(b.String()))
}

// safeNext keeps a post-login redirect on this site.
func safeNext(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.Contains(s, "\\") || strings.HasPrefix(s, "/login") {
		return "/"
	}
	return s
}

// login checks a name and password (form or JSON) and starts a new session:
// any session the client had is ended first.
func (a *API) login(ctx context.Context, c *call) *Response {
	var name, pw, next string
	isJSON := strings.HasPrefix(c.ContentType, "application/json")
	if isJSON {
		var b struct{ Name, Password string }
		if err := json.Unmarshal(c.Body, &b); err != nil {
			return a.fail(hotgrid.FieldErrorf("body", "want {\"name\",\"password\"}: %v", err))
		}
		name, pw = b.Name, b.Password
	} else {
		f, err := url.ParseQuery(string(c.Body))
		if err != nil {
			return a.fail(hotgrid.FieldErrorf("body", "bad form: %v", err))
		}
		name, pw, next = f.Get("name"), f.Get("password"), f.Get("next")
	}
	if a.auth == nil {
		return a.fail(hotgrid.Errorf(hotgrid.ENOTFOUND, "this server has no accounts"))
	}
	p, secret, err := a.auth.Accounts.Login(ctx, name, pw, c.SessionCookie)
	if err != nil {
		c.audit.Objects = []string{"user:" + name}
		if rerr := a.record(ctx, c, audit.ActionLoginFailed, audit.OutcomeFailed, hotgrid.ErrorMessage(err)); rerr != nil {
			return a.fail(rerr)
		}
		if hotgrid.ErrorCode(err) != hotgrid.EUNAUTHORIZED || isJSON {
			return a.fail(err)
		}
		return a.renderLogin(http.StatusUnauthorized, next, name, "Wrong name or password.")
	}
	c.p = p
	if err := a.record(ctx, c, audit.ActionLogin, audit.OutcomeOK, ""); err != nil {
		return a.fail(err)
	}
	var resp *Response
	if isJSON {
		resp = a.noStoreJSON(http.StatusOK, sessionJSON{User: p.User.Name, Role: p.User.Role, Unit: p.User.Unit, CSRF: p.Session.CSRF})
	} else {
		resp = &Response{Status: http.StatusSeeOther, Header: map[string]string{"Location": safeNext(next), "Cache-Control": "no-store"}}
	}
	resp.Header["Set-Cookie"] = a.sessionCookie(c.Request, secret)
	return resp
}

// logout ends the session (CSRF checked by authorize) and clears the cookie.
func (a *API) logout(ctx context.Context, c *call) *Response {
	if err := a.auth.Accounts.Logout(ctx, c.SessionCookie); err != nil {
		return a.fail(err)
	}
	var resp *Response
	if strings.HasPrefix(c.ContentType, "application/json") {
		resp = a.noStoreJSON(http.StatusOK, map[string]string{"status": "signed out"})
	} else {
		resp = &Response{Status: http.StatusSeeOther, Header: map[string]string{"Location": "/login", "Cache-Control": "no-store"}}
	}
	resp.Header["Set-Cookie"] = a.sessionCookie(c.Request, "")
	return resp
}

var logoutTmpl = template.Must(template.New("logout").Parse(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign out · hotgrid</title>
<style>body{font:15px system-ui,Arial,sans-serif;display:flex;min-height:90vh;align-items:center;justify-content:center}button{padding:8px 18px}</style></head>
<body><form method="post" action="/logout"><input type="hidden" name="csrf" value="{{.}}"><p>Signed in. <button type="submit">Sign out</button></p></form></body></html>`))

// logoutPage is a form that posts /logout with the CSRF token.
func (a *API) logoutPage(_ context.Context, c *call) *Response {
	var b strings.Builder
	csrf := ""
	if c.p.Session != nil {
		csrf = c.p.Session.CSRF
	}
	_ = logoutTmpl.Execute(&b, csrf)
	return htmlPage(http.StatusOK, []byte(b.String()))
}

// createToken makes a read-only API token for the signed-in account.
func (a *API) createToken(ctx context.Context, c *call) *Response {
	var b struct {
		Label string `json:"label"`
	}
	if len(c.Body) > 0 {
		if err := json.Unmarshal(c.Body, &b); err != nil {
			return a.fail(hotgrid.FieldErrorf("body", "want {\"label\"}: %v", err))
		}
	}
	if b.Label == "" {
		b.Label = "api"
	}
	tok, err := a.auth.Accounts.CreateToken(ctx, c.p.User, b.Label)
	if err != nil {
		return a.fail(err)
	}
	c.audit.Objects = []string{"token:" + b.Label}
	return a.noStoreJSON(http.StatusCreated, map[string]string{"token": tok, "label": b.Label,
		"note": "read-only; send as Authorization: Bearer <token>; shown once"})
}

// decodeBody reads a JSON body strictly.
func decodeBody(b []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if err == io.EOF {
			return hotgrid.FieldErrorf("body", "empty body: want JSON")
		}
		return hotgrid.FieldErrorf("body", "%v", err)
	}
	return nil
}
