package plan

import (
	"sort"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// FitArea is one area's dose in one band against the unit's capacity.
type FitArea struct {
	Area  string  `json:"area"`
	Rank  int     `json:"rank"`
	Harm  float64 `json:"harm"`
	Band  string  `json:"band"`
	Need  int     `json:"need_minutes"`  // per day
	Given int     `json:"given_minutes"` // the unit's minutes it gets
	Short int     `json:"short_minutes"` // what force resources must give
}

// FitBand is one band's demand against capacity.
type FitBand struct {
	Band     string    `json:"band"`
	Capacity int       `json:"capacity_minutes"`
	Demand   int       `json:"demand_minutes"`
	Given    int       `json:"given_minutes"`
	Areas    []FitArea `json:"areas"`
}

// Fit is a plan's doses fitted into its unit's capacity.
type Fit struct {
	Plan         int64     `json:"plan"`
	Unit         string    `json:"unit"`
	Bands        []FitBand `json:"bands"`
	Shortfall    []FitArea `json:"shortfall"` // areas the unit cannot fully cover, by band then harm
	ShortMinutes int       `json:"short_minutes"`
}

// FitCapacity gives, band by band, the unit's daily patrol minutes to the
// plan's areas in order of harm (highest first, ties by rank then id): each
// area gets its full dose while minutes remain, the area where they run out
// gets what is left, and every area not fully served is in the shortfall.
// A band with no stated capacity has none.
func FitCapacity(p *hotgrid.Plan, caps []hotgrid.Capacity) *Fit {
	capOf := map[string]int{}
	for _, c := range caps {
		if c.Unit == "" || c.Unit == p.Unit {
			capOf[c.Band] += c.Minutes
		}
	}
	byBand := map[string][]FitArea{}
	for _, a := range p.Areas {
		for _, d := range a.Doses {
			byBand[d.Band] = append(byBand[d.Band], FitArea{Area: a.ID, Rank: a.Rank, Harm: a.Harm, Band: d.Band, Need: d.VisitMinutes * d.Visits})
		}
	}
	names := make([]string, 0, len(byBand))
	for b := range byBand {
		names = append(names, b)
	}
	sort.Strings(names)
	f := &Fit{Plan: p.ID, Unit: p.Unit, Bands: []FitBand{}, Shortfall: []FitArea{}}
	for _, b := range names {
		as := byBand[b]
		sort.SliceStable(as, func(i, j int) bool {
			if as[i].Harm != as[j].Harm {
				return as[i].Harm > as[j].Harm
			}
			if as[i].Rank != as[j].Rank {
				return as[i].Rank < as[j].Rank
			}
			return as[i].Area < as[j].Area
		})
		fb := FitBand{Band: b, Capacity: capOf[b]}
		left := fb.Capacity
		for i := range as {
			a := &as[i]
			a.Given = min(a.Need, left)
			a.Short = a.Need - a.Given
			left -= a.Given
			fb.Demand += a.Need
			fb.Given += a.Given
			if a.Short > 0 {
				f.Shortfall = append(f.Shortfall, *a)
				f.ShortMinutes += a.Short
			}
		}
		fb.Areas = as
		f.Bands = append(f.Bands, fb)
	}
	return f
}

// ValidateCapacity checks a unit's capacity list.
func (s *Service) ValidateCapacity(unit string, caps []hotgrid.Capacity) error {
	seen := map[string]bool{}
	for i, c := range caps {
		if c.Band == "" {
			return hotgrid.FieldErrorf("capacity", "row %d: no band", i+1)
		}
		if len(s.Bands) > 0 && !bandKnown(s.Bands, c.Band) {
			return hotgrid.FieldErrorf("capacity", "row %d: unknown band %q", i+1, c.Band)
		}
		if seen[c.Band] {
			return hotgrid.FieldErrorf("capacity", "row %d: band %q given twice", i+1, c.Band)
		}
		seen[c.Band] = true
		if c.Minutes < 0 || c.Minutes > 100000 {
			return hotgrid.FieldErrorf("capacity", "row %d: minutes must be 0 to 100000", i+1)
		}
		if c.Unit != "" && c.Unit != unit {
			return hotgrid.FieldErrorf("capacity", "row %d: unit %q is not %q", i+1, c.Unit, unit)
		}
	}
	return nil
}

func bandKnown(bs []hotgrid.Band, name string) bool {
	for _, b := range bs {
		if b.Name == name {
			return true
		}
	}
	return false
}
