// Every kernel of the table (js/ops.js) against the plain wasm 128-bit load/store copy loop
// moving the same number of bytes, measured round-robin in one process, on data already in
// wasm memory (raw kernel calls: the ops' own speed, without the JS API).
//   node bench/kernels.mjs [--scalar] [--sizes 4096,65536]
// Sizes in cache: past them a few repetitions per sample make the ratio depend on which side
// found its arrays in L3; bench/run.mjs measures memory-bound sizes against memory.copy.
// Bytes moved per element: map ops read x and write y; map2 ops read dy and x and write dx;
// prelu as map (the slope stays in cache); preluBackward as map2; activity reads y only.
// The copy loop runs over the op's own arrays (so both see the same caches): x → y for map
// ops, plus half of dy → y for map2 ops; half of y → out for activity.
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { DTYPES, OPS, implName } from '../js/ops.js';

const args = process.argv.slice(2);
const scalar = args.includes('--scalar');
const at = args.indexOf('--sizes');
const sizes = at >= 0 ? args[at + 1].split(',').map(Number) : [4096, 65536];

const A = createApi(nodePlatform);
await A.init({ simd: !scalar });
const { fn } = A._state();
const C = 64; // channels for prelu, units for activity

function fill(w, dt) {
  const v = w.view;
  for (let i = 0; i < v.length; i++) v[i] = DTYPES[dt].float ? Math.sin(i * 0.7) * 3 : ((i * 37) % 255) - 127;
}

// [label, op call, copy loop over the same bytes]
function contenders(n) {
  const rows = [];
  const bufs = [];
  const alloc = (len, dt) => {
    const w = A.alloc(len, DTYPES[dt].name);
    fill(w, dt);
    bufs.push(w);
    return w.byteOffset;
  };
  for (const row of OPS) {
    for (const dt of row.dtypes) {
      const k = fn[`${dt}_${row.name}`];
      const size = DTYPES[dt].bytes;
      const x = alloc(n, dt);
      const y = alloc(n, dt);
      const z = alloc(n, dt);
      const pa = row.fixed?.[0] ?? (row.params[0]?.default ?? (row.name.startsWith('clip') ? -1 : 0));
      const pb = row.fixed?.[1] ?? (row.name.startsWith('clip') ? 1 : 0);
      const label = implName(row, dt, A.variant);
      const floats = (n * size) / 4; // one array, in float32s
      const copy1 = () => fn.f32_copy(x, y, floats, 0, 0);
      const copy15 = () => (fn.f32_copy(x, y, floats, 0, 0), fn.f32_copy(z, y, floats / 2, 0, 0));
      if (row.kind === 'map') rows.push([label, () => k(x, y, n, pa, pb), copy1]);
      else if (row.kind === 'map2') rows.push([label, () => k(z, x, y, n, pa, pb), copy15]);
      else if (row.kind === 'channel') {
        const s = alloc(C, dt);
        new DTYPES[dt].Array(A._state().memory.buffer, s, C).fill(0.25);
        rows.push([`${label} (${C} channels, nhwc)`, () => k(x, s, y, n, C, 1, 0), copy1]);
      } else if (row.kind === 'channel2') {
        const s = alloc(C, dt);
        const acc = alloc(2 * C, 'f64');
        rows.push([`${label} (${C} channels, nhwc)`, () => k(z, x, s, y, acc, n, C, 1, 0), copy15]);
      } else if (row.kind === 'count' && row.summary === 'fraction') {
        const counts = alloc(C, 'i32');
        rows.push([`${label} (= deadUnits, ${C} units)`, () => k(x, counts, n, C, 0), () => fn.f32_copy(x, y, floats / 2, 0, 0)]);
      }
    }
  }
  return { rows, bufs };
}

const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
console.log(`# kernels vs the 128-bit copy loop of the same bytes (${scalar ? 'scalar' : 'SIMD'} build)\n`);
console.log('speed relative to the copy loop (copy time / op time; 1 = copy speed), median of 9 round-robin samples\n');
console.log(`| kernel | ${sizes.map((n) => `n = ${n}`).join(' | ')} |`);
console.log(`| :-- | ${sizes.map(() => '--:').join(' | ')} |`);
const table = {};
for (const n of sizes) {
  const { rows, bufs } = contenders(n);
  const reps = Math.max(2, Math.round(3e6 / n));
  const time = (f) => {
    f(); // one untimed pass, so both sides start with the same caches
    const t = performance.now();
    for (let i = 0; i < reps; i++) f();
    return (performance.now() - t) / reps;
  };
  const pairs = rows;
  for (const [, f, c] of pairs) time(f), time(c); // warm-up: tier-up to TurboFan
  const ratios = pairs.map(() => []);
  for (let s = 0; s < 9; s++) pairs.forEach(([, f, c], i) => ratios[i].push(time(c) / time(f)));
  pairs.forEach(([label], i) => ((table[label] ??= {})[n] = med(ratios[i])));
  for (const w of bufs) w.free();
}
for (const [label, byN] of Object.entries(table)) console.log(`| ${label} | ${sizes.map((n) => byN[n].toFixed(2)).join(' | ')} |`);
