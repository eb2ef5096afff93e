package evaluate

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func syntheticReport(t *testing.T) *Report {
	t.Helper()
	offs := append(synthetic(1, 400, month("2017-01"), "A-"), synthetic(2, 400, month("2017-02"), "B-")...)
	offs = append(offs, synthetic(5, 400, month("2017-03"), "C-")...)
	cfg := Config{TrainFrom: month("2017-01"), TrainTo: month("2017-02"), TestFrom: month("2017-02"), TestTo: month("2017-03"),
		Rolling: 2, By: "force", Groups: []string{"all", "burglary"}, Weights: realWeights(t), Budgets: []float64{0.01, 0.05}}
	rep, err := Run(context.Background(), cfg, sliceScan(offs))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testenv.Golden(t, filepath.Join("testdata", name), got, *update)
}

func TestWriteTableGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, syntheticReport(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "synthetic.table.txt", b.Bytes())
}

func TestWriteJSON(t *testing.T) {
	rep := syntheticReport(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	golden(t, "synthetic.json", b.Bytes())
	var doc struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	// 2 origins x 2 groups x 9 methods x 2 budgets, one force.
	if want := 2 * 2 * len(Methods(Params{})) * 2; len(doc.Results) != want {
		t.Fatalf("%d results, want %d", len(doc.Results), want)
	}
	defaults := 0
	for _, r := range doc.Results {
		for _, k := range []string{"method", "budget", "unit", "crime_group", "hit_rate", "pai", "pei_star", "harm_hit_rate", "harm_pai", "harm_pei_star", "default"} {
			if _, ok := r[k]; !ok {
				t.Fatalf("result lacks %q: %v", k, r)
			}
		}
		if r["default"] == true {
			defaults++
			if r["method"] != DefaultMethod {
				t.Errorf("default on %v", r["method"])
			}
		}
		if r["unit"] != "West Midlands Police" {
			t.Errorf("unit %v, want the force when data have no units", r["unit"])
		}
	}
	if defaults != 2*2*2 {
		t.Errorf("%d default results", defaults)
	}
}

func TestWriteHTMLSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, syntheticReport(t)); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, bad := range []*regexp.Regexp{regexp.MustCompile(`(?i)<script`), regexp.MustCompile(`(?i)<link`), regexp.MustCompile(`(?i)(src|href)="(https?:)?//`), regexp.MustCompile(`(?i)@import`)} {
		if bad.MatchString(html) {
			t.Errorf("report is not self-contained: matches %s", bad)
		}
	}
	for _, want := range []string{"<svg", "would have caught", "Median PAI across forces", "hotgrid (default)", "West Midlands Police: PAI"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	golden(t, "synthetic.html", b.Bytes())
}

func TestRunRejectsBadConfig(t *testing.T) {
	good := Config{TrainFrom: month("2017-01"), TrainTo: month("2017-02"), TestFrom: month("2017-02"), TestTo: month("2017-03")}
	tests := []struct {
		name  string
		edit  func(*Config)
		field string
	}{
		{"unknown group", func(c *Config) { c.Groups = []string{"knives"} }, "group"},
		{"budget over 1", func(c *Config) { c.Budgets = []float64{1.5} }, "budgets"},
		{"test before training ends", func(c *Config) { c.TestFrom = month("2017-01") }, "test-from"},
		{"empty training", func(c *Config) { c.TrainTo = c.TrainFrom }, "train"},
		{"bad by", func(c *Config) { c.By = "ward" }, "by"},
		{"bad resolution", func(c *Config) { c.Res = 3 }, "res"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.edit(&c)
			_, err := Run(context.Background(), c, sliceScan(nil))
			var e *hotgrid.Error
			if err == nil || !asError(err, &e) || e.Field != tt.field {
				t.Fatalf("got %v, want a %q field error", err, tt.field)
			}
		})
	}
}
