// Package mapsvg draws a static map of hot grids as SVG, in Web Mercator
// at a MapLibre camera and in the map page's colours: hexagons coloured by
// a metric or Gi* class, unit outlines and names, hot grid outlines with
// rank badges, patrol areas and knife-point robbery markers. The map page
// shows it as its first view while MapLibre loads, then draws the same
// view over it; analysts download it for briefing packs.
package mapsvg

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/hotgrid/hotgrid/geo"
)

// Picture is what a map shows. Cells, Grids and Knife hold H3 cells;
// whatever is left empty is not drawn.
type Picture struct {
	View  View
	Title string // the SVG's <title>: what the map shows, for screen readers and files
	// Units are drawn as white land (unless Basemap) and, with Outlines,
	// as outlines with their names.
	Units    []Unit
	Outlines bool
	Basemap  bool // the page draws a basemap under the cells: no white land
	Cells    []Cell
	Grids    []Grid // ranked cells, outlined; the first MaxBadges get a rank badge
	Areas    []orb.MultiPolygon
	Knife    []uint64
	Key      *Key // a legend and attribution, for a picture that stands alone
}

// Unit is a unit's name and boundary.
type Unit struct {
	Name     string
	Geometry orb.MultiPolygon
}

// Cell is a hexagon and its paint.
type Cell struct {
	Cell    uint64
	Fill    string
	Opacity float64
}

// Grid is a ranked cell of a hot grid.
type Grid struct {
	Cell uint64
	Rank int
	Unit string
	H3   string
}

// MaxBadges is the most rank badges drawn, as on the map page.
const MaxBadges = 100

// farZoom is the zoom below which ranks past 3 are drawn as dots (the page's
// "far" class).
const farZoom = 11.5

// Write draws p as an SVG document.
func Write(w io.Writer, p Picture) error {
	bw := bufio.NewWriter(w)
	d := drawer{w: bw, v: p.View, clip: p.View.Bound()}
	v := p.View
	cells := d.cellPaths(p.Cells)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" data-view="%s" data-cells="%d" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif">`+"\n",
		v.Width, v.Height, v.Width, v.Height, v, cells.n)
	fmt.Fprintf(bw, "<title>%s</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"%s\"/>\n", html.EscapeString(p.Title), background)
	units := d.units(p.Units) // drawn twice, written once
	if len(units) > 0 {
		bw.WriteString(`<defs><path id="units" d="`)
		bw.Write(units)
		bw.WriteString("\"/></defs>\n")
	}
	if !p.Basemap && len(units) > 0 {
		fmt.Fprintf(bw, `<use href="#units" fill="%s" fill-opacity="0.9"/>`+"\n", unitFill)
	}
	for _, k := range cells.order {
		d.path(cells.data[k], fmt.Sprintf(`fill="%s" fill-opacity="%g"`, k.fill, k.opacity))
	}
	if p.Outlines && len(units) > 0 {
		w := byZoom(v.Zoom, 9, 1, 14, 2.5)
		fmt.Fprintf(bw, `<use href="#units" fill="none" stroke="%s" stroke-width="%.2f" stroke-opacity="0.85" stroke-linejoin="round"/>`+"\n", unitLine, w)
	}
	d.areas(p.Areas)
	d.grids(p.Grids)
	d.knife(p.Knife)
	if p.Outlines {
		d.unitNames(p.Units)
	}
	d.badges(p.Grids)
	if p.Key != nil {
		d.key(p.Key)
	}
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

// drawer writes the shapes of one picture.
type drawer struct {
	w    *bufio.Writer
	v    View
	clip orb.Bound // the map's lon/lat box: shapes wholly outside are left out
}

// path writes one <path> of d with attrs; nothing when d is empty.
func (d *drawer) path(data []byte, attrs string) {
	if len(data) == 0 {
		return
	}
	d.w.WriteString(`<path d="`)
	d.w.Write(data)
	d.w.WriteString(`" ` + attrs + "/>\n")
}

