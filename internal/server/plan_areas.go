package server

import (
	"bytes"
	"context"
	"strconv"

	"github.com/hotgrid/hotgrid/internal/export"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// planAreas answers /api/v1/plans/{id}/areas: the plan's patrol areas as a
// GeoJSON FeatureCollection (outlines of their cells, properties as the
// export's patrol areas, the plan in the provenance), which the map page
// colours by coverage.
func (a *API) planAreas(ctx context.Context, c *call) *Response {
	if err := checkParams(c.Query); err != nil {
		return a.fail(err)
	}
	p := c.plan
	k := "plan-areas|" + strconv.FormatInt(p.ID, 10) + "|" + strconv.Itoa(p.Version) + "|" + string(p.State)
	return a.cached(k, func() (*Response, error) {
		in := export.PlanInput(p, nil, a.svc.Provenance(ctx, hotgrid.Query{Units: []string{p.Unit}}))
		in.Cells = nil
		var buf bytes.Buffer
		if err := export.Write(ctx, &buf, "geojson", in); err != nil {
			return nil, err
		}
		r := a.ok(ctGeoJSON, buf.Bytes(), 0)
		r.Header["Cache-Control"] = "private, no-cache" // a plan changes state: revalidate with the ETag
		return r, nil
	})
}
