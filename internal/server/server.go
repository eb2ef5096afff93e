// Package server serves hotgrid's map page and versioned HTTP API. The API
// type is a transport-free core: it takes a method, path, query and a few
// request headers and returns a status, headers and body, so tests and
// benchmarks call it directly. A thin fiber adapter (fiber.go, the only file
// of the project importing fiber) puts it on the network with timeouts,
// body limits, CORS, structured logs and graceful shutdown.
//
// Routes (GET; all answers carry an ETag, and If-None-Match gives 304):
//
//	/healthz                               liveness and counts
//	/api/v1/config                         what the page needs (basemap, metrics, categories)
//	/api/v1/units                          unit boundaries, GeoJSON
//	/api/v1/wards                          ward outlines for orientation, GeoJSON
//	/api/v1/plans/{id}/areas               a plan's patrol areas, GeoJSON (map coverage view)
//	/api/v1/bands                          time bands
//	/api/v1/hotgrids?FILTERS&top=          each unit's top cells and patrol areas, GeoJSON
//	/api/v1/knife-robbery-hotspots?unit=&top=&from=&to=&res=
//	/api/v1/cells/{h3}?FILTERS             one cell's detail
//	/api/v1/summary?FILTERS                legend: cell count, bbox, class counts, metric breaks
//	/api/v1/map.svg?FILTERS&top=&colour=&width=&height=&map=&hide=   the map's view drawn as SVG
//	/api/v1/export?FILTERS&top=&format=&layer=   geojson|gpkg|kml|csv download
//	  &bundle=zip                          csv with its .csvt and provenance.json in a ZIP
//	  &plan=ID                             a patrol plan's areas and cells (export_extras.go)
//	/api/v1/accuracy?unit=&train-from=&train-to=&test-from=&test-to=&band=&group=&res=&format=
//	                                       forecast accuracy backtest, HTML report or JSON
//	/tiles/{z}/{x}/{y}.mvt?FILTERS         "cells" layer; 204 when empty, 400 out of range;
//	                                       res=auto: resolution 8 to zoom 9, 9 deeper
//
// FILTERS are unit (comma list of codes), band, from and to (YYYY-MM-DD,
// YYYY-MM or RFC 3339; a to day or month is inclusive), metric
// (harm|count|recency), res (7..11), category (comma list of police.uk
// names or slugs) and significant (true|false). An unknown, repeated or bad
// parameter is a 400 {"error": "...", "parameter": "name"}.
package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London on machines without a zone database

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// Config configures an API.
type Config struct {
	Service hotgrid.Service // required
	// Static holds the built map page (index.html and its assets); nil
	// serves no page.
	Static fs.FS
	// Basemap is an optional raster tile URL template
	// (https://host/{z}/{x}/{y}.png) drawn under the hexagons.
	Basemap string
	// BasemapAttribution is shown on the map when Basemap is set.
	BasemapAttribution string
	// AllowOrigins lists origins (scheme://host[:port]) allowed to call the
	// API from other sites; none by default, and "*" is refused.
	AllowOrigins []string
	// Version is reported by /healthz and /api/v1/config.
	Version string
	// CacheTTL is how long computed answers are kept (default 5 minutes):
	// data ingested meanwhile by another process shows after at most this.
	CacheTTL time.Duration
	// MaxAge is the Cache-Control max-age of API answers and tiles
	// (default 5 minutes).
	MaxAge time.Duration
	// Location is the zone of dates in queries (default Europe/London).
	Location *time.Location
	Logger   *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Auth holds accounts, plans and the audit trail; every route is
	// checked against the route table with it. Required unless Open.
	Auth *Auth
	// Open serves every route without accounts (tests and benchmarks of
	// the map API only).
	Open bool
	// DemoNote is shown on the login page (the demo accounts).
	DemoNote string
	// MaxCells is the most cells one answer may hold (default
	// DefaultMaxCells); larger answers get 413 (limits.go).
	MaxCells int
	// Wards is an optional GeoJSON FeatureCollection of ward outlines that
	// /api/v1/wards serves for orientation on the map (wards.go); nil
	// serves an empty collection.
	Wards []byte
	// Backtest lets /api/v1/accuracy backtest the forecasts on the loaded
	// offences (accuracy.go); nil answers 404.
	Backtest *Backtest
}

