package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Rejection reasons: the stable keys of Summary.RejectedByReason. A
// rejection's Reason is the key followed by ": " and the detail.
const (
	ReasonFieldCount     = "wrong field count"
	ReasonStrayQuote     = "stray quote"
	ReasonNoCoordinates  = "no coordinates"
	ReasonBadCoordinate  = "bad coordinate"
	ReasonNaN            = "coordinate not a number"
	ReasonLatitudeRange  = "latitude out of range"
	ReasonLongitudeRange = "longitude out of range"
	ReasonZeroZero       = "coordinate (0,0)"
	ReasonOutsideGrid    = "outside British National Grid"
	ReasonBadDate        = "bad date"
	ReasonUnknownCat     = "unknown category"
	ReasonUnknownCode    = "unknown offence code"
	ReasonUnknownWeapon  = "unknown weapon"
	ReasonNoForce        = "no force"
)

// PoliceUKHeader is the exact header of a data.police.uk street-level CSV.
const PoliceUKHeader = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"

// Formats the ingester reads.
const (
	FormatPoliceUK = "police-uk"
	FormatMapped   = "mapped"
)

// policeUKColumns is PoliceUKHeader split; the index of each field below.
const (
	puID = iota
	puMonth
	puReportedBy
	puFallsWithin
	puLon
	puLat
	puLocation
	puLSOA
	puLSOAName
	puCrimeType
	puOutcome
	puContext
	puFields
)

// reject says why a row is not an offence; the zero value means accepted.
type reject struct {
	field, kind, detail string
}

func (r reject) ok() bool { return r.kind == "" }

// rejectf builds a reject with a formatted detail.
func rejectf(field, kind, format string, args ...any) reject {
	return reject{field: field, kind: kind, detail: fmt.Sprintf(format, args...)}
}

// rowParser turns one CSV record into an offence (without ID, cell or unit,
// which the ingester sets).
type rowParser interface {
	parse(rec []string, o *hotgrid.Offence) reject
}

// categories finds police.uk categories by name or slug without allocating.
type categories map[string]string

// newCategories indexes every category by name, slug and lower-case name.
func newCategories() categories {
	c := make(categories, 3*len(hotgrid.Categories))
	for _, cat := range hotgrid.Categories {
		c[cat.Name] = cat.Name
		c[cat.Slug] = cat.Name
		c[strings.ToLower(cat.Name)] = cat.Name
	}
	return c
}

// lookup returns the category name for s ("" when unknown).
func (c categories) lookup(s string) string {
	if n, ok := c[s]; ok {
		return n
	}
	if cat, err := hotgrid.LookupCategory(s); err == nil {
		return cat.Name
	}
	return ""
}

// months caches the window of the last month parsed: files hold one month
// or a few.
type months struct {
	loc      *time.Location
	key      string
	from, to time.Time
}

// window returns the first instant of month s (layout) and of the next
// month, in the zone.
func (m *months) window(s, layout string) (time.Time, time.Time, error) {
	if s == m.key && s != "" {
		return m.from, m.to, nil
	}
	t, err := time.ParseInLocation(layout, strings.TrimSpace(s), m.loc)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	m.key = s
	m.from = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, m.loc)
	m.to = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, m.loc)
	return m.from, m.to, nil
}

// policeUK parses data.police.uk street-level rows. Month-precision dates
// become MonthOnly windows from the first instant of the month to the first
// instant of the next, in Europe/London.
type policeUK struct {
	months months
	cats   categories
}

func (p *policeUK) parse(rec []string, o *hotgrid.Offence) reject {
	if len(rec) != puFields {
		return rejectf("(record)", ReasonFieldCount, "%d fields, want %d", len(rec), puFields)
	}
	from, to, err := p.months.window(rec[puMonth], "2006-01")
	if err != nil {
		return rejectf("Month", ReasonBadDate, "%q is not a YYYY-MM month", rec[puMonth])
	}
	o.From, o.To, o.MonthOnly = from, to, true
	if o.Category = p.cats.lookup(rec[puCrimeType]); o.Category == "" {
		return rejectf("Crime type", ReasonUnknownCat, "%q is not a police.uk crime type", rec[puCrimeType])
	}
	o.Force = rec[puFallsWithin]
	if o.Force == "" {
		if o.Force = rec[puReportedBy]; o.Force == "" {
			return rejectf("Falls within", ReasonNoForce, "Falls within and Reported by are empty")
		}
	}
	o.ID = rec[puID]
	o.Location = rec[puLocation]
	o.LSOA = rec[puLSOA]
	o.Outcome = rec[puOutcome]
	return lonLat(o, rec[puLon], rec[puLat], "Longitude", "Latitude")
}

