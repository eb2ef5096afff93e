package export

import "github.com/hotgrid/hotgrid/internal/hotgrid"

// PlanAreas turns a plan's areas into patrol areas, so an agreed plan
// exports like a ranking: the area's id, rank, cells, expected count and
// harm, the bands of its doses as its peak bands and its first dose. It is
// the hook for exporting agreed plans (the CLI and server do not read plans
// for export yet).
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
