package server

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/export/feature"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/mapsvg"
)

const ctSVG = "image/svg+xml"

// HeaderView names the response header of /api/v1/map.svg that holds the
// camera it drew (zoom/lat/lon), so the map page can open MapLibre on the
// same view.
const HeaderView = "X-Hotgrid-View"

// The map page's camera limits and the padding its fit to a unit keeps
// (web/src/main.js: minZoom, maxZoom, selection()).
const (
	pageMinZoom = 7
	pageMaxZoom = 18
	pagePadding = 40
	// cellsMinZoom is the cells source's minzoom: further out the page
	// draws no hexagons.
	cellsMinZoom = 8
)

// mapParams are what /api/v1/map.svg takes besides the filters.
var mapParams = []string{"top", "colour", "width", "height", "map", "hide", "legend"}

// mapRequest is a parsed /api/v1/map.svg request.
type mapRequest struct {
	q, knife       hotgrid.Query // the hot grids' and the knife hotspots' queries
	autoRes        bool          // the hexagons' resolution follows the zoom, as the page's tiles do
	view           mapsvg.View
	colourClass    bool
	grids, knifeOn bool
	outlines       bool
	legend         bool // a legend and the attribution: a picture that stands alone
}

// mapSVG answers /api/v1/map.svg: the map page's view drawn as SVG, with
// the camera it drew in the X-Hotgrid-View header.
func (a *API) mapSVG(ctx context.Context, v url.Values) *Response {
	r, err := a.parseMapRequest(v)
	if err != nil {
		return a.fail(err)
	}
	k := key("map.svg", r.q, r.view.String(), strconv.Itoa(r.view.Width), strconv.Itoa(r.view.Height),
		fmt.Sprint(r.autoRes, r.colourClass, r.grids, r.knifeOn, r.outlines, r.legend, r.q.Top))
	return a.cached(k, func() (*Response, error) {
		ctx, cancel := detached(ctx)
		defer cancel()
		p, err := a.mapPicture(ctx, r)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := mapsvg.Write(&buf, p); err != nil {
			return nil, err
		}
		resp := a.ok(ctSVG, buf.Bytes(), a.cfg.MaxAge)
		resp.Header[HeaderView] = p.View.String()
		return resp, nil
	})
}

// parseMapRequest reads the filters, top, colour (metric or class), the
// map's width and height in pixels, its camera (map=zoom/lat/lon; default:
// fit the selected units) and the layers to hide (hide=grids,knife,units).
func (a *API) parseMapRequest(v url.Values) (*mapRequest, error) {
	if err := checkParams(v, append(filterParams, mapParams...)...); err != nil {
		return nil, err
	}
	r := &mapRequest{autoRes: v.Get("res") == "" || v.Get("res") == AutoResolution, grids: true, knifeOn: true, outlines: true}
	fv := cloneValues(v)
	if r.autoRes {
		fv.Del("res") // the hot grids are ranked at the default resolution, as on the page
	}
	var err error
	if r.q, err = a.parseQuery(fv); err != nil {
		return nil, err
	}
	if r.q.Top, err = parseInt("top", v.Get("top"), 1, maxTop, 10); err != nil {
		return nil, err
	}
	kv := url.Values{}
	for _, p := range []string{"unit", "from", "to"} {
		if s := v.Get(p); s != "" {
			kv.Set(p, s)
		}
	}
	if r.knife, err = a.parseQuery(kv); err != nil {
		return nil, err
	}
	r.knife.Top = 3
	if err := r.parseLook(v); err != nil {
		return nil, err
	}
	return r, a.parseCamera(v, r)
}

// parseLook reads colour, hide and legend.
func (r *mapRequest) parseLook(v url.Values) error {
	var err error
	if r.legend, err = parseBool("legend", v.Get("legend")); err != nil {
		return err
	}
	switch c := v.Get("colour"); c {
	case "", "metric":
	case "class":
		r.colourClass = true
	default:
		return hotgrid.FieldErrorf("colour", "%q is not metric or class", c)
	}
	if h := v.Get("hide"); h != "" {
		for _, layer := range strings.Split(h, ",") {
			switch layer {
			case "grids":
				r.grids = false
			case "knife":
				r.knifeOn = false
			case "units":
				r.outlines = false
			default:
				return hotgrid.FieldErrorf("hide", "%q is not a layer that can be hidden (grids, knife, units)", layer)
			}
		}
	}
	return nil
}

