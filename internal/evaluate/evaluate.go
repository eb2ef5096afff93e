// Package evaluate backtests hot grid forecasts. It trains each ranking
// method on one window of offences, flags the top cells of every study area
// until an area budget is used, and scores the flags on the following window
// with hit rate, PAI (Predictive Accuracy Index), PEI* (Predictive Efficiency
// Index) and their harm-weighted versions. Offences arrive through a ScanFunc,
// so the same code runs on a store or on parsed files.
package evaluate

import (
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// ScanFunc calls fn for every offence; it has the shape of the scoring
// engine's ScanFunc, usually a closure over OffenceStore.ScanOffences.
type ScanFunc func(fn func(*hotgrid.Offence) error) error

// DefaultBudgets are the area budgets, as fractions of the study area.
var DefaultBudgets = []float64{0.005, 0.01, 0.02, 0.05}

// GroupAll is the crime group of every crime except anti-social behaviour.
const GroupAll = "all"

// Event is one offence as the evaluation sees it.
type Event struct {
	ID       string
	Force    string
	Cell     uint64 // H3 cell at the evaluation resolution
	Lon, Lat float64
	From, To time.Time // occurrence window; month-only offences span their month
	Group    string    // crime group of the offence's category
	Harm     float64   // severity weight (times Weight)
	Weight   float64   // expected share in the evaluated band (1 for the any-time band)
	Idx      int32     // index of Cell in the study area, -1 outside
}

// Mid returns the middle of the occurrence window.
func (e *Event) Mid() time.Time { return e.From.Add(e.To.Sub(e.From) / 2) }

// Num is a float that encodes NaN and infinities as JSON null: PAI and PEI*
// are undefined when nothing was flagged or nothing happened.
type Num float64

// MarshalJSON implements json.Marshaler.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, round(f, 6), 'f', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Num(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = Num(f)
	return nil
}

// Valid reports whether n is a finite number.
func (n Num) Valid() bool { return !math.IsNaN(float64(n)) && !math.IsInf(float64(n), 0) }

func round(f float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(f*p) / p
}
