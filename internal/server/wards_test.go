package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/data"
	"github.com/hotgrid/hotgrid/internal/server"
)

// TestWards serves the embedded ward outlines as a FeatureCollection with
// code, name and district; a server without wards serves an empty one, and
// a bad wards file is refused at start.
func TestWards(t *testing.T) {
	a, err := server.New(server.Config{Service: newFake(), Open: true, Location: time.UTC, Wards: data.Wards()})
	if err != nil {
		t.Fatal(err)
	}
	r := a.Get(context.Background(), "/api/v1/wards", nil)
	if r.Status != 200 || r.Header["Content-Type"] != "application/geo+json" || r.Header["ETag"] == "" {
		t.Fatalf("wards: %d %v", r.Status, r.Header)
	}
	c := decodeFC(t, r.Body)
	if len(c.Features) != 163 {
		t.Fatalf("%d wards, want 163", len(c.Features))
	}
	districts := map[string]int{}
	for _, f := range c.Features {
		for _, k := range []string{"code", "name", "district"} {
			if s, _ := f.Properties[k].(string); s == "" {
				t.Fatalf("ward without %s: %v", k, f.Properties)
			}
		}
		districts[f.Properties["district"].(string)]++
	}
	if len(districts) != 7 || districts["Coventry"] != 18 {
		t.Errorf("wards by district %v", districts)
	}
	if r := a.Get(context.Background(), "/api/v1/wards", map[string][]string{"unit": {"BE"}}); r.Status != 400 {
		t.Errorf("unknown parameter: %d", r.Status)
	}

	b, _ := newAPI(t)
	if c := decodeFC(t, b.Get(context.Background(), "/api/v1/wards", nil).Body); len(c.Features) != 0 {
		t.Errorf("no wards configured: %d features", len(c.Features))
	}
	if _, err := server.New(server.Config{Service: newFake(), Open: true, Wards: []byte(`{"type":"Feature"`)}); err == nil {
		t.Error("bad wards accepted")
	}
}
