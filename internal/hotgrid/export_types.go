package hotgrid

import "time"

// PlanProvenance says which plan an export of a plan's areas came from:
// its id, unit, period, version and state, and who agreed it when.
type PlanProvenance struct {
	ID       int64     `json:"id"`
	Unit     string    `json:"unit"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"` // exclusive
	Version  int       `json:"version"`
	State    PlanState `json:"state"`
	AgreedBy string    `json:"agreed_by,omitempty"`
	AgreedAt time.Time `json:"agreed_at,omitzero"`
}

// PlanProvenanceOf describes plan p for an export's provenance.
func PlanProvenanceOf(p *Plan) *PlanProvenance {
	return &PlanProvenance{ID: p.ID, Unit: p.Unit, From: p.From, To: p.To, Version: p.Version, State: p.State,
		AgreedBy: p.AgreedBy, AgreedAt: p.AgreedAt}
}
