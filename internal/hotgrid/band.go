package hotgrid

import "time"

// Band is a named time band used to place patrols: a set of days and a
// minute-of-day range. A range whose End is not after Start crosses midnight
// and belongs to the day it starts on (Friday 20:00 to 04:00 is a Friday
// band). AnyTime bands cover every instant and are the only band in which
// month-only offences count.
type Band struct {
	Name    string  `json:"name"`
	Label   string  `json:"label"`
	Days    [7]bool `json:"-"`            // indexed by time.Weekday
	Start   int     `json:"start_minute"` // minutes after midnight
	End     int     `json:"end_minute"`
	AnyTime bool    `json:"any_time"`
}

// AnyTimeBand is the name of the band that covers every instant.
const AnyTimeBand = "any"

// CrossesMidnight reports whether the band's range wraps past midnight.
func (b Band) CrossesMidnight() bool { return !b.AnyTime && b.End <= b.Start }

// Minutes returns the band's length per day in minutes.
func (b Band) Minutes() int {
	if b.AnyTime {
		return 24 * 60
	}
	if b.CrossesMidnight() {
		return 24*60 - b.Start + b.End
	}
	return b.End - b.Start
}

// Contains reports whether the instant t (in the band's local time) is in
// the band.
func (b Band) Contains(t time.Time) bool {
	if b.AnyTime {
		return true
	}
	m := t.Hour()*60 + t.Minute()
	day := t.Weekday()
	if !b.CrossesMidnight() {
		return b.Days[day] && m >= b.Start && m < b.End
	}
	if m >= b.Start {
		return b.Days[day]
	}
	return m < b.End && b.Days[(day+6)%7]
}
