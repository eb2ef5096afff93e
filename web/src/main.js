// hotgrid map page: hexagon vector tiles coloured by metric or Gi* class,
// hot grid outlines with rank labels, knife-point robbery markers, unit and
// ward outlines, and the patrol coverage of the unit's agreed plan, driven
// by controls whose state lives in the URL hash.
import * as maplibregl from 'maplibre-gl';
import { apiURL, COARSE_MAX_ZOOM, COARSE_RES, dataURLs, FINE_RES, filterParams as viewFilters, newState, previewURL, readHash as viewReadHash } from './view.js';

const RAMP = ['#fff3bf', '#fed976', '#feb24c', '#fd8d3c', '#e8482a', '#b10026'];
const CLASSES = [
  ['hot-99', '#a50f15', 'Hot spot, 99%'],
  ['hot-95', '#e3452f', 'Hot spot, 95%'],
  ['hot-90', '#fc9272', 'Hot spot, 90%'],
  ['not-significant', '#e9e9ec', 'Not significant'],
  ['cold-90', '#b7d3ea', 'Cold spot, 90%'],
  ['cold-95', '#6baed6', 'Cold spot, 95%'],
  ['cold-99', '#2c6fb0', 'Cold spot, 99%'],
];
// coverage statuses, worst first, with their outline colours
const COVERAGE = [
  ['missed', '#d7301f', 'Missed'],
  ['short', '#d98b06', 'Short of the dose'],
  ['covered', '#1a9850', 'Covered'],
  ['none', '#9ca3af', 'No patrol due'],
];
const METRIC_LABEL = { harm: 'Harm (crime severity score)', count: 'Offences (expected count)', recency: 'Recency-weighted harm' };

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'style') Object.assign(e.style, v); // CSSOM, allowed by the CSP (style attributes are not)
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k != null) e.append(k);
  return e;
};
const fmt = (v, d = 1) => (v == null || Number.isNaN(v) ? '–' : Number(v).toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d }));
const fmtP = (v) => (v == null ? '–' : v < 0.001 ? '<0.001' : Number(v).toFixed(3));

// hook for tests and for people poking at the page
const hook = (window.__hotgrid = { requests: [], renders: 0, ready: false, marks: {} });
const mark = (name) => { if (!(name in hook.marks)) hook.marks[name] = Math.round(performance.now()); };
mark('script');

const state = newState();

let map;
let meta = { units: null, wards: null, bands: [], config: {} };
let shown = { summary: null, coarse: null, hotgrids: null, knife: null };
let markers = [];
let loadSeq = 0;

async function api(path, params) {
  const url = apiURL(path, params);
  hook.requests.push(url);
  // boot.js asked for the first view's data while this bundle loaded
  const boot = window.__hotgridBoot;
  const early = boot && boot.get(url);
  if (early) boot.delete(url);
  const res = await (early || fetch(url));
  if (!res.ok) {
    let msg = res.status + ' ' + res.statusText;
    try { const b = await res.json(); msg = b.error + (b.parameter ? ` (${b.parameter})` : ''); } catch { /* not json */ }
    throw new Error(msg);
  }
  return res.json();
}

const filterParams = (extra = {}) => viewFilters(state, extra);

// --- URL state -------------------------------------------------------------

const readHash = () => viewReadHash(state, location.hash);

function writeHash() {
  const h = new URLSearchParams();
  for (const k of ['unit', 'band', 'from', 'to', 'category']) if (state[k]) h.set(k, state[k]);
  if (state.metric !== 'harm') h.set('metric', state.metric);
  if (state.colour !== 'metric') h.set('colour', state.colour);
  if (state.top !== 10) h.set('top', state.top);
  for (const k of ['grids', 'knife', 'units', 'wards']) if (!state[k]) h.set(k, '0');
  if (state.cov) h.set('cov', '1');
  if (state.cov && state.day) h.set('day', state.day);
  if (map) h.set('map', camera());
  history.replaceState(null, '', '#' + h.toString().replaceAll('%2F', '/'));
  updateMapLink();
}

// camera is the map's view as the hash holds it: zoom/lat/lon.
function camera() {
  const c = map.getCenter();
  return `${map.getZoom().toFixed(2)}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`;
}

// updateMapLink points "SVG map" at the server's drawing of what the map
// shows, at its size: a picture for a briefing pack.
function updateMapLink() {
  if (!map) return;
  const box = map.getContainer();
  $('dl-svg').href = previewURL(state, box.clientWidth, box.clientHeight, camera(), { legend: 1 });
}

// --- controls --------------------------------------------------------------

