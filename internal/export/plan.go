package export

import (
	"fmt"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// PlanAreas turns a plan's areas into patrol areas, so an agreed plan
// exports like a ranking: the area's id, rank, cells, expected count and
// harm, the bands of its doses as its peak bands and its first dose.
func PlanAreas(p *hotgrid.Plan) []hotgrid.PatrolArea {
	out := make([]hotgrid.PatrolArea, 0, len(p.Areas))
	for _, a := range p.Areas {
		pa := hotgrid.PatrolArea{ID: a.ID, Unit: p.Unit, Rank: a.Rank, Cells: append([]string(nil), a.Cells...), Count: a.Count, Harm: a.Harm}
		for _, d := range a.Doses {
			pa.PeakBands = append(pa.PeakBands, d.Band)
		}
		if len(a.Doses) > 0 {
			pa.Dose = a.Doses[0]
		}
		out = append(out, pa)
	}
	return out
}

// PlanInput is the export of plan p: its areas as patrol areas
// (PlanAreas), and its cells, each with its patrol area and the scores it
// has in scored (the unit's scored cells of the export's window; a plan
// cell not among them keeps only its H3 index, unit and area), in the
// plan's area order. prov is completed with the plan (Provenance.Plan) and
// a note saying which plan it is; the layer is named hotgrid-plan-ID.
func PlanInput(p *hotgrid.Plan, scored []hotgrid.CellScore, prov hotgrid.Provenance) Input {
	byH3 := make(map[string]hotgrid.CellScore, len(scored))
	for _, c := range scored {
		byH3[c.H3] = c
	}
	var cells []hotgrid.CellScore
	for _, a := range p.Areas {
		for _, h := range a.Cells {
			c, ok := byH3[h]
			if !ok {
				c = hotgrid.CellScore{H3: h, Unit: p.Unit}
			}
			c.Area = a.ID
			cells = append(cells, c)
		}
	}
	prov.Plan = hotgrid.PlanProvenanceOf(p)
	prov.Notes = append(append([]string(nil), prov.Notes...), PlanNote(p))
	return Input{Cells: cells, Areas: PlanAreas(p), Provenance: prov, Layer: fmt.Sprintf("hotgrid-plan-%d", p.ID)}
}

// PlanNote describes a plan in one line for an export's notes.
func PlanNote(p *hotgrid.Plan) string {
	s := fmt.Sprintf("Patrol plan %d (unit %s, %s to %s, version %d) is %s", p.ID, p.Unit,
		p.From.Format(time.DateOnly), p.To.AddDate(0, 0, -1).Format(time.DateOnly), p.Version, p.State)
	if p.AgreedBy != "" {
		s += fmt.Sprintf(": agreed by %s at %s", p.AgreedBy, p.AgreedAt.UTC().Format(time.RFC3339))
	} else if p.State != hotgrid.PlanAgreed && p.State != hotgrid.PlanClosed {
		s += ": not agreed, a draft for discussion"
	}
	return s + "."
}
