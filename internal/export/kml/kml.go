// Package kml writes hot grids as KML 2.2 for Google Earth and GIS tools:
// a Document with one shared Style per significance class (hot reds, a
// grey for not significant, cold blues, semi-transparent fills), a
// "Patrol areas" Folder and a "Cells" Folder of Placemarks with readable
// names ("BW #1 – 89195da49b7ffff") and descriptions, every attribute in
// ExtendedData, and the provenance as the Document's ExtendedData.
// Geometries are encoded with go-geom's KML encoder.
package kml

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/hotgrid/hotgrid/internal/export/feature"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
	gkml "github.com/twpayne/go-geom/encoding/kml"
	"github.com/twpayne/go-kml/v3"
)

// Folder names, which GDAL reads as layer names.
const (
	CellsFolder = "Cells"
	AreasFolder = "Patrol areas"
)

// Schema ids of the typed attributes (SchemaData in each Placemark's
// ExtendedData), so GIS tools read numbers as numbers.
const (
	CellSchema = "cell"
	AreaSchema = "patrol_area"
)

// AreaStyle is the style id of patrol area outlines.
const AreaStyle = "patrol-area"

// classStyle is the fill of one class as RGBA with straight (not
// premultiplied) alpha: go-kml writes a color.RGBA's fields as they are.
type classStyle struct {
	class hotgrid.Class
	fill  color.RGBA
	line  color.RGBA
}

func classStyles() []classStyle {
	return []classStyle{
		{hotgrid.ClassHot99, color.RGBA{0xb2, 0x18, 0x2b, 0xb4}, color.RGBA{0x67, 0x00, 0x0d, 0xff}},
		{hotgrid.ClassHot95, color.RGBA{0xef, 0x3b, 0x2c, 0xa0}, color.RGBA{0xb2, 0x18, 0x2b, 0xff}},
		{hotgrid.ClassHot90, color.RGBA{0xfc, 0x8d, 0x59, 0x8c}, color.RGBA{0xd7, 0x30, 0x1f, 0xff}},
		{hotgrid.ClassNone, color.RGBA{0xbd, 0xbd, 0xbd, 0x60}, color.RGBA{0x73, 0x73, 0x73, 0xff}},
		{hotgrid.ClassCold90, color.RGBA{0x9e, 0xca, 0xe1, 0x8c}, color.RGBA{0x42, 0x92, 0xc6, 0xff}},
		{hotgrid.ClassCold95, color.RGBA{0x42, 0x92, 0xc6, 0xa0}, color.RGBA{0x21, 0x66, 0xac, 0xff}},
		{hotgrid.ClassCold99, color.RGBA{0x08, 0x51, 0x9c, 0xb4}, color.RGBA{0x08, 0x30, 0x6b, 0xff}},
	}
}

// StyleID returns the shared style id of a class; a class not known gets
// the not-significant style.
func StyleID(c hotgrid.Class) string {
	for _, s := range classStyles() {
		if s.class == c {
			return string(c)
		}
	}
	return string(hotgrid.ClassNone)
}

// Write writes in to w as a KML document.
func Write(ctx context.Context, w io.Writer, in feature.Input) error {
	s, err := feature.Prepare(in)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(xml.Header); err != nil {
		return fmt.Errorf("write kml: %w", err)
	}
	enc := xml.NewEncoder(bw)
	enc.Indent("", " ")
	if err := writeDoc(ctx, enc, s); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write kml: %w", err)
	}
	if _, err := bw.WriteString("\n"); err != nil {
		return fmt.Errorf("write kml: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write kml: %w", err)
	}
	return nil
}