function fillControls() {
  const unitSel = $('unit');
  for (const f of meta.units.features) {
    unitSel.append(el('option', { value: f.properties.code, text: `${f.properties.name} (${f.properties.code})` }));
  }
  const bandSel = $('band');
  for (const b of meta.bands) bandSel.append(el('option', { value: b.any_time ? '' : b.name, text: b.label || b.name }));
  const catSel = $('category');
  for (const c of meta.config.categories || []) {
    const [slug, name] = c.split('|');
    catSel.append(el('option', { value: slug, text: name }));
  }
  syncControls();
  const onChange = () => {
    state.unit = unitSel.value; state.band = bandSel.value; state.from = $('from').value; state.to = $('to').value;
    state.metric = $('metric').value; state.colour = $('colour').value; state.category = catSel.value;
    state.top = Math.max(1, Math.min(50, parseInt($('top').value, 10) || 10));
    state.grids = $('show-grids').checked; state.knife = $('show-knife').checked; state.units = $('show-units').checked;
    state.wards = $('show-wards').checked; state.cov = $('show-coverage').checked; state.day = $('cov-day').value;
  };
  $('controls').addEventListener('change', (e) => {
    const before = JSON.stringify(filterParams({ top: state.top }));
    const unitBefore = state.unit;
    endPreview(); // the picture shows the view before the change
    onChange();
    writeHash();
    if (JSON.stringify(filterParams({ top: state.top })) !== before) {
      reload({ fit: state.unit !== unitBefore });
    } else {
      restyle();
    }
    loadCoverage();
    e.stopPropagation();
  });
  $('controls').addEventListener('submit', (e) => e.preventDefault());
}

function syncControls() {
  $('unit').value = state.unit; $('band').value = state.band; $('from').value = state.from; $('to').value = state.to;
  $('metric').value = state.metric; $('colour').value = state.colour; $('category').value = state.category;
  $('top').value = state.top;
  $('show-grids').checked = state.grids; $('show-knife').checked = state.knife; $('show-units').checked = state.units;
  $('show-wards').checked = state.wards; $('show-coverage').checked = state.cov; $('cov-day').value = state.day;
  $('cov-controls').hidden = !state.cov;
}

// --- map -------------------------------------------------------------------

function tileURL() {
  const qs = new URLSearchParams(filterParams({ res: 'auto' })).toString();
  return `${location.origin}/tiles/{z}/{x}/{y}.mvt?${qs}`;
}

// coarseShown tells whether the map's zoom shows coarse cells (their tiles
// are of zoom COARSE_MAX_ZOOM or less: MapLibre asks for tiles of the
// zoom's integer part).
const coarseShown = () => {
  const zoom = map ? map.getZoom() : firstZoom;
  return zoom != null && Math.floor(zoom) <= COARSE_MAX_ZOOM;
};
// firstZoom is the zoom the map will open at, for the legend drawn before it
let firstZoom = null;

// cellRes is the H3 resolution of a tile feature, read from its index (the
// second hex digit of an H3 cell index is its resolution).
const cellRes = ['slice', ['get', 'h3'], 1, 2];

// mapStyle is the whole map at once: every source with the data already
// loaded and every layer with its final paint, so the first frames draw the
// finished picture. (Adding layers after the style loads, then switching
// the hexagons to a data-driven colour, made MapLibre parse every tile twice
// and draw throwaway frames, which software rendering pays dearly for.)
function mapStyle() {
  const vis = (on) => ({ visibility: on ? 'visible' : 'none' });
  const style = {
    version: 8,
    sources: {
      units: { type: 'geojson', data: meta.units },
      cells: { type: 'vector', tiles: [tileURL()], minzoom: 8, maxzoom: 16, attribution: 'hotgrid' },
      wards: { type: 'geojson', data: emptyFC() }, // start sets it once the first view is drawn
      hotgrids: { type: 'geojson', data: shown.hotgrids || emptyFC() },
      coverage: { type: 'geojson', data: emptyFC() },
      knife: { type: 'geojson', data: knifePoints(shown.knife) },
    },
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef0f2' } }],
  };
  const layers = style.layers;
  if (meta.config.basemap) {
    style.sources.basemap = { type: 'raster', tiles: [meta.config.basemap], tileSize: 256, attribution: meta.config.basemap_attribution || '' };
    layers.push({ id: 'basemap', type: 'raster', source: 'basemap', paint: { 'raster-opacity': 0.85, 'raster-saturation': -0.6 } });
  }
  // the fills skip MapLibre's antialiasing outline pass: hexagons tile the
  // plane, so their edges need none, and it doubles the work of each tile
  layers.push({ id: 'units-fill', type: 'fill', source: 'units',
    paint: { 'fill-color': '#ffffff', 'fill-opacity': meta.config.basemap ? 0 : 0.9, 'fill-antialias': false } });
  layers.push({ id: 'cells-fill', type: 'fill', source: 'cells', 'source-layer': 'cells',
    paint: { 'fill-color': colourExpr(), 'fill-opacity': opacityExpr(), 'fill-antialias': false } });
  layers.push({ id: 'cells-line', type: 'line', source: 'cells', 'source-layer': 'cells', minzoom: 12,
    paint: { 'line-color': '#ffffff', 'line-width': 0.4, 'line-opacity': 0.6 } });
  layers.push({ id: 'wards-line', type: 'line', source: 'wards', layout: vis(state.wards),
    paint: { 'line-color': '#8a94a3', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.4, 14, 1], 'line-opacity': 0.7 } });
  layers.push({ id: 'units-line', type: 'line', source: 'units', layout: vis(state.units),
    paint: { 'line-color': '#39414d', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1, 14, 2.5], 'line-opacity': 0.85 } });
  layers.push({ id: 'areas-line', type: 'line', source: 'hotgrids', filter: ['==', ['get', 'kind'], 'patrol_area'], layout: vis(state.grids),
    paint: { 'line-color': '#1d2b53', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 2, 15, 4], 'line-dasharray': [2, 1] } });
  layers.push({ id: 'grids-line', type: 'line', source: 'hotgrids', filter: ['==', ['get', 'kind'], 'cell'], layout: vis(state.grids),
    paint: { 'line-color': '#111827', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.2, 15, 2.5] } });
  const covColour = ['match', ['get', 'status']];
  for (const [st, col] of COVERAGE) covColour.push(st, col);
  covColour.push('#9ca3af');
  layers.push({ id: 'coverage-fill', type: 'fill', source: 'coverage', layout: vis(state.cov), paint: { 'fill-color': covColour, 'fill-opacity': 0.18 } });
  // a white casing keeps the status colour readable over hexagons of any colour
  layers.push({ id: 'coverage-casing', type: 'line', source: 'coverage', layout: { 'line-join': 'round', ...vis(state.cov) },
    paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 5.5, 15, 9] } });
  layers.push({ id: 'coverage-line', type: 'line', source: 'coverage', layout: { 'line-join': 'round', ...vis(state.cov) },
    paint: { 'line-color': covColour, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 3, 15, 5] } });
  layers.push({ id: 'knife-halo', type: 'circle', source: 'knife', layout: vis(state.knife),
    paint: { 'circle-radius': 11, 'circle-color': '#ffffff', 'circle-opacity': 0.9 } });
  layers.push({ id: 'knife', type: 'circle', source: 'knife', layout: vis(state.knife),
    paint: { 'circle-radius': 7, 'circle-color': '#7a0177', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } });
  layers.push({ id: 'selected', type: 'line', source: 'cells', 'source-layer': 'cells', filter: ['==', ['get', 'h3'], ''],
    paint: { 'line-color': '#00b4d8', 'line-width': 4 } });
  return style;
}

