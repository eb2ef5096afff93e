package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/export"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/maptile/tilecover"
)

const (
	ctJSON    = "application/json; charset=utf-8"
	ctGeoJSON = "application/geo+json"
	ctMVT     = "application/vnd.mapbox-vector-tile"
)

// computeTimeout bounds one scoring computation. It runs detached from the
// request that started it, since other requests may be waiting for it.
const computeTimeout = 2 * time.Minute

func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), computeTimeout)
}

// healthz reports the service is up and has data.
func (a *API) healthz(_ context.Context) *Response {
	b, _ := json.Marshal(map[string]any{"status": "ok", "version": a.cfg.Version,
		"units": len(a.unitList), "bands": len(a.bandList)})
	return &Response{Status: http.StatusOK, Body: b, Header: map[string]string{
		"Content-Type": ctJSON, "Cache-Control": "no-store"}}
}

// pageConfig is what the map page needs to start.
type pageConfig struct {
	Version            string   `json:"version"`
	Basemap            string   `json:"basemap,omitempty"`
	BasemapAttribution string   `json:"basemap_attribution,omitempty"`
	Attribution        string   `json:"attribution"` // of the unit boundaries
	Metrics            []string `json:"metrics"`
	Classes            []string `json:"classes"`
	Categories         []string `json:"categories"`
	Formats            []string `json:"export_formats"`
	Resolution         int      `json:"default_resolution"`
	MinResolution      int      `json:"min_resolution"`
	MaxResolution      int      `json:"max_resolution"`
}

func (a *API) config(q url.Values) *Response {
	if err := checkParams(q); err != nil {
		return a.fail(err)
	}
	return a.cached("config", func() (*Response, error) {
		c := pageConfig{Version: a.cfg.Version, Basemap: a.cfg.Basemap, BasemapAttribution: a.cfg.BasemapAttribution, Attribution: BoundaryAttribution,
			Metrics: []string{string(hotgrid.MetricHarm), string(hotgrid.MetricCount), string(hotgrid.MetricRecency)},
			Classes: []string{string(hotgrid.ClassHot99), string(hotgrid.ClassHot95), string(hotgrid.ClassHot90),
				string(hotgrid.ClassNone), string(hotgrid.ClassCold90), string(hotgrid.ClassCold95), string(hotgrid.ClassCold99)},
			Formats: export.Formats, Resolution: hotgrid.DefaultResolution,
			MinResolution: hotgrid.MinResolution, MaxResolution: hotgrid.MaxResolution}
		for _, cat := range hotgrid.Categories {
			c.Categories = append(c.Categories, cat.Slug+"|"+cat.Name)
		}
		return a.okJSON(ctJSON, c, 0)
	})
}

// units answers the unit boundaries as a FeatureCollection.
func (a *API) units(q url.Values) *Response {
	if err := checkParams(q); err != nil {
		return a.fail(err)
	}
	return a.cached("units", func() (*Response, error) {
		fc := geojson.NewFeatureCollection()
		for _, u := range a.unitList {
			var g orb.Geometry = u.Geometry
			if len(u.Geometry) == 1 {
				g = u.Geometry[0]
			}
			f := geojson.NewFeature(g)
			f.Properties = geojson.Properties{"code": u.Code, "name": u.Name, "force": u.Force, "approximate": u.Approximate}
			if len(u.Geometry) > 0 {
				f.BBox = geojson.NewBBox(u.Geometry.Bound())
			}
			fc.Append(f)
		}
		return a.okJSON(ctGeoJSON, fc, a.cfg.MaxAge)
	})
}

// bandJSON is a band with its days spelled out.
type bandJSON struct {
	hotgrid.Band
	Days []string `json:"days"`
}

func (a *API) bands(q url.Values) *Response {
	if err := checkParams(q); err != nil {
		return a.fail(err)
	}
	return a.cached("bands", func() (*Response, error) {
		out := []bandJSON{}
		for _, b := range a.bandList {
			bj := bandJSON{Band: b, Days: []string{}}
			for d := time.Sunday; d <= time.Saturday; d++ {
				if b.Days[d] || b.AnyTime {
					bj.Days = append(bj.Days, strings.ToLower(d.String()[:3]))
				}
			}
			out = append(out, bj)
		}
		return a.okJSON(ctJSON, out, a.cfg.MaxAge)
	})
}