// units is the path of every unit boundary on the map.
func (d *drawer) units(units []Unit) []byte {
	var b []byte
	for _, u := range units {
		if !u.Geometry.Bound().Intersects(d.clip) {
			continue
		}
		for _, poly := range u.Geometry {
			for _, r := range poly {
				b = d.ring(b, r, 0.75)
			}
		}
	}
	return b
}

// paint is a fill colour and opacity.
type paint struct {
	fill    string
	opacity float64
}

// cellGroups are the hexagons on the map, one path per paint, in the order
// paints first appear; n is how many.
type cellGroups struct {
	order []paint
	data  map[paint][]byte
	n     int
}

func (d *drawer) cellPaths(cells []Cell) cellGroups {
	g := cellGroups{data: map[paint][]byte{}}
	for _, c := range cells {
		ring, ok := d.hexagon(c.Cell)
		if !ok {
			continue
		}
		k := paint{c.Fill, c.Opacity}
		if _, seen := g.data[k]; !seen {
			g.order = append(g.order, k)
		}
		g.data[k] = d.ring(g.data[k], ring, 0)
		g.n++
	}
	return g
}

// hexagon is a cell's outline, if it falls on the map.
func (d *drawer) hexagon(cell uint64) (orb.Ring, bool) {
	poly := geo.Boundary(cell)
	if len(poly) == 0 || !poly.Bound().Intersects(d.clip) {
		return nil, false
	}
	return poly[0], true
}

func (d *drawer) areas(areas []orb.MultiPolygon) {
	var b []byte
	for _, mp := range areas {
		if !mp.Bound().Intersects(d.clip) {
			continue
		}
		for _, poly := range mp {
			for _, r := range poly {
				b = d.ring(b, r, 0)
			}
		}
	}
	w := byZoom(d.v.Zoom, 10, 2, 15, 4)
	d.path(b, fmt.Sprintf(`fill="none" stroke="%s" stroke-width="%.2f" stroke-dasharray="%.2f %.2f"`, areaLine, w, 2*w, w))
}

func (d *drawer) grids(grids []Grid) {
	var b []byte
	for _, g := range grids {
		if ring, ok := d.hexagon(g.Cell); ok {
			b = d.ring(b, ring, 0)
		}
	}
	d.path(b, fmt.Sprintf(`fill="none" stroke="%s" stroke-width="%.2f"`, gridLine, byZoom(d.v.Zoom, 10, 1.2, 15, 2.5)))
}

// knife marks each knife-point robbery hotspot at its cell's centre: a
// white halo, and a disc of radius 7 inside a stroke 2 wide (MapLibre
// draws circle strokes outside the radius, SVG across it).
func (d *drawer) knife(cells []uint64) {
	for _, c := range cells {
		x, y, ok := d.centre(c)
		if !ok {
			continue
		}
		fmt.Fprintf(d.w, `<circle cx="%.1f" cy="%.1f" r="11" fill="#ffffff" fill-opacity="0.9"/><circle cx="%.1f" cy="%.1f" r="8" fill="%s" stroke="#ffffff" stroke-width="2"/>`+"\n",
			x, y, x, y, knifeFill)
	}
}

// centre is where the page puts a cell's marker: the mean of its
// outline's corners.
func (d *drawer) centre(cell uint64) (x, y float64, ok bool) {
	ring, ok := d.hexagon(cell)
	if !ok {
		return 0, 0, false
	}
	lon, lat := ringMean(ring)
	x, y = d.v.Project(lon, lat)
	return x, y, true
}

// ringMean is the mean of a closed ring's corners (the closing point once).
func ringMean(r orb.Ring) (lon, lat float64) {
	n := len(r) - 1
	if n < 1 {
		return 0, 0
	}
	for _, p := range r[:n] {
		lon += p[0]
		lat += p[1]
	}
	return lon / float64(n), lat / float64(n)
}