function bindMap() {
  map.on('click', 'cells-fill', (e) => {
    const f = e.features && e.features[0];
    if (f) openDetail(f.properties.h3);
  });
  map.on('mouseenter', 'cells-fill', () => { map.getCanvas().style.cursor = 'pointer'; });
  map.on('mouseleave', 'cells-fill', () => { map.getCanvas().style.cursor = ''; });
  map.on('moveend', writeHash);
  const zoomClass = () => map.getContainer().classList.toggle('far', map.getZoom() < 11.5);
  map.on('zoomend', zoomClass);
  map.on('zoomend', () => { if (coarseShown() !== legendCoarse) renderLegend(); });
  zoomClass();
}

const emptyFC = () => ({ type: 'FeatureCollection', features: [] });

// knifePoints marks each knife-point robbery hotspot cell at its centre.
function knifePoints(knife) {
  if (!knife) return emptyFC();
  return {
    type: 'FeatureCollection',
    features: knife.features.filter((f) => f.properties.kind === 'cell')
      .map((f) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: centroid(f.geometry) }, properties: f.properties })),
  };
}

function colourExpr() {
  if (state.colour === 'class') {
    const m = ['match', ['get', 'class']];
    for (const [c, col] of CLASSES) m.push(c, col);
    m.push('#e9e9ec');
    return m;
  }
  // each resolution is coloured by the breaks of its own cells
  return ['case', ['==', cellRes, COARSE_RES.toString(16)], metricSteps(shown.coarse), metricSteps(shown.summary)];
}

// metricSteps colours the chosen metric by the legend breaks of a summary.
function metricSteps(summary) {
  const br = (summary && summary.breaks[state.metric]) || [];
  if (br.length === 0) return RAMP[2];
  const e = ['step', ['get', state.metric], RAMP[0]];
  br.forEach((b, i) => e.push(b, RAMP[Math.min(i + 1, RAMP.length - 1)]));
  return e;
}

function opacityExpr() {
  return state.colour === 'class'
    ? ['match', ['get', 'class'], 'not-significant', 0.45, 0.85]
    : ['case', ['<=', ['get', state.metric], 0], 0.25, 0.82];
}

function restyle() {
  if (!map || !map.getLayer('cells-fill')) return;
  map.setPaintProperty('cells-fill', 'fill-color', colourExpr());
  map.setPaintProperty('cells-fill', 'fill-opacity', opacityExpr());
  const vis = (on) => (on ? 'visible' : 'none');
  for (const id of ['grids-line', 'areas-line']) map.setLayoutProperty(id, 'visibility', vis(state.grids));
  for (const id of ['knife', 'knife-halo']) map.setLayoutProperty(id, 'visibility', vis(state.knife));
  map.setLayoutProperty('units-line', 'visibility', vis(state.units));
  map.setLayoutProperty('wards-line', 'visibility', vis(state.wards));
  for (const id of ['coverage-fill', 'coverage-casing', 'coverage-line']) map.setLayoutProperty(id, 'visibility', vis(state.cov));
  $('cov-controls').hidden = !state.cov;
  for (const m of markers) m.getElement().style.display = state.grids ? '' : 'none';
  for (const m of unitLabels) m.getElement().style.display = state.units ? '' : 'none';
  renderLegend();
}

