package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/audit"
	"github.com/hotgrid/hotgrid/internal/auth"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/server"
)

const testPassword = "correct horse"

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// authEnv is a server with accounts, plans and an audit trail in memory.
type authEnv struct {
	api   *server.API
	acc   *auth.Service
	trail *audit.MemStore
	plans *plan.Service
	clock *testClock
	plan  map[string]int64 // an agreed plan per unit
}

func unitCell(unit string, k int) string {
	c := fakeCentres[unit]
	centre, _ := geo.CellAt(c[0], c[1], hotgrid.DefaultResolution)
	return geo.String(geo.Ring(centre, 1)[k])
}

func samplePlan(unit string) *hotgrid.Plan {
	return &hotgrid.Plan{Unit: unit, From: time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC),
		Areas: []hotgrid.PlanArea{{ID: unit + "-1", Rank: 1, Harm: 50, Cells: []string{unitCell(unit, 0)},
			Doses: []hotgrid.Dose{{Band: "any", VisitMinutes: 15, Visits: 1}}},
			{ID: unit + "-2", Rank: 2, Harm: 20, Cells: []string{unitCell(unit, 1)},
				Doses: []hotgrid.Dose{{Band: "late", VisitMinutes: 20, Visits: 1}}}}}
}

func newAuthEnv(t testing.TB) *authEnv {
	t.Helper()
	ctx := context.Background()
	clk := &testClock{t: time.Date(2017, 6, 15, 9, 0, 0, 0, time.UTC)}
	f := newFake()
	e := &authEnv{clock: clk, trail: &audit.MemStore{}, plan: map[string]int64{}}
	e.acc = &auth.Service{Store: &auth.MemStore{}, Now: clk.Now, Params: auth.Params{Time: 1, Memory: 64, Threads: 1}}
	e.plans = &plan.Service{Store: &plan.MemStore{}, Bands: f.Bands(), Now: clk.Now}
	var err error
	e.api, err = server.New(server.Config{Service: f, Static: page, Version: "test", Location: time.UTC, Now: clk.Now,
		Auth: &server.Auth{Accounts: e.acc, Audit: &audit.Logger{Store: e.trail, Now: clk.Now}, Plans: e.plans}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"BE", "CV"} {
		p := samplePlan(u)
		if err := e.plans.Create(ctx, p, "setup"); err != nil {
			t.Fatal(err)
		}
		q, err := e.plans.Transition(ctx, p.ID, p.Version, hotgrid.PlanProposed, "setup")
		if err == nil {
			_, err = e.plans.Transition(ctx, q.ID, q.Version, hotgrid.PlanAgreed, "setup")
		}
		if err != nil {
			t.Fatal(err)
		}
		e.plan[u] = p.ID
	}
	return e
}

// client is someone making requests: a session, a token, or nobody.
type client struct {
	cookie, csrf, token string
}

func (e *authEnv) addUser(t testing.TB, name string, role hotgrid.Role, unit string) {
	t.Helper()
	if _, err := e.acc.AddUser(context.Background(), name, testPassword, role, unit); err != nil {
		t.Fatal(err)
	}
}

// login signs in through the API and returns the session.
func (e *authEnv) login(t testing.TB, name string, old *client) *client {
	t.Helper()
	r := server.Request{Method: "POST", Path: "/login", ContentType: "application/json",
		Body: []byte(fmt.Sprintf(`{"name":%q,"password":%q}`, name, testPassword))}
	if old != nil {
		r.SessionCookie = old.cookie
	}
	resp := e.api.Serve(context.Background(), r)
	if resp.Status != 200 {
		t.Fatalf("login %s: %d %s", name, resp.Status, resp.Body)
	}
	var s struct{ CSRF string }
	if err := json.Unmarshal(resp.Body, &s); err != nil {
		t.Fatal(err)
	}
	return &client{cookie: cookieValue(t, resp.Header["Set-Cookie"]), csrf: s.CSRF}
}

func cookieValue(t testing.TB, setCookie string) string {
	t.Helper()
	c, err := http.ParseSetCookie(setCookie)
	if err != nil || c.Name != server.SessionCookie {
		t.Fatalf("Set-Cookie %q: %v", setCookie, err)
	}
	return c.Value
}

func (e *authEnv) do(c *client, method, path string, q url.Values, body string) *server.Response {
	r := server.Request{Method: method, Path: path, Query: q, Body: []byte(body), ContentType: "application/json"}
	if strings.HasSuffix(path, ".csv") {
		r.ContentType = "text/csv"
	}
	if c != nil {
		r.SessionCookie, r.CSRFToken = c.cookie, c.csrf
		if c.token != "" {
			r.Authorization = "Bearer " + c.token
		}
	}
	return e.api.Serve(context.Background(), r)
}

// request builds a request of a route for a unit (own or another). Every
// route pattern of the table must be here: a route added without a case
// fails the access matrix test.
func (e *authEnv) request(t *testing.T, rt server.RouteInfo, unit string) (path string, q url.Values, body string) {
	q = url.Values{}
	id := fmt.Sprint(e.plan[unit])
	planPath := func(suffix string) string { return "/api/v1/plans/" + id + suffix }
	version := func() string {
		p, err := e.plans.Store.Plan(context.Background(), e.plan[unit])
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(p.Version)
	}
	switch rt.Method + " " + rt.Pattern {
	case "GET /healthz", "GET /login", "GET /favicon.ico", "GET /logout", "GET /api/v1/session", "GET /api/v1/config", "GET /api/v1/units",
		"GET /api/v1/bands", "GET /plans", "GET /api/v1/audit", "GET /api/v1/audit/verify", "GET /api/v1/wards":
		return rt.Pattern, q, ""
	case "POST /login":
		return rt.Pattern, q, `{"name":"matrix-login","password":"` + testPassword + `"}`
	case "POST /logout", "POST /api/v1/tokens":
		return rt.Pattern, q, `{}`
	case "GET /api/v1/hotgrids", "GET /api/v1/knife-robbery-hotspots", "GET /api/v1/summary", "GET /api/v1/export", "GET /api/v1/map.svg",
		"GET /api/v1/plans", "GET /api/v1/capacity", "GET /api/v1/accuracy":
		q.Set("unit", unit)
		return rt.Pattern, q, ""
	case "PUT /api/v1/capacity":
		q.Set("unit", unit)
		return rt.Pattern, q, `[{"band":"any","minutes":60}]`
	case "GET /api/v1/cells/{h3}":
		q.Set("unit", unit)
		return "/api/v1/cells/" + unitCell(unit, 0), q, ""
	case "GET /tiles/{zxy...}":
		q.Set("unit", unit)
		return "/tiles/12/2026/1358.mvt", q, ""
	case "POST /api/v1/plans":
		return rt.Pattern, q, `{"unit":"` + unit + `","from":"2017-07-01","to":"2017-08-01","areas":[{"id":"x","cells":["` + unitCell(unit, 2) + `"]}]}`
	case "GET /api/v1/plans/{id}", "GET /api/v1/plans/{id}/changes", "GET /api/v1/plans/{id}/fit",
		"GET /api/v1/plans/{id}/patrols", "GET /api/v1/plans/{id}/coverage", "GET /api/v1/plans/{id}/areas":
		return planPath(strings.TrimPrefix(rt.Pattern, "/api/v1/plans/{id}")), q, ""
	case "GET /plans/{id}/briefing":
		return "/plans/" + id + "/briefing", q, ""
	case "PUT /api/v1/plans/{id}":
		return planPath(""), q, `{"version":` + version() + `,"from":"2017-06-01","to":"2017-07-01","areas":[]}`
	case "POST /api/v1/plans/{id}/propose", "POST /api/v1/plans/{id}/withdraw", "POST /api/v1/plans/{id}/return",
		"POST /api/v1/plans/{id}/agree", "POST /api/v1/plans/{id}/close":
		return planPath(strings.TrimPrefix(rt.Pattern, "/api/v1/plans/{id}")), q, `{"version":` + version() + `}`
	case "POST /api/v1/plans/{id}/versions":
		return planPath("/versions"), q, ""
	case "POST /api/v1/plans/{id}/patrols":
		return planPath("/patrols"), q, `{"area":"` + unit + `-1","start":"2017-06-02 10:00","minutes":15}`
	case "POST /api/v1/plans/{id}/patrols.csv":
		return planPath("/patrols.csv"), q, "area,start,minutes\n" + unit + "-1,2017-06-02 10:00,15\n"
	case "POST /api/v1/plans/{id}/gps.csv":
		return planPath("/gps.csv"), q, "time,lon,lat\n2017-06-02 10:00,-1.9,52.5\n"
	case "GET /ui/{file...}":
		return "/ui/plans.js", q, ""
	case "GET /{file...}":
		return "/index.html", q, ""
	}
	t.Fatalf("route %s %s has no request in the access matrix: add one to authEnv.request", rt.Method, rt.Pattern)
	return
}

// grants is the test's own statement of the role rules.
var grants = map[hotgrid.Role][]auth.Perm{
	hotgrid.RoleViewer:  {auth.PermView, auth.PermExport, auth.PermSession},
	hotgrid.RolePlanner: {auth.PermView, auth.PermExport, auth.PermSession, auth.PermEditPlan},
	hotgrid.RoleChair:   {auth.PermView, auth.PermExport, auth.PermSession, auth.PermAgree},
	hotgrid.RoleAdmin:   {auth.PermView, auth.PermExport, auth.PermSession, auth.PermAdmin},
}

type principal struct {
	name  string
	role  hotgrid.Role
	unit  string // "" all units
	anon  bool
	token bool
}

func (p principal) may(rt server.RouteInfo, unit string) bool {
	if rt.Perm == auth.PermPublic {
		return true
	}
	if p.anon {
		return false
	}
	if p.token && (rt.Method != "GET" || (rt.Perm != auth.PermView && rt.Perm != auth.PermExport)) {
		return false
	}
	has := false
	for _, g := range grants[p.role] {
		has = has || g == rt.Perm
	}
	if !has {
		return false
	}
	return rt.Scope == "unscoped" || p.unit == "" || p.unit == unit
}

// TestAccessMatrix walks every route of the table for every role (limited
// to unit BE, and for all units), a read-only API token and an anonymous
// client, against the own unit (BE) and another (CV): nothing unauthorised
// may succeed, and nothing authorised may be refused.
func TestAccessMatrix(t *testing.T) {
	e := newAuthEnv(t)
	var ps []principal
	for _, r := range hotgrid.Roles {
		for _, u := range []string{"BE", ""} {
			name := string(r) + "-" + map[string]string{"BE": "be", "": "all"}[u]
			e.addUser(t, name, r, u)
			ps = append(ps, principal{name: name, role: r, unit: u})
		}
	}
	e.addUser(t, "matrix-login", hotgrid.RoleViewer, "")
	e.addUser(t, "gis", hotgrid.RoleViewer, "BE")
	gisUser, _ := e.acc.Store.UserByName(context.Background(), "gis")
	tok, err := e.acc.CreateToken(context.Background(), gisUser, "qgis")
	if err != nil {
		t.Fatal(err)
	}
	ps = append(ps, principal{name: "gis", role: hotgrid.RoleViewer, unit: "BE", token: true}, principal{name: "anonymous", anon: true})

	routes := e.api.Routes()
	if len(routes) < 30 {
		t.Fatalf("only %d routes", len(routes))
	}
	var checked, refused, allowed, unauthorisedOK, wronglyRefused int
	for _, rt := range routes {
		if rt.Perm == "" {
			t.Errorf("route %s %s has no permission", rt.Method, rt.Pattern)
		}
		if rt.Method != "GET" && rt.Perm.ReadOnly() && rt.Perm != auth.PermPublic {
			t.Errorf("route %s %s changes state under a read-only permission", rt.Method, rt.Pattern)
		}
		for _, p := range ps {
			for _, unit := range []string{"BE", "CV"} {
				path, q, body := e.request(t, rt, unit)
				var c *client
				switch {
				case p.token:
					c = &client{token: tok}
				case !p.anon:
					c = e.login(t, p.name, nil)
				}
				resp := e.do(c, rt.Method, path, q, body)
				checked++
				ok := resp.Status < 400
				denied := resp.Status == 401 || resp.Status == 403 || (p.anon && resp.Status == 303 && strings.HasPrefix(resp.Header["Location"], "/login"))
				want := p.may(rt, unit)
				switch {
				case !want && !denied:
					unauthorisedOK++
					t.Errorf("UNAUTHORISED %s (%s, unit %q) %s %s [unit %s]: %d %.200s", p.name, p.role, p.unit, rt.Method, rt.Pattern, unit, resp.Status, resp.Body)
				case want && denied:
					wronglyRefused++
					t.Errorf("refused %s (%s, unit %q) %s %s [unit %s]: %d %.200s", p.name, p.role, p.unit, rt.Method, rt.Pattern, unit, resp.Status, resp.Body)
				case want:
					allowed++
				default:
					refused++
				}
				_ = ok
			}
		}
	}
	t.Logf("access matrix: %d routes x %d principals x 2 units = %d requests; %d allowed, %d refused, %d unauthorised successes, %d wrongly refused",
		len(routes), len(ps), checked, allowed, refused, unauthorisedOK, wronglyRefused)
	if refused == 0 || allowed == 0 {
		t.Fatal("matrix did not exercise both outcomes")
	}
	rep, err := audit.Verify(context.Background(), e.trail, "")
	if err != nil || !rep.OK() {
		t.Fatalf("audit trail after the matrix: %+v %v", rep, err)
	}
	denials := 0
	for _, r := range e.trail.Records {
		if r.Action == audit.ActionDenied {
			denials++
		}
	}
	if denials < refused {
		t.Errorf("%d denials audited, %d refused requests", denials, refused)
	}
}

func TestAnonymous(t *testing.T) {
	e := newAuthEnv(t)
	for _, c := range []struct {
		path string
		want int
	}{
		{"/healthz", 200}, {"/login", 200}, {"/", 303}, {"/index.html", 303}, {"/plans", 303},
		{"/api/v1/hotgrids", 401}, {"/tiles/1/0/0.mvt", 401}, {"/api/v1/nope", 401}, {"/api/v1/session", 401},
	} {
		resp := e.do(nil, "GET", c.path, nil, "")
		if resp.Status != c.want {
			t.Errorf("GET %s: %d, want %d", c.path, resp.Status, c.want)
		}
		if c.want == 303 && resp.Header["Location"] != "/login?next="+url.QueryEscape(c.path) {
			t.Errorf("GET %s: Location %q", c.path, resp.Header["Location"])
		}
	}
	if resp := e.do(nil, "GET", "/login", nil, ""); !strings.Contains(string(resp.Body), `action="/login"`) || resp.Header["Content-Security-Policy"] == "" {
		t.Errorf("login page: %s", resp.Body)
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	e := newAuthEnv(t)
	e.addUser(t, "alice", hotgrid.RolePlanner, "BE")
	get := func(c *client) int { return e.do(c, "GET", "/api/v1/session", nil, "").Status }

	t.Run("new id at login", func(t *testing.T) {
		c1 := e.login(t, "alice", nil)
		c2 := e.login(t, "alice", c1)
		if c1.cookie == c2.cookie || c1.csrf == c2.csrf {
			t.Fatal("session id or CSRF token reused at login")
		}
		if get(c1) != 401 || get(c2) != 200 {
			t.Fatalf("old session %d (want 401), new %d (want 200)", get(c1), get(c2))
		}
	})
	t.Run("cookie attributes", func(t *testing.T) {
		for _, tls := range []bool{false, true} {
			resp := e.api.Serve(ctx, server.Request{Method: "POST", Path: "/login", ContentType: "application/x-www-form-urlencoded",
				Body: []byte("name=alice&password=correct+horse&next=%2Fplans"), TLS: tls})
			sc := resp.Header["Set-Cookie"]
			if resp.Status != 303 || resp.Header["Location"] != "/plans" || !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Strict") ||
				strings.Contains(sc, "Secure") != tls || !strings.Contains(sc, "Path=/") {
				t.Errorf("tls %v: %d %v", tls, resp.Status, resp.Header)
			}
		}
		resp := e.api.Serve(ctx, server.Request{Method: "POST", Path: "/login", ContentType: "application/x-www-form-urlencoded",
			Body: []byte("name=alice&password=wrong&next=//evil.example")})
		if resp.Status != 401 || resp.Header["Set-Cookie"] != "" || !strings.Contains(string(resp.Body), "Wrong name or password") {
			t.Errorf("failed form login: %d %v", resp.Status, resp.Header)
		}
		resp = e.api.Serve(ctx, server.Request{Method: "POST", Path: "/login", ContentType: "application/x-www-form-urlencoded",
			Body: []byte("name=alice&password=correct+horse&next=//evil.example")})
		if resp.Header["Location"] != "/" {
			t.Errorf("open redirect: Location %q", resp.Header["Location"])
		}
	})
	t.Run("idle timeout", func(t *testing.T) {
		c := e.login(t, "alice", nil)
		e.clock.Add(29 * time.Minute)
		if get(c) != 200 {
			t.Fatal("session ended before 30 min idle")
		}
		e.clock.Add(30 * time.Minute)
		if get(c) != 401 {
			t.Fatal("session alive after 30 min idle")
		}
	})
	t.Run("absolute timeout", func(t *testing.T) {
		c := e.login(t, "alice", nil)
		for i := 0; i < 24; i++ {
			e.clock.Add(29*time.Minute + 59*time.Second)
			if get(c) != 200 {
				t.Fatalf("active session ended after %d steps", i+1)
			}
		}
		e.clock.Add(20 * time.Minute)
		if get(c) != 401 {
			t.Fatal("active session alive after 12 h")
		}
	})
	t.Run("logout", func(t *testing.T) {
		c := e.login(t, "alice", nil)
		resp := e.do(c, "POST", "/logout", nil, "{}")
		if resp.Status != 200 || !strings.Contains(resp.Header["Set-Cookie"], "Max-Age=0") {
			t.Fatalf("logout: %d %v", resp.Status, resp.Header)
		}
		if get(c) != 401 {
			t.Fatal("session alive after logout")
		}
	})
	t.Run("disable", func(t *testing.T) {
		e.addUser(t, "bob", hotgrid.RoleViewer, "")
		c := e.login(t, "bob", nil)
		if get(c) != 200 {
			t.Fatal("bob not signed in")
		}
		if _, err := e.acc.Disable(ctx, "bob"); err != nil {
			t.Fatal(err)
		}
		if get(c) != 401 {
			t.Fatal("session alive after disabling the account")
		}
	})
	t.Run("csrf", func(t *testing.T) {
		c := e.login(t, "alice", nil)
		e.addUser(t, "carol", hotgrid.RolePlanner, "BE")
		other := e.login(t, "carol", nil)
		body := `[{"band":"any","minutes":30}]`
		q := url.Values{"unit": {"BE"}}
		for name, tok := range map[string]string{"missing": "", "foreign": other.csrf, "garbage": "x"} {
			cc := *c
			cc.csrf = tok
			if resp := e.do(&cc, "PUT", "/api/v1/capacity", q, body); resp.Status != 403 {
				t.Errorf("%s CSRF token: %d, want 403", name, resp.Status)
			}
		}
		if caps, _ := e.plans.Store.Capacity(ctx, "BE"); len(caps) != 0 {
			t.Fatalf("refused request changed capacity: %v", caps)
		}
		if resp := e.do(c, "PUT", "/api/v1/capacity", q, body); resp.Status != 200 {
			t.Errorf("right CSRF token: %d %s", resp.Status, resp.Body)
		}
		// the logout form posts the token as a form field
		resp := e.api.Serve(ctx, server.Request{Method: "POST", Path: "/logout", SessionCookie: c.cookie,
			ContentType: "application/x-www-form-urlencoded", Body: []byte("csrf=" + url.QueryEscape(c.csrf))})
		if resp.Status != 303 {
			t.Errorf("form logout: %d %s", resp.Status, resp.Body)
		}
	})
	t.Run("token read-only", func(t *testing.T) {
		u, _ := e.acc.Store.UserByName(ctx, "alice")
		tok, _ := e.acc.CreateToken(ctx, u, "qgis")
		c := &client{token: tok}
		if resp := e.do(c, "GET", "/api/v1/hotgrids", url.Values{"unit": {"BE"}}, ""); resp.Status != 200 {
			t.Errorf("token read: %d", resp.Status)
		}
		if resp := e.do(c, "PUT", "/api/v1/capacity", url.Values{"unit": {"BE"}}, `[]`); resp.Status != 403 {
			t.Errorf("token write: %d, want 403", resp.Status)
		}
		if resp := e.do(&client{token: "hgt_forged"}, "GET", "/api/v1/hotgrids", nil, ""); resp.Status != 401 {
			t.Errorf("forged token: %d", resp.Status)
		}
	})
}

// TestConcurrentPlanEdits sends 100 concurrent edits of one plan through the
// API; stale versions get 409 and retry: nothing is lost.
func TestConcurrentPlanEdits(t *testing.T) {
	ctx := context.Background()
	e := newAuthEnv(t)
	e.addUser(t, "alice", hotgrid.RolePlanner, "BE")
	c := e.login(t, "alice", nil)
	resp := e.do(c, "POST", "/api/v1/plans", nil, `{"unit":"BE","from":"2017-08-01","to":"2017-09-01","areas":[]}`)
	if resp.Status != 201 {
		t.Fatalf("create: %d %s", resp.Status, resp.Body)
	}
	var p hotgrid.Plan
	_ = json.Unmarshal(resp.Body, &p)
	centre, _ := geo.CellAt(fakeCentres["BE"][0], fakeCentres["BE"][1], 9)
	var cells []string
	for k := 0; len(cells) < 100; k++ {
		for _, x := range geo.Ring(centre, k) {
			cells = append(cells, geo.String(x))
		}
	}
	const n = 100
	var conflicts, oks, others atomic.Int64
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				r := e.do(c, "GET", fmt.Sprintf("/api/v1/plans/%d", p.ID), nil, "")
				var cur hotgrid.Plan
				if err := json.Unmarshal(r.Body, &cur); err != nil {
					others.Add(1)
					return
				}
				cur.Areas = append(cur.Areas, hotgrid.PlanArea{ID: fmt.Sprintf("a%d", i), Cells: []string{cells[i]}})
				body, _ := json.Marshal(map[string]any{"version": cur.Version, "from": "2017-08-01", "to": "2017-09-01", "areas": cur.Areas})
				r = e.do(c, "PUT", fmt.Sprintf("/api/v1/plans/%d", p.ID), nil, string(body))
				switch r.Status {
				case 200:
					oks.Add(1)
					return
				case 409:
					conflicts.Add(1)
				default:
					others.Add(1)
					t.Errorf("edit %d: %d %s", i, r.Status, r.Body)
					return
				}
			}
		}()
	}
	wg.Wait()
	final, err := e.plans.Store.Plan(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("100 concurrent edits over the API: %d ok, %d answered 409 and retried, %d other, final %d areas, version %d",
		oks.Load(), conflicts.Load(), others.Load(), len(final.Areas), final.Version)
	if oks.Load() != n || others.Load() != 0 || len(final.Areas) != n || final.Version != n+1 {
		t.Fatal("lost updates")
	}
}

