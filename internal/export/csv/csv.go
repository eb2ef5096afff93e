// Package csv writes hot grid cells as CSV: one row per cell with the
// attributes of `hotgrid rank`, the centroid's lon and lat, and the hexagon
// as WKT (go-geom), which GDAL, QGIS and ArcGIS read as geometry.
//
// Every text field that a spreadsheet would evaluate (starting with =, +,
// -, @, tab, carriage return or line feed) is prefixed with a single quote;
// numbers are written as plain numbers, so a negative z stays a number.
//
// GDAL's CSV driver has no comment lines, so the provenance is not in the
// file: WriteProvenance writes it as JSON for a sidecar FILE.provenance.json,
// and WriteCSVT the column types for a FILE.csvt sidecar that GDAL and QGIS
// read.
package csv

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/hotgrid/hotgrid/internal/export/feature"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/twpayne/go-geom/encoding/wkt"
)

// Extra columns after the cell attributes.
const (
	LonColumn = "lon"
	LatColumn = "lat"
	WKTColumn = "wkt"
)

// Header returns the CSV header row.
func Header() []string {
	fs := feature.CellFields()
	h := make([]string, 0, len(fs)+3)
	for _, f := range fs {
		h = append(h, f.Name)
	}
	return append(h, LonColumn, LatColumn, WKTColumn)
}

// Write writes the cells of in to w as CSV with a header row.
func Write(ctx context.Context, w io.Writer, in feature.Input) error {
	s, err := feature.Prepare(in)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	if err := cw.Write(Header()); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	fs := feature.CellFields()
	row := make([]string, len(fs)+3)
	enc := wkt.NewEncoder(wkt.EncodeOptionWithMaxDecimalDigits(7))
	for i := range s.Cells {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		c := &s.Cells[i]
		for j := range fs {
			row[j] = Field(feature.CellValue(&c.CellScore, j))
		}
		g, err := feature.GeomPolygon(c.Polygon)
		if err != nil {
			return fmt.Errorf("cell %s: %w", c.H3, err)
		}
		text, err := enc.Encode(g)
		if err != nil {
			return fmt.Errorf("cell %s: wkt: %w", c.H3, err)
		}
		n := len(fs)
		row[n] = coord(c.Center[0])
		row[n+1] = coord(c.Center[1])
		row[n+2] = Neutralise(text)
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write csv row %d: %w", i+2, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// Field formats one value: integers and finite reals as plain numbers
// (never neutralised), NaN and infinities as empty, and text neutralised.
func Field(v feature.Value) string {
	switch v.Kind {
	case feature.Integer:
		return strconv.FormatInt(v.I, 10)
	case feature.Real:
		if !feature.Finite(v.F) {
			return ""
		}
		return strconv.FormatFloat(v.F, 'g', -1, 64)
	}
	return Neutralise(v.S)
}

// Neutralise makes text inert in spreadsheets: text starting with =, +, -,
// @, tab, carriage return or line feed gets a leading single quote, which
// Excel, LibreOffice and Google Sheets show as text and do not evaluate.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n':
		return "'" + s
	}
	return s
}

func coord(x float64) string {
	return strconv.FormatFloat(math.Round(x*1e7)/1e7, 'f', -1, 64)
}

// WriteCSVT writes the GDAL .csvt sidecar: the type of each column
// (String, Integer, Real, WKT) on one line, so GDAL reads numbers as
// numbers rather than text.
func WriteCSVT(w io.Writer) error {
	fs := feature.CellFields()
	ts := make([]string, 0, len(fs)+3)
	for _, f := range fs {
		switch f.Kind {
		case feature.Integer:
			ts = append(ts, `"Integer"`)
		case feature.Real:
			ts = append(ts, `"Real"`)
		default:
			ts = append(ts, `"String"`)
		}
	}
	ts = append(ts, `"Real"`, `"Real"`, `"WKT"`)
	if _, err := io.WriteString(w, strings.Join(ts, ",")+"\n"); err != nil {
		return fmt.Errorf("write csvt: %w", err)
	}
	return nil
}

// WriteProvenance writes p as indented JSON, the content of a CSV export's
// FILE.provenance.json sidecar.
func WriteProvenance(w io.Writer, p hotgrid.Provenance) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("encode provenance: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write provenance: %w", err)
	}
	return nil
}