// --- data ------------------------------------------------------------------

function centroid(geom) {
  const ring = geom.type === 'Polygon' ? geom.coordinates[0] : geom.coordinates[0][0];
  let x = 0, y = 0;
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) { x += ring[i][0]; y += ring[i][1]; }
  return [x / n, y / n];
}

function bboxOf(features) {
  let b = [180, 90, -180, -90];
  const visit = (c) => {
    if (typeof c[0] === 'number') { b = [Math.min(b[0], c[0]), Math.min(b[1], c[1]), Math.max(b[2], c[0]), Math.max(b[3], c[1])]; return; }
    for (const x of c) visit(x);
  };
  for (const f of features) if (f.geometry) visit(f.geometry.coordinates);
  return b[0] <= b[2] ? b : null;
}

// fetchView asks for the data of the view the controls show.
// (the calls view.js lists, as boot.js makes them for the first view)
const fetchView = () => Promise.all(dataURLs(state).map((url) => api(url)));

// asShown names fetchView's answers, in dataURLs' order.
const asShown = ([summary, coarse, hotgrids, knife]) => ({ summary, coarse, hotgrids, knife });

// reload draws the view the controls show, then waits for the map to
// finish drawing it. first is the first view's data, already in the map's
// style (start), and drawn the promise of the map's first idle event.
async function reload({ fit = false, first = null, drawn = null } = {}) {
  const seq = ++loadSeq;
  setStatus('Loading…');
  document.documentElement.dataset.loading = 'true';
  try {
    const view = asShown(first || await fetchView());
    if (seq !== loadSeq) return;
    mark('data');
    shown = view;
    const { hotgrids, knife } = view;
    if (!first) {
      const src = map.getSource('cells');
      if (src.tiles[0] !== tileURL()) src.setTiles([tileURL()]); // same URL: keep the loaded tiles
      map.getSource('hotgrids').setData(hotgrids);
      map.getSource('knife').setData(knifePoints(knife));
    }
    drawRankLabels(hotgrids);
    renderPanel();
    restyle(); // no change when the style was built from this view
    if (fit) fitToSelection();
    setStatus('');
    mark('drawn');
    await (drawn || idle());
    mark('idle');
    if (seq !== loadSeq) return;
    hook.renders++;
    document.documentElement.dataset.renders = String(hook.renders);
    if (!hook.ready) {
      hook.ready = true;
      hook.readyMs = performance.now();
      window.__hotgridReady = true;
      document.documentElement.dataset.ready = 'true';
    }
  } catch (err) {
    if (seq === loadSeq) setStatus('Could not load: ' + err.message, true);
  } finally {
    if (seq === loadSeq) delete document.documentElement.dataset.loading;
  }
}

// renderPanel fills the side panel from the data shown.
function renderPanel() {
  renderList(shown.hotgrids);
  renderNotes(shown.hotgrids, shown.knife);
  updateDownloads();
}

function idle() {
  return new Promise((resolve) => {
    // wait for the tiles asked for by setTiles and the new GeoJSON to draw
    map.once('idle', resolve);
    map.triggerRepaint();
  });
}

// selection is the bounding box of the units chosen (all when none) and
// the padding that keeps it clear of the detail card.
function selection() {
  let feats = meta.units.features;
  if (state.unit) feats = feats.filter((f) => state.unit.split(',').includes(f.properties.code));
  const b = bboxOf(feats);
  const right = $('detail').hidden ? 40 : 360; // keep the unit clear of the detail card
  return { bounds: b && [[b[0], b[1]], [b[2], b[3]]], padding: { top: 40, bottom: 40, left: 40, right } };
}

function fitToSelection() {
  const { bounds, padding } = selection();
  if (bounds) map.fitBounds(bounds, { padding, duration: 0 });
}

function drawRankLabels(fc) {
  for (const m of markers) m.remove();
  markers = [];
  const cells = fc.features.filter((f) => f.properties.kind === 'cell').slice(0, 100);
  for (const f of cells) {
    const p = f.properties;
    const badge = el('button', { class: p.rank > 3 ? 'rank minor' : 'rank', type: 'button', title: `Rank ${p.rank} in ${p.unit}: ${p.h3}`, 'data-h3': p.h3, text: String(p.rank),
      style: { zIndex: String(100 - Math.min(p.rank, 99)) } }); // where badges overlap, the higher rank is on top
    badge.addEventListener('click', (e) => { e.stopPropagation(); openDetail(p.h3); });
    markers.push(new maplibregl.Marker({ element: badge }).setLngLat(centroid(f.geometry)).addTo(map));
  }
}

let unitLabels = [];
function drawUnitLabels() {
  for (const f of meta.units.features) {
    const b = bboxOf([f]);
    if (!b) continue;
    const lab = el('div', { class: 'unit-label', text: f.properties.name });
    unitLabels.push(new maplibregl.Marker({ element: lab }).setLngLat(centroid(largestPolygon(f.geometry))).addTo(map));
  }
}