// API answers the routes. It is safe for concurrent use.
type API struct {
	svc      hotgrid.Service
	unitList []hotgrid.Unit // the service's units and bands, read once
	bandList []hotgrid.Band
	cfg      Config
	loc      *time.Location
	log      *slog.Logger
	now      func() time.Time
	origins  map[string]bool
	security map[string]string
	static   map[string]*Response
	answers  *cache[*Response]
	indexes  *cache[*cellIndex]
	lowTiles *cache[*Response] // tiles of zoom cachedTileZoom and below
	auth     *Auth
	routes   []route
	ui       map[string]*Response
}

// Request is what the core needs of an HTTP request.
type Request struct {
	Method         string
	Path           string
	Query          url.Values
	IfNoneMatch    string
	AcceptEncoding string
	Origin         string
	// Authentication and bodies (auth.go).
	SessionCookie string // value of the hotgrid_session cookie
	Authorization string // Authorization header
	CSRFToken     string // X-CSRF-Token header
	ContentType   string
	Body          []byte
	TLS           bool
	RemoteAddr    string
}

// Response is the core's answer. Header keys are canonical
// ("Content-Type").
type Response struct {
	Status int
	Header map[string]string
	Body   []byte
	gz     []byte // gzip of Body, when worth it
	// lazyGzip compresses Body per request, only for clients that take
	// gzip (answers that are not kept, like tiles).
	lazyGzip bool
}

// New returns an API over cfg.Service.
func New(cfg Config) (*API, error) {
	if cfg.Service == nil {
		return nil, errors.New("server: no service")
	}
	if cfg.Auth == nil && !cfg.Open {
		return nil, errors.New("server: no accounts configured (Config.Auth), and not Open")
	}
	if cfg.Auth != nil && (cfg.Auth.Accounts == nil || cfg.Auth.Audit == nil || cfg.Auth.Plans == nil) {
		return nil, errors.New("server: Config.Auth needs Accounts, Audit and Plans")
	}
	a := &API{svc: cfg.Service, cfg: cfg, loc: cfg.Location, log: cfg.Logger, now: cfg.Now, origins: map[string]bool{},
		unitList: cfg.Service.Units(), bandList: cfg.Service.Bands(), auth: cfg.Auth}
	a.routes = a.routeTable()
	a.ui = a.uiFiles()
	if err := checkRoutes(a.routes); err != nil {
		return nil, err
	}
	if _, err := checkWards(cfg.Wards); err != nil {
		return nil, err
	}
	if a.loc == nil {
		loc, err := time.LoadLocation("Europe/London")
		if err != nil {
			return nil, fmt.Errorf("server: load zone: %w", err)
		}
		a.loc = loc
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.cfg.MaxCells <= 0 {
		a.cfg.MaxCells = DefaultMaxCells
	}
	if a.cfg.CacheTTL <= 0 {
		a.cfg.CacheTTL = 5 * time.Minute
	}
	if a.cfg.MaxAge <= 0 {
		a.cfg.MaxAge = 5 * time.Minute
	}
	for _, o := range cfg.AllowOrigins {
		if err := CheckOrigin(o); err != nil {
			return nil, err
		}
		a.origins[strings.TrimRight(o, "/")] = true
	}
	basemapOrigin, err := CheckBasemap(cfg.Basemap)
	if err != nil {
		return nil, err
	}
	a.security = securityHeaders(basemapOrigin)
	a.answers = newCache[*Response](512, a.cfg.CacheTTL, a.now)
	a.indexes = newCache[*cellIndex](16, a.cfg.CacheTTL, a.now)
	a.lowTiles = newCache[*Response](1024, a.cfg.CacheTTL, a.now)
	if cfg.Static != nil {
		static, err := loadStatic(cfg.Static)
		if err != nil {
			return nil, err
		}
		a.static = static
	}
	return a, nil
}

// CheckOrigin reports an error unless o is an origin a CORS list may hold:
// scheme://host[:port], with no wildcard.
func CheckOrigin(o string) error {
	u, err := url.Parse(o)
	if o == "*" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return hotgrid.FieldErrorf("cors", "allowed origin %q is not scheme://host[:port] (wildcards are not allowed)", o)
	}
	return nil
}

