// Package severity weights offences by the ONS Crime Severity Score (CSS):
// a Table maps Home Office offence codes, and police.uk crime categories,
// to weights. The default table (data/severity/weights.csv) is derived from
// the CSS facts in ../shared/data/severity by Derive; a force loads the
// official per-code table with Load (hotgrid --weights FILE).
package severity

import (
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/hotgrid/hotgrid/data"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// DefaultVersion names the embedded default weights, for provenance.
const DefaultVersion = "ons-css-category-median-2016"

// header returns the CSV header of a weights file.
func header() []string { return []string{"code", "category", "name", "weight"} }

// Row is one line of a weights file. An empty Code makes the row its
// category's representative weight, used for offences without a known code.
type Row struct {
	Code, Category, Name string
	Weight               float64
}

type codeEntry struct {
	category string
	weight   float64
}

// Table is a weights table. It implements hotgrid.Weights and is safe for
// concurrent use.
type Table struct {
	version string
	codes   map[string]codeEntry
	cats    map[string]float64 // keyed by category name and slug

	mu      sync.Mutex
	unknown map[string]int
}

// Load reads a weights CSV with the header code,category,name,weight. name
// labels errors and, with a hash of the content, the table's version.
// Categories without a representative row (empty code) get the median of
// their codes' weights; anti-social behaviour, not a crime, defaults to 0.
func Load(r io.Reader, name string) (*Table, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read weights %s: %w", name, err)
	}
	rows, err := parseRows(b, name)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	return newTable(rows, fmt.Sprintf("file:%s:%x", filepath.Base(name), sum[:6]))
}

// Default returns the embedded default table (version DefaultVersion).
func Default() (*Table, error) {
	rows, err := parseRows(data.Weights(), "data/severity/weights.csv")
	if err != nil {
		return nil, err
	}
	return newTable(rows, DefaultVersion)
}

func parseRows(b []byte, name string) ([]Row, error) {
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff")))
	cr.FieldsPerRecord = len(header())
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("weights %s: line 1: %w", name, err)
	}
	if want := strings.Join(header(), ","); strings.Join(head, ",") != want {
		return nil, fmt.Errorf("weights %s: line 1: header %q, want %q", name, strings.Join(head, ","), want)
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("weights %s: %w", name, err)
		}
		row, err := parseRow(rec)
		if err != nil {
			return nil, fmt.Errorf("weights %s: line %d: %w", name, line, err)
		}
		rows = append(rows, row)
	}
}

func parseRow(rec []string) (Row, error) {
	c, err := hotgrid.LookupCategory(rec[1])
	if err != nil {
		return Row{}, fmt.Errorf("field category: %w", err)
	}
	w, err := strconv.ParseFloat(strings.TrimSpace(rec[3]), 64)
	if err != nil || math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
		return Row{}, fmt.Errorf("field weight: %q is not a non-negative number", rec[3])
	}
	return Row{Code: normCode(rec[0]), Category: c.Name, Name: strings.TrimSpace(rec[2]), Weight: w}, nil
}

// normCode trims and upper-cases an offence code ("105a" -> "105A").
func normCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

func newTable(rows []Row, version string) (*Table, error) {
	t := &Table{version: version, codes: map[string]codeEntry{}, cats: map[string]float64{}, unknown: map[string]int{}}
	perCat := map[string][]float64{}
	for _, r := range rows {
		if r.Code == "" {
			if _, dup := t.cats[r.Category]; dup {
				return nil, fmt.Errorf("weights %s: category %q has two representative rows", version, r.Category)
			}
			t.setCategory(r.Category, r.Weight)
			continue
		}
		if _, dup := t.codes[r.Code]; dup {
			return nil, fmt.Errorf("weights %s: offence code %q repeats", version, r.Code)
		}
		t.codes[r.Code] = codeEntry{r.Category, r.Weight}
		perCat[r.Category] = append(perCat[r.Category], r.Weight)
	}
	for _, c := range hotgrid.Categories {
		if _, ok := t.cats[c.Name]; ok {
			continue
		}
		if ws := perCat[c.Name]; len(ws) > 0 {
			t.setCategory(c.Name, Median(ws))
		} else if hotgrid.IsASB(c.Name) {
			t.setCategory(c.Name, 0)
		}
	}
	return t, nil
}

func (t *Table) setCategory(name string, w float64) {
	t.cats[name] = w
	if c, err := hotgrid.LookupCategory(name); err == nil {
		t.cats[c.Slug] = w
	}
}

// Weight returns the weight of an offence code; an empty or unknown code
// falls back to the category's representative weight with known false.
// Unknown non-empty codes are counted (see Unknown). Category may be a
// police.uk name or API slug; an unknown category weighs 0.
func (t *Table) Weight(code, category string) (float64, bool) {
	if code != "" {
		if e, ok := t.codes[code]; ok {
			return e.weight, true
		}
		if e, ok := t.codes[normCode(code)]; ok {
			return e.weight, true
		}
		t.mu.Lock()
		t.unknown[code]++
		t.mu.Unlock()
	}
	return t.CategoryWeight(category), false
}

// CategoryWeight returns a category's representative weight (0 when the
// category is unknown or has none).
func (t *Table) CategoryWeight(category string) float64 {
	if w, ok := t.cats[category]; ok {
		return w
	}
	if c, err := hotgrid.LookupCategory(category); err == nil {
		return t.cats[c.Name]
	}
	return 0
}

// CategoryOf returns the police.uk category of a Home Office offence code.
func (t *Table) CategoryOf(code string) (string, bool) {
	e, ok := t.codes[normCode(code)]
	return e.category, ok
}

// Version names the table: DefaultVersion, or "file:NAME:HASH" for a
// loaded file.
func (t *Table) Version() string { return t.version }

// Unknown returns a copy of the counts of offence codes asked for but not
// in the table.
func (t *Table) Unknown() map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string]int, len(t.unknown))
	for k, v := range t.unknown {
		out[k] = v
	}
	return out
}

// Codes returns the table's offence codes, sorted.
func (t *Table) Codes() []string {
	out := make([]string, 0, len(t.codes))
	for c := range t.codes {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Median returns the median of ws (the mean of the middle two for an even
// count); 0 for none.
func Median(ws []float64) float64 {
	if len(ws) == 0 {
		return 0
	}
	s := append([]float64(nil), ws...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
