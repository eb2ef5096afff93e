package plan

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Patrol log limits.
const (
	MaxPatrolMinutes = 720
	MaxUploadRows    = 100000
	maxListed        = 50 // rejections spelled out in an error message
	DefaultGPSGap    = 5 * time.Minute
)

// Patrol sources.
const (
	SourceForm = "form"
	SourceCSV  = "csv"
	SourceGPS  = "gps"
)

// timeLayouts are accepted for local patrol times.
var timeLayouts = []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"}

// ParseLocalTime reads a patrol time: RFC 3339 with an offset, or a local
// time (YYYY-MM-DD HH:MM[:SS], with a space or T) in loc.
func ParseLocalTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("want a time as YYYY-MM-DD HH:MM or RFC 3339, got %q", s)
}

// CheckPatrol validates one patrol log against its plan: a known area, a
// start inside the plan period (local dates in loc), and 1 to 720 minutes.
// It returns the field at fault and why.
func CheckPatrol(p *hotgrid.Plan, l *hotgrid.PatrolLog, loc *time.Location) (field string, err error) {
	if findArea(p, l.Area) == nil {
		return "area", fmt.Errorf("plan %d has no area %q", p.ID, l.Area)
	}
	if l.Start.IsZero() {
		return "start", errors.New("no start time")
	}
	day := Date(l.Start.In(loc))
	if day.Before(p.From) || !day.Before(p.To) {
		return "start", fmt.Errorf("%s is outside the plan period %s to %s", l.Start.In(loc).Format("2006-01-02 15:04"),
			p.From.Format(time.DateOnly), p.To.AddDate(0, 0, -1).Format(time.DateOnly))
	}
	if l.Minutes < 1 || l.Minutes > MaxPatrolMinutes {
		return "minutes", fmt.Errorf("minutes must be 1 to %d, got %d", MaxPatrolMinutes, l.Minutes)
	}
	return "", nil
}

func findArea(p *hotgrid.Plan, id string) *hotgrid.PlanArea {
	for i := range p.Areas {
		if p.Areas[i].ID == id {
			return &p.Areas[i]
		}
	}
	return nil
}

// RejectError lists the rows of an upload that failed; nothing of the
// upload is kept.
type RejectError struct {
	Rejections []hotgrid.Rejection
}

// Error lists the first rejections as "file:line: field: reason".
func (e *RejectError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d rows rejected, nothing stored:", len(e.Rejections))
	for i, r := range e.Rejections {
		if i == maxListed {
			fmt.Fprintf(&b, "\n... and %d more", len(e.Rejections)-maxListed)
			break
		}
		b.WriteString("\n" + r.Error())
	}
	return b.String()
}

// AsError wraps the rejections as an EINVALID *hotgrid.Error (nil when
// there are none), so every layer reports them alike.
func (e *RejectError) AsError() error {
	if len(e.Rejections) == 0 {
		return nil
	}
	return fmt.Errorf("%w", &hotgrid.Error{Code: hotgrid.EINVALID, Message: e.Error()})
}

// csvReader reads a CSV with a header, mapping required and optional
// columns to indexes.
type csvReader struct {
	r    *csv.Reader
	name string
	idx  map[string]int
	rej  *RejectError
}

func newCSVReader(r io.Reader, name string, required, optional []string) (*csvReader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, hotgrid.FieldErrorf("file", "%s: empty file: want a header %s", name, strings.Join(required, ","))
	} else if err != nil {
		return nil, hotgrid.FieldErrorf("file", "%s:1: %v", name, err)
	}
	c := &csvReader{r: cr, name: name, idx: map[string]int{}, rej: &RejectError{}}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		c.idx[h] = i
	}
	for _, col := range required {
		if _, ok := c.idx[col]; !ok {
			return nil, hotgrid.FieldErrorf(col, "%s:1: header lacks column %q (want %s; optional %s)", name, col,
				strings.Join(required, ","), strings.Join(optional, ","))
		}
	}
	return c, nil
}