func writeDoc(ctx context.Context, enc *xml.Encoder, s *feature.Set) error {
	root := xml.StartElement{Name: xml.Name{Local: "kml"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: kml.Namespace}}}
	doc := xml.StartElement{Name: xml.Name{Local: "Document"}}
	if err := tokens(enc, root, doc); err != nil {
		return err
	}
	head := []kml.Element{
		kml.Name(s.Layer),
		kml.Open(true),
		kml.Description(docDescription(s)),
		provenanceData(s.Provenance),
	}
	head = append(head, schema(CellSchema, feature.CellFields()), schema(AreaSchema, feature.AreaFields()))
	for _, cs := range classStyles() {
		head = append(head, kml.SharedStyle(string(cs.class),
			kml.LineStyle(kml.Color(cs.line), kml.Width(1)),
			kml.PolyStyle(kml.Color(cs.fill), kml.Fill(true), kml.Outline(true))))
	}
	head = append(head, kml.SharedStyle(AreaStyle,
		kml.LineStyle(kml.Color(color.RGBA{0x00, 0x00, 0x00, 0xff}), kml.Width(3)),
		kml.PolyStyle(kml.Color(color.RGBA{0xff, 0xff, 0xff, 0x20}), kml.Fill(true), kml.Outline(true))))
	for _, e := range head {
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("write kml: %w", err)
		}
	}
	if err := folder(ctx, enc, AreasFolder, len(s.Areas), func(i int) (kml.Element, error) { return areaPlacemark(&s.Areas[i]) }); err != nil {
		return err
	}
	doses := make(map[string]hotgrid.Dose, len(s.Areas))
	for _, a := range s.Areas {
		doses[a.ID] = a.Dose
	}
	if err := folder(ctx, enc, CellsFolder, len(s.Cells), func(i int) (kml.Element, error) { return cellPlacemark(&s.Cells[i], doses) }); err != nil {
		return err
	}
	return tokens(enc, doc.End(), root.End())
}

func folder(ctx context.Context, enc *xml.Encoder, name string, n int, placemark func(int) (kml.Element, error)) error {
	f := xml.StartElement{Name: xml.Name{Local: "Folder"}}
	if err := tokens(enc, f); err != nil {
		return err
	}
	if err := enc.Encode(kml.Name(name)); err != nil {
		return fmt.Errorf("write kml: %w", err)
	}
	for i := 0; i < n; i++ {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		p, err := placemark(i)
		if err != nil {
			return err
		}
		if err := enc.Encode(p); err != nil {
			return fmt.Errorf("write kml: %w", err)
		}
	}
	return tokens(enc, f.End())
}

func schema(id string, fs []feature.Field) kml.Element {
	fields := make([]kml.Element, len(fs))
	for i, f := range fs {
		t := "string"
		switch f.Kind {
		case feature.Integer:
			t = "int"
		case feature.Real:
			t = "double"
		}
		fields[i] = kml.SimpleField(f.Name, t)
	}
	return kml.Schema(id, fields...)
}

func tokens(enc *xml.Encoder, ts ...xml.Token) error {
	for _, t := range ts {
		if err := enc.EncodeToken(t); err != nil {
			return fmt.Errorf("write kml: %w", err)
		}
	}
	return nil
}

// CellName is a cell placemark's name: unit, rank and H3 index.
func CellName(c *hotgrid.CellScore) string {
	return fmt.Sprintf("%s #%d – %s", c.Unit, c.Rank, c.H3)
}

// AreaName is a patrol area placemark's name.
func AreaName(a *hotgrid.PatrolArea) string {
	return fmt.Sprintf("%s patrol area #%d – %s", a.Unit, a.Rank, a.ID)
}

func cellPlacemark(c *feature.Cell, doses map[string]hotgrid.Dose) (kml.Element, error) {
	g, err := feature.GeomPolygon(round(c.Polygon))
	if err != nil {
		return nil, fmt.Errorf("cell %s: %w", c.H3, err)
	}
	lines := []string{
		"Expected offences: " + num2(c.Count),
		"Harm (crime severity): " + num2(c.Harm),
		"Class: " + string(c.Class) + " (z " + num2(c.Z) + ", q " + strconv.FormatFloat(c.Q, 'g', 3, 64) + ")",
		"Trend: " + c.Trend,
		"Peak band: " + c.PeakBand,
	}
	if c.Area != "" {
		lines = append(lines, "Patrol area: "+c.Area)
		if d := feature.DoseText(doses[c.Area]); d != "" {
			lines = append(lines, "Dose: "+d)
		}
	}
	fs := feature.CellFields()
	data := make([]kml.Element, len(fs))
	for i, f := range fs {
		data[i] = kml.SimpleData(f.Name, valueText(feature.CellValue(&c.CellScore, i)))
	}
	return kml.Placemark(
		kml.Name(CellName(&c.CellScore)),
		kml.Description(htmlLines(lines)),
		kml.StyleURL("#"+StyleID(c.Class)),
		kml.ExtendedData(kml.SchemaData("#"+CellSchema, data...)),
		gkml.EncodePolygon(g),
	), nil
}

