// Package geojson writes hot grids as an RFC 7946 GeoJSON FeatureCollection:
// WGS84 longitude/latitude with no "crs" member, counter-clockwise outer
// rings, at most 7 decimals, one Feature per cell and one per patrol area
// (told apart by the "kind" property), and the provenance as a foreign
// member. It streams: nothing is held but one feature's bytes.
package geojson

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/hotgrid/hotgrid/internal/export/feature"
	"github.com/hotgrid/hotgrid/internal/jsonstr"
	"github.com/paulmach/orb"
)

// Decimals is the number of decimals coordinates are rounded to (about
// 1 cm); RFC 7946 advises no more than needed.
const Decimals = 7

// Write writes in to w as a GeoJSON FeatureCollection.
func Write(ctx context.Context, w io.Writer, in feature.Input) error {
	s, err := feature.Prepare(in)
	if err != nil {
		return err
	}
	prov, err := feature.ProvenanceJSON(s.Provenance)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	e := &encoder{w: bw, buf: make([]byte, 0, 4096)}
	e.buf = append(e.buf, `{"type":"FeatureCollection","name":`...)
	e.buf = jsonstr.Append(e.buf, s.Layer, false)
	if len(s.Cells)+len(s.Areas) > 0 {
		e.buf = append(e.buf, `,"bbox":`...)
		e.buf = appendBBox(e.buf, s.Bound)
	}
	e.buf = append(e.buf, `,"provenance":`...)
	e.buf = append(e.buf, prov...)
	e.buf = append(e.buf, `,"features":[`...)
	sep := byte('\n')
	cf, af := feature.CellFields(), feature.AreaFields()
	for i := range s.Cells {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		c := &s.Cells[i]
		e.buf = append(e.buf, sep)
		sep = ','
		e.buf = append(e.buf, `{"type":"Feature","geometry":{"type":"Polygon","coordinates":`...)
		e.buf = appendPolygon(e.buf, c.Polygon)
		e.buf = append(e.buf, `},"properties":{"kind":"cell"`...)
		for j, f := range cf {
			e.buf = appendProp(e.buf, f.Name, feature.CellValue(&c.CellScore, j))
		}
		e.buf = append(e.buf, "}}\n"...)
		if err := e.flush(); err != nil {
			return err
		}
	}
	for i := range s.Areas {
		a := &s.Areas[i]
		e.buf = append(e.buf, sep)
		sep = ','
		if len(a.Outline) == 1 {
			e.buf = append(e.buf, `{"type":"Feature","geometry":{"type":"Polygon","coordinates":`...)
			e.buf = appendPolygon(e.buf, a.Outline[0])
		} else {
			e.buf = append(e.buf, `{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[`...)
			for k, p := range a.Outline {
				if k > 0 {
					e.buf = append(e.buf, ',')
				}
				e.buf = appendPolygon(e.buf, p)
			}
			e.buf = append(e.buf, ']')
		}
		e.buf = append(e.buf, `},"properties":{"kind":"patrol_area"`...)
		for j, f := range af {
			e.buf = appendProp(e.buf, f.Name, feature.AreaValue(&a.PatrolArea, j))
		}
		e.buf = append(e.buf, "}}\n"...)
		if err := e.flush(); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, "]}\n"...)
	if err := e.flush(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write geojson: %w", err)
	}
	return nil
}

type encoder struct {
	w   *bufio.Writer
	buf []byte
}

func (e *encoder) flush() error {
	if _, err := e.w.Write(e.buf); err != nil {
		return fmt.Errorf("write geojson: %w", err)
	}
	e.buf = e.buf[:0]
	return nil
}

func appendProp(b []byte, name string, v feature.Value) []byte {
	b = append(b, ',')
	b = jsonstr.Append(b, name, false)
	b = append(b, ':')
	switch v.Kind {
	case feature.Integer:
		return strconv.AppendInt(b, v.I, 10)
	case feature.Real:
		if !feature.Finite(v.F) {
			return append(b, "null"...)
		}
		return strconv.AppendFloat(b, v.F, 'g', -1, 64)
	}
	return jsonstr.Append(b, v.S, false)
}

func appendBBox(b []byte, bd orb.Bound) []byte {
	b = append(b, '[')
	b = appendCoord(b, bd.Min[0])
	b = append(b, ',')
	b = appendCoord(b, bd.Min[1])
	b = append(b, ',')
	b = appendCoord(b, bd.Max[0])
	b = append(b, ',')
	b = appendCoord(b, bd.Max[1])
	return append(b, ']')
}

func appendPolygon(b []byte, p orb.Polygon) []byte {
	b = append(b, '[')
	for i, r := range p {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, pt := range r {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = appendCoord(b, pt[0])
			b = append(b, ',')
			b = appendCoord(b, pt[1])
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	return append(b, ']')
}

// appendCoord writes x rounded to Decimals decimals, without trailing
// zeros, using integer arithmetic (much faster than formatting a float).
// Values too large for that (never a longitude or latitude) fall back to
// strconv.
func appendCoord(b []byte, x float64) []byte {
	const scale = 1e7
	r := math.Round(x * scale)
	if math.IsNaN(r) || math.Abs(r) > 1<<62 {
		return strconv.AppendFloat(b, x, 'f', Decimals, 64)
	}
	n := int64(r)
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/scale, 10)
	frac := n % scale
	if frac == 0 {
		return b
	}
	var digits [Decimals]byte
	for i := Decimals - 1; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	end := Decimals
	for digits[end-1] == '0' {
		end--
	}
	b = append(b, '.')
	return append(b, digits[:end]...)
}
