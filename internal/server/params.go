package server

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Each parse function reads one query parameter and returns an EINVALID
// *hotgrid.Error naming it when the value is bad, so the client sees
// {"error": "...", "parameter": "unit"}.

// maxTop bounds the top parameter.
const maxTop = 500

// checkParams rejects parameters a route does not know, so a typo ("uint")
// is not silently ignored, and repeated parameters.
func checkParams(q url.Values, allowed ...string) error {
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		ok := false
		for _, a := range allowed {
			if k == a {
				ok = true
				break
			}
		}
		if !ok {
			return hotgrid.FieldErrorf(k, "unknown parameter (this route takes %s)", strings.Join(allowed, ", "))
		}
		if len(q[k]) > 1 {
			return hotgrid.FieldErrorf(k, "given %d times; give it once (use commas for lists)", len(q[k]))
		}
	}
	return nil
}

// parseUnits reads a comma-separated list of unit codes; empty means every
// unit. Codes match exactly or ignoring case.
func parseUnits(s string, units []hotgrid.Unit) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		code := strings.TrimSpace(part)
		if code == "" {
			continue
		}
		found := ""
		for _, u := range units {
			if u.Code == code {
				found = u.Code
				break
			}
			if found == "" && strings.EqualFold(u.Code, code) {
				found = u.Code
			}
		}
		if found == "" {
			return nil, hotgrid.FieldErrorf("unit", "unknown unit %q (see /api/v1/units)", code)
		}
		if !seen[found] {
			seen[found] = true
			out = append(out, found)
		}
	}
	sort.Strings(out)
	return out, nil
}

// parseBand reads a band name; empty means the any-time band.
func parseBand(s string, bands []hotgrid.Band) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	names := make([]string, 0, len(bands))
	for _, b := range bands {
		if strings.EqualFold(b.Name, s) {
			return b.Name, nil
		}
		names = append(names, b.Name)
	}
	return "", hotgrid.FieldErrorf("band", "unknown band %q (want one of %s)", s, strings.Join(names, ", "))
}

// parseDate reads a date bound: YYYY-MM-DD, YYYY-MM or an RFC 3339 instant.
// from is inclusive; a to day or month is inclusive too (to=2017-06 means
// up to the end of June), while a to instant is exclusive.
func parseDate(field, s string, loc *time.Location, isTo bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		if isTo {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01", s, loc); err == nil {
		if isTo {
			t = t.AddDate(0, 1, 0)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, hotgrid.FieldErrorf(field, "%q is not a date (want YYYY-MM-DD, YYYY-MM or RFC 3339)", s)
}

// parseMetric reads count, harm or recency; empty means harm.
func parseMetric(s string) (hotgrid.Metric, error) {
	switch m := hotgrid.Metric(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return hotgrid.MetricHarm, nil
	case hotgrid.MetricCount, hotgrid.MetricHarm, hotgrid.MetricRecency:
		return m, nil
	}
	return "", hotgrid.FieldErrorf("metric", "unknown metric %q (want count, harm or recency)", s)
}

// parseInt reads an integer in [min, max]; empty gives def.
func parseInt(field, s string, min, max, def int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, hotgrid.FieldErrorf(field, "%q is not a whole number", s)
	}
	if n < min || n > max {
		return 0, hotgrid.FieldErrorf(field, "%d out of range %d..%d", n, min, max)
	}
	return n, nil
}

// parseCategories reads a comma-separated list of police.uk categories by
// name or slug; empty means every category.
func parseCategories(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		c, err := hotgrid.LookupCategory(part)
		if err != nil {
			return nil, hotgrid.FieldErrorf("category", "unknown crime category %q (use a police.uk name or slug, e.g. robbery)", strings.TrimSpace(part))
		}
		if !seen[c.Name] {
			seen[c.Name] = true
			out = append(out, c.Name)
		}
	}
	sort.Strings(out)
	return out, nil
}

// parseBool reads true/false/1/0/yes/no; empty is false.
func parseBool(field, s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "false", "no":
		return false, nil
	case "1", "true", "yes":
		return true, nil
	}
	return false, hotgrid.FieldErrorf(field, "%q is not true or false", s)
}

// filterParams are the parameters every scored route takes.
var filterParams = []string{"unit", "band", "from", "to", "metric", "res", "category", "significant"}

// parseQuery reads the filter parameters shared by the hot grid, cell, tile
// and export routes into a hotgrid.Query.
func (a *API) parseQuery(v url.Values) (hotgrid.Query, error) {
	var q hotgrid.Query
	var err error
	if q.Units, err = parseUnits(v.Get("unit"), a.unitList); err != nil {
		return q, err
	}
	if q.Band, err = parseBand(v.Get("band"), a.bandList); err != nil {
		return q, err
	}
	if q.From, err = parseDate("from", v.Get("from"), a.loc, false); err != nil {
		return q, err
	}
	if q.To, err = parseDate("to", v.Get("to"), a.loc, true); err != nil {
		return q, err
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, hotgrid.FieldErrorf("to", "window ends (%s) before it starts (%s)", v.Get("to"), v.Get("from"))
	}
	if q.Metric, err = parseMetric(v.Get("metric")); err != nil {
		return q, err
	}
	if q.Resolution, err = parseInt("res", v.Get("res"), hotgrid.MinResolution, hotgrid.MaxResolution, hotgrid.DefaultResolution); err != nil {
		return q, err
	}
	if q.Categories, err = parseCategories(v.Get("category")); err != nil {
		return q, err
	}
	if q.SignificantOnly, err = parseBool("significant", v.Get("significant")); err != nil {
		return q, err
	}
	return q, nil
}

// key returns a canonical string for a query, for caches and ETags.
func key(route string, q hotgrid.Query, extra ...string) string {
	var b strings.Builder
	b.WriteString(route)
	b.WriteString("|u=")
	b.WriteString(strings.Join(q.Units, ","))
	b.WriteString("|b=")
	b.WriteString(q.Band)
	b.WriteString("|f=")
	if !q.From.IsZero() {
		b.WriteString(strconv.FormatInt(q.From.Unix(), 10))
	}
	b.WriteString("|t=")
	if !q.To.IsZero() {
		b.WriteString(strconv.FormatInt(q.To.Unix(), 10))
	}
	b.WriteString("|m=")
	b.WriteString(string(q.Metric))
	b.WriteString("|n=")
	b.WriteString(strconv.Itoa(q.Top))
	b.WriteString("|r=")
	b.WriteString(strconv.Itoa(q.Resolution))
	b.WriteString("|c=")
	b.WriteString(strings.Join(q.Categories, ","))
	if q.SignificantOnly {
		b.WriteString("|s")
	}
	for _, e := range extra {
		b.WriteString("|")
		b.WriteString(e)
	}
	return b.String()
}
