// Builds the map page into dist/: the app bundled with MapLibre GL JS by
// esbuild, MapLibre's worker and CSS copied beside it. Nothing is fetched
// at run time from anywhere but the hotgrid server.
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';

const out = 'dist';
// keep dist/.gitkeep: the Go embed needs the directory on a fresh clone
await mkdir(out, { recursive: true });
for (const f of await readdir(out)) if (f !== '.gitkeep') await rm(`${out}/${f}`, { recursive: true, force: true });
await build({
  entryPoints: ['src/main.js'],
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['es2022'],
  outfile: `${out}/app.js`,
  legalComments: 'linked',
  logLevel: 'warning',
});
// boot.js: a classic script run from <head> that asks for the first
// view's data and picture while app.js loads
await build({
  entryPoints: ['src/boot.js'],
  bundle: true,
  format: 'iife',
  minify: true,
  target: ['es2022'],
  outfile: `${out}/boot.js`,
  logLevel: 'warning',
});
await copyFile('node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs', `${out}/maplibre-gl-worker.mjs`);
const css = (await readFile('node_modules/maplibre-gl/dist/maplibre-gl.css', 'utf8')) + '\n' + (await readFile('src/style.css', 'utf8'));
await writeFile(`${out}/app.css`, css);
await copyFile('src/index.html', `${out}/index.html`);
console.log('web: built dist/');
