// Drives the hotgrid map page in headless Chromium (playwright-core, the
// system's chromium: no browser is downloaded) and checks what a person
// would see. Run by the Go browser tests:
//
//   node e2e/map.mjs --url http://127.0.0.1:PORT/ --chromium /usr/bin/chromium --out DIR
//
// Prints one JSON line of figures and exits non-zero with a message on the
// first failed check.
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    out: { type: 'string', default: tmpdir() },
    timeout: { type: 'string', default: '90000' },
    user: { type: 'string' }, // sign in first (the server requires an account)
    password: { type: 'string' },
  },
});
const timeout = Number(opt.timeout);
const base = new URL(opt.url);

function check(ok, msg) {
  if (!ok) throw new Error('check failed: ' + msg);
}
let cookie = ''; // the session, once signed in
const api = async (path) => {
  const res = await fetch(new URL(path, base), { headers: cookie ? { cookie } : {} });
  check(res.ok, `${path}: HTTP ${res.status}`);
  return res.json();
};
// ready waits for the page's signal that the map has drawn its view
const ready = (p) => p.waitForFunction(() => window.__hotgridReady === true && document.documentElement.dataset.ready === 'true', null, { timeout });
// firstView waits for the first view of the page: the server's drawing of
// the map boot.js shows while MapLibre loads with the side panel (list,
// legend, controls) filled in, or the map if that drew first
const firstView = (p) => p.waitForFunction(() => {
  const d = document.documentElement.dataset;
  return (d.preview === 'shown' && d.panel === 'shown') || d.ready === 'true';
}, null, { timeout });
// previewGone checks that the picture made way for the map once it drew
const previewGone = async (p, when) => {
  const left = await p.evaluate(() => document.querySelectorAll('#map img.preview').length + (document.getElementById('map').classList.contains('previewing') ? 1 : 0));
  check(left === 0, `${when}: the first view's picture is still on the map after it drew`);
};
// sameCamera checks that a camera ({center: [lon, lat], zoom}) is another
// one, or a "zoom/lat/lon" string, to within tol of a zoom level
const sameCamera = (got, want, tol, what) => {
  const w = typeof want === 'string' ? (([z, lat, lon]) => ({ zoom: z, center: [lon, lat] }))(want.split('/').map(Number)) : want;
  const ok = Math.abs(got.zoom - w.zoom) <= tol && Math.abs(got.center[0] - w.center[0]) <= tol && Math.abs(got.center[1] - w.center[1]) <= tol;
  check(ok, `${what}: ${JSON.stringify(got)} vs ${JSON.stringify(w)}`);
};
// mapCamera is a page's map camera, and MapLibre's own fit of bounds with
// the page's padding
const mapCamera = (p, bounds) => p.evaluate((b) => {
  const m = window.__hotgrid.map;
  const fit = b && m.cameraForBounds(b, { padding: 40 });
  return { now: { zoom: m.getZoom(), center: m.getCenter().toArray() }, fit: fit && { zoom: fit.zoom, center: [fit.center.lng, fit.center.lat] } };
}, bounds);
// unitsBounds is the bound of the units' boundaries with codes (all when empty)
const unitsBounds = (fc, codes = []) => {
  const bs = fc.features.filter((f) => f.bbox && (codes.length === 0 || codes.includes(f.properties.code))).map((f) => f.bbox);
  return [[Math.min(...bs.map((b) => b[0])), Math.min(...bs.map((b) => b[1]))], [Math.max(...bs.map((b) => b[2])), Math.max(...bs.map((b) => b[3]))]];
};
const near = (shown, want, decimals) => Math.abs(parseFloat(shown.replaceAll(',', '')) - want) <= 0.5 * 10 ** -decimals + 1e-9;