// hotgrids answers each unit's top cells and patrol areas as GeoJSON, the
// same FeatureCollection `hotgrid export --format geojson` writes.
func (a *API) hotgrids(ctx context.Context, v url.Values) *Response {
	if err := checkParams(v, append(filterParams, "top")...); err != nil {
		return a.fail(err)
	}
	q, err := a.parseQuery(v)
	if err != nil {
		return a.fail(err)
	}
	if q.Top, err = parseInt("top", v.Get("top"), 1, maxTop, 10); err != nil {
		return a.fail(err)
	}
	return a.cached(key("hotgrids", q), func() (*Response, error) {
		ctx, cancel := detached(ctx)
		defer cancel()
		rk, err := a.svc.Rank(ctx, q)
		if err != nil {
			return nil, err
		}
		return a.rankingGeoJSON(ctx, q, rk, "hotgrids")
	})
}

// knife answers each unit's top knife-point robbery cells.
func (a *API) knife(ctx context.Context, v url.Values) *Response {
	if err := checkParams(v, "unit", "top", "from", "to", "res"); err != nil {
		return a.fail(err)
	}
	q, err := a.parseQuery(v)
	if err != nil {
		return a.fail(err)
	}
	if q.Top, err = parseInt("top", v.Get("top"), 1, maxTop, 3); err != nil {
		return a.fail(err)
	}
	return a.cached(key("knife", q), func() (*Response, error) {
		ctx, cancel := detached(ctx)
		defer cancel()
		rk, err := a.svc.Knife(ctx, q)
		if err != nil {
			return nil, err
		}
		return a.rankingGeoJSON(ctx, q, rk, "knife-robbery-hotspots")
	})
}

// rankingGeoJSON writes a ranking with the export package's GeoJSON writer;
// its provenance carries the ranking's notes.
func (a *API) rankingGeoJSON(ctx context.Context, q hotgrid.Query, rk *hotgrid.Ranking, layer string) (*Response, error) {
	in := rankingInput(rk)
	if err := checkCells(len(in.Cells), a.cfg.MaxCells); err != nil {
		return nil, err
	}
	in.Layer = layer
	in.Provenance = a.svc.Provenance(ctx, q)
	in.Provenance.Notes = appendNew(in.Provenance.Notes, rk.Notes...)
	var buf bytes.Buffer
	if err := export.Write(ctx, &buf, "geojson", in); err != nil {
		return nil, err
	}
	return a.ok(ctGeoJSON, buf.Bytes(), a.cfg.MaxAge), nil
}

// rankingInput flattens a ranking's units into an export input.
func rankingInput(rk *hotgrid.Ranking) export.Input {
	var in export.Input
	for _, u := range rk.Units {
		in.Cells = append(in.Cells, u.Cells...)
		in.Areas = append(in.Areas, u.Areas...)
	}
	return in
}

func appendNew(list []string, more ...string) []string {
	for _, m := range more {
		found := false
		for _, l := range list {
			if l == m {
				found = true
				break
			}
		}
		if !found {
			list = append(list, m)
		}
	}
	return list
}

// cellIndex is every scored cell of a query, ready for tiles and summaries.
type cellIndex struct {
	cells []hotgrid.CellScore
	tiles *tiles.Index
}

// index returns the (cached) scored cells of a query.
func (a *API) index(ctx context.Context, q hotgrid.Query) (*cellIndex, error) {
	q.Top = 0
	return a.indexes.get(key("cells", q), func() (*cellIndex, error) {
		ctx, cancel := detached(ctx)
		defer cancel()
		cells, err := a.svc.Cells(ctx, q)
		if err != nil {
			return nil, err
		}
		ix, err := tiles.NewIndex(visible(cells))
		if err != nil {
			return nil, err
		}
		return &cellIndex{cells: cells, tiles: ix}, nil
	})
}

// visible returns the cells worth drawing: those with offences, plus
// significant cold spots (which may have none). The rest of the study area
// stays blank, which keeps low-zoom tiles small.
func visible(cells []hotgrid.CellScore) []hotgrid.CellScore {
	out := make([]hotgrid.CellScore, 0, len(cells))
	for i := range cells {
		if shows(&cells[i]) {
			out = append(out, cells[i])
		}
	}
	return out
}

