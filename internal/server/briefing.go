package server

import (
	"bytes"
	"context"
	"embed"
	"io/fs"
	"net/http"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
)

//go:embed plans_ui
var plansUI embed.FS

// uiFiles are the plans page and its assets, loaded once.
func (a *API) uiFiles() map[string]*Response {
	sub, _ := fs.Sub(plansUI, "plans_ui")
	files, err := loadStatic(sub)
	if err != nil {
		panic(err) // embedded at build time: cannot fail at run time
	}
	return files
}

// plansPage is the patrol plans page.
func (a *API) plansPage(_ context.Context, _ *call) *Response {
	return a.ui["/plans.html"]
}

// uiAsset serves the plans page's script and style.
func (a *API) uiAsset(_ context.Context, c *call) *Response {
	if r, ok := a.ui["/"+c.params["file"]]; ok {
		return r
	}
	return a.fail(hotgrid.Errorf(hotgrid.ENOTFOUND, "no such file %s", c.Path))
}

// briefing answers a printable one-page HTML briefing of a plan: inline
// SVG map of its areas, their bands, times and doses.
func (a *API) briefing(_ context.Context, c *call) *Response {
	name := c.plan.Unit
	for _, u := range a.svc.Units() {
		if u.Code == c.plan.Unit {
			name = u.Name
		}
	}
	var buf bytes.Buffer
	err := plan.WriteBriefing(&buf, plan.Briefing{Plan: c.plan, UnitName: name, Bands: a.svc.Bands(), MadeAt: a.now(), Loc: a.loc})
	if err != nil {
		return a.fail(err)
	}
	return htmlPage(http.StatusOK, buf.Bytes())
}
