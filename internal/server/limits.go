package server

import (
	"fmt"
	"math"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// The server's limits against hostile or runaway clients:
//
//   - request bodies over Options.BodyLimit: 413 (fiber);
//   - requests whose headers and body take longer than Options.ReadTimeout
//     to arrive (slow clients): the connection is closed;
//   - more than Config.MaxCells cells in one answer: 413 naming the limit
//     and how to narrow the query (the hot grid routes are bounded already
//     by top <= 500 per unit; an export of every cell is not);
//   - more than tiles.MaxFeatures cells in one tile: the best-ranked are
//     kept and the X-Hotgrid-Features-Dropped header says how many were not;
//   - more than Limits.Rate requests per second (bursts of Limits.Burst)
//     from one client address: 429 with Retry-After.

// DefaultMaxCells is Config.MaxCells when unset.
const DefaultMaxCells = 100000

// HeaderFeaturesDropped names the response header of a tile that left out
// cells to keep to tiles.MaxFeatures.
const HeaderFeaturesDropped = "X-Hotgrid-Features-Dropped"

// Rate limit defaults: a map view fetches a few dozen tiles at once, and
// panning keeps fetching, so the burst is generous and the sustained rate
// is what a person cannot exceed by hand.
const (
	DefaultRate  = 50  // requests per second per client
	DefaultBurst = 200 // requests
)

// maxClients bounds the rate limiter's table; idle clients (whose bucket
// has refilled) are dropped first.
const maxClients = 100000

// Limits configures the per-client request rate limit.
type Limits struct {
	// Rate is the sustained requests per second allowed per client IP
	// address: 0 means DefaultRate, a negative rate turns the limit off.
	Rate float64
	// Burst is how many requests a client may make at once (default
	// DefaultBurst).
	Burst int
	// Loopback applies the limit to loopback clients too. Off by default,
	// so local tools, tests and benchmarks are not limited.
	Loopback bool
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// checkCells refuses an answer of more than max cells.
func checkCells(n, max int) error {
	if max > 0 && n > max {
		return hotgrid.Errorf(hotgrid.ETOOLARGE,
			"the answer has %d cells, more than the limit of %d per response: narrow it (unit=, a coarser res=, from=/to=, category=) or use `hotgrid export` for whole-area files", n, max)
	}
	return nil
}

// limiter is a token bucket per client address.
type limiter struct {
	rate     float64
	burst    float64
	loopback bool
	now      func() time.Time

	mu      sync.Mutex
	clients map[string]*bucket
	sweepAt time.Time
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

// newLimiter returns the rate limiter of l, or nil when it is off.
func newLimiter(l Limits) *limiter {
	if l.Rate < 0 {
		return nil
	}
	if l.Rate == 0 {
		l.Rate = DefaultRate
	}
	if l.Burst <= 0 {
		l.Burst = DefaultBurst
	}
	if l.Now == nil {
		l.Now = time.Now
	}
	return &limiter{rate: l.Rate, burst: float64(l.Burst), loopback: l.Loopback, now: l.Now, clients: map[string]*bucket{}}
}

// allow takes a token for client ip. When none is left it returns false
// and how long until one is.
func (l *limiter) allow(ip string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.clients[ip]
	if !ok {
		if len(l.clients) >= maxClients || now.After(l.sweepAt) {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.clients[ip] = b
	}
	if dt := now.Sub(b.at).Seconds(); dt > 0 {
		b.tokens = math.Min(l.burst, b.tokens+dt*l.rate)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

// sweep drops the clients whose buckets have refilled (they would start
// full anyway), and if the table is still full, every client.
func (l *limiter) sweep(now time.Time) {
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for ip, b := range l.clients {
		if now.Sub(b.at) >= full {
			delete(l.clients, ip)
		}
	}
	if len(l.clients) >= maxClients {
		clear(l.clients)
	}
	l.sweepAt = now.Add(time.Minute)
}

// exempt reports whether ip is a loopback address the limit skips.
func (l *limiter) exempt(ip string) bool {
	if l.loopback {
		return false
	}
	a := net.ParseIP(ip)
	return a != nil && a.IsLoopback()
}

// handler is the fiber middleware answering 429 to clients over the rate.
func (l *limiter) handler(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ip := c.IP()
		if l.exempt(ip) {
			return c.Next()
		}
		ok, wait := l.allow(ip)
		if ok {
			return c.Next()
		}
		secs := int(math.Ceil(wait.Seconds()))
		if secs < 1 {
			secs = 1
		}
		for k, v := range s.api.security {
			c.Set(k, v)
		}
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
		c.Set(fiber.HeaderCacheControl, "no-store")
		s.log.Warn("rate limited", "remote", ip, "path", c.Path())
		return c.Status(fiber.StatusTooManyRequests).JSON(errorBody{Error: fmt.Sprintf(
			"too many requests from %s: the limit is %g per second (bursts of %g); retry after %d s", ip, l.rate, l.burst, secs)})
	}
}
