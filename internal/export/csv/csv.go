// Package csv writes hot grids as CSV with WKT.
package csv

import (
	"context"
	"errors"
	"io"

	"github.com/hotgrid/hotgrid/internal/export/feature"
)

// Write writes in to w as CSV.
func Write(_ context.Context, _ io.Writer, _ feature.Input) error {
	return errors.New("not built yet")
}
