package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/server"
	"github.com/hotgrid/hotgrid/internal/server/browsertest"
	"github.com/hotgrid/hotgrid/internal/tiles"
	"github.com/paulmach/orb/maptile"
)

// errorOf decodes a JSON error body.
func errorOf(t *testing.T, r io.Reader) string {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	if err := json.NewDecoder(r).Decode(&e); err != nil || e.Error == "" {
		t.Fatalf("body is not a JSON error: %v", err)
	}
	return e.Error
}

// TestBodyLimit: a body over Options.BodyLimit gets 413 with a JSON error.
func TestBodyLimit(t *testing.T) {
	a, _ := newAPI(t)
	base := browsertest.Listen(t, server.NewServer(a, server.Options{BodyLimit: 1024}))
	resp, err := http.Post(base+"/login", "application/x-www-form-urlencoded", strings.NewReader(strings.Repeat("a", 4096)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", resp.StatusCode)
	}
	if msg := errorOf(t, resp.Body); !strings.Contains(strings.ToLower(msg), "large") {
		t.Fatalf("error %q does not say the body is too large", msg)
	}
	// a body under the limit is read (and then refused for what it says)
	small, err := http.Post(base+"/login", "application/x-www-form-urlencoded", strings.NewReader("name=x&password=y"))
	if err != nil {
		t.Fatal(err)
	}
	small.Body.Close()
	if small.StatusCode == http.StatusRequestEntityTooLarge {
		t.Fatal("a small body got 413")
	}
}

// TestMaxCells: an answer of more cells than Config.MaxCells is refused
// with 413 naming the limit; under it the answer is given.
func TestMaxCells(t *testing.T) {
	a, err := server.New(server.Config{Service: newFake(), Open: true, Location: time.UTC, MaxCells: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v1/export?layer=cells", "/api/v1/hotgrids?top=3", "/api/v1/export?top=3"} {
		r := a.Get(context.Background(), strings.Split(path, "?")[0], query(t, path))
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(string(r.Body), "limit of 5 per response") {
			t.Fatalf("GET %s = %d %s, want 413 naming the limit", path, r.Status, r.Body)
		}
	}
	if r := a.Get(context.Background(), "/api/v1/hotgrids", query(t, "?top=2&unit=BE")); r.Status != http.StatusOK {
		t.Fatalf("2 cells: %d %s", r.Status, r.Body)
	}
}

func query(t *testing.T, path string) url.Values {
	t.Helper()
	_, raw, _ := strings.Cut(path, "?")
	q, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// denseService is the fake with 11k resolution-11 cells in one z12 tile.
type denseService struct {
	*fakeService
	cells []hotgrid.CellScore
}

func (d *denseService) Cells(context.Context, hotgrid.Query) ([]hotgrid.CellScore, error) {
	return d.cells, nil
}

// TestTileFeatureLimit: a tile over tiles.MaxFeatures keeps the limit and
// says how many cells it left out.
func TestTileFeatureLimit(t *testing.T) {
	bt := maptile.At(fakeCentres["BE"], 12)
	mid := bt.Center()
	c, err := geo.CellAt(mid[0], mid[1], 11)
	if err != nil {
		t.Fatal(err)
	}
	d := &denseService{fakeService: newFake()}
	for i, id := range geo.Disk(c, 60) {
		d.cells = append(d.cells, hotgrid.CellScore{Cell: id, H3: geo.String(id), Unit: "BE", Rank: i + 1, Count: 1})
	}
	a, err := server.New(server.Config{Service: d, Open: true, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	r := a.Get(context.Background(), "/tiles/12/"+strconv.Itoa(int(bt.X))+"/"+strconv.Itoa(int(bt.Y))+".mvt", query(t, "?res=11"))
	if r.Status != http.StatusOK {
		t.Fatalf("tile: %d %s", r.Status, r.Body)
	}
	n, err := strconv.Atoi(r.Header[server.HeaderFeaturesDropped])
	if err != nil || n <= 0 || n > len(d.cells)-tiles.MaxFeatures {
		t.Fatalf("%s = %q, want 1..%d", server.HeaderFeaturesDropped, r.Header[server.HeaderFeaturesDropped], len(d.cells)-tiles.MaxFeatures)
	}
	// a tile under the limit carries no such header
	small := a.Get(context.Background(), "/tiles/15/"+strconv.Itoa(int(bt.X)*8+4)+"/"+strconv.Itoa(int(bt.Y)*8+4)+".mvt", query(t, "?res=11"))
	if small.Status != http.StatusOK || small.Header[server.HeaderFeaturesDropped] != "" {
		t.Fatalf("z15 tile: %d, dropped header %q", small.Status, small.Header[server.HeaderFeaturesDropped])
	}
}

// clock is a settable clock for the rate limiter.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestRateLimit: a client over its burst gets 429 with Retry-After and a
// JSON error; the bucket refills at the rate; loopback clients are exempt
// unless Limits.Loopback is set; a negative rate turns the limit off.
func TestRateLimit(t *testing.T) {
	a, _ := newAPI(t)
	clk := &clock{t: time.Unix(1e9, 0)}
	get := func(base string) *http.Response {
		t.Helper()
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	limited := browsertest.Listen(t, server.NewServer(a, server.Options{Limits: server.Limits{Rate: 2, Burst: 3, Loopback: true, Now: clk.now}}))
	for i := 0; i < 3; i++ {
		if r := get(limited); r.StatusCode != http.StatusOK {
			t.Fatalf("request %d of the burst: %d", i+1, r.StatusCode)
		}
	}
	r := get(limited)
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("request over the burst: %d, want 429", r.StatusCode)
	}
	if ra := r.Header.Get("Retry-After"); ra != "1" {
		t.Fatalf("Retry-After %q, want 1 (a token every 0.5 s)", ra)
	}
	if msg := errorOf(t, r.Body); !strings.Contains(msg, "too many requests") || !strings.Contains(msg, "127.0.0.1") {
		t.Fatalf("error %q", msg)
	}
	clk.add(500 * time.Millisecond) // one token back
	if r := get(limited); r.StatusCode != http.StatusOK {
		t.Fatalf("after refill: %d", r.StatusCode)
	}
	if r := get(limited); r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("second request after one token: %d", r.StatusCode)
	}

	for name, l := range map[string]server.Limits{
		"loopback exempt": {Rate: 2, Burst: 3, Now: clk.now},
		"off":             {Rate: -1, Loopback: true},
	} {
		base := browsertest.Listen(t, server.NewServer(a, server.Options{Limits: l}))
		for i := 0; i < 10; i++ {
			if r := get(base); r.StatusCode != http.StatusOK {
				t.Fatalf("%s: request %d: %d", name, i+1, r.StatusCode)
			}
		}
	}
}

// TestSlowClient: a client trickling its request header a byte at a time
// is cut off at ReadTimeout instead of holding the connection.
func TestSlowClient(t *testing.T) {
	a, _ := newAPI(t)
	base := browsertest.Listen(t, server.NewServer(a, server.Options{ReadTimeout: 300 * time.Millisecond}))
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	closed := make(chan string, 1)
	go func() {
		line, err := bufio.NewReader(conn).ReadString('\n')
		closed <- strings.TrimSpace(line) + " / " + errString(err)
	}()
	// A header that would take 50 s to send at this pace.
	header := "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("a", 1000) + "\r\n\r\n"
	if _, err := io.WriteString(conn, header[:20]); err != nil {
		t.Fatal(err)
	}
	for i := 20; i < len(header); i++ {
		select {
		case how := <-closed:
			t.Logf("server closed the slow connection after %d of %d header bytes (%s)", i, len(header), how)
			if strings.Contains(how, "200") {
				t.Fatalf("server answered an incomplete request: %s", how)
			}
			return
		case <-time.After(50 * time.Millisecond):
		}
		if _, err := conn.Write([]byte{header[i]}); err != nil {
			t.Logf("write failed after %d of %d header bytes: %v", i, len(header), err)
			return
		}
	}
	t.Fatal("the server kept reading a header trickled over 50 s")
}

func errString(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}
