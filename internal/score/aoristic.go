package score

import (
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Aoristic apportioning works on local wall-clock minutes counted from
// 1970-01-01 00:00 local time, so band edges stay at their clock times
// across daylight saving changes. A window's length is measured on that
// clock too (a window across the October change is an hour longer than it
// was in real time); the error is at most one hour in a window.

const (
	minutesPerDay  = 24 * 60
	minutesPerWeek = 7 * minutesPerDay
	// MaxBandWindow is the longest offence window spread over time bands:
	// the weekly cycle of the bands. A longer window cannot be placed in a
	// band and, like a month-only offence, counts only in the any-time band.
	MaxBandWindow = 7 * 24 * time.Hour
)

// wallMinutes returns t as local wall-clock minutes since 1970-01-01 00:00
// in loc.
func wallMinutes(t time.Time, loc *time.Location) int64 {
	_, off := t.In(loc).Zone()
	s := t.Unix() + int64(off)
	return floorDiv(s, 60)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// weekday of a day counted from 1970-01-01, a Thursday.
func weekday(day int64) time.Weekday {
	return time.Weekday(((day+4)%7 + 7) % 7)
}

// bandContains reports whether wall minute m is in band b.
func bandContains(b *hotgrid.Band, m int64) bool {
	if b.AnyTime {
		return true
	}
	day := floorDiv(m, minutesPerDay)
	mod := int(m - day*minutesPerDay)
	if !b.CrossesMidnight() {
		return b.Days[weekday(day)] && mod >= b.Start && mod < b.End
	}
	if mod >= b.Start {
		return b.Days[weekday(day)]
	}
	return mod < b.End && b.Days[weekday(day-1)]
}

// bandOverlap returns how many minutes of [from, to) fall in band b.
func bandOverlap(b *hotgrid.Band, from, to int64) int64 {
	if b.AnyTime {
		return to - from
	}
	var total int64
	for day := floorDiv(from, minutesPerDay) - 1; day <= floorDiv(to, minutesPerDay); day++ {
		if !b.Days[weekday(day)] {
			continue
		}
		lo := day*minutesPerDay + int64(b.Start)
		hi := day*minutesPerDay + int64(b.End)
		if b.CrossesMidnight() {
			hi += minutesPerDay
		}
		lo, hi = max(lo, from), min(hi, to)
		if hi > lo {
			total += hi - lo
		}
	}
	return total
}

// Placement says how an offence's time could be placed in bands.
type Placement uint8

// Placements of an offence's time.
const (
	Placed    Placement = iota // spread over the bands its window overlaps
	MonthOnly                  // only the month is known: any-time band only
	TooLong                    // window longer than MaxBandWindow: any-time band only
)

// BandShares writes into dst (len(bands)) the share of an offence that
// falls in each band, in local time loc. An instant (to not after from) goes
// wholly to every band that contains it; a window is spread over each band
// in proportion to the part of the window inside that band, so over any set
// of bands that partition the week the shares sum to 1 (the offence's
// weight is conserved). Bands are computed independently: overlapping bands
// (night-time economy, any time) each get their own share. Month-only
// offences and windows longer than MaxBandWindow get 1 in any-time bands
// and 0 elsewhere.
func BandShares(dst []float64, bands []hotgrid.Band, from, to time.Time, monthOnly bool, loc *time.Location) Placement {
	place := Placed
	switch {
	case monthOnly:
		place = MonthOnly
	case to.Sub(from) > MaxBandWindow:
		place = TooLong
	}
	if place != Placed {
		for i := range bands {
			dst[i] = 0
			if bands[i].AnyTime {
				dst[i] = 1
			}
		}
		return place
	}
	f, t := wallMinutes(from, loc), wallMinutes(to, loc)
	for i := range bands {
		b := &bands[i]
		switch {
		case t <= f:
			dst[i] = 0
			if bandContains(b, f) {
				dst[i] = 1
			}
		default:
			dst[i] = float64(bandOverlap(b, f, t)) / float64(t-f)
		}
	}
	return place
}