function largestPolygon(g) {
  if (g.type === 'Polygon') return g;
  let best = null, area = -1;
  for (const p of g.coordinates) {
    const b = bboxOf([{ geometry: { coordinates: p } }]);
    const a = (b[2] - b[0]) * (b[3] - b[1]);
    if (a > area) { area = a; best = p; }
  }
  return { type: 'Polygon', coordinates: best };
}

// --- side panel --------------------------------------------------------------

// CELL_KM2 is the average area of an H3 cell by resolution.
const CELL_KM2 = { 8: '0.74', 9: '0.11' };

// legendCoarse is whether the legend shows the coarse cells' breaks.
let legendCoarse = false;

function renderLegend() {
  const lg = $('legend');
  lg.replaceChildren();
  legendCoarse = coarseShown();
  const summary = legendCoarse ? shown.coarse : shown.summary; // of the cells the zoom shows
  if (state.colour === 'class') {
    lg.append(el('h2', { text: 'Getis-Ord Gi* significance' }));
    const counts = (summary && summary.classes) || {};
    for (const [c, col, label] of CLASSES) {
      lg.append(el('div', { class: 'key' }, el('span', { class: 'swatch', style: { background: col } }), el('span', { text: label }), el('span', { class: 'muted', text: counts[c] ? fmt(counts[c], 0) : '' })));
    }
  } else {
    lg.append(el('h2', { text: METRIC_LABEL[state.metric] + ' per cell' }));
    const br = (summary && summary.breaks[state.metric]) || [];
    const scale = el('div', { class: 'scale' });
    const labels = el('div', { class: 'scale-labels' });
    const edges = [0, ...br];
    edges.forEach((b, i) => {
      scale.append(el('span', { style: { background: RAMP[Math.min(i, RAMP.length - 1)] } }));
      labels.append(el('span', { text: i === 0 ? '0' : fmt(b, b < 10 ? 1 : 0) }));
    });
    lg.append(scale, labels);
  }
  const res = legendCoarse ? COARSE_RES : FINE_RES;
  lg.append(el('p', { class: 'muted cell-size', 'data-res': String(res), text: legendCoarse
    ? `Cells of H3 resolution ${res} (${CELL_KM2[res]} km²) at this zoom; zoom in for resolution ${FINE_RES} (${CELL_KM2[FINE_RES]} km²), the cells hot grids are ranked by.`
    : `Cells of H3 resolution ${res} (${CELL_KM2[res]} km²).` }));
  const keys = el('div', { class: 'keys' });
  keys.append(el('div', { class: 'key' }, el('span', { class: 'swatch outline' }), el('span', { text: `Top ${state.top} hot grid cell (rank label)` })));
  keys.append(el('div', { class: 'key' }, el('span', { class: 'swatch dashed' }), el('span', { text: 'Patrol area' })));
  keys.append(el('div', { class: 'key' }, el('span', { class: 'swatch knife' }), el('span', { text: 'Knife-point robbery hotspot' })));
  if (state.wards && meta.wards && meta.wards.features.length) {
    keys.append(el('div', { class: 'key' }, el('span', { class: 'swatch ward' }), el('span', { text: 'Ward (2013) outline' })));
  }
  if (state.cov) {
    for (const [, col, label] of COVERAGE) {
      keys.append(el('div', { class: 'key' }, el('span', { class: 'swatch', style: { border: `2px solid ${col}`, background: 'transparent' } }), el('span', { text: 'Patrol area: ' + label.toLowerCase() })));
    }
  }
  lg.append(keys);
}

function renderList(fc) {
  const list = $('list');
  list.replaceChildren();
  const cells = fc.features.filter((f) => f.properties.kind === 'cell');
  $('count').textContent = `${cells.length} cells`;
  for (const f of cells) {
    const p = f.properties;
    const li = el('li', { 'data-h3': p.h3 },
      el('span', { class: 'badge', text: String(p.rank) }),
      el('span', { class: 'what' }, el('strong', { text: p.unit }), el('span', { class: 'muted', text: ` ${bandLabel(p.peak_band)}` })),
      el('span', { class: 'num', text: fmt(p[state.metric], state.metric === 'count' ? 1 : 0) }));
    li.addEventListener('click', () => {
      if (map) map.easeTo({ center: centroid(f.geometry), zoom: Math.max(map.getZoom(), 14) });
      openDetail(p.h3);
    });
    list.append(li);
  }
  const areas = $('areas');
  areas.replaceChildren();
  const as = fc.features.filter((f) => f.properties.kind === 'patrol_area');
  $('area-count').textContent = as.length ? `${as.length} areas` : '';
  for (const f of as) {
    const p = f.properties;
    const every = p.every_minutes >= 60 && p.every_minutes % 60 === 0 ? `${p.every_minutes / 60} h` : `${p.every_minutes} min`;
    const li = el('li', { 'data-area': p.patrol_area },
      el('span', { class: 'badge area', text: String(p.rank) }),
      el('span', { class: 'what' },
        el('strong', { text: p.patrol_area }),
        el('span', { class: 'muted', text: ` · ${p.n_cells} cell${p.n_cells === 1 ? '' : 's'}` }),
        el('span', { class: 'dose', text: `${p.visit_minutes} min every ${every} · ${p.visits} visits · ${bandLabel(p.dose_band)}` })),
      el('span', { class: 'num', text: fmt(p[state.metric] ?? p.harm, state.metric === 'count' ? 1 : 0) }));
    li.addEventListener('click', () => {
      const b = bboxOf([f]);
      if (b && map) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 120, maxZoom: 15.5, duration: 600 });
    });
    areas.append(li);
  }
}

