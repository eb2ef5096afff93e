package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/units"
)

// evalJSON is the part of evaluate's JSON output the tests read.
type evalJSON struct {
	Config struct {
		Weights string `json:"weights"`
	} `json:"config"`
	Results []struct {
		Method     string   `json:"method"`
		Default    bool     `json:"default"`
		Budget     float64  `json:"budget"`
		Unit       string   `json:"unit"`
		CrimeGroup string   `json:"crime_group"`
		HitRate    *float64 `json:"hit_rate"`
		PAI        *float64 `json:"pai"`
		N          float64  `json:"offences"`
	} `json:"results"`
}

func runEvaluateJSON(t *testing.T, getenv func(string) string, args ...string) (evalJSON, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Getenv: getenv}
	if err := runEvaluate(context.Background(), env, append(args, "--format", "json")); err != nil {
		t.Fatalf("evaluate %v: %v (stderr %s)", args, err, errb.String())
	}
	var v evalJSON
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Fatalf("evaluate output is not JSON: %v", err)
	}
	return v, errb.String()
}

// TestEvaluateDemo runs hotgrid evaluate with no store: it must evaluate
// the embedded demo data per West Midlands NPU with the ONS CSS weights.
func TestEvaluateDemo(t *testing.T) {
	v, stderr := runEvaluateJSON(t, func(string) string { return "" },
		"--train-from", "2017-09", "--train-to", "2017-10", "--test-from", "2017-11", "--by", "unit", "--budgets", "0.01")
	if !strings.Contains(stderr, "embedded demo data") {
		t.Errorf("stderr does not say the demo data is used: %q", stderr)
	}
	if !strings.HasPrefix(v.Config.Weights, "ons-css") {
		t.Errorf("weights %q, want the embedded ONS CSS table", v.Config.Weights)
	}
	npus, err := units.Default()
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, u := range npus.Units() {
		codes[u.Code] = true
	}
	seen, defaults := map[string]bool{}, 0
	for _, r := range v.Results {
		if !codes[r.Unit] {
			t.Fatalf("result for %q, not an NPU", r.Unit)
		}
		seen[r.Unit] = true
		if r.Default {
			defaults++
			if r.Method != "hotgrid" {
				t.Errorf("default flag on %s", r.Method)
			}
		}
		if r.N <= 0 || r.HitRate == nil || *r.HitRate < 0 || *r.HitRate > 1 {
			t.Fatalf("%s %s: offences %g, hit rate %v", r.Unit, r.Method, r.N, r.HitRate)
		}
	}
	if len(seen) != len(codes) || defaults != len(codes) {
		t.Errorf("%d units with results, %d default results; want %d of each", len(seen), defaults, len(codes))
	}
}

// TestEvaluateSQLite ingests the Birmingham city-centre extract into a
// SQLite store with hotgrid ingest and backtests it from there.
func TestEvaluateSQLite(t *testing.T) {
	csv := filepath.Join(evaluateSharedDir(t), "data/police-uk/west-midlands-api-birmingham-centre/crimeclean_2017-01_to_2017-08.csv")
	db := filepath.Join(t.TempDir(), "bham.db")
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	if err := runIngest(context.Background(), env, []string{"--db", db, "--format", "mapped", "--mapping", "../../data/mappings/police-uk-api.json", csv}); err != nil {
		t.Fatalf("ingest: %v (%s)", err, errb.String())
	}
	v, _ := runEvaluateJSON(t, func(k string) string {
		if k == "HOTGRID_DB" {
			return db
		}
		return ""
	}, "--train-from", "2017-01", "--train-to", "2017-05", "--rolling", "3", "--study", "footprint", "--res", "10", "--group", "all,robbery", "--budgets", "0.01,0.05")
	if want := 3 * 2 * 9 * 2; len(v.Results) != want {
		t.Fatalf("%d results, want %d (3 origins x 2 groups x 9 methods x 2 budgets)", len(v.Results), want)
	}
	for _, r := range v.Results {
		if r.N == 0 || r.PAI == nil {
			t.Fatalf("%+v: no test offences or no PAI", r)
		}
	}
	var bad bytes.Buffer
	env = &Env{Stdout: &bad, Stderr: &bad, Getenv: func(string) string { return "" }}
	if err := runEvaluate(context.Background(), env, []string{"--db", filepath.Join(t.TempDir(), "missing.db"), "--train-from", "2017-01"}); err == nil || !strings.Contains(err.Error(), "missing.db") {
		t.Errorf("missing store: err = %v, want one naming the file", err)
	}
}

// evaluateSharedDir returns <repo root>/../shared, skipping (failing when
// CI=true) when it is absent.
func evaluateSharedDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data missing at %s: %v", dir, err)
		}
		t.Skipf("shared data missing at %s: %v", dir, err)
	}
	return dir
}