// TestWorkflow is the board's month: a planner drafts from the ranking and
// proposes, the chair agrees, patrols are uploaded, coverage shows a
// covered and a missed area, and every step is in an intact audit trail.
func TestWorkflow(t *testing.T) {
	e := newAuthEnv(t)
	e.addUser(t, "pam", hotgrid.RolePlanner, "BE")
	e.addUser(t, "chris", hotgrid.RoleChair, "")
	pl, ch := e.login(t, "pam", nil), e.login(t, "chris", nil)
	resp := e.do(pl, "POST", "/api/v1/plans", nil, `{"unit":"BE","from":"2017-09-01","to":"2017-10-01","from_ranking":{"top":3}}`)
	if resp.Status != 201 {
		t.Fatalf("create from ranking: %d %s", resp.Status, resp.Body)
	}
	var p hotgrid.Plan
	_ = json.Unmarshal(resp.Body, &p)
	if len(p.Areas) == 0 || p.State != hotgrid.PlanDraft {
		t.Fatalf("plan = %+v", p)
	}
	for i := range p.Areas {
		p.Areas[i].Doses = []hotgrid.Dose{{Band: "any", VisitMinutes: 15, Visits: 1}}
	}
	body, _ := json.Marshal(map[string]any{"version": p.Version, "from": "2017-09-01", "to": "2017-10-01", "areas": p.Areas})
	path := fmt.Sprintf("/api/v1/plans/%d", p.ID)
	steps := []struct {
		c      *client
		method string
		path   string
		body   string
		want   int
	}{
		{pl, "PUT", path, string(body), 200},
		{ch, "POST", path + "/agree", `{"version":2}`, 409}, // not proposed yet
		{pl, "POST", path + "/propose", `{"version":2}`, 200},
		{pl, "POST", path + "/agree", `{"version":3}`, 403}, // planners do not agree
		{ch, "POST", path + "/agree", `{"version":3}`, 200},
		{pl, "PUT", path, string(body), 409}, // agreed is immutable
		{pl, "POST", path + "/patrols.csv", "area,start,minutes\n" + p.Areas[0].ID + ",2017-09-04 10:00,20\nNOPE,2017-09-04 10:00,x\n", 400},
		{pl, "POST", path + "/patrols.csv", "area,start,minutes\n" + p.Areas[0].ID + ",2017-09-04 10:00,20\n", 201},
	}
	for i, s := range steps {
		r := e.do(s.c, s.method, s.path, nil, s.body)
		if r.Status != s.want {
			t.Fatalf("step %d %s %s: %d %s, want %d", i, s.method, s.path, r.Status, r.Body, s.want)
		}
		if i == 6 && !strings.Contains(string(r.Body), "upload.csv:3:") {
			t.Errorf("upload error does not name the line: %s", r.Body)
		}
	}
	r := e.do(ch, "GET", path+"/coverage", url.Values{"from": {"2017-09-04"}, "to": {"2017-09-05"}}, "")
	var cov hotgrid.Coverage
	if err := json.Unmarshal(r.Body, &cov); err != nil || r.Status != 200 {
		t.Fatalf("coverage: %d %s", r.Status, r.Body)
	}
	if cov.Covered != 1 || cov.Missed != len(p.Areas)-1 || cov.Rows[0].Status != hotgrid.Covered {
		t.Fatalf("coverage = %+v", cov)
	}
	r = e.do(ch, "GET", fmt.Sprintf("/plans/%d/briefing", p.ID), nil, "")
	if r.Status != 200 || !strings.Contains(string(r.Body), "<svg") || !strings.Contains(string(r.Body), "@media print") {
		t.Fatalf("briefing: %d", r.Status)
	}
	// audit: each step on record, chain intact
	actions := map[string]int{}
	for _, rec := range e.trail.Records {
		actions[rec.Action]++
	}
	for _, a := range []string{audit.ActionLogin, audit.ActionPlanCreate, audit.ActionPlanUpdate, audit.ActionPlanState, audit.ActionPatrolAdd, audit.ActionView, audit.ActionDenied} {
		if actions[a] == 0 {
			t.Errorf("no %s record: %v", a, actions)
		}
	}
	if rep, _ := audit.Verify(context.Background(), e.trail, ""); !rep.OK() {
		t.Fatalf("audit: %+v", rep)
	}
}