function renderNotes(hot, knife) {
  const notes = [...new Set([...(hot.provenance?.notes || []), ...(knife.provenance?.notes || [])])];
  const box = $('notes');
  box.replaceChildren(...notes.map((n) => el('p', { text: n })));
  box.hidden = notes.length === 0;
}

function updateDownloads() {
  const qs = (fmtName) => new URLSearchParams(filterParams({ top: state.top, format: fmtName })).toString();
  $('download').href = '/api/v1/export?' + qs('geojson');
  $('dl-csv').href = '/api/v1/export?' + qs('csv');
  $('dl-csvzip').href = '/api/v1/export?' + qs('csv') + '&bundle=zip';
  $('accuracy').href = '/api/v1/accuracy' + (state.unit ? '?' + new URLSearchParams({ unit: state.unit }).toString() : '');
  $('dl-kml').href = '/api/v1/export?' + qs('kml');
  $('dl-gpkg').href = '/api/v1/export?' + qs('gpkg');
  updateMapLink();
}

async function openDetail(h3) {
  const box = $('detail');
  box.hidden = false;
  box.dataset.h3 = h3;
  delete box.dataset.loaded;
  box.replaceChildren(el('p', { class: 'muted', text: 'Loading ' + h3 + '…' }));
  if (map && map.getLayer('selected')) map.setFilter('selected', ['==', ['get', 'h3'], h3]); // the list works before the map is up
  let d;
  try {
    const res = await api('/api/v1/cells/' + h3, filterParams());
    if (box.dataset.h3 !== h3) return;
    d = res;
  } catch (err) {
    box.replaceChildren(el('p', { class: 'error', text: err.message }), closeButton());
    return;
  }
  const row = (label, field, text) => el('tr', {}, el('th', { text: label }), el('td', { 'data-field': field, text }));
  const cls = CLASSES.find((c) => c[0] === d.class);
  const facts = el('table', { class: 'facts' },
    row('Rank in unit', 'rank', String(d.rank)),
    row('Offences (expected)', 'count', fmt(d.count, 2)),
    row('Harm (CSS)', 'harm', fmt(d.harm, 1)),
    row('Recency-weighted', 'recency', fmt(d.recency, 1)),
    row('Gi* z-score', 'z', fmt(d.z, 2)),
    row('p / q (FDR)', 'p', `${fmtP(d.p)} / ${fmtP(d.q)}`),
    row('Trend', 'trend', d.trend || '–'),
    row('Peak band', 'peak_band', d.peak_band ? bandLabel(d.peak_band) : '–'),
    row('Knife robberies', 'knife', fmt(d.knife_robberies, 1)),
    d.patrol_area ? row('Patrol area', 'patrol_area', d.patrol_area) : null);
  const byCat = Object.entries(d.by_category || {}).sort((a, b) => b[1] - a[1]).filter(([, v]) => v > 0);
  const catTable = el('table', { class: 'breakdown' }, ...byCat.map(([k, v]) => el('tr', {}, el('th', { text: k }), el('td', { 'data-category': k, text: fmt(v, 1) }))));
  const byBand = Object.entries(d.by_band || {});
  const bandTable = el('table', { class: 'breakdown' }, ...byBand.map(([k, v]) => el('tr', {}, el('th', { text: bandLabel(k) }), el('td', { 'data-band': k, text: fmt(v, 1) }))));
  box.replaceChildren(
    el('header', {}, el('div', {},
      el('h2', { text: `Cell ${d.h3}` }, el('span', { class: 'muted res', text: ` res ${parseInt(d.h3[1], 16)}` })),
      el('p', { class: 'muted', text: `${unitName(d.unit)} · ` }, el('span', { class: 'pill' + (d.class && d.class.startsWith('hot-99') ? ' dark' : ''), style: { background: cls ? cls[1] : '#ccc' }, text: cls ? cls[2] : d.class }))),
    closeButton()),
    facts,
    el('h3', { text: 'Monthly offences' }), sparkline(d.monthly || []),
    el('h3', { text: 'By crime type' }), catTable,
    el('h3', { text: 'By time band' }), bandTable);
  box.dataset.loaded = 'true';
}

function closeButton() {
  return el('button', { class: 'close', type: 'button', 'aria-label': 'Close', text: '×', onclick: () => {
    $('detail').hidden = true;
    map.setFilter('selected', ['==', ['get', 'h3'], '']);
  } });
}

function unitName(code) {
  const f = meta.units.features.find((u) => u.properties.code === code);
  return f ? `${f.properties.name} (${code})` : code || 'outside units';
}

function bandLabel(name) {
  if (!name) return '';
  const b = meta.bands.find((x) => x.name === name);
  return b ? b.label || b.name : name;
}