// lonLat parses and checks WGS84 coordinates into o.
func lonLat(o *hotgrid.Offence, lonS, latS, lonField, latField string) reject {
	lonS, latS = strings.TrimSpace(lonS), strings.TrimSpace(latS)
	if lonS == "" && latS == "" {
		return rejectf(lonField, ReasonNoCoordinates, "%s and %s are empty", lonField, latField)
	} else if lonS == "" {
		return rejectf(lonField, ReasonNoCoordinates, "%s is empty", lonField)
	} else if latS == "" {
		return rejectf(latField, ReasonNoCoordinates, "%s is empty", latField)
	}
	lon, err := strconv.ParseFloat(lonS, 64)
	if err != nil {
		return rejectf(lonField, ReasonBadCoordinate, "%q is not a number", lonS)
	}
	lat, err := strconv.ParseFloat(latS, 64)
	if err != nil {
		return rejectf(latField, ReasonBadCoordinate, "%q is not a number", latS)
	}
	o.Lon, o.Lat = lon, lat
	return checkLonLat(lon, lat, lonField, latField)
}

// checkLonLat rejects unusable WGS84 points, naming the field at fault.
func checkLonLat(lon, lat float64, lonField, latField string) reject {
	switch {
	case math.IsNaN(lon) || math.IsInf(lon, 0):
		return rejectf(lonField, ReasonNaN, "%g is not a finite number", lon)
	case math.IsNaN(lat) || math.IsInf(lat, 0):
		return rejectf(latField, ReasonNaN, "%g is not a finite number", lat)
	case lat < -90 || lat > 90:
		return rejectf(latField, ReasonLatitudeRange, "latitude %g outside -90..90", lat)
	case lon < -180 || lon > 180:
		return rejectf(lonField, ReasonLongitudeRange, "longitude %g outside -180..180", lon)
	case lon == 0 && lat == 0:
		return rejectf(lonField, ReasonZeroZero, "(0, 0) is a missing-value code, not a place")
	}
	if err := geo.ValidLonLat(lon, lat); err != nil { // anything geo adds later
		return rejectf(lonField, ReasonBadCoordinate, "%v", err)
	}
	return reject{}
}

// mapped parses rows of a force extract described by a Mapping.
type mapped struct {
	m      *Mapping
	col    map[string]int // mapping key -> column index; absent keys are missing
	n      int            // header field count
	months months
	cats   categories
	codes  CodeCategories
}

// newMapped binds a mapping to a header, failing when a named column is
// missing.
func newMapped(m *Mapping, header []string, codes CodeCategories) (*mapped, error) {
	idx := make(map[string]int, len(header))
	for i, h := range header {
		if _, dup := idx[strings.TrimSpace(h)]; !dup {
			idx[strings.TrimSpace(h)] = i
		}
	}
	p := &mapped{m: m, col: make(map[string]int), n: len(header), months: months{loc: m.loc}, cats: newCategories(), codes: codes}
	for _, kv := range m.Columns.fields() {
		if kv[1] == "" {
			continue
		}
		i, ok := idx[kv[1]]
		if !ok {
			return nil, fmt.Errorf("header: no column %q (mapping %s names it for %s)", kv[1], m.source, kv[0])
		}
		p.col[kv[0]] = i
	}
	if _, ok := p.col["category"]; !ok && codes == nil {
		return nil, fmt.Errorf("mapping %s has no category column and no offence code table was given", m.source)
	}
	return p, nil
}

