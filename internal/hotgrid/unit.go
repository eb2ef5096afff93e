package hotgrid

import "github.com/paulmach/orb"

// Unit is a Neighbourhood Policing Unit (NPU) or, where data fall outside the
// configured units, a whole force.
type Unit struct {
	Code        string           `json:"code"`
	Name        string           `json:"name"`
	Force       string           `json:"force"`
	Approximate bool             `json:"approximate"` // boundary is an approximation, not the force's own
	Geometry    orb.MultiPolygon `json:"-"`
}

// OutsideUnits is the unit code given to offences that fall in no unit.
const OutsideUnits = ""
