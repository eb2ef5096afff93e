package server

import (
	"sync"
	"time"
)

// cache keeps up to max computed values for ttl. Concurrent callers asking
// for the same key while it is being computed wait for that one computation
// (so a burst of identical map requests scores once). Errors are not kept.
type cache[V any] struct {
	mu      sync.Mutex
	max     int
	ttl     time.Duration
	now     func() time.Time
	entries map[string]*entry[V]
}

type entry[V any] struct {
	ready   chan struct{}
	val     V
	err     error
	expires time.Time
	used    time.Time
}

func newCache[V any](max int, ttl time.Duration, now func() time.Time) *cache[V] {
	return &cache[V]{max: max, ttl: ttl, now: now, entries: map[string]*entry[V]{}}
}

// get returns the value for key, calling fill when it is missing or stale.
func (c *cache[V]) get(key string, fill func() (V, error)) (V, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok {
		select {
		case <-e.ready:
			if now.After(e.expires) {
				ok = false // stale: compute afresh below
			}
		default: // in flight
		}
	}
	if ok {
		e.used = now
		c.mu.Unlock()
		<-e.ready
		return e.val, e.err
	}
	e = &entry[V]{ready: make(chan struct{}), used: now}
	c.evict()
	c.entries[key] = e
	c.mu.Unlock()

	e.val, e.err = fill()
	e.expires = c.now().Add(c.ttl)
	close(e.ready)
	if e.err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	return e.val, e.err
}

// evict drops the least recently used finished entries until there is room
// for one more. It must be called with mu held.
func (c *cache[V]) evict() {
	for len(c.entries) >= c.max {
		var oldest string
		var t time.Time
		for k, e := range c.entries {
			select {
			case <-e.ready:
			default:
				continue
			}
			if oldest == "" || e.used.Before(t) {
				oldest, t = k, e.used
			}
		}
		if oldest == "" {
			return // everything is in flight
		}
		delete(c.entries, oldest)
	}
}

// len returns how many entries the cache holds.
func (c *cache[V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
