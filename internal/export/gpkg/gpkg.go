// Package gpkg writes hot grids as an OGC GeoPackage.
package gpkg

import (
	"context"
	"errors"
	"io"

	"github.com/hotgrid/hotgrid/internal/export/feature"
)

// Write writes in to w as a GeoPackage.
func Write(_ context.Context, _ io.Writer, _ feature.Input) error {
	return errors.New("not built yet")
}
