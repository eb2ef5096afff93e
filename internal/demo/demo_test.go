package demo

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"io"
	"math"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/data"
	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/severity"
	"github.com/hotgrid/hotgrid/internal/units"
)

// demoRow is one parsed row of the demo CSV.
type demoRow struct {
	ref, code, category, weapon string
	from, to                    time.Time
	lon, lat                    float64
}

func readDemo(t *testing.T, gz []byte) []demoRow {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(zr)
	header := Header()
	head, err := cr.Read()
	if err != nil || len(head) != len(header) {
		t.Fatalf("header %v: %v", head, err)
	}
	for i := range header {
		if head[i] != header[i] {
			t.Fatalf("header %v, want %v", head, header)
		}
	}
	var rows []demoRow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, parseDemoRow(t, line, rec))
	}
}

func parseDemoRow(t *testing.T, line int, rec []string) demoRow {
	from, err1 := time.Parse("2006-01-02T15:04", rec[1])
	to, err2 := time.Parse("2006-01-02T15:04", rec[2])
	e, err3 := strconv.Atoi(rec[6])
	n, err4 := strconv.Atoi(rec[7])
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		t.Fatalf("line %d: %v %v %v %v", line, err1, err2, err3, err4)
	}
	lon, lat, err := geo.BNGToWGS84(float64(e), float64(n))
	if err != nil {
		t.Fatalf("line %d: %v", line, err)
	}
	return demoRow{ref: rec[0], code: rec[3], category: rec[4], weapon: rec[5], from: from, to: to, lon: lon, lat: lat}
}

