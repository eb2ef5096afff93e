package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/ingest"
	"github.com/hotgrid/hotgrid/internal/server"
	"github.com/hotgrid/hotgrid/internal/store/pgtest"
	"github.com/hotgrid/hotgrid/internal/units"
	"github.com/jackc/pgx/v5"
)

// twoPassword is the password of the accounts the two-server test makes.
const twoPassword = "correct horse battery"

// reloadWait bounds how long new data may take to show on a server.
const reloadWait = 20 * time.Second

// TestTwoServersOnePostgres runs two `hotgrid serve --db postgres://...`
// (the serve command itself, on two loopback ports) over one fresh
// PostgreSQL database and checks through HTTP, signed in as the web page
// does (session cookie, CSRF token from /api/v1/session), that they stay
// consistent: both start at once on an unmigrated database; plans proposed
// on one and agreed on the other; conflicting edits give one 409 and lose
// nothing once reapplied; sessions are shared and disabling an account
// ends them on both; data ingested by another process changes both
// servers' rankings without a restart.
func TestTwoServersOnePostgres(t *testing.T) {
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	fx := newTwoFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// Both servers start at once on an empty database: each process opens
	// the store twice (engine, accounts), so four migrations race.
	a, b := startServe(ctx, t, "A", dsn), startServe(ctx, t, "B", dsn)
	a.waitReady(t)
	b.waitReady(t)
	checkMigrations(t, dsn)

	for _, u := range []struct{ role, unit, name string }{
		{"planner", fx.unit, "pat"}, {"chair", "", "chris"},
	} {
		args := []string{"user", "add", "--db", dsn, "--role", u.role, u.name}
		if u.unit != "" {
			args = slices.Insert(args, 6, "--unit", u.unit)
		}
		if out, err := runCmd(t, dsn, twoPassword+"\n", args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	patA, patB := a.signIn(t, "pat"), b.signIn(t, "pat")
	chrisA, chrisB := a.signIn(t, "chris"), b.signIn(t, "chris")

	t.Run("NewDataReloadsBoth", func(t *testing.T) {
		// Empty so far: rank (filling each server's answer cache), then
		// ingest through another process and wait for both to change.
		for _, s := range []*twoClient{chrisA, chrisB} {
			if top := s.topCell(t, fx.unit); top != "" {
				t.Fatalf("%s: top cell %s before any data", s.name, top)
			}
		}
		fx.ingest(t, dsn, "first.csv", fx.first, 60)
		for _, s := range []*twoClient{chrisA, chrisB} {
			s.waitTop(t, fx.unit, geo.String(fx.first))
		}
		fx.ingest(t, dsn, "second.csv", fx.second, 200)
		for _, s := range []*twoClient{chrisA, chrisB} {
			s.waitTop(t, fx.unit, geo.String(fx.second))
		}
	})

	t.Run("AgreedThroughOtherServer", func(t *testing.T) {
		p := patA.createPlan(t, fx.planBody("agree me", fx.first))
		p = patA.send(t, http.MethodPost, fmt.Sprintf("/api/v1/plans/%d/propose", p.ID), map[string]int{"version": p.Version}, http.StatusOK)
		if p.State != hotgrid.PlanProposed {
			t.Fatalf("after propose on A: state %s", p.State)
		}
		agreed := chrisB.send(t, http.MethodPost, fmt.Sprintf("/api/v1/plans/%d/agree", p.ID), map[string]int{"version": p.Version}, http.StatusOK)
		got := patA.plan(t, p.ID)
		if got.State != hotgrid.PlanAgreed || got.AgreedBy != "chris" || got.Version != agreed.Version {
			t.Fatalf("plan on A after agreeing on B: state %s by %q version %d; want agreed by chris version %d",
				got.State, got.AgreedBy, got.Version, agreed.Version)
		}
		var list []hotgrid.Plan
		patA.getJSON(t, "/api/v1/plans?state=agreed", &list)
		if !slices.ContainsFunc(list, func(q hotgrid.Plan) bool { return q.ID == p.ID }) {
			t.Fatalf("A's list of agreed plans %v lacks plan %d", list, p.ID)
		}
	})

	t.Run("ConflictingEdits", func(t *testing.T) {
		p := patA.createPlan(t, fx.planBody("base", fx.first))
		edits := []struct {
			c    *twoClient
			area string
			cell uint64
			note string
		}{{patA, "east", fx.spare[0], "A: east added"}, {patB, "west", fx.spare[1], "B: west added"}}
		status := make([]int, len(edits))
		bodies := make([][]byte, len(edits))
		var wg sync.WaitGroup
		for i, e := range edits {
			wg.Add(1)
			go func() { // both at once, both from version p.Version
				defer wg.Done()
				body := fx.edit(p, e.area, e.cell, e.note)
				status[i], bodies[i] = e.c.do(t, http.MethodPut, fmt.Sprintf("/api/v1/plans/%d", p.ID), body)
			}()
		}
		wg.Wait()
		if !slices.Contains(status, http.StatusOK) || !slices.Contains(status, http.StatusConflict) {
			t.Fatalf("conflicting edits through A and B gave %v, want one 200 and one 409", status)
		}
		loser := slices.Index(status, http.StatusConflict)
		if !strings.Contains(string(bodies[loser]), "version") {
			t.Errorf("409 body %s does not say the version changed", bodies[loser])
		}
		// The losing edit changed nothing.
		cur := patA.plan(t, p.ID)
		if cur.Version != p.Version+1 || slices.ContainsFunc(cur.Areas, func(a hotgrid.PlanArea) bool { return a.ID == edits[loser].area }) {
			t.Fatalf("after the race: version %d, areas %+v; want version %d without area %q", cur.Version, cur.Areas, p.Version+1, edits[loser].area)
		}
		// The loser reloads through its own server and applies its edit again.
		for _, e := range edits {
			cur := e.c.plan(t, p.ID)
			if slices.ContainsFunc(cur.Areas, func(a hotgrid.PlanArea) bool { return a.ID == e.area }) {
				continue // this one won
			}
			e.c.send(t, http.MethodPut, fmt.Sprintf("/api/v1/plans/%d", p.ID), fx.edit(cur, e.area, e.cell, e.note), http.StatusOK)
		}
		for _, s := range []*twoClient{patA, patB} {
			got := s.plan(t, p.ID)
			var ids []string
			for _, a := range got.Areas {
				ids = append(ids, a.ID)
			}
			slices.Sort(ids)
			if got.Version != p.Version+2 || !slices.Equal(ids, []string{"A1", "east", "west"}) ||
				!strings.Contains(got.Note, edits[0].note) || !strings.Contains(got.Note, edits[1].note) {
				t.Fatalf("%s: plan after both edits: version %d areas %v note %q; want version %d, areas A1 east west and both notes",
					s.name, got.Version, ids, got.Note, p.Version+2)
			}
		}
	})

	t.Run("SessionsShared", func(t *testing.T) {
		// pat's session made on A works on B, with the same CSRF token.
		onB := b.client("pat on B with A's cookie", patA.cookie)
		var s struct{ User, CSRF string }
		onB.getJSON(t, "/api/v1/session", &s)
		if s.User != "pat" || s.CSRF != patA.csrf {
			t.Fatalf("A's session on B: %+v, want pat with A's CSRF token", s)
		}
		onB.csrf = s.CSRF
		onB.createPlan(t, fx.planBody("made on B with A's session", fx.first))

		// Disabling pat (the CLI, another process: no route manages
		// accounts) ends the session on both servers at the next request.
		if out, err := runCmd(t, dsn, "", "user", "disable", "--db", dsn, "pat"); err != nil {
			t.Fatalf("user disable: %v\n%s", err, out)
		}
		for _, cl := range []*twoClient{patA, onB, patB} {
			if st, body := cl.do(t, http.MethodGet, "/api/v1/plans", nil); st != http.StatusUnauthorized {
				t.Fatalf("%s after disabling pat: %d %s, want 401", cl.name, st, body)
			}
		}
		if st, _ := chrisA.do(t, http.MethodGet, "/api/v1/plans", nil); st != http.StatusOK {
			t.Fatalf("chris on A after disabling pat: %d, want 200", st)
		}
	})

	cancel()
	a.wait(t)
	b.wait(t)
}

// checkMigrations checks every migration was applied exactly once.
func checkMigrations(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n, distinct, top int
	if err := conn.QueryRow(ctx, "SELECT count(*), count(DISTINCT version), coalesce(max(version), 0) FROM schema_migrations").
		Scan(&n, &distinct, &top); err != nil {
		t.Fatal(err)
	}
	if n == 0 || n != distinct || n != top {
		t.Fatalf("schema_migrations after two servers started at once: %d rows, %d versions, highest %d", n, distinct, top)
	}
}

// twoFixture is the test's unit, cells and data.
type twoFixture struct {
	dir           string
	unit          string
	first, second uint64    // resolution-9 cells in unit: first data set, second data set
	spare         [2]uint64 // more cells in unit, for plan edits
}

// newTwoFixture picks a West Midlands NPU and cells inside it.
func newTwoFixture(t *testing.T) *twoFixture {
	npus, err := units.Default()
	if err != nil {
		t.Fatal(err)
	}
	u := npus.Units()[0]
	b := u.Geometry.Bound()
	for i := 1; i < 20; i++ {
		for j := 1; j < 20; j++ {
			lon := b.Min[0] + (b.Max[0]-b.Min[0])*float64(i)/20
			lat := b.Min[1] + (b.Max[1]-b.Min[1])*float64(j)/20
			c, err := geo.CellAt(lon, lat, hotgrid.DefaultResolution)
			if err != nil || !cellIn(npus, c, u.Code) {
				continue
			}
			var in []uint64
			for _, n := range geo.Ring(c, 3) {
				if cellIn(npus, n, u.Code) {
					in = append(in, n)
				}
			}
			if len(in) >= 3 {
				return &twoFixture{dir: t.TempDir(), unit: u.Code, first: c, second: in[0], spare: [2]uint64{in[1], in[2]}}
			}
		}
	}
	t.Fatalf("no cells found inside unit %s", u.Code)
	return nil
}

// cellIn reports whether a cell's centre and corners lie in unit.
func cellIn(npus *units.Set, c uint64, unit string) bool {
	pts := append(geo.Boundary(c)[0], geo.Center(c))
	for _, p := range pts {
		if npus.Locate(p[0], p[1]) != unit {
			return false
		}
	}
	return true
}

// ingest writes n robberies at the centre of cell as a police.uk file and
// runs `hotgrid ingest --db dsn` on it.
func (fx *twoFixture) ingest(t *testing.T, dsn, name string, cell uint64, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString(ingest.PoliceUKHeader + "\n")
	p := geo.Center(cell)
	for i := range n {
		fmt.Fprintf(&b, "%s-%d,2025-01,West Midlands Police,West Midlands Police,%.6f,%.6f,On or near Test Street,E01009999,Test 001A,Robbery,Under investigation,\n",
			strings.TrimSuffix(name, ".csv"), i, p[0], p[1])
	}
	path := filepath.Join(fx.dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, dsn, "", "ingest", "--db", dsn, path); err != nil {
		t.Fatalf("ingest %s: %v\n%s", name, err, out)
	}
}

// planBody is a draft plan of one area (cell) with a dose.
func (fx *twoFixture) planBody(note string, cell uint64) map[string]any {
	return map[string]any{"unit": fx.unit, "from": "2025-02-01", "to": "2025-03-01", "note": note,
		"areas": []hotgrid.PlanArea{twoArea("A1", 1, cell)}}
}

// edit is p with one more area and a line added to its note, at p's version.
func (fx *twoFixture) edit(p *hotgrid.Plan, area string, cell uint64, note string) map[string]any {
	areas := append(slices.Clone(p.Areas), twoArea(area, len(p.Areas)+1, cell))
	return map[string]any{"from": p.From.Format(time.DateOnly), "to": p.To.Format(time.DateOnly),
		"note": p.Note + "\n" + note, "areas": areas, "version": p.Version}
}

func twoArea(id string, rank int, cell uint64) hotgrid.PlanArea {
	return hotgrid.PlanArea{ID: id, Rank: rank, Cells: []string{geo.String(cell)},
		Doses: []hotgrid.Dose{{Band: hotgrid.AnyTimeBand, VisitMinutes: 15, Visits: 2}}}
}

// twoServe is one running `hotgrid serve`.
type twoServe struct {
	name string
	base string
	done chan error
	log  *syncBuffer
}

// startServe runs `hotgrid serve --db dsn --addr 127.0.0.1:PORT` until ctx ends.
func startServe(ctx context.Context, t *testing.T, name, dsn string) *twoServe {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &twoServe{name: name, base: "http://" + addr, done: make(chan error, 1), log: &syncBuffer{}}
	env := &Env{Stdout: io.Discard, Stderr: s.log, Getenv: func(string) string { return "" }, Version: "test"}
	go func() { s.done <- run(ctx, env, []string{"serve", "--db", dsn, "--addr", addr, "--log-level", "warn"}) }()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server %s log:\n%s", name, s.log.String())
		}
	})
	return s
}