// CheckBasemap checks a basemap URL template and returns its origin ("" for
// no basemap), which the page's Content-Security-Policy then allows.
func CheckBasemap(tmpl string) (origin string, err error) {
	if tmpl == "" {
		return "", nil
	}
	u, err := url.Parse(tmpl)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || !strings.Contains(tmpl, "{z}") {
		return "", hotgrid.FieldErrorf("basemap", "%q is not an http(s) tile URL template with {z}/{x}/{y}", tmpl)
	}
	return u.Scheme + "://" + u.Host, nil
}

// securityHeaders are sent with every response. The page loads only its own
// scripts and styles; MapLibre runs its worker from the page's origin (blob:
// allowed for older browsers); tiles and data come from this server and the
// optional basemap.
func securityHeaders(basemapOrigin string) map[string]string {
	img, connect := "'self' data: blob:", "'self'"
	if basemapOrigin != "" {
		img += " " + basemapOrigin
		connect += " " + basemapOrigin
	}
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + img +
		"; connect-src " + connect + "; worker-src 'self' blob:; child-src 'self' blob:; font-src 'self'" +
		"; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	return map[string]string{
		"Content-Security-Policy":    csp,
		"X-Content-Type-Options":     "nosniff",
		"Referrer-Policy":            "no-referrer",
		"X-Frame-Options":            "DENY",
		"Permissions-Policy":         "geolocation=(), camera=(), microphone=()",
		"Cross-Origin-Opener-Policy": "same-origin",
	}
}

// Get answers a GET of path with query, as the tests and benchmarks use it.
func (a *API) Get(ctx context.Context, path string, query url.Values) *Response {
	return a.Serve(ctx, Request{Method: http.MethodGet, Path: path, Query: query})
}

// Serve answers one request.
func (a *API) Serve(ctx context.Context, r Request) *Response {
	if r.Query == nil {
		r.Query = url.Values{}
	}
	return a.finish(r, a.dispatch(ctx, r))
}

