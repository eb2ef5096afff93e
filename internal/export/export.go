// Package export writes hot grids for GIS tools: GeoJSON (RFC 7946),
// OGC GeoPackage, KML and CSV with WKT. Each format lives in a sub-package of
// its own (geojson, gpkg, kml, csv) that takes a feature.Input; this package
// is the front the CLI and the server use: it names the formats, their
// content types and file extensions, and dispatches Write.
package export

import (
	"context"
	"fmt"
	"io"

	"github.com/hotgrid/hotgrid/internal/export/csv"
	"github.com/hotgrid/hotgrid/internal/export/feature"
	"github.com/hotgrid/hotgrid/internal/export/geojson"
	"github.com/hotgrid/hotgrid/internal/export/gpkg"
	"github.com/hotgrid/hotgrid/internal/export/kml"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Formats lists the export formats in a stable order.
var Formats = []string{"geojson", "gpkg", "kml", "csv"}

// Input is what an export writes: scored cells, their patrol areas, unit
// boundaries (GeoPackage only), provenance and a layer title.
type Input = feature.Input

// ContentType returns the MIME type of a format and the extension, with its
// leading dot, of a file in it (".geojson", ".gpkg", ".kml", ".csv"). An
// unknown format is an EINVALID error naming the "format" field.
func ContentType(format string) (contentType, fileExt string, err error) {
	switch format {
	case "geojson":
		return "application/geo+json", ".geojson", nil
	case "gpkg":
		return "application/geopackage+sqlite3", ".gpkg", nil
	case "kml":
		return "application/vnd.google-earth.kml+xml", ".kml", nil
	case "csv":
		return "text/csv; charset=utf-8", ".csv", nil
	}
	return "", "", unknown(format)
}

// Write writes in to w in format. Nothing is written for an unknown format
// (an EINVALID error naming the "format" field); an invalid input (a cell
// that is not an H3 index, say) is an error naming the feature, found before
// anything is written.
func Write(ctx context.Context, w io.Writer, format string, in Input) error {
	var err error
	switch format {
	case "geojson":
		err = geojson.Write(ctx, w, in)
	case "gpkg":
		err = gpkg.Write(ctx, w, in)
	case "kml":
		err = kml.Write(ctx, w, in)
	case "csv":
		err = csv.Write(ctx, w, in)
	default:
		return unknown(format)
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", format, err)
	}
	return nil
}

func unknown(format string) error {
	return hotgrid.FieldErrorf("format", "unknown export format %q (want geojson, gpkg, kml or csv)", format)
}
