package severity

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/data"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

func TestLoadErrors(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"header", "code,cat,name,weight\n", "line 1: header"},
		{"category", "code,category,name,weight\n1,Nonsense,x,3\n", "line 2: field category"},
		{"weight", "code,category,name,weight\n1,Robbery,x,abc\n", "line 2: field weight"},
		{"negative", "code,category,name,weight\n,Robbery,x,-1\n", "line 2: field weight"},
		{"fields", "code,category,name,weight\n1,Robbery,x\n", "wrong number of fields"},
		{"dup code", "code,category,name,weight\n1,Robbery,x,1\n1,Robbery,y,2\n", `offence code "1" repeats`},
		{"dup category", "code,category,name,weight\n,Robbery,x,1\n,robbery,y,2\n", "two representative rows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(c.in), "w.csv")
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "w.csv") {
				t.Fatalf("err = %v, want w.csv and %q", err, c.want)
			}
		})
	}
}

func TestWeights(t *testing.T) {
	in := "\ufeffcode,category,name,weight\r\n34b,Robbery,robbery personal,746\r\n28E,Burglary,b,438\r\n30C,Burglary,b,117\r\n29,burglary,b,2127\r\n"
	tb, err := Load(strings.NewReader(in), "force.csv")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		code, cat string
		want      float64
		known     bool
	}{
		{"34B", "Robbery", 746, true},
		{"34b", "robbery", 746, true},
		{"", "Burglary", 438, false}, // median of 117, 438, 2127
		{"", "burglary", 438, false}, // slug
		{"99X", "Burglary", 438, false},
		{"", "Anti-social behaviour", 0, false},
		{"", "Shoplifting", 0, false}, // no codes, no row
		{"", "nonsense", 0, false},
	}
	for _, c := range cases {
		w, known := tb.Weight(c.code, c.cat)
		if w != c.want || known != c.known {
			t.Errorf("Weight(%q,%q) = %g,%v want %g,%v", c.code, c.cat, w, known, c.want, c.known)
		}
	}
	if u := tb.Unknown(); len(u) != 1 || u["99X"] != 1 {
		t.Errorf("Unknown = %v", u)
	}
	if c, ok := tb.CategoryOf("28e"); !ok || c != "Burglary" {
		t.Errorf("CategoryOf(28e) = %q %v", c, ok)
	}
	if !strings.HasPrefix(tb.Version(), "file:force.csv:") {
		t.Errorf("version %q", tb.Version())
	}
}

func TestDefault(t *testing.T) {
	tb, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var _ hotgrid.Weights = tb
	if tb.Version() != DefaultVersion {
		t.Fatalf("version %q", tb.Version())
	}
	cases := []struct {
		code, cat string
		want      float64
	}{
		{"28E", "", 438}, {"29", "", 2127}, {"30C", "", 117}, {"31", "", 1513},
		{"34A", "", 746}, {"34B", "", 746}, {"1", "", 7978.79308113648}, {"2", "", 4662.78644445245},
		{"92D", "", 3}, {"43", "", 7}, {"46", "", 13},
		{"", "Anti-social behaviour", 0}, {"", "Burglary", 438}, {"", "Vehicle crime", 26.5},
		{"", "Criminal damage and arson", 19}, {"", "Drugs", 9}, {"", "Public order", 365},
		{"", "violent-crime", 709.253820030277},
	}
	for _, c := range cases {
		if w, _ := tb.Weight(c.code, c.cat); w != c.want {
			t.Errorf("Weight(%q,%q) = %g, want %g", c.code, c.cat, w, c.want)
		}
	}
	for _, d := range DemoCodes() {
		if c, ok := tb.CategoryOf(d.Code); !ok || c != d.Category {
			t.Errorf("demo code %s: category %q %v, want %q", d.Code, c, ok, d.Category)
		}
	}
	for _, c := range hotgrid.Categories {
		if _, ok := tb.cats[c.Name]; !ok {
			t.Errorf("category %q has no representative weight", c.Name)
		}
	}
}

// TestDefaultMatchesDerived re-derives weights.csv from the shared facts
// and checks it equals the committed file.
func TestDefaultMatchesDerived(t *testing.T) {
	path := filepath.Join(sharedDir(t), "data", "severity", "ons-css-weights-by-police-uk-category.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, notes, err := Derive(f, path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), data.Weights()) {
		t.Fatal("data/severity/weights.csv differs from the derived table; rerun go run ./internal/severity/gen")
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "Violence and sexual offences lists 83 weights") {
		t.Errorf("notes %v", notes)
	}
}

func TestMedian(t *testing.T) {
	cases := []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{5}, 5}, {[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}}
	for _, c := range cases {
		if got := Median(c.in); got != c.want {
			t.Errorf("Median(%v) = %g, want %g", c.in, got, c.want)
		}
	}
}
