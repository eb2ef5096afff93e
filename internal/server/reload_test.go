package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/score"
	"github.com/hotgrid/hotgrid/internal/server"
	"github.com/hotgrid/hotgrid/internal/units"
)

// TestDataChanged reloads an engine with new offences, as a server over a
// shared store does when another process ingests: the ranking kept in the
// answer cache must give way to the new one once DataChanged is called.
func TestDataChanged(t *testing.T) {
	set, err := units.Default()
	if err != nil {
		t.Fatal(err)
	}
	u := set.Units()[0]
	c := u.Geometry.Bound().Center()
	var first, second uint64
	for d := 0.0; d < 0.05 && second == 0; d += 0.001 {
		if set.Locate(c[0]+d, c[1]) != u.Code {
			continue
		}
		cell, err := geo.CellAt(c[0]+d, c[1], hotgrid.DefaultResolution)
		if err != nil {
			t.Fatal(err)
		}
		if first == 0 {
			first = cell
		} else if !geo.Neighbours(first, cell) && cell != first {
			second = cell
		}
	}
	if second == 0 {
		t.Fatalf("no two cells found in unit %s", u.Code)
	}
	var mu sync.Mutex
	var offences []hotgrid.Offence
	add := func(cell uint64, n int) {
		mu.Lock()
		defer mu.Unlock()
		p := geo.Center(cell)
		store, _ := geo.CellAt(p[0], p[1], hotgrid.StoreResolution)
		from := time.Date(2025, 1, 10, 20, 0, 0, 0, time.UTC)
		for range n {
			offences = append(offences, hotgrid.Offence{ID: fmt.Sprint(len(offences)), Force: "West Midlands Police",
				From: from, To: from, Category: "Robbery", Lon: p[0], Lat: p[1], Unit: u.Code, Cell: store})
		}
	}
	add(first, 20)
	eng, err := score.NewEngine(score.Config{Units: set.Units(), Weights: categoryWeights{"Robbery": 800}, Version: "test"},
		func(fn func(*hotgrid.Offence) error) error {
			mu.Lock()
			defer mu.Unlock()
			for i := range offences {
				if err := fn(&offences[i]); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	a, err := server.New(server.Config{Service: eng, Open: true, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	top := func() string {
		t.Helper()
		r := a.Get(context.Background(), "/api/v1/hotgrids", url.Values{"unit": {u.Code}, "top": {"3"}})
		var fc struct {
			Features []struct {
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(r.Body, &fc); err != nil || r.Status != 200 {
			t.Fatalf("hotgrids: %d %v %s", r.Status, err, r.Body)
		}
		for _, f := range fc.Features {
			if h, ok := f.Properties["h3"].(string); ok && f.Properties["rank"] == 1.0 {
				return h
			}
		}
		return ""
	}
	if got := top(); got != geo.String(first) {
		t.Fatalf("top cell %s, want %s", got, geo.String(first))
	}
	add(second, 100)
	if err := eng.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	a.DataChanged()
	if got := top(); got != geo.String(second) {
		t.Fatalf("top cell after reload and DataChanged %s, want %s", got, geo.String(second))
	}
}