const profile = await mkdtemp(join(tmpdir(), 'hotgrid-chromium-'));
const figures = {};
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: opt.chromium,
    headless: true,
    viewport: { width: 1360, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource.*204/.test(m.text())) problems.push('console: ' + m.text());
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`); });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const offsite = () => requests.filter((u) => !u.startsWith(base.origin) && !u.startsWith('blob:') && !u.startsWith('data:'));

  // 0. sign in: anonymous visits go to the login page
  if (opt.user) {
    await page.goto(new URL('/login?next=/healthz', base).href, { timeout }); // land off the map: step 1 times a first render
    await page.fill('#name', opt.user);
    await page.fill('#password', opt.password || '');
    await Promise.all([page.waitForURL((u) => u.pathname === '/healthz', { timeout }), page.click('button[type=submit]')]);
    cookie = (await context.cookies(base.href)).map((c) => c.name + '=' + c.value).join('; ');
    check(cookie.includes('hotgrid_session='), 'no session cookie after signing in');
    requests.length = 0;
    problems.length = 0; // the login and /healthz pages have no favicon: their 404 is not the map's
  }

  // 1. first render
  const t0 = Date.now();
  await page.goto(base.href, { waitUntil: 'domcontentloaded', timeout });
  await firstView(page);
  figures.first_view_ms = Date.now() - t0;
  figures.first_view = await page.evaluate(() => (document.documentElement.dataset.ready === 'true' ? 'map' : 'picture'));
  if (figures.first_view === 'picture') { // the side panel came with the picture
    figures.first_view_list = await page.locator('#list li').count();
    check(figures.first_view_list > 0 && (await page.locator('#legend .swatch, #legend .ramp, #legend .key').count()) > 0,
      `first view: ${figures.first_view_list} hot grids listed, legend ${await page.locator('#legend').innerText()}`);
  }
  await ready(page);
  figures.first_render_ms = Date.now() - t0;
  figures.ready_ms = await page.evaluate(() => Math.round(window.__hotgrid.readyMs));
  // the browser's own paint timings, from navigation start: first
  // contentful paint and largest contentful paint (the web's measure of
  // when the main content is shown; a WebGL canvas is never a candidate)
  Object.assign(figures, await page.evaluate(() => new Promise((resolve) => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    setTimeout(() => resolve({ fcp_ms: fcp && Math.round(fcp.startTime), lcp_ms: null }), 2000); // no entry at all
    new PerformanceObserver((list) => {
      const last = list.getEntries().pop();
      resolve({ fcp_ms: fcp && Math.round(fcp.startTime), lcp_ms: last && Math.round(last.startTime),
        lcp_size: last && last.size, lcp_is: last && (last.url ? last.url.split(':')[0] + ' image' : last.element ? last.element.tagName.toLowerCase() : 'removed text') });
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  })));
  figures.marks = await page.evaluate(() => window.__hotgrid.marks);
  check(problems.length === 0, 'errors while loading: ' + problems.join('; '));
  check(offsite().length === 0, 'requests left the server: ' + offsite().join(', '));

  // 1b. the first view's picture was drawn at the camera the map opened on,
  // which is MapLibre's own fit of the units; its rank badges sit where the
  // map's do; it is gone now that the map has drawn
  const unitsFC = await api('/api/v1/units');
  const cam = await mapCamera(page, unitsBounds(unitsFC));
  const drawnAt = await page.evaluate(() => window.__hotgridPreview.view);
  check(drawnAt, 'the first view has no picture: /api/v1/map.svg failed');
  sameCamera(cam.now, drawnAt, 1e-4, 'map camera vs the picture\'s');
  sameCamera(cam.fit, drawnAt, 2e-3, 'MapLibre\'s fit of the units vs the server\'s');
  await previewGone(page, 'first view');
  const svgURL = requests.find((u) => u.includes('/api/v1/map.svg?'));
  const svg = await (await fetch(svgURL, { headers: { cookie } })).text();
  const svgBadges = [...svg.matchAll(/<g class="rank" data-rank="1" data-h3="([0-9a-f]+)" transform="translate\(([-\d.]+) ([-\d.]+)\)">/g)];
  check(svgBadges.length > 0, 'the picture has no rank 1 badges');
  const offsets = await page.evaluate((bs) => {
    const box = document.getElementById('map').getBoundingClientRect();
    return bs.map(([h3, x, y]) => {
      const el = document.querySelector(`.rank[data-h3="${h3}"]`);
      if (!el) return `${h3}: no badge on the map`;
      const r = el.getBoundingClientRect();
      return Math.hypot(r.left + r.width / 2 - box.left - x, r.top + r.height / 2 - box.top - y);
    });
  }, svgBadges.map((m) => [m[1], Number(m[2]), Number(m[3])]));
  figures.picture_badge_offset_px = Math.max(...offsets.map(Number));
  check(offsets.every((d) => typeof d === 'number' && d <= 1.5), 'picture badges off the map\'s (px): ' + offsets.join(', '));

  const rendered = (filter) => page.evaluate((f) => {
    const fs = window.__hotgrid.map.queryRenderedFeatures({ layers: ['cells-fill'] });
    return {
      n: fs.length, units: [...new Set(fs.map((x) => x.properties.unit))].sort(), f,
      res: [...new Set(fs.map((x) => parseInt(x.properties.h3[1], 16)))], zoom: window.__hotgrid.map.getZoom(),
    };
  }, filter);
  // the cells drawn and the legend's cell note are of the resolution the
  // zoom asks for: coarse (8) on tiles of zoom 9 or less, 9 deeper
  const checkRes = async (r, when) => {
    const want = Math.floor(r.zoom) <= 9 ? 8 : 9;
    check(r.res.length === 1 && r.res[0] === want, `${when}: zoom ${r.zoom.toFixed(2)} shows cells of resolution ${r.res}, want ${want}`);
    const noted = await page.locator('#legend .cell-size').getAttribute('data-res');
    check(noted === String(want), `${when}: the legend describes resolution ${noted} cells, the map shows ${want}`);
    return want;
  };
  const first = await rendered();
  figures.hexagons_first = first.n;
  check(first.n > 0, 'no hexagons drawn');
  figures.res_first = await checkRes(first, 'first view');
  figures.rank_labels = await page.locator('.rank').count();
  check(figures.rank_labels > 0, 'no rank labels');
  // where rank badges overlap (a unit's top cells in one street), each
  // unit's rank 1 is on top, not hidden under its lower ranks
  const buried = await page.evaluate(() => [...document.querySelectorAll('.rank')].filter((b) => b.textContent === '1').filter((b) => {
    const r = b.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return top && top !== b && !b.contains(top) && top.classList.contains('rank');
  }).map((b) => b.title));
  check(buried.length === 0, 'rank 1 badges under other badges: ' + buried.join('; '));
  const legendText = await page.locator('#legend').innerText();
  check(/per cell|significance/i.test(legendText), 'no legend: ' + legendText);
  await page.screenshot({ path: join(opt.out, 'map-initial.png') });

  // 2. change the unit: the API calls and the map follow
  const units = (await api('/api/v1/units')).features.map((f) => f.properties.code);
  const shownUnits = first.units;
  const unit = units.find((u) => u !== units[0] && shownUnits.includes(u)) || units[units.length - 1];
  const centreBefore = await page.evaluate(() => window.__hotgrid.map.getCenter().toArray());
  const rendersBefore = await page.evaluate(() => window.__hotgrid.renders);
  const seen = requests.length;
  await page.selectOption('#unit', unit);
  await page.waitForFunction((n) => window.__hotgrid.renders > n, rendersBefore, { timeout });
  const after = requests.slice(seen);
  const hotReq = after.find((u) => u.includes('/api/v1/hotgrids?'));
  check(hotReq && new URL(hotReq).searchParams.get('unit') === unit, `no /api/v1/hotgrids request for unit ${unit}: ${after.join(' ')}`);
  const tileReq = after.filter((u) => u.includes('/tiles/'));
  check(tileReq.length > 0 && tileReq.every((u) => new URL(u).searchParams.get('unit') === unit), `tiles not asked for unit ${unit}`);
  const second = await rendered();
  figures.hexagons_unit = second.n;
  check(second.n > 0, `no hexagons drawn for unit ${unit}`);
  figures.res_unit = await checkRes(second, `unit ${unit}`);
  check(second.units.length === 1 && second.units[0] === unit, `map shows units ${second.units} after choosing ${unit}`);
  const centreAfter = await page.evaluate(() => window.__hotgrid.map.getCenter().toArray());
  check(centreAfter[0] !== centreBefore[0] || centreAfter[1] !== centreBefore[1], 'map did not move to the unit');
  const hash = await page.evaluate(() => location.hash);
  check(hash.includes('unit=' + unit), 'URL hash lacks the unit: ' + hash);
  const listed = await page.locator('#list li').count();
  const hot = await api('/api/v1/hotgrids?unit=' + encodeURIComponent(unit));
  check(listed === hot.features.filter((f) => f.properties.kind === 'cell').length, `list shows ${listed} cells`);
  const dl = await page.locator('#download').getAttribute('href');
  check(new URL(dl, base).searchParams.get('unit') === unit, 'Download GeoJSON link lacks the unit: ' + dl);
  const exported = await api(dl);
  const cellsOf = (fc) => fc.features.filter((f) => f.properties.kind === 'cell').map((f) => f.properties.h3).join(',');
  check(cellsOf(exported) === cellsOf(hot), 'Download GeoJSON differs from the hot grids shown');

  // 3. click a hexagon away from the rank labels: the detail matches the API
  const target = await page.evaluate(() => {
    const m = window.__hotgrid.map;
    const canvas = m.getCanvas().getBoundingClientRect();
    const fs = m.queryRenderedFeatures({ layers: ['cells-fill'] });
    const labels = [...document.querySelectorAll('.rank')].map((e) => e.getBoundingClientRect());
    for (const f of fs.sort((a, b) => a.properties.rank - b.properties.rank)) {
      const ring = f.geometry.coordinates[0];
      if (f.geometry.type !== 'Polygon' || ring.length < 7) continue; // whole hexagons only
      let x = 0, y = 0;
      for (const c of ring.slice(0, -1)) { x += c[0]; y += c[1]; }
      const p = m.project([x / (ring.length - 1), y / (ring.length - 1)]);
      const px = canvas.left + p.x, py = canvas.top + p.y;
      if (px < canvas.left + 60 || px > canvas.right - 380 || py < canvas.top + 60 || py > canvas.bottom - 60) continue;
      if (labels.some((r) => px > r.left - 14 && px < r.right + 14 && py > r.top - 14 && py < r.bottom + 14)) continue;
      const hit = m.queryRenderedFeatures([p.x, p.y], { layers: ['cells-fill'] });
      if (hit.length && hit[0].properties.h3 === f.properties.h3) return { h3: f.properties.h3, x: px, y: py };
    }
    return null;
  });
  check(target, 'no clickable hexagon');
  await page.mouse.click(target.x, target.y);
  await page.waitForSelector(`#detail[data-loaded="true"][data-h3="${target.h3}"]`, { timeout });
  const detail = await api(`/api/v1/cells/${target.h3}?unit=${encodeURIComponent(unit)}`);
  const field = (f) => page.locator(`#detail [data-field="${f}"]`).innerText();
  check((await field('rank')) === String(detail.rank), `rank ${await field('rank')} vs API ${detail.rank}`);
  check(near(await field('count'), detail.count, 2), `count ${await field('count')} vs API ${detail.count}`);
  check(near(await field('harm'), detail.harm, 1), `harm ${await field('harm')} vs API ${detail.harm}`);
  check(near(await field('z'), detail.z, 2), `z ${await field('z')} vs API ${detail.z}`);
  for (const [cat, v] of Object.entries(detail.by_category || {})) {
    if (v <= 0) continue;
    const shown = await page.locator(`#detail [data-category="${cat}"]`).innerText();
    check(near(shown, v, 1), `${cat} ${shown} vs API ${v}`);
  }
  figures.clicked = target.h3;
  figures.detail = { rank: detail.rank, count: detail.count, harm: detail.harm, z: detail.z };
  check(problems.length === 0, 'errors: ' + problems.join('; '));
  await page.screenshot({ path: join(opt.out, 'map.png') });

  // 4. the URL is shareable: a fresh page with it shows the same unit
  const shared = await page.evaluate(() => location.href);
  const page2 = await context.newPage();
  await page2.goto(shared, { waitUntil: 'domcontentloaded', timeout });
  await ready(page2);
  check((await page2.locator('#unit').inputValue()) === unit, 'shared link lost the unit');
  const r2 = await page2.evaluate(() => [...new Set(window.__hotgrid.map.queryRenderedFeatures({ layers: ['cells-fill'] }).map((f) => f.properties.unit))]);
  check(r2.length === 1 && r2[0] === unit, 'shared link shows units ' + r2);
  check(offsite().length === 0, 'requests left the server: ' + offsite().join(', '));
  await page2.close();

  // 5. ward outlines for orientation, with their toggle
  const wards = await api('/api/v1/wards');
  figures.wards = wards.features.length;
  if (wards.features.length > 0) {
    const drawnWards = () => page.evaluate(() => window.__hotgrid.map.queryRenderedFeatures({ layers: ['wards-line'] }).length);
    figures.wards_drawn = await drawnWards();
    check(figures.wards_drawn > 0, 'ward outlines not drawn');
    await page.click('#show-wards');
    await page.waitForFunction(() => window.__hotgrid.map.getLayoutProperty('wards-line', 'visibility') === 'none', null, { timeout });
    check((await page.evaluate(() => location.hash)).includes('wards=0'), 'URL hash lacks wards=0');
    await page.click('#show-wards');
    await page.waitForFunction(() => window.__hotgrid.map.getLayoutProperty('wards-line', 'visibility') === 'visible', null, { timeout });
  }

  // 6. the forecast accuracy report opens from the page, for the unit shown
  const accHref = await page.locator('#accuracy').getAttribute('href');
  check(new URL(accHref, base).pathname === '/api/v1/accuracy' && new URL(accHref, base).searchParams.get('unit') === unit, 'accuracy link: ' + accHref);
  const [report] = await Promise.all([context.waitForEvent('page', { timeout }), page.click('#accuracy')]);
  await report.waitForLoadState('load', { timeout });
  const accRes = await fetch(new URL(accHref, base), { headers: { cookie } });
  figures.accuracy_status = accRes.status;
  check(accRes.ok && accRes.headers.get('content-type').startsWith('text/html'), `accuracy report: HTTP ${accRes.status} ${accRes.headers.get('content-type')}`);
  figures.accuracy_charts = await report.locator('svg').count();
  check(figures.accuracy_charts > 0, 'accuracy report has no charts: ' + (await report.content()).slice(0, 300));
  check(/PAI/.test(await report.locator('body').innerText()), 'accuracy report does not show PAI');
  await report.close();
  check(problems.length === 0, 'errors: ' + problems.join('; '));
  figures.requests = requests.length;

  // 7. a repeat visit, as a team member opens the map each day: the
  // browser revalidates the page's files by ETag and runs the scripts from
  // V8's code cache; timed from the same start as step 1
  await page.goto(new URL('/healthz', base).href, { timeout });
  problems.length = 0; // /healthz has no favicon: its 404 is not the map's (steps 1-6 were checked above)
  const t1 = Date.now();
  await page.goto(base.href, { waitUntil: 'domcontentloaded', timeout });
  await ready(page);
  figures.repeat_render_ms = Date.now() - t1;
  await previewGone(page, 'repeat visit');
  check((await rendered()).n > 0, 'no hexagons drawn on a repeat visit');
  check(problems.length === 0, 'errors on a repeat visit: ' + problems.join('; '));

  // 8. while MapLibre loads (its tile worker held back here), a unit's link
  // shows the server's picture of the unit with the side panel filled in,
  // and the map's markers hidden; the map opens on the same camera, draws
  // over it and removes it
  const page3 = await context.newPage();
  page3.on('pageerror', (e) => problems.push('page error: ' + e.message));
  const pictures = [];
  page3.on('request', (r) => { if (r.url().includes('/api/v1/map.svg?')) pictures.push(r.url()); });
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page3.route('**/maplibre-gl-worker.mjs', async (route) => { await held; await route.continue(); });
  await page3.goto(new URL('/#unit=' + unit, base).href, { waitUntil: 'domcontentloaded', timeout });
  await firstView(page3);
  const pic = await page3.evaluate(() => {
    const img = document.querySelector('#map img.preview');
    const box = document.getElementById('map');
    const marker = document.querySelector('.maplibregl-marker');
    return img && { w: img.naturalWidth, h: img.naturalHeight, bw: box.clientWidth, bh: box.clientHeight, visible: getComputedStyle(img).visibility,
      markers: marker ? getComputedStyle(marker).visibility : 'none yet', listed: document.querySelectorAll('#list li').length, ready: document.documentElement.dataset.ready };
  });
  check(pic && pic.w === pic.bw && pic.h === pic.bh && pic.visible === 'visible' && pic.markers !== 'visible' && pic.listed > 0 && pic.ready !== 'true',
    'picture while MapLibre loads: ' + JSON.stringify(pic));
  await page3.screenshot({ path: join(opt.out, 'map-picture.png') });
  release();
  await ready(page3);
  await previewGone(page3, 'unit link');
  const cam3 = await mapCamera(page3, unitsBounds(unitsFC, [unit]));
  const drawnAt3 = await page3.evaluate(() => window.__hotgridPreview.view);
  sameCamera(cam3.now, drawnAt3, 1e-4, `unit ${unit}: map camera vs the picture's`);
  sameCamera(cam3.fit, drawnAt3, 2e-3, `unit ${unit}: MapLibre's fit vs the server's`);
  check(pictures.length === 1 && new URL(pictures[0]).searchParams.get('unit') === unit, `the picture was not of unit ${unit}: ${pictures}`);
  check(problems.length === 0, 'errors while the picture showed: ' + problems.join('; '));
  await page3.close();
  const svgLink = await page.locator('#dl-svg').getAttribute('href');
  const svgRes = await fetch(new URL(svgLink, base), { headers: { cookie } });
  const svgText = svgRes.ok ? await svgRes.text() : '';
  check(svgRes.ok && svgRes.headers.get('content-type') === 'image/svg+xml' && new URL(svgLink, base).searchParams.get('map') && svgText.includes('class="key"'),
    `SVG map link ${svgLink}: HTTP ${svgRes.status} ${svgRes.headers.get('content-type')}, legend ${svgText.includes('class="key"')}`);
  figures.screenshot = join(opt.out, 'map.png');
  console.log(JSON.stringify(figures));
} catch (err) {
  console.error(err.stack || String(err));
  process.exitCode = 1;
} finally {
  if (context) await context.close();
  await rm(profile, { recursive: true, force: true });
}
