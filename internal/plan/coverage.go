package plan

import (
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// BandDay returns the local date a band occurrence containing t starts on,
// and whether t is in the band at all. A band crossing midnight belongs to
// the day it starts: 02:00 on Saturday is Friday's night band.
func BandDay(b hotgrid.Band, t time.Time) (time.Time, bool) {
	if !b.Contains(t) {
		return time.Time{}, false
	}
	d := Date(t)
	if b.CrossesMidnight() && t.Hour()*60+t.Minute() < b.Start {
		d = d.AddDate(0, 0, -1)
	}
	return d, true
}

// BandOn reports whether band b runs on the local date d.
func BandOn(b hotgrid.Band, d time.Time) bool {
	return b.AnyTime || b.Days[d.Weekday()]
}

// Status grades logged patrol against a dose.
func Status(needMinutes, needVisits, minutes, visits int) string {
	switch {
	case minutes >= needMinutes && visits >= needVisits:
		return hotgrid.Covered
	case minutes > 0:
		return hotgrid.Short
	}
	return hotgrid.Missed
}

// BuildCoverage reports, for every local date in [from, to) (clipped to the
// plan period) and every dose of every area whose band runs that day, the
// patrol minutes and visits logged against the dose: covered, short or
// missed. Patrol starts are placed in bands in loc.
func BuildCoverage(p *hotgrid.Plan, logs []hotgrid.PatrolLog, bands []hotgrid.Band, loc *time.Location, from, to time.Time) (*hotgrid.Coverage, error) {
	from, to = Date(from), Date(to)
	if from.IsZero() || from.Before(p.From) {
		from = p.From
	}
	if to.IsZero() || to.After(p.To) {
		to = p.To
	}
	byName := map[string]hotgrid.Band{}
	for _, b := range bands {
		byName[b.Name] = b
	}
	type key struct {
		date       time.Time
		band, area string
	}
	rows := map[key]*hotgrid.CoverageRow{}
	cov := &hotgrid.Coverage{PlanID: p.ID, Unit: p.Unit, From: from.Format(time.DateOnly), To: to.Format(time.DateOnly), Rows: []hotgrid.CoverageRow{}}
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		for _, a := range p.Areas {
			for _, dose := range a.Doses {
				b, ok := byName[dose.Band]
				if !ok {
					return nil, hotgrid.FieldErrorf("band", "area %q: unknown band %q", a.ID, dose.Band)
				}
				if !BandOn(b, d) {
					continue
				}
				cov.Rows = append(cov.Rows, hotgrid.CoverageRow{Date: d.Format(time.DateOnly), Band: b.Name, Area: a.ID,
					NeedMinutes: dose.VisitMinutes * dose.Visits, NeedVisits: dose.Visits})
			}
		}
	}
	for i := range cov.Rows {
		r := &cov.Rows[i]
		d, _ := time.Parse(time.DateOnly, r.Date)
		rows[key{d, r.Band, r.Area}] = r
	}
	for _, l := range logs {
		if l.PlanID != 0 && l.PlanID != p.ID {
			continue
		}
		a := findArea(p, l.Area)
		if a == nil {
			continue
		}
		local := l.Start.In(loc)
		for _, dose := range a.Doses {
			day, in := BandDay(byName[dose.Band], localClock(local))
			if !in {
				continue
			}
			if r := rows[key{day, dose.Band, a.ID}]; r != nil {
				r.LoggedMinutes += l.Minutes
				r.Visits++
			}
		}
	}
	for i := range cov.Rows {
		r := &cov.Rows[i]
		r.Status = Status(r.NeedMinutes, r.NeedVisits, r.LoggedMinutes, r.Visits)
		switch r.Status {
		case hotgrid.Covered:
			cov.Covered++
		case hotgrid.Short:
			cov.Short++
		default:
			cov.Missed++
		}
	}
	return cov, nil
}

// localClock re-expresses a local time's wall clock in UTC, so Date and
// weekday arithmetic act on the local calendar.
func localClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// Window parses an optional coverage window; empty bounds default to the
// plan period.
func Window(fromS, toS string) (from, to time.Time, err error) {
	if fromS != "" {
		if from, err = ParseDate("from", fromS); err != nil {
			return
		}
	}
	if toS != "" {
		if to, err = ParseDate("to", toS); err != nil {
			return
		}
	}
	if !from.IsZero() && !to.IsZero() && !to.After(from) {
		err = hotgrid.FieldErrorf("to", "to %s must be after from %s", toS, fromS)
	}
	return
}