// finish adds the security and CORS headers and answers conditional
// requests: the cached *Response is never modified.
func (a *API) finish(r Request, resp *Response) *Response {
	out := &Response{Status: resp.Status, Body: resp.Body, Header: make(map[string]string, len(resp.Header)+len(a.security)+4)}
	for k, v := range a.security {
		out.Header[k] = v
	}
	for k, v := range resp.Header {
		out.Header[k] = v
	}
	if r.Origin != "" && a.origins[r.Origin] {
		out.Header["Access-Control-Allow-Origin"] = r.Origin
		out.Header["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
		out.Header["Access-Control-Expose-Headers"] = "ETag"
		out.Header["Vary"] = "Origin, Accept-Encoding"
	}
	etag := resp.Header["ETag"]
	if etag != "" && resp.Status == http.StatusOK && (matchETag(r.IfNoneMatch, etag) || matchETag(r.IfNoneMatch, gzipETag(etag))) {
		out.Status = http.StatusNotModified
		out.Body = nil
		delete(out.Header, "Content-Type")
		return out
	}
	if strings.Contains(r.AcceptEncoding, "gzip") {
		gz := resp.gz
		if gz == nil && resp.lazyGzip {
			gz = gzipped(resp.Body)
		}
		if gz != nil {
			out.Body = gz
			out.Header["Content-Encoding"] = "gzip"
			if etag != "" {
				out.Header["ETag"] = gzipETag(etag) // each coding has its own strong ETag
			}
		}
	}
	if r.Method == http.MethodHead {
		out.Body = nil
	}
	return out
}

// gzipETag is the ETag of the gzip coding of an answer.
func gzipETag(etag string) string { return strings.TrimSuffix(etag, `"`) + `-gz"` }

// matchETag reports whether an If-None-Match header matches etag.
func matchETag(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// status maps an error code to an HTTP status.
func status(code string) int {
	switch code {
	case hotgrid.EINVALID:
		return http.StatusBadRequest
	case hotgrid.ENOTFOUND:
		return http.StatusNotFound
	case hotgrid.ECONFLICT:
		return http.StatusConflict
	case hotgrid.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case hotgrid.EFORBIDDEN:
		return http.StatusForbidden
	case hotgrid.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// errorBody is the JSON of a failed request.
type errorBody struct {
	Error     string `json:"error"`
	Parameter string `json:"parameter,omitempty"`
}

// fail turns an error into a JSON error response. Internal errors are
// logged and shown as "internal error".
func (a *API) fail(err error) *Response {
	code := hotgrid.ErrorCode(err)
	body := errorBody{Error: hotgrid.ErrorMessage(err)}
	var he *hotgrid.Error
	if errors.As(err, &he) {
		body.Error, body.Parameter = he.Message, he.Field
	}
	st := status(code)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		st, body.Error = http.StatusServiceUnavailable, "request cancelled or timed out"
	}
	if st >= 500 {
		a.log.Error("request failed", "err", err)
	}
	b, _ := json.Marshal(body)
	return &Response{Status: st, Body: b, Header: map[string]string{
		"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}}
}

// ok makes a cacheable 200 answer with an ETag of the body's hash, gzipped
// once when large enough to be worth it.
func (a *API) ok(contentType string, body []byte, maxAge time.Duration) *Response {
	r := a.okLazy(contentType, body, maxAge)
	if r.lazyGzip {
		r.gz, r.lazyGzip = gzipped(body), false
	}
	return r
}

// gzipped returns body compressed, or nil when that saves under 10%.
func gzipped(body []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	zw.Write(body)
	zw.Close()
	if buf.Len() >= len(body)*9/10 {
		return nil
	}
	return buf.Bytes()
}

// okLazy is ok for answers that are not kept: they are gzipped per request,
// only for clients that take it.
func (a *API) okLazy(contentType string, body []byte, maxAge time.Duration) *Response {
	sum := sha256.Sum256(body)
	r := &Response{Status: http.StatusOK, Body: body, Header: map[string]string{
		"Content-Type": contentType,
		"ETag":         `"` + hex.EncodeToString(sum[:12]) + `"`,
		"Vary":         "Accept-Encoding",
	}}
	if maxAge > 0 {
		r.Header["Cache-Control"] = fmt.Sprintf("private, max-age=%d", int(maxAge.Seconds()))
	} else {
		r.Header["Cache-Control"] = "no-cache"
	}
	r.lazyGzip = len(body) >= 1024 && compressible(contentType)
	return r
}

func compressible(ct string) bool {
	return strings.Contains(ct, "json") || strings.HasPrefix(ct, "text/") ||
		strings.Contains(ct, "javascript") || strings.Contains(ct, "mapbox-vector-tile") || strings.Contains(ct, "xml")
}

// okJSON marshals v into a cacheable answer.
func (a *API) okJSON(contentType string, v any, maxAge time.Duration) (*Response, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode json: %w", err)
	}
	return a.ok(contentType, b, maxAge), nil
}

// cached answers from the response cache, or computes and keeps the answer.
func (a *API) cached(k string, fill func() (*Response, error)) *Response {
	return a.answer(a.answers.get(k, fill))
}

// answer is r, or the failure of err.
func (a *API) answer(r *Response, err error) *Response {
	if err != nil {
		return a.fail(err)
	}
	return r
}
