// Package kml writes hot grids as KML.
package kml

import (
	"context"
	"errors"
	"io"

	"github.com/hotgrid/hotgrid/internal/export/feature"
)

// Write writes in to w as KML.
func Write(_ context.Context, _ io.Writer, _ feature.Input) error {
	return errors.New("not built yet")
}
