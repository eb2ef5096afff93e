package score

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Offence flags in the index.
const (
	flagMonthOnly uint8 = 1 << iota // only the month is known
	flagTooLong                     // window longer than MaxBandWindow
)

// shareScale is the fixed-point scale of stored band shares (uint16).
const shareScale = 65535

// index is the columnar in-memory form of every offence, sorted by unit and
// then by resolution-11 cell, so each unit is a contiguous range and the
// parents of consecutive offences at any resolution are non-decreasing.
// Resident cost is about 44 bytes an offence with the ten default bands:
// cell 8, mid 8, weight 4, unit 2, month 2, category/weapon/flags 3, and
// 2 bytes per timed band share (any-time shares are always 1, not stored).
type index struct {
	cell   []uint64  // H3 cell at hotgrid.StoreResolution
	mid    []int64   // unix seconds of the window's midpoint
	weight []float32 // ONS CSS weight
	unit   []uint16  // index into Engine.units
	month  []uint16  // months since 1970-01 (local) of mid
	cat    []uint8   // index into Engine.cats
	weapon []uint8   // hotgrid.Weapon
	flags  []uint8
	shares []uint16 // len = n * timed; share of each timed band * shareScale

	timed          int     // bands with a stored share
	unitStart      []int32 // unit u is [unitStart[u], unitStart[u+1])
	minFrom        int64   // unix seconds, for provenance
	minMid, maxMid int64   // unix seconds: the default query window is [minMid, maxMid]
	maxTo          int64
	weaponsFlagged []int // per unit: offences with a weapon flag other than unknown
}

func (ix *index) len() int { return len(ix.cell) }

// builder collects offences during the scan.
type builder struct {
	e      *Engine
	ix     index
	shares []float64
	wcache map[[2]string]float32
	loc    *time.Location
}

func (b *builder) add(o *hotgrid.Offence) error {
	e := b.e
	if o.To.Before(o.From) {
		return fmt.Errorf("offence %s (%s row %d): occurred_to %s is before occurred_from %s",
			o.ID, o.Source.File, o.Source.Row, o.To.Format(time.RFC3339), o.From.Format(time.RFC3339))
	}
	if o.Cell == 0 {
		return fmt.Errorf("offence %s (%s row %d): no H3 cell", o.ID, o.Source.File, o.Source.Row)
	}
	u, err := e.unitFor(o)
	if err != nil {
		return err
	}
	key := [2]string{o.OffenceCode, o.Category}
	w, ok := b.wcache[key]
	if !ok {
		wf, _ := e.cfg.Weights.Weight(o.OffenceCode, o.Category)
		w = float32(wf)
		b.wcache[key] = w
	}
	ix := &b.ix
	ix.cell = append(ix.cell, o.Cell)
	from, to := o.From.Unix(), o.To.Unix()
	mid := from + (to-from)/2
	ix.mid = append(ix.mid, mid)
	ix.weight = append(ix.weight, w)
	ix.unit = append(ix.unit, uint16(u))
	ix.month = append(ix.month, monthIndex(time.Unix(mid, 0).In(b.loc)))
	ix.cat = append(ix.cat, e.categoryIndex(o.Category))
	ix.weapon = append(ix.weapon, uint8(o.Weapon))
	place := BandShares(b.shares, e.bands, o.From, o.To, o.MonthOnly, b.loc)
	var fl uint8
	switch place {
	case MonthOnly:
		fl = flagMonthOnly
	case TooLong:
		fl = flagTooLong
	}
	ix.flags = append(ix.flags, fl)
	for i, s := range b.shares {
		if !e.bands[i].AnyTime {
			ix.shares = append(ix.shares, uint16(math.Round(s*shareScale)))
		}
	}
	if len(ix.cell) == 1 {
		ix.minFrom, ix.maxTo, ix.minMid, ix.maxMid = from, to, mid, mid
	}
	ix.minFrom, ix.maxTo = min(ix.minFrom, from), max(ix.maxTo, to)
	ix.minMid, ix.maxMid = min(ix.minMid, mid), max(ix.maxMid, mid)
	return nil
}

// monthIndex counts months from 1970-01.
func monthIndex(t time.Time) uint16 {
	return uint16((t.Year()-1970)*12 + int(t.Month()) - 1)
}

// monthString formats a month index as YYYY-MM.
func monthString(m int) string {
	return fmt.Sprintf("%04d-%02d", 1970+m/12, m%12+1)
}

// finish sorts the units found in the data (after the configured ones) by
// code, so results do not depend on scan order, then sorts the index by
// (unit, cell, mid) and records unit ranges.
func (b *builder) finish(nunits int) *index {
	ix := &b.ix
	n := ix.len()
	b.e.sortDataUnits(ix.unit)
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortFunc(perm, func(a, c int32) int {
		switch {
		case ix.unit[a] != ix.unit[c]:
			return int(ix.unit[a]) - int(ix.unit[c])
		case ix.cell[a] != ix.cell[c]:
			if ix.cell[a] < ix.cell[c] {
				return -1
			}
			return 1
		case ix.mid[a] != ix.mid[c]:
			if ix.mid[a] < ix.mid[c] {
				return -1
			}
			return 1
		}
		return int(a - c)
	})
	ix.cell = permute(ix.cell, perm)
	ix.mid = permute(ix.mid, perm)
	ix.weight = permute(ix.weight, perm)
	ix.unit = permute(ix.unit, perm)
	ix.month = permute(ix.month, perm)
	ix.cat = permute(ix.cat, perm)
	ix.weapon = permute(ix.weapon, perm)
	ix.flags = permute(ix.flags, perm)
	t := ix.timed
	sh := make([]uint16, len(ix.shares))
	for i, p := range perm {
		copy(sh[i*t:(i+1)*t], ix.shares[int(p)*t:(int(p)+1)*t])
	}
	ix.shares = sh
	ix.unitStart = make([]int32, nunits+1)
	ix.weaponsFlagged = make([]int, nunits)
	for i := 0; i < n; i++ {
		ix.unitStart[ix.unit[i]+1]++
		if hotgrid.Weapon(ix.weapon[i]) != hotgrid.WeaponUnknown {
			ix.weaponsFlagged[ix.unit[i]]++
		}
	}
	for u := 0; u < nunits; u++ {
		ix.unitStart[u+1] += ix.unitStart[u]
	}
	return ix
}

// permute returns s reordered by perm in a new slice of exact size, so the
// builder's over-allocated slices can be freed.
func permute[T any](s []T, perm []int32) []T {
	out := make([]T, len(s))
	for i, p := range perm {
		out[i] = s[p]
	}
	return out
}
