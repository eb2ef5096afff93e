// boot.js runs from <head> before the map bundle (about a megabyte of
// MapLibre) has loaded and compiled: it asks at once for everything the
// first view draws, so the answers are there when main.js wants them.
// main.js takes each response by its URL (window.__hotgridBoot); a URL it
// does not find it fetches itself, so a wrong guess costs nothing.
import { dataURLs, metaURLs, newState, readHash } from './view.js';

const state = newState();
readHash(state, location.hash);
const pending = new Map();
for (const url of [...metaURLs(), ...dataURLs(state)]) {
  const p = fetch(url);
  p.catch(() => {}); // main.js sees the failure when it takes the response
  pending.set(url, p);
}
window.__hotgridBoot = pending;
