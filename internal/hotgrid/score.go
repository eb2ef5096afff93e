package hotgrid

import "time"

// Metric is what cells are ranked by.
type Metric string

// Metrics a query may rank by.
const (
	MetricCount   Metric = "count"   // expected offence count (aoristic)
	MetricHarm    Metric = "harm"    // ONS Crime Severity Score weighted count
	MetricRecency Metric = "recency" // harm weighted by an exponential decay with a half-life
)

// Class is a cell's significance class from Gi* after the FDR correction.
type Class string

// Classes, hottest first.
const (
	ClassHot99  Class = "hot-99"
	ClassHot95  Class = "hot-95"
	ClassHot90  Class = "hot-90"
	ClassNone   Class = "not-significant"
	ClassCold90 Class = "cold-90"
	ClassCold95 Class = "cold-95"
	ClassCold99 Class = "cold-99"
)

// Query selects offences and scoring options. Zero values mean defaults:
// every unit, the any-time band, no date bounds, harm, top 10, resolution 9.
type Query struct {
	Units           []string  `json:"units,omitempty"`
	Band            string    `json:"band,omitempty"`
	From            time.Time `json:"from,omitempty"` // inclusive
	To              time.Time `json:"to,omitempty"`   // exclusive
	Metric          Metric    `json:"metric,omitempty"`
	Top             int       `json:"top,omitempty"`
	Resolution      int       `json:"resolution,omitempty"`
	Categories      []string  `json:"categories,omitempty"`
	SignificantOnly bool      `json:"significant_only,omitempty"`
	HalfLifeDays    float64   `json:"half_life_days,omitempty"`
	K               int       `json:"k,omitempty"` // Gi* ring size
}

// CellScore is one cell's scores for one band and window.
type CellScore struct {
	Cell     uint64  `json:"-"`
	H3       string  `json:"h3"`
	Unit     string  `json:"unit"`
	Rank     int     `json:"rank"`
	Count    float64 `json:"count"`
	Harm     float64 `json:"harm"`
	Recency  float64 `json:"recency"`
	Z        float64 `json:"z"`
	P        float64 `json:"p"` // two-sided p-value
	Q        float64 `json:"q"` // Benjamini-Hochberg adjusted p-value
	Class    Class   `json:"class"`
	Trend    string  `json:"trend"`
	PeakBand string  `json:"peak_band"`
	Area     string  `json:"patrol_area,omitempty"` // id of the patrol area it belongs to
}

// Dose is the suggested patrol dose for a patrol area.
type Dose struct {
	Band         string `json:"band"`
	VisitMinutes int    `json:"visit_minutes"`
	EveryMinutes int    `json:"every_minutes"`
	Visits       int    `json:"visits"` // visits per band per day
}

// PatrolArea is a group of adjacent chosen cells patrolled as one.
type PatrolArea struct {
	ID        string   `json:"id"`
	Unit      string   `json:"unit"`
	Rank      int      `json:"rank"`
	Cells     []string `json:"cells"`
	Count     float64  `json:"count"`
	Harm      float64  `json:"harm"`
	PeakBands []string `json:"peak_bands"`
	Dose      Dose     `json:"dose"`
}

// UnitRanking is one unit's hot grid.
type UnitRanking struct {
	Unit       string       `json:"unit"`
	Name       string       `json:"name"`
	StudyCells int          `json:"study_cells"`
	Cells      []CellScore  `json:"cells"`
	Areas      []PatrolArea `json:"patrol_areas"`
}

// Ranking is the answer to a rank or knife query.
type Ranking struct {
	Query     Query         `json:"query"`
	StudyArea string        `json:"study_area"` // "units", "force boundary" or "offence cells and rings"
	Units     []UnitRanking `json:"units"`
	Notes     []string      `json:"notes"` // limitations the user must see, e.g. month-only data
	Offences  int           `json:"offences"`
}