// next returns the next record and its line, or io.EOF.
func (c *csvReader) next() ([]string, int, error) {
	rec, err := c.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			c.reject(pe.Line, "row", pe.Err.Error(), "")
			return nil, pe.Line, nil
		}
		return nil, 0, err
	}
	line, _ := c.r.FieldPos(0)
	return rec, line, nil
}

func (c *csvReader) get(rec []string, col string) string {
	i, ok := c.idx[col]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

func (c *csvReader) reject(line int, field, reason, raw string) {
	c.rej.Rejections = append(c.rej.Rejections, hotgrid.Rejection{File: c.name, Line: line, Field: field, Reason: reason, Record: raw})
}

// ParsePatrolCSV reads patrol logs for plan p from a CSV with the header
// area,start,minutes and optionally ref (an officer or call sign). Start
// times without an offset are local to loc. Any bad row rejects the whole
// file with an error naming file, line and field for every bad row.
func ParsePatrolCSV(r io.Reader, name string, p *hotgrid.Plan, loc *time.Location) ([]hotgrid.PatrolLog, error) {
	c, err := newCSVReader(r, name, []string{"area", "start", "minutes"}, []string{"ref"})
	if err != nil {
		return nil, err
	}
	var logs []hotgrid.PatrolLog
	for n := 0; ; n++ {
		rec, line, err := c.next()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if n >= MaxUploadRows {
			return nil, hotgrid.FieldErrorf("file", "%s: more than %d rows", name, MaxUploadRows)
		}
		if rec == nil {
			continue
		}
		raw := strings.Join(rec, ",")
		l := hotgrid.PatrolLog{Unit: p.Unit, PlanID: p.ID, Area: c.get(rec, "area"), Source: SourceCSV, Ref: c.get(rec, "ref")}
		if l.Start, err = ParseLocalTime(c.get(rec, "start"), loc); err != nil {
			c.reject(line, "start", err.Error(), raw)
			continue
		}
		if l.Minutes, err = strconv.Atoi(c.get(rec, "minutes")); err != nil {
			c.reject(line, "minutes", fmt.Sprintf("want a whole number of minutes, got %q", c.get(rec, "minutes")), raw)
			continue
		}
		if field, err := CheckPatrol(p, &l, loc); err != nil {
			c.reject(line, field, err.Error(), raw)
			continue
		}
		logs = append(logs, l)
	}
	if err := c.rej.AsError(); err != nil {
		return nil, err
	}
	if len(logs) == 0 {
		return nil, hotgrid.FieldErrorf("file", "%s: no patrol rows", name)
	}
	return logs, nil
}

// GPSPoint is one vehicle locator fix.
type GPSPoint struct {
	Time     time.Time
	Lon, Lat float64
	Vehicle  string
	Line     int
}

// ParseGPSCSV reads vehicle locator points from a CSV with the header
// time,lon,lat and optionally vehicle. Any bad row rejects the file.
func ParseGPSCSV(r io.Reader, name string, loc *time.Location) ([]GPSPoint, error) {
	c, err := newCSVReader(r, name, []string{"time", "lon", "lat"}, []string{"vehicle"})
	if err != nil {
		return nil, err
	}
	var pts []GPSPoint
	for n := 0; ; n++ {
		rec, line, err := c.next()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if n >= MaxUploadRows*10 {
			return nil, hotgrid.FieldErrorf("file", "%s: more than %d points", name, MaxUploadRows*10)
		}
		if rec == nil {
			continue
		}
		raw := strings.Join(rec, ",")
		pt := GPSPoint{Vehicle: c.get(rec, "vehicle"), Line: line}
		if pt.Time, err = ParseLocalTime(c.get(rec, "time"), loc); err != nil {
			c.reject(line, "time", err.Error(), raw)
			continue
		}
		lon, e1 := strconv.ParseFloat(c.get(rec, "lon"), 64)
		lat, e2 := strconv.ParseFloat(c.get(rec, "lat"), 64)
		if e1 != nil || e2 != nil {
			c.reject(line, "lon/lat", fmt.Sprintf("want decimal degrees, got %q,%q", c.get(rec, "lon"), c.get(rec, "lat")), raw)
			continue
		}
		if err := geo.ValidLonLat(lon, lat); err != nil {
			c.reject(line, "lon/lat", err.Error(), raw)
			continue
		}
		pt.Lon, pt.Lat = lon, lat
		pts = append(pts, pt)
	}
	if err := c.rej.AsError(); err != nil {
		return nil, err
	}
	return pts, nil
}

// GPSMatch is the result of matching points to a plan's areas.
type GPSMatch struct {
	Logs        []hotgrid.PatrolLog `json:"logs"`
	Points      int                 `json:"points"`
	Inside      int                 `json:"inside"`  // points in some plan area
	Outside     int                 `json:"outside"` // points in no plan area (travel between areas)
	OutOfPeriod int                 `json:"out_of_period"`
}

// MatchGPS turns locator points into patrol visits: each point is placed in
// its H3 cell (geo.CellAt at the resolution of the plan's cells), cells map
// to plan areas, and consecutive points of one vehicle in one area no more
// than gap apart form one visit lasting from the first to the last point
// (at least one minute). Points in no area, or outside the plan period, are
// counted, not kept.
func MatchGPS(p *hotgrid.Plan, pts []GPSPoint, gap time.Duration, loc *time.Location) (*GPSMatch, error) {
	if gap <= 0 {
		gap = DefaultGPSGap
	}
	areaOf := map[uint64]string{}
	res := map[int]bool{}
	for _, a := range p.Areas {
		for _, s := range a.Cells {
			c, err := geo.ParseCell(s)
			if err != nil {
				return nil, hotgrid.FieldErrorf("cells", "area %q: %q is not an H3 cell", a.ID, s)
			}
			areaOf[c] = a.ID
			res[geo.Resolution(c)] = true
		}
	}
	sorted := append([]GPSPoint{}, pts...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Vehicle != sorted[j].Vehicle {
			return sorted[i].Vehicle < sorted[j].Vehicle
		}
		return sorted[i].Time.Before(sorted[j].Time)
	})
	m := &GPSMatch{Points: len(pts), Logs: []hotgrid.PatrolLog{}}
	var run *visit
	flush := func() {
		if run != nil {
			m.Logs = append(m.Logs, run.log(p))
			run = nil
		}
	}
	for _, pt := range sorted {
		area, cell := "", ""
		for r := range res {
			c, err := geo.CellAt(pt.Lon, pt.Lat, r)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", pt.Line, err)
			}
			if a, ok := areaOf[c]; ok {
				area, cell = a, geo.String(c)
				break
			}
		}
		day := Date(pt.Time.In(loc))
		switch {
		case area == "":
			m.Outside++
			flush()
			continue
		case day.Before(p.From) || !day.Before(p.To):
			m.OutOfPeriod++
			flush()
			continue
		}
		m.Inside++
		if run != nil && run.vehicle == pt.Vehicle && run.area == area && pt.Time.Sub(run.last) <= gap {
			run.last = pt.Time
			continue
		}
		flush()
		run = &visit{vehicle: pt.Vehicle, area: area, cell: cell, first: pt.Time, last: pt.Time}
	}
	flush()
	return m, nil
}

type visit struct {
	vehicle, area, cell string
	first, last         time.Time
}

func (v *visit) log(p *hotgrid.Plan) hotgrid.PatrolLog {
	mins := int(math.Round(v.last.Sub(v.first).Minutes()))
	mins = max(1, min(mins, MaxPatrolMinutes))
	return hotgrid.PatrolLog{Unit: p.Unit, PlanID: p.ID, Area: v.area, Cell: v.cell, Start: v.first,
		Minutes: mins, Source: SourceGPS, Ref: v.vehicle}
}