// shows is whether a cell is drawn on the map (see visible).
func shows(c *hotgrid.CellScore) bool {
	return c.Count > 0 || (c.Class != hotgrid.ClassNone && c.Class != "")
}

// Warm computes the answers the map page asks for first, so the first
// visitor does not wait for scoring. Errors are logged, not returned.
func (a *API) Warm(ctx context.Context) {
	start := a.now()
	for _, p := range []string{"/api/v1/config", "/api/v1/units", "/api/v1/bands", "/api/v1/summary", "/api/v1/summary?res=" + strconv.Itoa(CoarseResolution), "/api/v1/hotgrids", "/api/v1/knife-robbery-hotspots"} {
		if ctx.Err() != nil {
			return
		}
		if r := a.internalGet(ctx, p); r.Status != http.StatusOK {
			a.log.Warn("warm-up failed", "path", p, "status", r.Status, "body", string(r.Body))
		}
	}
	a.warmTiles(ctx)
	a.log.Info("warmed up", "ms", a.now().Sub(start).Milliseconds())
}

// warmTileMinZoom is the shallowest zoom Warm draws tiles of: from it to
// cachedTileZoom are the zooms the map page opens at, whatever the
// window's size.
const warmTileMinZoom = 8

// warmTiles draws the default view's tiles from warmTileMinZoom to
// cachedTileZoom over its cells, so the map's first tiles come from the
// cache.
func (a *API) warmTiles(ctx context.Context) {
	for z := maptile.Zoom(warmTileMinZoom); z <= cachedTileZoom; z++ {
		q, err := a.parseQuery(tileValues(url.Values{"res": {AutoResolution}}, z))
		if err != nil {
			return
		}
		ix, err := a.index(ctx, q)
		if err != nil || ix.tiles.Len() == 0 {
			return
		}
		for t := range tilecover.Bound(ix.tiles.Bound(), z) {
			if ctx.Err() != nil {
				return
			}
			a.lowTiles.get(tileKey(q, t), func() (*Response, error) { return a.drawTile(ix, t, true) })
		}
	}
}

// summary is what the page's legend needs: how many cells, their bounds,
// class counts and quantile breaks of each metric over every scored cell.
type summary struct {
	Cells   int                  `json:"cells"`
	BBox    []float64            `json:"bbox,omitempty"`
	Classes map[string]int       `json:"classes"`
	Breaks  map[string][]float64 `json:"breaks"`
	Max     map[string]float64   `json:"max"`
}

// summary answers the legend of a query's cells.
func (a *API) summary(ctx context.Context, v url.Values) *Response {
	if err := checkParams(v, filterParams...); err != nil {
		return a.fail(err)
	}
	q, err := a.parseQuery(v)
	if err != nil {
		return a.fail(err)
	}
	return a.cached(key("summary", q), func() (*Response, error) {
		ix, err := a.index(ctx, q)
		if err != nil {
			return nil, err
		}
		return a.okJSON(ctJSON, summarise(ix), a.cfg.MaxAge)
	})
}

// breakQuantiles are the legend's class edges, as quantiles of the cells
// with a non-zero value.
var breakQuantiles = []float64{0.5, 0.75, 0.9, 0.95, 0.99}

