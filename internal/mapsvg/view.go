package mapsvg

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// tileSize is the width in pixels of the world at zoom 0 (MapLibre's).
const tileSize = 512

// View is a map camera as MapLibre holds it: the centre, the zoom (the
// world is 512 × 2^Zoom pixels wide) and the size of the map in CSS
// pixels. North is up.
type View struct {
	Lon, Lat, Zoom float64
	Width, Height  int
}

// Padding is the room in pixels Fit keeps clear at each edge of the map.
type Padding struct{ Top, Right, Bottom, Left float64 }

// Fit returns the view of a width × height map that shows b whole inside
// padding, zoomed in as far as that allows up to maxZoom (and no further out
// than minZoom): the camera MapLibre's fitBounds chooses, so a page that
// builds its map from this view draws what the picture shows.
func Fit(b orb.Bound, width, height int, pad Padding, minZoom, maxZoom float64) View {
	x0, y1 := geo.WorldPixel(b.Min[0], b.Min[1], tileSize)
	x1, y0 := geo.WorldPixel(b.Max[0], b.Max[1], tileSize)
	availW := float64(width) - pad.Left - pad.Right
	availH := float64(height) - pad.Top - pad.Bottom
	zoom := maxZoom
	if x1 > x0 && y1 > y0 {
		zoom = math.Log2(math.Min(availW/(x1-x0), availH/(y1-y0)))
	}
	zoom = math.Max(minZoom, math.Min(maxZoom, zoom))
	// the middle of the bound, moved by half the difference of the paddings
	ws := worldSize(zoom)
	cx := (x0+x1)/2*ws/tileSize - (pad.Left-pad.Right)/2
	cy := (y0+y1)/2*ws/tileSize - (pad.Top-pad.Bottom)/2
	lon, lat := geo.WorldLonLat(cx, cy, ws)
	return View{Lon: lon, Lat: lat, Zoom: zoom, Width: width, Height: height}
}

func worldSize(zoom float64) float64 { return tileSize * math.Exp2(zoom) }

// Project returns where lon/lat is drawn on the map, in pixels from its top
// left corner.
func (v View) Project(lon, lat float64) (x, y float64) {
	ws := worldSize(v.Zoom)
	cx, cy := geo.WorldPixel(v.Lon, v.Lat, ws)
	x, y = geo.WorldPixel(lon, lat, ws)
	return x - cx + float64(v.Width)/2, y - cy + float64(v.Height)/2
}

// Bound is the lon/lat box the map shows.
func (v View) Bound() orb.Bound {
	ws := worldSize(v.Zoom)
	cx, cy := geo.WorldPixel(v.Lon, v.Lat, ws)
	w, h := float64(v.Width)/2, float64(v.Height)/2
	west, north := geo.WorldLonLat(cx-w, cy-h, ws)
	east, south := geo.WorldLonLat(cx+w, cy+h, ws)
	return orb.Bound{Min: orb.Point{west, south}, Max: orb.Point{east, north}}
}

// String is the view as the map page's URL holds it: zoom/lat/lon.
func (v View) String() string {
	return fmt.Sprintf("%.4f/%.6f/%.6f", v.Zoom, v.Lat, v.Lon)
}

// Rounded is v at the precision String writes, so a map opened on String
// shows what a picture of the rounded view shows.
func (v View) Rounded() View {
	r := func(x, p float64) float64 { return math.Round(x*p) / p }
	v.Zoom, v.Lat, v.Lon = r(v.Zoom, 1e4), r(v.Lat, 1e6), r(v.Lon, 1e6)
	return v
}

// ParseCamera reads "zoom/lat/lon" (the map page's map= hash value) into
// the centre and zoom of v. A malformed value is an EINVALID error naming
// field.
func ParseCamera(field, s string, v *View) error {
	parts := strings.Split(s, "/")
	bad := hotgrid.FieldErrorf(field, "%q is not zoom/lat/lon (zoom 0-22, lat -85..85, lon -180..180)", s)
	if len(parts) != 3 {
		return bad
	}
	var xs [3]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return bad
		}
		xs[i] = x
	}
	if xs[0] < 0 || xs[0] > 22 || math.Abs(xs[1]) > geo.MaxMercatorLat || math.Abs(xs[2]) > 180 {
		return bad
	}
	v.Zoom, v.Lat, v.Lon = xs[0], xs[1], xs[2]
	return nil
}
