// h3.mjs: time h3-js latLngToCell over the points file written by
// `compare points` (lon,lat per line), best of three passes, and print
// the same "key=value" line and checksum as `compare h3`.
//   node h3.mjs POINTS.csv [RES]
import { readFileSync } from "node:fs";
import { latLngToCell } from "h3-js";

const [file, resArg] = process.argv.slice(2);
const res = Number(resArg ?? 9);
const lines = readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
const lon = new Float64Array(lines.length);
const lat = new Float64Array(lines.length);
lines.forEach((l, i) => {
  const [a, b] = l.split(",");
  lon[i] = Number(a);
  lat[i] = Number(b);
});
let best = Infinity;
let sum = 0;
for (let pass = 0; pass < 3; pass++) {
  sum = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < lon.length; i++) {
    const c = latLngToCell(lat[i], lon[i], res);
    sum += parseInt(c.slice(-8), 16);
  }
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
}
console.log(`points=${lon.length} seconds=${best.toFixed(4)} rate=${Math.round(lon.length / best)} checksum=${sum}`);