// waitReady polls /healthz until the server answers.
func (s *twoServe) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			t.Fatalf("server %s stopped while starting: %v\n%s", s.name, err, s.log.String())
		default:
		}
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("server %s not ready after 2 minutes\n%s", s.name, s.log.String())
}

// wait waits for the server to stop after its context ended.
func (s *twoServe) wait(t *testing.T) {
	t.Helper()
	if err := <-s.done; err != nil {
		t.Errorf("server %s: %v", s.name, err)
	}
}

// signIn posts the login form as the page does and reads the CSRF token
// from /api/v1/session.
func (s *twoServe) signIn(t *testing.T, user string) *twoClient {
	t.Helper()
	form := url.Values{"name": {user}, "password": {twoPassword}, "next": {"/"}}
	resp, err := noRedirect().Post(s.base+"/login", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie string
	for _, c := range resp.Cookies() {
		if c.Name == server.SessionCookie {
			cookie = c.Value
		}
	}
	if resp.StatusCode != http.StatusSeeOther || cookie == "" {
		t.Fatalf("sign in %s on %s: %d, cookie %q", user, s.name, resp.StatusCode, cookie)
	}
	c := s.client(user+" on "+s.name, cookie)
	var sess struct{ User, CSRF string }
	c.getJSON(t, "/api/v1/session", &sess)
	if sess.User != user || sess.CSRF == "" {
		t.Fatalf("session of %s on %s: %+v", user, s.name, sess)
	}
	c.csrf = sess.CSRF
	return c
}

func (s *twoServe) client(name, cookie string) *twoClient {
	return &twoClient{name: name, base: s.base, cookie: cookie}
}

// noRedirect is a client that shows redirects to the test instead of
// following them.
func noRedirect() *http.Client {
	return &http.Client{Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// twoClient is one signed-in browser on one server.
type twoClient struct {
	name, base   string
	cookie, csrf string
}

// do sends a request with the session cookie and CSRF token; body, when
// not nil, is sent as JSON.
func (c *twoClient) do(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: c.cookie})
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" && method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := noRedirect().Do(req)
	if err != nil {
		t.Fatalf("%s %s %s: %v", c.name, method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s %s: %v", c.name, method, path, err)
	}
	return resp.StatusCode, out
}

// send is do that wants status want and decodes a plan.
func (c *twoClient) send(t *testing.T, method, path string, body any, want int) *hotgrid.Plan {
	t.Helper()
	st, out := c.do(t, method, path, body)
	if st != want {
		t.Fatalf("%s %s %s: %d %s, want %d", c.name, method, path, st, out, want)
	}
	var p hotgrid.Plan
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("%s %s %s: %v: %s", c.name, method, path, err, out)
	}
	return &p
}

func (c *twoClient) getJSON(t *testing.T, path string, v any) {
	t.Helper()
	st, out := c.do(t, http.MethodGet, path, nil)
	if st != http.StatusOK {
		t.Fatalf("%s GET %s: %d %s", c.name, path, st, out)
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("%s GET %s: %v: %s", c.name, path, err, out)
	}
}

func (c *twoClient) createPlan(t *testing.T, body map[string]any) *hotgrid.Plan {
	t.Helper()
	return c.send(t, http.MethodPost, "/api/v1/plans", body, http.StatusCreated)
}

func (c *twoClient) plan(t *testing.T, id int64) *hotgrid.Plan {
	t.Helper()
	return c.send(t, http.MethodGet, fmt.Sprintf("/api/v1/plans/%d", id), nil, http.StatusOK)
}

// topCell returns the unit's first-ranked cell from /api/v1/hotgrids, ""
// when it has none.
func (c *twoClient) topCell(t *testing.T, unit string) string {
	t.Helper()
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	c.getJSON(t, "/api/v1/hotgrids?top=5&unit="+url.QueryEscape(unit), &fc)
	for _, f := range fc.Features {
		if h3, ok := f.Properties["h3"].(string); ok && f.Properties["rank"] == 1.0 {
			return h3
		}
	}
	return ""
}

// waitTop polls the ranking until its top cell is want, for at most reloadWait.
func (c *twoClient) waitTop(t *testing.T, unit, want string) {
	t.Helper()
	start := time.Now()
	var got string
	for time.Since(start) < reloadWait {
		if got = c.topCell(t, unit); got == want {
			t.Logf("%s: ranking changed %v after ingest", c.name, time.Since(start).Round(10*time.Millisecond))
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s: top cell of %s still %q %v after ingest, want %s", c.name, unit, got, reloadWait, want)
}

// syncBuffer is a bytes.Buffer safe for concurrent writers (server logs).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