// parseCamera reads width, height and map into r.view; without map the
// view fits the selected units (every unit when none is selected).
func (a *API) parseCamera(v url.Values, r *mapRequest) error {
	var err error
	if r.view.Width, err = parseInt("width", v.Get("width"), 64, 4096, 1200); err != nil {
		return err
	}
	if r.view.Height, err = parseInt("height", v.Get("height"), 64, 4096, 800); err != nil {
		return err
	}
	if m := v.Get("map"); m != "" {
		return mapsvg.ParseCamera("map", m, &r.view)
	}
	b, ok := a.unitsBound(r.q.Units)
	if !ok { // the page's view when there are no boundaries
		r.view.Lon, r.view.Lat, r.view.Zoom = -1.89, 52.48, 9
		return nil
	}
	pad := mapsvg.Padding{Top: pagePadding, Right: pagePadding, Bottom: pagePadding, Left: pagePadding}
	if r.legend { // keep the units clear of the legend
		pad.Bottom += mapsvg.KeyHeight + 12
	}
	r.view = mapsvg.Fit(b, r.view.Width, r.view.Height, pad, pageMinZoom, pageMaxZoom).Rounded() // drawn at the camera it names
	return nil
}

// unitsBound is the bound of the boundaries of units (of every unit when
// units is empty).
func (a *API) unitsBound(units []string) (orb.Bound, bool) {
	var b orb.Bound
	found := false
	for _, u := range a.unitList {
		if len(u.Geometry) == 0 || (len(units) > 0 && !slices.Contains(units, u.Code)) {
			continue
		}
		if !found {
			b, found = u.Geometry.Bound(), true
			continue
		}
		b = b.Union(u.Geometry.Bound())
	}
	return b, found
}

// mapPicture gathers what the page's first view draws.
func (a *API) mapPicture(ctx context.Context, r *mapRequest) (mapsvg.Picture, error) {
	p := mapsvg.Picture{View: r.view, Outlines: r.outlines, Basemap: a.cfg.Basemap != "", Title: a.mapTitle(r)}
	for _, u := range a.unitList {
		p.Units = append(p.Units, mapsvg.Unit{Name: u.Name, Geometry: u.Geometry})
	}
	cells, err := a.mapCells(ctx, r)
	if err != nil {
		return p, err
	}
	p.Cells = cells.cells
	if r.legend {
		p.Key = a.mapKey(r, cells)
	}
	if r.grids {
		rk, err := a.svc.Rank(ctx, r.q)
		if err != nil {
			return p, err
		}
		if p.Grids, p.Areas, err = rankingShapes(rk); err != nil {
			return p, err
		}
	}
	if r.knifeOn {
		rk, err := a.svc.Knife(ctx, r.knife)
		if err != nil {
			return p, err
		}
		grids, _, err := rankingShapes(rk)
		if err != nil {
			return p, err
		}
		for _, g := range grids {
			p.Knife = append(p.Knife, g.Cell)
		}
	}
	return p, nil
}

// mapCellSet is the hexagons of a picture, the resolution they are of and
// the legend breaks they are coloured by.
type mapCellSet struct {
	cells  []mapsvg.Cell
	res    int
	breaks []float64
}

// mapCells are the hexagons the page's tiles draw at the view's zoom,
// coloured as the page colours them.
func (a *API) mapCells(ctx context.Context, r *mapRequest) (mapCellSet, error) {
	q := r.q
	if r.autoRes {
		q.Resolution = autoResolution(maptile.Zoom(math.Floor(r.view.Zoom)))
	}
	set := mapCellSet{res: q.Resolution}
	if math.Floor(r.view.Zoom) < cellsMinZoom {
		return set, nil
	}
	ix, err := a.index(ctx, q)
	if err != nil {
		return set, err
	}
	metric := string(q.Metric)
	set.breaks = summarise(ix).Breaks[metric]
	near := nearMap(r.view)
	for i := range ix.cells {
		c := &ix.cells[i]
		id, err := cellID(c)
		if err != nil {
			return set, err
		}
		if !shows(c) || !near.Contains(geo.Center(id)) {
			continue
		}
		fill, op := mapsvg.ClassFill(c.Class)
		if !r.colourClass {
			fill, op = mapsvg.MetricFill(round4(metricValue(c, metric)), set.breaks)
		}
		set.cells = append(set.cells, mapsvg.Cell{Cell: id, Fill: fill, Opacity: op})
	}
	return set, checkCells(len(set.cells), a.cfg.MaxCells)
}

