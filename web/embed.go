// Package web holds hotgrid's map page. Its source is in src/ and is built
// with `npm ci && npm run build` (make build does it) into dist/, which is
// embedded in the binary. A fresh clone has only dist/.gitkeep, so the Go
// build works before the page is built; Dist then reports that it is missing.
package web

import (
	"embed"
	"errors"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// ErrNotBuilt is returned by Dist when the page was not built.
var ErrNotBuilt = errors.New("map page not built: run `make build` (npm ci && npm run build in web/)")

// Dist returns the built page (index.html, app.js, app.css and MapLibre's
// worker), or ErrNotBuilt.
func Dist() (fs.FS, error) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, err
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return nil, ErrNotBuilt
	}
	return sub, nil
}