func summarise(ix *cellIndex) summary {
	s := summary{Cells: len(ix.cells), Classes: map[string]int{}, Breaks: map[string][]float64{}, Max: map[string]float64{}}
	if ix.tiles.Len() > 0 {
		b := ix.tiles.Bound()
		s.BBox = []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	}
	vals := map[string][]float64{}
	metrics := []string{"count", "harm", "recency"}
	for i := range ix.cells {
		c := &ix.cells[i]
		s.Classes[string(c.Class)]++
		for _, m := range metrics {
			if x := metricValue(c, m); x > 0 && !math.IsInf(x, 0) && !math.IsNaN(x) {
				vals[m] = append(vals[m], x)
			}
		}
	}
	for _, m := range metrics {
		xs := vals[m]
		sort.Float64s(xs)
		br := []float64{}
		for _, p := range breakQuantiles {
			if len(xs) == 0 {
				break
			}
			x := round4(xs[int(p*float64(len(xs)-1))])
			if len(br) == 0 || x > br[len(br)-1] {
				br = append(br, x)
			}
		}
		s.Breaks[m] = br
		if len(xs) > 0 {
			s.Max[m] = round4(xs[len(xs)-1])
		} else {
			s.Max[m] = 0
		}
	}
	return s
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// cell answers one cell's detail.
func (a *API) cell(ctx context.Context, h3 string, v url.Values) *Response {
	id, err := geo.ParseCell(h3)
	if err != nil {
		return a.fail(hotgrid.FieldErrorf("h3", "%q is not an H3 cell index", h3))
	}
	if err := checkParams(v, filterParams...); err != nil {
		return a.fail(err)
	}
	if v.Get("res") == "" {
		v = cloneValues(v)
		v.Set("res", strconv.Itoa(geo.Resolution(id)))
	}
	q, err := a.parseQuery(v)
	if err != nil {
		return a.fail(err)
	}
	if r := geo.Resolution(id); r != q.Resolution {
		return a.fail(hotgrid.FieldErrorf("res", "cell %s is resolution %d, not %d", h3, r, q.Resolution))
	}
	h3 = geo.String(id)
	return a.cached(key("cell", q, h3), func() (*Response, error) {
		ctx, cancel := detached(ctx)
		defer cancel()
		d, err := a.svc.Cell(ctx, h3, q)
		if err != nil {
			return nil, err
		}
		return a.okJSON(ctJSON, d, a.cfg.MaxAge)
	})
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v)+1)
	for k, x := range v {
		out[k] = x
	}
	return out
}

// tile answers /tiles/{z}/{x}/{y}.mvt: 204 when no cell shows in it.
func (a *API) tile(ctx context.Context, zxy string, v url.Values) *Response {
	t, err := parseTile(zxy)
	if err != nil {
		return a.fail(err)
	}
	if err := checkParams(v, filterParams...); err != nil {
		return a.fail(err)
	}
	q, err := a.parseQuery(tileValues(v, t.Z))
	if err != nil {
		return a.fail(err)
	}
	ix, err := a.index(ctx, q)
	if err != nil {
		return a.fail(err)
	}
	if t.Z > cachedTileZoom {
		return a.answer(a.drawTile(ix, t, false))
	}
	return a.answer(a.lowTiles.get(tileKey(q, t), func() (*Response, error) { return a.drawTile(ix, t, true) }))
}

// tileKey is the kept-tile cache's key of tile t of the cells of q.
func tileKey(q hotgrid.Query, t maptile.Tile) string {
	return key("tile", q, fmt.Sprintf("%d/%d/%d", t.Z, t.X, t.Y))
}

// AutoResolution is the res value that lets a tile's zoom choose the
// resolution: CoarseResolution up to CoarseMaxZoom, where a force or unit
// fills the screen and the default resolution's hexagons are a few pixels
// across, and hotgrid.DefaultResolution deeper.
const AutoResolution = "auto"

// CoarseResolution and CoarseMaxZoom: see AutoResolution. At zoom 9 a
// resolution-8 hexagon is about 11 pixels across (resolution 9: 4).
const (
	CoarseResolution = hotgrid.DefaultResolution - 1
	CoarseMaxZoom    = 9
)

// autoResolution is the resolution res=auto means for tiles of zoom z.
func autoResolution(z maptile.Zoom) int {
	if z <= CoarseMaxZoom {
		return CoarseResolution
	}
	return hotgrid.DefaultResolution
}

// tileValues is v with res=auto replaced by the resolution for zoom z.
func tileValues(v url.Values, z maptile.Zoom) url.Values {
	if v.Get("res") != AutoResolution {
		return v
	}
	out := maps.Clone(v) // Set replaces the slice: v is left as it was
	out.Set("res", strconv.Itoa(autoResolution(z)))
	return out
}

// cachedTileZoom is the deepest zoom whose tiles are kept: low-zoom tiles
// hold thousands of hexagons each, so they are the costly ones, and a force
// area has only a few dozen of them per view.
const cachedTileZoom = 10

