// The view state the URL hash holds and the API requests it makes, shared
// by boot.js (which asks for the first view's data while app.js loads) and
// main.js (which asks for later views), so both build the same URLs.

export const FILTERS = ['unit', 'band', 'from', 'to', 'metric', 'category'];

// The map's hexagons come from tiles asked for with res=auto: the server
// draws resolution COARSE_RES cells on tiles up to zoom COARSE_MAX_ZOOM
// (a force or a unit on screen, where resolution-9 cells are a few pixels
// across) and FINE_RES, the server's default, deeper. The legend follows the zoom.
export const COARSE_RES = 8;
export const COARSE_MAX_ZOOM = 9;
export const FINE_RES = 9;

// newState is the view before the hash is read.
export const newState = () => ({
  unit: '', band: '', from: '', to: '', metric: 'harm', colour: 'metric', category: '', top: 10,
  grids: true, knife: true, units: true, wards: true, cov: false, day: '', view: null,
});

// readHash sets state from a location hash ("#unit=BW&map=11/52.4/-1.9").
export function readHash(state, hash) {
  const h = new URLSearchParams(hash.slice(1));
  for (const k of ['unit', 'band', 'from', 'to', 'metric', 'colour', 'category']) if (h.has(k)) state[k] = h.get(k);
  if (h.has('top')) state.top = Math.max(1, Math.min(50, parseInt(h.get('top'), 10) || 10));
  for (const k of ['grids', 'knife', 'units', 'wards']) if (h.has(k)) state[k] = h.get(k) !== '0';
  state.cov = h.get('cov') === '1';
  if (/^\d{4}-\d{2}-\d{2}$/.test(h.get('day') || '')) state.day = h.get('day');
  const m = (h.get('map') || '').split('/').map(Number);
  if (m.length === 3 && m.every(Number.isFinite)) state.view = { zoom: m[0], center: [m[2], m[1]] };
}

// apiURL is the request path of an API call with its parameters.
export function apiURL(path, params) {
  const qs = params ? new URLSearchParams(params).toString() : '';
  return path + (qs ? '?' + qs : '');
}

export function filterParams(state, extra = {}) {
  const p = {};
  for (const k of FILTERS) if (state[k]) p[k] = state[k];
  return { ...p, ...extra };
}

export function knifeParams(state) {
  const p = {};
  for (const k of ['unit', 'from', 'to']) if (state[k]) p[k] = state[k];
  return p;
}

// metaURLs are the calls that do not depend on the view: configuration,
// unit and ward boundaries, time bands.
export const metaURLs = () => ['/api/v1/config', '/api/v1/units', '/api/v1/bands', '/api/v1/wards'].map((p) => apiURL(p));

// dataURLs are the calls that draw one view: summaries (legend breaks of
// the fine and the coarse cells), hot grids (outlines, rank labels, list)
// and knife-point robbery hotspots.
export const dataURLs = (state) => [
  apiURL('/api/v1/summary', filterParams(state)),
  apiURL('/api/v1/summary', filterParams(state, { res: COARSE_RES })),
  apiURL('/api/v1/hotgrids', filterParams(state, { top: state.top })),
  apiURL('/api/v1/knife-robbery-hotspots', knifeParams(state)),
];

// previewURL is the server's drawing of a view as SVG (/api/v1/map.svg) for
// a map width × height pixels: at camera ("zoom/lat/lon") when given, else
// fitted to the selected units as the page fits them. boot.js shows it as
// the first view while MapLibre loads; the page offers it as a download
// (with extra { legend: 1 }: a legend and the attribution).
export function previewURL(state, width, height, camera, extra = {}) {
  const p = filterParams(state, { top: state.top, width: Math.round(width), height: Math.round(height), ...extra });
  if (state.colour !== 'metric') p.colour = state.colour;
  const hide = [['grids', state.grids], ['knife', state.knife], ['units', state.units]].filter(([, on]) => !on).map(([k]) => k);
  if (hide.length) p.hide = hide.join(',');
  if (camera) p.map = camera;
  return apiURL('/api/v1/map.svg', p);
}