// cellID is a scored cell's H3 index, read from its text when unset.
func cellID(c *hotgrid.CellScore) (uint64, error) {
	if c.Cell != 0 {
		return c.Cell, nil
	}
	id, err := geo.ParseCell(c.H3)
	if err != nil {
		return 0, fmt.Errorf("scored cell %q: %w", c.H3, err)
	}
	return id, nil
}

// nearMap is the map's lon/lat box widened by more than the radius of a
// resolution-7 cell (the coarsest there is): a cell whose centre is
// outside it cannot show.
func nearMap(v mapsvg.View) orb.Bound {
	b := v.Bound()
	b.Min[0], b.Min[1], b.Max[0], b.Max[1] = b.Min[0]-0.035, b.Min[1]-0.02, b.Max[0]+0.035, b.Max[1]+0.02
	return b
}

// BoundaryAttribution credits the unit boundaries: the map page shows it
// (from /api/v1/config) and so does a picture with a legend.
const BoundaryAttribution = "Boundaries: ONS/OS (approximate NPUs), OGL v3.0"

// mapKey is the legend of a picture that stands alone (legend=1): what it
// shows, in the words of the page's panel.
func (a *API) mapKey(r *mapRequest, cells mapCellSet) *mapsvg.Key {
	window := "all dates"
	if !r.q.From.IsZero() || !r.q.To.IsZero() {
		window = dayText(r.q.From, "start") + " – " + dayText(r.q.To.Add(-time.Nanosecond), "end") // To is exclusive
	}
	measure := map[string]string{"harm": "Harm (crime severity score)", "count": "Offences (expected count)", "recency": "Recency-weighted harm"}[string(r.q.Metric)]
	if r.colourClass {
		measure = "Getis-Ord Gi* significance"
	}
	return &mapsvg.Key{
		Title:       fmt.Sprintf("Hot grids · %s · %s · %s", unitsText(r.q.Units), a.bandText(r.q.Band), window),
		Subtitle:    fmt.Sprintf("%s per cell, H3 resolution %d; top %d per unit", measure, cells.res, r.q.Top),
		Breaks:      cells.breaks,
		Classes:     r.colourClass,
		Attribution: BoundaryAttribution + " · hotgrid",
	}
}

// dayText is a day of a window in the server's zone, or what an open end
// means.
func dayText(t time.Time, open string) string {
	if t.IsZero() || t.Year() < 2 {
		return open
	}
	return t.Format("2 Jan 2006")
}

// metricValue is a cell's value of a metric named as the API names it
// (count, harm or recency).
func metricValue(c *hotgrid.CellScore, metric string) float64 {
	switch metric {
	case "count":
		return c.Count
	case "recency":
		return c.Recency
	}
	return c.Harm
}

// rankingShapes are a ranking's cells, best first within each unit, and
// the outlines of its patrol areas, as the exports build them.
func rankingShapes(rk *hotgrid.Ranking) ([]mapsvg.Grid, []orb.MultiPolygon, error) {
	set, err := feature.Prepare(rankingInput(rk))
	if err != nil {
		return nil, nil, err
	}
	grids := make([]mapsvg.Grid, len(set.Cells))
	for i, c := range set.Cells {
		grids[i] = mapsvg.Grid{Cell: c.Cell, Rank: c.Rank, Unit: c.Unit, H3: c.H3}
	}
	areas := make([]orb.MultiPolygon, len(set.Areas))
	for i, ar := range set.Areas {
		areas[i] = ar.Outline
	}
	return grids, areas, nil
}

// mapTitle says what a picture shows.
func (a *API) mapTitle(r *mapRequest) string {
	return fmt.Sprintf("hotgrid: hot grids of %s, %s, ranked by %s", unitsText(r.q.Units), a.bandText(r.q.Band), r.q.Metric)
}

// unitsText names the units of a query.
func unitsText(units []string) string {
	if len(units) == 0 {
		return "all units"
	}
	return strings.Join(units, ", ")
}

// bandText is a band's label ("any time" for the band of every hour).
func (a *API) bandText(name string) string {
	for _, b := range a.bandList {
		if b.Name != name || b.AnyTime {
			continue
		}
		if b.Label != "" {
			return b.Label
		}
		return b.Name
	}
	return "any time"
}
