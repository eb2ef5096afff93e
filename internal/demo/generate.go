// Package demo generates hotgrid's default data set: a deterministic,
// synthetic West Midlands Police year (2017) calibrated to the per-NPU
// volumes published in the WMP volume-crime paper (227,303 offences; each
// NPU's violence, vehicle, burglary and robbery totals exact), clustered in
// real places and along main roads inside the NPU boundaries, with hour,
// weekday and month profiles per crime type, occurrence windows where the
// time is uncertain, Home Office codes and weapon flags. It is written as a
// force-extract style CSV with British National Grid coordinates (read by
// data/mappings/demo.json).
package demo

import (
	"cmp"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/units"
)

// Header returns the demo CSV header (CONTRACTS.md).
func Header() []string {
	return []string{"crime_ref", "occurred_from", "occurred_to", "ho_code", "category", "weapon",
		"easting", "northing", "street", "outcome"}
}

// DefaultSeed is the seed of the committed demo file.
const DefaultSeed = 2017

// Config says what to generate.
type Config struct {
	Seed    uint64
	Units   *units.Set // NPU boundaries; every offence lies in the NPU it was generated for
	Volumes []Volume   // per-NPU totals; Volumes2017() by default
	Scale   float64    // fraction of the volumes to generate (0 = 1), for quick tests
}

// record is one generated offence.
type record struct {
	from, to int // minutes after 2017-01-01 00:00 local time
	code     string
	category string
	weapon   hotgrid.Weapon
	e, n     int // British National Grid, metres
	street   string
	outcome  string
	seq      int
}

// Write generates the data set and writes it to w as gzip CSV. The same
// Config gives the same bytes.
func Write(w io.Writer, cfg Config) (int, error) {
	recs, err := Generate(cfg)
	if err != nil {
		return 0, err
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	if err := writeCSV(zw, recs); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, fmt.Errorf("gzip: %w", err)
	}
	return len(recs), nil
}

// Generate draws every offence, sorted by occurrence, with crime
// references in that order.
func Generate(cfg Config) ([]record, error) {
	if cfg.Units == nil {
		return nil, fmt.Errorf("demo: no units")
	}
	if cfg.Volumes == nil {
		cfg.Volumes = Volumes2017()
	}
	g, err := newGenerator(cfg)
	if err != nil {
		return nil, err
	}
	var recs []record
	for _, v := range cfg.Volumes {
		for _, q := range quotas(v, cfg.Scale) {
			for i := 0; i < q.n; i++ {
				r, err := g.draw(v.NPU, q.kind)
				if err != nil {
					return nil, err
				}
				r.seq = len(recs)
				recs = append(recs, r)
			}
		}
	}
	slices.SortFunc(recs, func(a, b record) int {
		return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.seq, b.seq))
	})
	return recs, nil
}

// quota is how many offences of a kind an NPU gets.
type quota struct {
	kind *kind
	n    int
}

// quotas splits an NPU's volume over kinds: calibrated groups exactly
// (TFMV and TOMV are kinds of their own), the remainder over the other
// kinds by otherShare with largest remainders, so the total is exact.
func quotas(v Volume, scale float64) []quota {
	if scale <= 0 {
		scale = 1
	}
	ks := kinds()
	out := make([]quota, 0, len(ks))
	var others []int
	for i := range ks {
		k := &ks[i]
		if k.group != GroupOther {
			out = append(out, quota{k, int(float64(v.ByGroup[k.group])*scale + 0.5)})
			continue
		}
		others = append(others, i)
	}
	rest := int(float64(v.ByGroup[GroupOther])*scale + 0.5)
	shares := make([]float64, len(others))
	for j, i := range others {
		shares[j] = ks[i].otherShare
	}
	for j, n := range largestRemainder(rest, shares) {
		out = append(out, quota{&ks[others[j]], n})
	}
	return out
}

// largestRemainder splits total in proportion to shares, exactly.
func largestRemainder(total int, shares []float64) []int {
	sum := 0.0
	for _, s := range shares {
		sum += s
	}
	out := make([]int, len(shares))
	rem := make([]float64, len(shares))
	given := 0
	for i, s := range shares {
		x := float64(total) * s / sum
		out[i] = int(x)
		rem[i] = x - float64(out[i])
		given += out[i]
	}
	order := make([]int, len(shares))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rem[b], rem[a]) })
	for i := 0; given < total; i++ {
		out[order[i%len(order)]]++
		given++
	}
	return out
}

func writeCSV(w io.Writer, recs []record) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header()); err != nil {
		return err
	}
	row := make([]string, len(Header()))
	for i, r := range recs {
		row[0] = fmt.Sprintf("20WM%07d", i+1)
		row[1] = formatMinute(r.from)
		row[2] = formatMinute(r.to)
		row[3] = r.code
		row[4] = r.category
		row[5] = r.weapon.String()
		row[6] = strconv.Itoa(r.e)
		row[7] = strconv.Itoa(r.n)
		row[8] = r.street
		row[9] = r.outcome
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write row %d: %w", i+2, err)
		}
	}
	cw.Flush()
	return cw.Error()
}
