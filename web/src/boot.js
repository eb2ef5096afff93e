// boot.js runs before the map bundle (about a megabyte of MapLibre) has
// loaded and compiled. It asks at once for everything the first view
// draws, so the answers are there when main.js wants them, and shows the
// server's SVG drawing of that view in the map's place: on a machine
// without a GPU MapLibre takes seconds to draw its first frame, and the
// hot grids should not wait for it. MapLibre draws the same view over the
// picture; main.js then removes it (window.__hotgridPreview).
// main.js takes each response by its URL (window.__hotgridBoot); a URL it
// does not find it fetches itself, so a wrong guess costs nothing.
import { dataURLs, metaURLs, newState, previewURL, readHash } from './view.js';

const state = newState();
readHash(state, location.hash);
window.__hotgridPreview = preview(); // first: it is what shows first
const pending = new Map();
for (const url of [...metaURLs(), ...dataURLs(state)]) {
  const p = fetch(url);
  p.catch(() => {}); // main.js sees the failure when it takes the response
  pending.set(url, p);
}
window.__hotgridBoot = pending;

// preview fetches the picture of the first view for a map box the size of
// #map and shows it there. view resolves to the camera it was drawn at
// ("zoom/lat/lon", null when there is none), which main.js opens MapLibre
// on so the two line up.
function preview() {
  const { width, height } = mapBox();
  const out = { width, height, view: Promise.resolve(null), shown: false, shownMs: null, ended: false };
  if (!width || !height) return out;
  const v = state.view;
  const res = fetch(previewURL(state, width, height, v && `${v.zoom}/${v.center[1]}/${v.center[0]}`), { priority: 'high' })
    .then((r) => (r.ok ? r : Promise.reject(new Error('preview: HTTP ' + r.status))));
  out.view = res.then((r) => r.headers.get('X-Hotgrid-View'), () => null);
  res.then((r) => r.blob()).then(async (blob) => {
    const img = new Image(width, height);
    img.className = 'preview';
    img.alt = '';
    img.src = URL.createObjectURL(blob);
    await img.decode();
    if (out.ended || document.documentElement.dataset.ready === 'true') return; // the map drew first, or the view changed
    const box = document.getElementById('map');
    if (box.clientWidth !== width || box.clientHeight !== height) return; // mapBox guessed wrong
    box.prepend(img);
    box.classList.add('previewing');
    requestAnimationFrame(() => requestAnimationFrame(() => {
      out.shown = true;
      out.shownMs = Math.round(performance.now());
      document.documentElement.dataset.preview = 'shown';
    }));
  }).catch(() => {}); // no picture: the page waits for MapLibre, as before
  return out;
}

// mapBox is the size #map will have, from the window's: this runs before
// the page's style sheet has loaded (style.css: the panel is 340 pixels
// wide; under 760 the map is on top, 60% of the height).
function mapBox() {
  const w = document.documentElement.clientWidth || innerWidth, h = innerHeight;
  return w <= 760 ? { width: w, height: Math.round(h * 0.6) } : { width: w - 340, height: h };
}