// unitNames writes each unit's name at the middle of its largest part.
func (d *drawer) unitNames(units []Unit) {
	for _, u := range units {
		poly, ok := largest(u.Geometry)
		if !ok {
			continue
		}
		lon, lat := ringMean(poly[0])
		if !d.clip.Contains(orb.Point{lon, lat}) {
			continue
		}
		x, y := d.v.Project(lon, lat)
		fmt.Fprintf(d.w, `<text x="%.1f" y="%.1f" text-anchor="middle" dominant-baseline="central" font-size="12" font-weight="600" letter-spacing="0.5" fill="%s" stroke="#ffffff" stroke-width="4" stroke-opacity="0.8" stroke-linejoin="round" paint-order="stroke">%s</text>`+"\n",
			x, y, unitLine, html.EscapeString(strings.ToUpper(u.Name)))
	}
}

// largest is the part of mp with the largest bounding box, as the page
// picks where to label a unit.
func largest(mp orb.MultiPolygon) (orb.Polygon, bool) {
	best, area := -1, -1.0
	for i, p := range mp {
		if len(p) == 0 || len(p[0]) < 2 {
			continue
		}
		b := p.Bound()
		if a := (b.Max[0] - b.Min[0]) * (b.Max[1] - b.Min[1]); a > area {
			best, area = i, a
		}
	}
	if best < 0 {
		return nil, false
	}
	return mp[best], true
}

// badges writes the rank badges of the first MaxBadges grids, the best
// rank last so it is on top. Far out, ranks past 3 are dots.
func (d *drawer) badges(grids []Grid) {
	grids = grids[:min(len(grids), MaxBadges)]
	order := make([]int, len(grids))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return grids[order[i]].Rank > grids[order[j]].Rank })
	far := d.v.Zoom < farZoom
	for _, i := range order {
		g := grids[i]
		x, y, ok := d.centre(g.Cell)
		if !ok {
			continue
		}
		fmt.Fprintf(d.w, `<g class="rank" data-rank="%d" data-h3="%s" transform="translate(%.1f %.1f)">`, g.Rank, html.EscapeString(g.H3), x, y)
		fmt.Fprintf(d.w, "<title>Rank %d in %s: %s</title>", g.Rank, html.EscapeString(g.Unit), html.EscapeString(g.H3))
		if far && g.Rank > 3 {
			fmt.Fprintf(d.w, `<circle r="3.75" fill="%s" stroke="#ffffff" stroke-width="1.5"/></g>`+"\n", badgeFill)
			continue
		}
		fmt.Fprintf(d.w, `<circle r="10" fill="%s" stroke="#ffffff" stroke-width="2"/><text y="0.5" text-anchor="middle" dominant-baseline="central" font-size="11" font-weight="700" fill="#ffffff">%d</text></g>`+"\n",
			badgeFill, g.Rank)
	}
}

// ring appends a closed ring to a path's data: the first corner in pixels
// to a tenth, the others as steps from it (rounded so that the errors do
// not add up), leaving out corners closer than minStep pixels to the last
// one kept.
func (d *drawer) ring(b []byte, r orb.Ring, minStep float64) []byte {
	var lx, ly float64 // the last corner kept, in tenths of a pixel
	kept := 0
	for i, p := range r {
		x, y := d.v.Project(p[0], p[1])
		x, y = math.Round(x*10), math.Round(y*10)
		if i > 0 && i < len(r)-1 && math.Hypot(x-lx, y-ly) < minStep*10 {
			continue
		}
		switch kept {
		case 0:
			b = append(b, 'M')
			b = appendPair(b, x, y)
		case 1:
			b = append(b, 'l')
			b = appendPair(b, x-lx, y-ly)
		default:
			b = appendPair(b, x-lx, y-ly)
		}
		lx, ly, kept = x, y, kept+1
	}
	if kept > 0 {
		b = append(b, 'z')
	}
	return b
}

// appendPair appends x,y given in tenths of a pixel, with the separators
// SVG path data needs: a comma or space before each number unless it has
// a minus sign.
func appendPair(b []byte, x, y float64) []byte {
	for i, v := range [2]float64{x, y} {
		if v >= 0 && (i == 1 || (len(b) > 0 && b[len(b)-1] != 'M' && b[len(b)-1] != 'l')) {
			b = append(b, ' ')
		}
		b = strconv.AppendFloat(b, v/10, 'f', -1, 64)
	}
	return b
}