// get returns the trimmed value of a mapped column ("" when unmapped).
func (p *mapped) get(rec []string, key string) string {
	if i, ok := p.col[key]; ok {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

// field returns the header name of a mapped column.
func (p *mapped) field(key string) string {
	for _, kv := range p.m.Columns.fields() {
		if kv[0] == key {
			return kv[1]
		}
	}
	return key
}

func (p *mapped) parse(rec []string, o *hotgrid.Offence) reject {
	if len(rec) != p.n {
		return rejectf("(record)", ReasonFieldCount, "%d fields, want %d as in the header", len(rec), p.n)
	}
	if r := p.when(rec, o); !r.ok() {
		return r
	}
	if r := p.what(rec, o); !r.ok() {
		return r
	}
	o.ID = p.get(rec, "id")
	o.LSOA = p.get(rec, "lsoa")
	o.Location = p.get(rec, "location")
	o.Outcome = p.get(rec, "outcome")
	o.Unit = p.get(rec, "unit")
	if o.Force = p.get(rec, "force"); o.Force == "" {
		if o.Force = p.m.Force; o.Force == "" {
			return rejectf(p.field("force"), ReasonNoForce, "force is empty and the mapping names no constant force")
		}
	}
	return p.where(rec, o)
}

// when fills the occurrence window.
func (p *mapped) when(rec []string, o *hotgrid.Offence) reject {
	if s := p.get(rec, "occurred_from"); s != "" {
		from, err := time.ParseInLocation(p.m.TimeFormat, s, p.m.loc)
		if err != nil {
			return rejectf(p.field("occurred_from"), ReasonBadDate, "%q does not match %q", s, p.m.TimeFormat)
		}
		to := from
		if s := p.get(rec, "occurred_to"); s != "" {
			if to, err = time.ParseInLocation(p.m.TimeFormat, s, p.m.loc); err != nil {
				return rejectf(p.field("occurred_to"), ReasonBadDate, "%q does not match %q", s, p.m.TimeFormat)
			} else if to.Before(from) {
				return rejectf(p.field("occurred_to"), ReasonBadDate, "%s is before occurred_from %s", s, rec[p.col["occurred_from"]])
			}
		}
		o.From, o.To, o.MonthOnly = from, to, false
		return reject{}
	}
	s := p.get(rec, "month")
	if _, ok := p.col["month"]; !ok || s == "" {
		f := p.field("occurred_from")
		if _, ok := p.col["occurred_from"]; !ok {
			f = p.field("month")
		}
		return rejectf(f, ReasonBadDate, "no date")
	}
	from, to, err := p.months.window(s, p.m.MonthFormat)
	if err != nil {
		return rejectf(p.field("month"), ReasonBadDate, "%q does not match %q", s, p.m.MonthFormat)
	}
	o.From, o.To, o.MonthOnly = from, to, true
	return reject{}
}

// what fills category, offence code and weapon.
func (p *mapped) what(rec []string, o *hotgrid.Offence) reject {
	o.OffenceCode = p.get(rec, "offence_code")
	if s := p.get(rec, "category"); s != "" {
		if o.Category = p.cats.lookup(s); o.Category == "" {
			return rejectf(p.field("category"), ReasonUnknownCat, "%q is not a police.uk crime category", s)
		}
	} else if o.OffenceCode != "" && p.codes != nil {
		c, ok := p.codes.CategoryOf(o.OffenceCode)
		if !ok {
			return rejectf(p.field("offence_code"), ReasonUnknownCode, "%q is not in the offence code table", o.OffenceCode)
		}
		if o.Category = p.cats.lookup(c); o.Category == "" {
			return rejectf(p.field("offence_code"), ReasonUnknownCat, "code %q maps to %q, not a police.uk category", o.OffenceCode, c)
		}
	} else {
		f := p.field("category")
		if _, ok := p.col["category"]; !ok {
			f = p.field("offence_code")
		}
		return rejectf(f, ReasonUnknownCat, "no category or offence code")
	}
	w, err := hotgrid.ParseWeapon(p.get(rec, "weapon"))
	if err != nil {
		return rejectf(p.field("weapon"), ReasonUnknownWeapon, "%v", err)
	}
	o.Weapon = w
	return reject{}
}

// where fills the WGS84 location from lon/lat or a National Grid reference.
func (p *mapped) where(rec []string, o *hotgrid.Offence) reject {
	_, hasEN := p.col["easting"]
	if _, ok := p.col["lon"]; ok {
		lonS, latS := p.get(rec, "lon"), p.get(rec, "lat")
		if lonS != "" || latS != "" || !hasEN {
			return lonLat(o, lonS, latS, p.field("lon"), p.field("lat"))
		}
	}
	ef, nf := p.field("easting"), p.field("northing")
	es, ns := p.get(rec, "easting"), p.get(rec, "northing")
	switch {
	case es == "" && ns == "":
		return rejectf(ef, ReasonNoCoordinates, "%s and %s are empty", ef, nf)
	case es == "":
		return rejectf(ef, ReasonNoCoordinates, "%s is empty", ef)
	case ns == "":
		return rejectf(nf, ReasonNoCoordinates, "%s is empty", nf)
	}
	e, err := strconv.ParseFloat(es, 64)
	if err != nil {
		return rejectf(ef, ReasonBadCoordinate, "%q is not a number", es)
	}
	n, err := strconv.ParseFloat(ns, 64)
	if err != nil {
		return rejectf(nf, ReasonBadCoordinate, "%q is not a number", ns)
	}
	switch {
	case math.IsNaN(e) || math.IsInf(e, 0):
		return rejectf(ef, ReasonNaN, "%g is not a finite number", e)
	case math.IsNaN(n) || math.IsInf(n, 0):
		return rejectf(nf, ReasonNaN, "%g is not a finite number", n)
	case e == 0 && n == 0:
		return rejectf(ef, ReasonZeroZero, "(0, 0) is a missing-value code, not a place")
	}
	lon, lat, err := geo.BNGToWGS84(e, n)
	if err != nil {
		return rejectf(ef, ReasonOutsideGrid, "%v", err)
	}
	o.Lon, o.Lat = lon, lat
	return checkLonLat(lon, lat, ef, nf)
}