function sparkline(months) {
  const w = 260, h = 56, n = months.length;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h + 14}`);
  svg.setAttribute('class', 'spark');
  if (n === 0) return el('p', { class: 'muted', text: 'No monthly series.' });
  const max = Math.max(...months.map((m) => m.count), 1e-9);
  const bw = w / n;
  months.forEach((m, i) => {
    const r = document.createElementNS(ns, 'rect');
    const bh = (m.count / max) * h;
    r.setAttribute('x', (i * bw + 1).toFixed(1));
    r.setAttribute('y', (h - bh).toFixed(1));
    r.setAttribute('width', Math.max(bw - 2, 1).toFixed(1));
    r.setAttribute('height', bh.toFixed(1));
    const t = document.createElementNS(ns, 'title');
    t.textContent = `${m.month}: ${fmt(m.count, 1)} offences`;
    r.append(t);
    svg.append(r);
  });
  for (const [i, anchor] of [[0, 'start'], [n - 1, 'end']]) {
    const t = document.createElementNS(ns, 'text');
    t.setAttribute('x', anchor === 'start' ? 0 : w);
    t.setAttribute('y', h + 12);
    t.setAttribute('text-anchor', anchor);
    t.textContent = months[i].month;
    svg.append(t);
  }
  return svg;
}

function setStatus(text, error = false) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', error);
  s.hidden = !text;
}

// --- patrol coverage ---------------------------------------------------------

let covSeq = 0;

const isoDay = (d) => d.toISOString().slice(0, 10);
const nextDay = (day) => isoDay(new Date(Date.parse(day + 'T00:00:00Z') + 86400000));

// areaStatus is an area's coverage on the day: the worst of its doses (only
// those of the chosen band when it has one), or none when no dose is due.
function areaStatus(rows, area) {
  let mine = rows.filter((r) => r.area === area);
  if (state.band && mine.some((r) => r.band === state.band)) mine = mine.filter((r) => r.band === state.band);
  for (const [st] of COVERAGE) if (mine.some((r) => r.status === st)) return { status: st, rows: mine };
  return { status: 'none', rows: mine };
}

function coverageMessage(text) {
  map.getSource('coverage').setData(emptyFC());
  $('coverage-list').replaceChildren();
  $('cov-title').textContent = '';
  $('cov-status').textContent = text;
  $('coverage').dataset.loaded = 'true';
}

// loadCoverage shows, for the chosen unit and day, each area of the unit's
// agreed plan outlined by its coverage (from the plan's coverage report).
async function loadCoverage() {
  if (!map || !map.getSource('coverage')) return; // before the map: start() loads it
  const box = $('coverage');
  const seq = ++covSeq;
  delete box.dataset.loaded;
  box.hidden = !state.cov;
  if (!state.cov) {
    map.getSource('coverage').setData(emptyFC());
    return;
  }
  const units = state.unit ? state.unit.split(',') : [];
  if (units.length !== 1) {
    coverageMessage('Choose one unit to see the patrol coverage of its agreed plan.');
    return;
  }
  try {
    const plans = await api('/api/v1/plans', { unit: units[0], state: 'agreed' });
    if (seq !== covSeq) return;
    const span = (p) => [p.from.slice(0, 10), p.to.slice(0, 10)];
    let day = state.day;
    // the latest agreed of the plans covering the day (a new version agreed later replaces an older one)
    plans.sort((a, b) => (b.agreed_at || '').localeCompare(a.agreed_at || '') || b.id - a.id);
    let p = day ? plans.find((x) => span(x)[0] <= day && day < span(x)[1]) : plans[0];
    if (!p) {
      coverageMessage(day ? `No agreed plan of ${units[0]} covers ${day}.` : `${units[0]} has no agreed plan yet.`);
      return;
    }
    if (!day) { // today, kept inside the plan's period
      const [from, to] = span(p);
      day = isoDay(new Date());
      if (day < from) day = from;
      if (day >= to) day = isoDay(new Date(Date.parse(to + 'T00:00:00Z') - 86400000));
      $('cov-day').value = day;
    }
    const [areas, cov] = await Promise.all([
      api(`/api/v1/plans/${p.id}/areas`),
      api(`/api/v1/plans/${p.id}/coverage`, { from: day, to: nextDay(day) }),
    ]);
    if (seq !== covSeq) return;
    const shownAreas = [];
    const features = areas.features.filter((f) => f.properties.kind === 'patrol_area').map((f) => {
      const s = areaStatus(cov.rows, f.properties.patrol_area);
      shownAreas.push({ area: f.properties.patrol_area, ...s, feature: f });
      return { ...f, properties: { ...f.properties, status: s.status } };
    });
    map.getSource('coverage').setData({ type: 'FeatureCollection', features });
    $('cov-title').textContent = `plan ${p.id} · ${day}`;
    const counts = {};
    for (const a of shownAreas) counts[a.status] = (counts[a.status] || 0) + 1;
    $('cov-status').textContent = COVERAGE.filter(([st]) => counts[st]).map(([st, , label]) => `${counts[st]} ${label.toLowerCase()}`).join(' · ') || 'No areas.';
    $('coverage-list').replaceChildren(...shownAreas.map((a) => {
      const logged = a.rows.map((r) => `${bandLabel(r.band)}: ${r.logged_minutes}/${r.need_minutes} min, ${r.visits}/${r.need_visits} visits`).join('; ');
      const li = el('li', { 'data-area': a.area, 'data-status': a.status },
        el('span', {}, el('strong', { text: a.area }), el('span', { class: 'minutes', text: logged || 'no dose due this day' })),
        el('span', { class: 'status ' + a.status, text: a.status === 'none' ? 'not due' : a.status }));
      li.addEventListener('click', () => {
        const b = bboxOf([a.feature]);
        if (b) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 120, maxZoom: 15.5, duration: 600 });
      });
      return li;
    }));
    box.dataset.plan = String(p.id);
    box.dataset.day = day;
    box.dataset.loaded = 'true';
    renderLegend();
  } catch (err) {
    if (seq === covSeq) coverageMessage('Could not load coverage: ' + err.message);
  }
}

// --- start -------------------------------------------------------------------

// holdFirstPaint keeps the map from drawing until the first view's sources
// have all loaded (at most ms): each tile and GeoJSON source that arrives
// would otherwise draw a frame of its own, and in software rendering (a
// machine without a GPU) every frame of the whole view costs 100-700 ms.
// The map then appears at once, finished. It patches the map's painter:
// MapLibre has no public switch for this; without it the map only draws
// progressively, as before.
function holdFirstPaint(m, ms) {
  const painter = m.painter;
  if (!painter || typeof painter.render !== 'function') return;
  const render = painter.render;
  const until = performance.now() + ms;
  setTimeout(() => m.triggerRepaint(), ms + 10); // draw what there is by then
  painter.render = function (...args) {
    if (!m.loaded() && performance.now() < until) return undefined; // each source that loads asks for a frame
    painter.render = render; // from now on every frame draws
    mark('first-paint');
    return render.apply(this, args);
  };
}

// firstCamera is where the map opens: the shared link's view, else the
// camera the server drew boot.js's picture at (so the map draws over it
// exactly), else the selected units fitted.
async function firstCamera() {
  if (state.view) return { center: state.view.center, zoom: state.view.zoom };
  const pv = window.__hotgridPreview;
  const box = $('map');
  const late = new Promise((resolve) => setTimeout(resolve, 1500, null)); // a slow picture does not hold the map up
  const drawn = pv && pv.width === box.clientWidth && pv.height === box.clientHeight ? await Promise.race([pv.view, late]) : null;
  const m = (drawn || '').split('/').map(Number);
  if (m.length === 3 && m.every(Number.isFinite)) return { zoom: m[0], center: [m[2], m[1]] };
  const { bounds, padding } = selection();
  return bounds ? { bounds, fitBoundsOptions: { padding } } : { center: [-1.89, 52.48], zoom: 9 };
}

// endPreview removes boot.js's picture once the map has drawn over it (or
// the view has changed), and tells boot.js not to show one still loading.
function endPreview() {
  if (window.__hotgridPreview) window.__hotgridPreview.ended = true;
  const box = $('map');
  box.classList.remove('previewing');
  for (const img of box.querySelectorAll('img.preview')) {
    URL.revokeObjectURL(img.src);
    img.remove();
  }
}

async function start() {
  maplibregl.setWorkerUrl(new URL('maplibre-gl-worker.mjs', location.href).href);
  maplibregl.prewarm(); // start the tile worker while the data loads
  readHash();
  setStatus('Loading…');
  // boot.js asked for all of these while this bundle loaded
  const metaP = Promise.all([api('/api/v1/config'), api('/api/v1/units'), api('/api/v1/bands'),
    api('/api/v1/wards').catch(() => null)]);
  const viewP = fetchView();
  viewP.catch(() => {}); // reload reports it
  const [config, units, bands, wards] = await metaP;
  meta = { config, units, bands, wards };
  mark('meta');
  fillControls();
  let first = null;
  try {
    first = await viewP;
    shown = asShown(first);
    mark('data');
  } catch { /* reload asks again and reports the failure */ }
  const opening = await firstCamera();
  if (opening.zoom != null) firstZoom = opening.zoom;
  if (first) { // the side panel does not wait for the map: with the picture it is the whole first view
    renderPanel();
    renderLegend();
    mark('panel');
    document.documentElement.dataset.panel = 'shown';
  }
  map = new maplibregl.Map({
    container: 'map',
    style: mapStyle(),
    ...opening,
    minZoom: 7,
    maxZoom: 18,
    attributionControl: { compact: false, customAttribution: meta.config.attribution },
    hash: false,
    fadeDuration: 0,
  });
  hook.map = map;
  map.once('movestart', endPreview); // moved before it drew: the picture no longer lines up
  holdFirstPaint(map, 3000);
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  // the first idle event comes in the first frame drawn (holdFirstPaint)
  const drawn = first && new Promise((resolve) => map.once('idle', resolve));
  drawUnitLabels();
  await new Promise((resolve) => map.once('load', resolve));
  mark('map-load');
  bindMap();
  await reload({ first, drawn });
  endPreview();
  // ward outlines are for orientation: they come after the first picture
  if (meta.wards) map.getSource('wards').setData(meta.wards);
  await loadCoverage();
}

start().catch((err) => setStatus('Could not start: ' + err.message, true));