// drawTile encodes one tile of ix; kept answers are compressed at once
// (they are shared between requests), others when first asked for.
func (a *API) drawTile(ix *cellIndex, t maptile.Tile, keep bool) (*Response, error) {
	b, dropped, err := ix.tiles.TileLimit(t, tiles.MaxFeatures)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return &Response{Status: http.StatusNoContent, Header: map[string]string{
			"Cache-Control": "private, max-age=" + strconv.Itoa(int(a.cfg.MaxAge.Seconds()))}}, nil
	}
	respond := a.okLazy
	if keep {
		respond = a.ok
	}
	r := respond(ctMVT, b, a.cfg.MaxAge)
	if dropped > 0 {
		r.Header[HeaderFeaturesDropped] = strconv.Itoa(dropped)
	}
	return r, nil
}

// parseTile reads "z/x/y.mvt".
func parseTile(s string) (maptile.Tile, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 || !strings.HasSuffix(parts[2], ".mvt") {
		return maptile.Tile{}, hotgrid.Errorf(hotgrid.ENOTFOUND, "no such tile path %q (want /tiles/{z}/{x}/{y}.mvt)", "/tiles/"+s)
	}
	parts[2] = strings.TrimSuffix(parts[2], ".mvt")
	var n [3]int
	for i, name := range []string{"z", "x", "y"} {
		v, err := strconv.Atoi(parts[i])
		if err != nil {
			return maptile.Tile{}, hotgrid.FieldErrorf(name, "%q is not a whole number", parts[i])
		}
		n[i] = v
	}
	if err := tiles.Valid(n[0], n[1], n[2]); err != nil {
		field := "z"
		if n[0] >= 0 && n[0] <= tiles.MaxZoom {
			field = "x"
			if n[1] >= 0 && n[1] < 1<<n[0] {
				field = "y"
			}
		}
		return maptile.Tile{}, hotgrid.FieldErrorf(field, "%v", err)
	}
	return maptile.New(uint32(n[1]), uint32(n[2]), maptile.Zoom(n[0])), nil
}

// export answers /api/v1/export?format=...: the hot grids (layer=hotgrids,
// default) or every scored cell (layer=cells) as a file download; a CSV as
// a ZIP with its provenance with bundle=zip (export_extras.go).
func (a *API) export(ctx context.Context, v url.Values) *Response {
	if err := checkParams(v, append(filterParams, "top", "format", "layer", "bundle")...); err != nil {
		return a.fail(err)
	}
	format := strings.ToLower(strings.TrimSpace(v.Get("format")))
	if format == "" {
		format = "geojson"
	}
	if _, _, err := export.ContentType(format); err != nil {
		return a.fail(err)
	}
	bundle, err := parseBundle(v.Get("bundle"), format)
	if err != nil {
		return a.fail(err)
	}
	layer := v.Get("layer")
	if layer == "" {
		layer = "hotgrids"
	}
	if layer != "hotgrids" && layer != "cells" {
		return a.fail(hotgrid.FieldErrorf("layer", "unknown layer %q (want hotgrids or cells)", layer))
	}
	q, err := a.parseQuery(v)
	if err != nil {
		return a.fail(err)
	}
	if q.Top, err = parseInt("top", v.Get("top"), 1, maxTop, 10); err != nil {
		return a.fail(err)
	}
	return a.cached(key("export", q, format, layer, bundle), func() (*Response, error) {
		ctx, cancel := detached(ctx)
		defer cancel()
		var in export.Input
		if layer == "cells" {
			ix, err := a.index(ctx, q)
			if err != nil {
				return nil, err
			}
			in.Cells = ix.cells
		} else {
			rk, err := a.svc.Rank(ctx, q)
			if err != nil {
				return nil, err
			}
			in = rankingInput(rk)
			in.Provenance.Notes = rk.Notes
		}
		notes := in.Provenance.Notes
		in.Provenance = a.svc.Provenance(ctx, q)
		in.Provenance.Notes = appendNew(in.Provenance.Notes, notes...)
		in.Units = a.unitList
		in.Layer = "hotgrid-" + layer
		if err := checkCells(len(in.Cells), a.cfg.MaxCells); err != nil {
			return nil, err
		}
		return a.exportResponse(ctx, format, bundle, "hotgrid-"+layer, in)
	})
}
