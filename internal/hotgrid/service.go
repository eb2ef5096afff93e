package hotgrid

import (
	"context"
	"time"
)

// MonthValue is one month of a cell's series.
type MonthValue struct {
	Month string  `json:"month"` // YYYY-MM
	Count float64 `json:"count"`
	Harm  float64 `json:"harm"`
}

// CellDetail is everything known about one cell for a query.
type CellDetail struct {
	CellScore
	ByCategory map[string]float64 `json:"by_category"` // expected counts
	ByBand     map[string]float64 `json:"by_band"`     // expected counts (month-only offences only in "any")
	Monthly    []MonthValue       `json:"monthly"`
	Knife      float64            `json:"knife_robberies"`
}

// Provenance says how a result was made; exports carry it.
type Provenance struct {
	Sources        []SourceFile `json:"sources"`
	DataFrom       time.Time    `json:"data_from"`
	DataTo         time.Time    `json:"data_to"`
	Query          Query        `json:"query"`
	Bands          []string     `json:"bands"`
	WeightsVersion string       `json:"weights_version"`
	Version        string       `json:"hotgrid_version"`
	MadeAt         time.Time    `json:"made_at"`
	Notes          []string     `json:"notes,omitempty"`
	// Plan is set when the export holds a patrol plan's areas.
	Plan *PlanProvenance `json:"plan,omitempty"`
}

// Service answers hot grid questions over a loaded data set. The scoring
// engine (internal/score) implements it; the CLI, the server and exports
// use it, so all three give the same answers.
type Service interface {
	Units() []Unit
	Bands() []Band
	// Rank returns each unit's top cells and patrol areas.
	Rank(ctx context.Context, q Query) (*Ranking, error)
	// Knife returns each unit's top knife-point robbery cells (Top 3 by
	// default); Notes says so when the data carry no weapon flag.
	Knife(ctx context.Context, q Query) (*Ranking, error)
	// Cells returns every scored cell of the query's units, ranked.
	Cells(ctx context.Context, q Query) ([]CellScore, error)
	// Cell returns one cell's detail; ENOTFOUND for a cell outside the study area.
	Cell(ctx context.Context, h3 string, q Query) (*CellDetail, error)
	// Provenance describes the data and settings behind a query's answer.
	Provenance(ctx context.Context, q Query) Provenance
}