// TestAuditOnePerView checks a view of data writes exactly one record with
// the user, the object and, for exports, the recipient.
func TestAuditOnePerView(t *testing.T) {
	e := newAuthEnv(t)
	e.addUser(t, "val", hotgrid.RoleViewer, "")
	c := e.login(t, "val", nil)
	n := len(e.trail.Records)
	if r := e.do(c, "GET", "/api/v1/hotgrids", url.Values{"unit": {"CV"}}, ""); r.Status != 200 {
		t.Fatal(r.Status)
	}
	if len(e.trail.Records) != n+1 {
		t.Fatalf("%d records for one view", len(e.trail.Records)-n)
	}
	rec := e.trail.Records[n]
	if rec.User != "val" || rec.Action != audit.ActionView || !strings.Contains(strings.Join(rec.Objects, " "), "unit:CV") {
		t.Errorf("record = %+v", rec)
	}
	if r := e.do(c, "GET", "/api/v1/export", url.Values{"unit": {"CV"}, "format": {"csv"}, "recipient": {"analyst@example.org"}}, ""); r.Status != 200 {
		t.Fatalf("export: %d %s", r.Status, r.Body)
	}
	rec = e.trail.Records[len(e.trail.Records)-1]
	if rec.Action != audit.ActionExport || rec.Recipient != "analyst@example.org" || rec.Time.Location() != time.UTC {
		t.Errorf("export record = %+v", rec)
	}
}