func areaPlacemark(a *feature.Area) (kml.Element, error) {
	lines := []string{
		fmt.Sprintf("%d cells", len(a.Cells)),
		"Expected offences: " + num2(a.Count),
		"Harm (crime severity): " + num2(a.Harm),
		"Peak bands: " + strings.Join(a.PeakBands, ", "),
	}
	if d := feature.DoseText(a.Dose); d != "" {
		lines = append(lines, "Dose: "+d)
	}
	fs := feature.AreaFields()
	data := make([]kml.Element, len(fs))
	for i, f := range fs {
		data[i] = kml.SimpleData(f.Name, valueText(feature.AreaValue(&a.PatrolArea, i)))
	}
	geomEl, err := areaGeometry(a.Outline)
	if err != nil {
		return nil, fmt.Errorf("patrol area %s: %w", a.ID, err)
	}
	return kml.Placemark(
		kml.Name(AreaName(&a.PatrolArea)),
		kml.Description(htmlLines(lines)),
		kml.StyleURL("#"+AreaStyle),
		kml.ExtendedData(kml.SchemaData("#"+AreaSchema, data...)),
		geomEl,
	), nil
}

// areaGeometry encodes an outline as a Polygon when it is one, else as a
// MultiGeometry of Polygons.
func areaGeometry(mp orb.MultiPolygon) (kml.Element, error) {
	if len(mp) == 1 {
		p, err := feature.GeomPolygon(round(mp[0]))
		if err != nil {
			return nil, err
		}
		return gkml.EncodePolygon(p), nil
	}
	g, err := feature.GeomMultiPolygon(roundMulti(mp))
	if err != nil {
		return nil, err
	}
	return gkml.EncodeMultiPolygon(g), nil
}

func docDescription(s *feature.Set) string {
	p := s.Provenance
	lines := []string{fmt.Sprintf("%d cells, %d patrol areas", len(s.Cells), len(s.Areas))}
	for _, kv := range feature.ProvenanceLines(p) {
		if kv[1] != "" {
			lines = append(lines, kv[0]+": "+kv[1])
		}
	}
	return htmlLines(lines)
}

func provenanceData(p hotgrid.Provenance) kml.Element {
	var data []kml.Element
	for _, kv := range feature.ProvenanceLines(p) {
		data = append(data, kml.Data(kv[0], kml.Value(kv[1])))
	}
	if js, err := feature.ProvenanceJSON(p); err == nil {
		data = append(data, kml.Data("json", kml.Value(string(js))))
	}
	return kml.ExtendedData(data...)
}

// htmlLines joins lines for a balloon: each escaped as HTML text (Google
// Earth reads descriptions as HTML), separated by <br>.
func htmlLines(lines []string) string {
	for i, l := range lines {
		lines[i] = html.EscapeString(l)
	}
	return strings.Join(lines, "<br>")
}

func valueText(v feature.Value) string {
	switch v.Kind {
	case feature.Integer:
		return strconv.FormatInt(v.I, 10)
	case feature.Real:
		if !feature.Finite(v.F) {
			return ""
		}
		return strconv.FormatFloat(v.F, 'g', -1, 64)
	}
	return v.S
}

func num2(f float64) string {
	if !feature.Finite(f) {
		return "n/a"
	}
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}

func round(p orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		rr := make(orb.Ring, len(r))
		for j, pt := range r {
			rr[j] = orb.Point{round7(pt[0]), round7(pt[1])}
		}
		out[i] = rr
	}
	return out
}

func roundMulti(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, p := range mp {
		out[i] = round(p)
	}
	return out
}

func round7(x float64) float64 { return math.Round(x*1e7) / 1e7 }