func committed(t *testing.T) []byte {
	rc, _ := data.DemoCSV()
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCommittedFileIsGenerated regenerates the demo file with the default
// seed and checks it is byte for byte the committed one.
func TestCommittedFileIsGenerated(t *testing.T) {
	npus, err := units.Default()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := Write(&buf, Config{Seed: DefaultSeed, Units: npus}); err != nil {
		t.Fatal(err)
	}
	got, want := sha256.Sum256(buf.Bytes()), sha256.Sum256(committed(t))
	if got != want {
		t.Fatalf("generated %x, committed %x: rerun hotgrid demo-data", got[:8], want[:8])
	}
	if n := buf.Len(); n > 10<<20 {
		t.Errorf("demo file is %d bytes, want < 10 MB", n)
	}
}

func TestDeterministic(t *testing.T) {
	npus, err := units.Default()
	if err != nil {
		t.Fatal(err)
	}
	gen := func(seed uint64) [32]byte {
		var buf bytes.Buffer
		if _, err := Write(&buf, Config{Seed: seed, Units: npus, Scale: 0.01}); err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(buf.Bytes())
	}
	a, b, c := gen(7), gen(7), gen(8)
	if a != b {
		t.Fatal("two runs with the same seed differ")
	}
	if a == c {
		t.Fatal("different seeds give the same data")
	}
}

// TestCalibration reads the committed file back, assigns each offence to an
// NPU by point in polygon (as ingest does) and checks every NPU's group
// totals against the 2017 figures.
func TestCalibration(t *testing.T) {
	npus, err := units.Default()
	if err != nil {
		t.Fatal(err)
	}
	rows := readDemo(t, committed(t))
	got := map[string]map[Group]int{}
	all := map[string]int{}
	for _, r := range rows {
		u := npus.Locate(r.lon, r.lat)
		if got[u] == nil {
			got[u] = map[Group]int{}
		}
		got[u][GroupOfCode(r.code)]++
		all[u]++
	}
	total := 0
	for _, v := range Volumes2017() {
		total += v.All
		checkWithin(t, v.NPU+" all", all[v.NPU], v.All)
		for _, g := range CalibratedGroups() {
			checkWithin(t, v.NPU+" "+string(g), got[v.NPU][g], v.ByGroup[g])
		}
	}
	if len(rows) != total || total != 227303 {
		t.Fatalf("%d rows, volumes total %d, want 227303", len(rows), total)
	}
	if all[""] != 0 {
		t.Fatalf("%d offences outside every NPU", all[""])
	}
}

func checkWithin(t *testing.T, what string, got, want int) {
	t.Helper()
	if math.Abs(float64(got-want)) > 0.01*float64(want) {
		t.Errorf("%s: %d offences, want %d within 1%%", what, got, want)
	} else if got != want {
		t.Logf("%s: %d offences, want %d (within 1%%)", what, got, want)
	}
}

// TestProfiles checks the time, code and weapon properties of the
// committed file.
func TestProfiles(t *testing.T) {
	rows := readDemo(t, committed(t))
	weights, err := severity.Default()
	if err != nil {
		t.Fatal(err)
	}
	var s profileStats
	refRE := regexp.MustCompile(`^20WM\d{7}$`)
	seen := map[string]bool{}
	for i, r := range rows {
		if !refRE.MatchString(r.ref) || seen[r.ref] {
			t.Fatalf("row %d: bad or repeated crime ref %q", i+2, r.ref)
		}
		seen[r.ref] = true
		if c, ok := weights.CategoryOf(r.code); !ok || c != r.category {
			t.Fatalf("row %d: code %q has category %q in the weights table, row says %q", i+2, r.code, c, r.category)
		}
		if r.from.Year() != 2017 || r.to.Before(r.from) {
			t.Fatalf("row %d: window %v..%v", i+2, r.from, r.to)
		}
		s.add(t, i+2, r)
	}
	s.check(t)
}

type profileStats struct {
	violenceWkndNight, violenceWeekNight int
	robbery, robberyAfternoonEvening     int
	robberyKnife                         int
	shop, shopDaytime                    int
	burglary, burglaryWindows            int
}

func (s *profileStats) add(t *testing.T, line int, r demoRow) {
	hr, wd := r.from.Hour(), int(r.from.Weekday())
	switch r.category {
	case "Violence and sexual offences":
		if isWeekendNight(wd, hr) {
			s.violenceWkndNight++
		} else if (hr >= 20 && wd >= 1 && wd <= 3) || (hr < 4 && wd >= 2 && wd <= 4) {
			s.violenceWeekNight++ // Monday to Wednesday nights
		}
	case "Robbery":
		s.robbery++
		if hr >= 12 && hr < 23 {
			s.robberyAfternoonEvening++
		}
		if r.weapon == "knife" {
			s.robberyKnife++
		}
	case "Shoplifting":
		s.shop++
		if hr >= 8 && hr < 20 {
			s.shopDaytime++
		}
	case "Burglary":
		s.burglary++
		if !r.to.After(r.from) {
			t.Fatalf("row %d: burglary window %v..%v is not a window", line, r.from, r.to)
		}
		s.burglaryWindows++
	}
}

func (s *profileStats) check(t *testing.T) {
	perWknd, perWeek := float64(s.violenceWkndNight)/2, float64(s.violenceWeekNight)/3
	if perWknd < 1.5*perWeek {
		t.Errorf("violence per Friday/Saturday night %.0f, per Monday-Wednesday night %.0f: want a weekend peak", perWknd, perWeek)
	}
	if f := frac(s.robberyAfternoonEvening, s.robbery); f < 0.6 {
		t.Errorf("robbery 12:00-23:00 share %.2f, want >= 0.6", f)
	}
	if f := frac(s.robberyKnife, s.robbery); f < 0.20 || f > 0.30 {
		t.Errorf("knife share of robbery %.3f, want about 0.25", f)
	}
	if f := frac(s.shopDaytime, s.shop); f < 0.85 {
		t.Errorf("shoplifting 08:00-20:00 share %.2f, want >= 0.85", f)
	}
	if s.burglary == 0 || s.burglaryWindows != s.burglary {
		t.Errorf("burglary windows %d of %d", s.burglaryWindows, s.burglary)
	}
	t.Logf("violence per weekend night %.0f vs weekday night %.0f; robbery knife share %.3f",
		perWknd, perWeek, frac(s.robberyKnife, s.robbery))
}

func frac(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func TestLargestRemainder(t *testing.T) {
	cases := []struct {
		total  int
		shares []float64
		want   []int
	}{
		{10, []float64{1, 1}, []int{5, 5}},
		{10, []float64{1, 1, 1}, []int{4, 3, 3}},
		{7, []float64{0.5, 0.25, 0.25}, []int{3, 2, 2}},
		{0, []float64{1, 2}, []int{0, 0}},
	}
	for _, c := range cases {
		got := largestRemainder(c.total, c.shares)
		sum := 0
		for i := range got {
			sum += got[i]
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("largestRemainder(%d,%v) = %v, want %v", c.total, c.shares, got, c.want)
				break
			}
		}
		if sum != c.total {
			t.Errorf("sum %d, want %d", sum, c.total)
		}
	}
}

func TestQuotasExact(t *testing.T) {
	for _, v := range Volumes2017() {
		byGroup := map[Group]int{}
		total := 0
		for _, q := range quotas(v, 1) {
			byGroup[q.kind.group] += q.n
			total += q.n
		}
		if total != v.All {
			t.Errorf("%s: quotas total %d, want %d", v.NPU, total, v.All)
		}
		for g, n := range v.ByGroup {
			if byGroup[g] != n {
				t.Errorf("%s %s: %d, want %d", v.NPU, g, byGroup[g], n)
			}
		}
	}
}
