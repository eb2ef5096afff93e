package evaluate

import (
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// BandShare is the aoristic share of the occurrence window [from, to] that
// falls in band b: 1 or 0 for an instant, the overlap fraction (sampled
// every 5 minutes) for a window, and the band's share of a week for windows
// of a week or more.
func BandShare(b hotgrid.Band, from, to time.Time) float64 {
	if b.AnyTime {
		return 1
	}
	if !to.After(from) {
		if b.Contains(from) {
			return 1
		}
		return 0
	}
	const step = 5 * time.Minute
	if to.Sub(from) >= 7*24*time.Hour {
		days := 0
		for _, d := range b.Days {
			if d {
				days++
			}
		}
		return float64(days*b.Minutes()) / (7 * 24 * 60)
	}
	in, all := 0, 0
	for t := from.Add(step / 2); t.Before(to); t = t.Add(step) {
		all++
		if b.Contains(t) {
			in++
		}
	}
	if all == 0 {
		if b.Contains(from) {
			return 1
		}
		return 0
	}
	return float64(in) / float64(all)
}
