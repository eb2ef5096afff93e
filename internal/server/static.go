package server

import (
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// loadStatic reads every file of the built page into memory once, with its
// ETag and gzip form, so serving it is a map lookup.
func loadStatic(fsys fs.FS) (map[string]*Response, error) {
	files := map[string]*Response{}
	a := &API{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(path.Base(p), ".") {
			return nil // .gitkeep and the like
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("server: read page file %s: %w", p, err)
		}
		ct := mime.TypeByExtension(path.Ext(p))
		switch path.Ext(p) {
		case ".mjs", ".js":
			ct = "text/javascript; charset=utf-8"
		case ".map":
			ct = ctJSON
		case "":
			ct = "application/octet-stream"
		}
		r := a.ok(ct, b, 0) // no-cache: revalidate with the ETag
		files["/"+p] = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("server: load page: %w", err)
	}
	return files, nil
}

// file answers a page file; "/" is index.html.
func (a *API) file(p string) *Response {
	if p == "/" || p == "" {
		p = "/index.html"
	}
	if r, ok := a.static[path.Clean(p)]; ok && !strings.Contains(p, "..") {
		return r
	}
	if a.static == nil {
		return a.fail(hotgrid.Errorf(hotgrid.ENOTFOUND, "no map page in this build (run make build)"))
	}
	r := a.fail(hotgrid.Errorf(hotgrid.ENOTFOUND, "no such page %s", p))
	r.Status = http.StatusNotFound
	return r
}
