// Every kernel of the table (js/ops.js: every row × dtype) against the plain wasm 128-bit
// load/store copy loop moving the same number of bytes, measured round-robin in one process, on
// data already in wasm memory (raw kernel calls: the ops' own speed, without the JS API).
//   node bench/kernels.mjs [--scalar] [--sizes 4096,65536] [--dtypes f32,f16,bf16] [--ops relu,clip]
// Sizes in cache: past them a few repetitions per sample make the ratio depend on which side
// found its arrays in L3; bench/run.mjs measures memory-bound sizes against memory.copy.
// Bytes moved: the kind's arrays of n elements, each read or written once (bench/kinds.mjs;
// per-channel arrays stay in cache and are not counted). The copy loop runs over the op's own
// arrays, so both see the same caches: from its inputs into its output (a spare array for kinds
// without one), as many float32s as bytes / 8. Calls are derived from the kind and the row's
// kernel params at their example values; 64 channels / units.
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { DTYPES, DTYPE_BY_NAME, OPS } from '../js/ops.js';
import { implName } from '../js/kinds/index.js';
import { exampleValues, kernelParams } from '../js/signature.js';
import { RAW, arrays, bound, shapeFor, valuesAt } from './kinds.mjs';

const args = process.argv.slice(2);
const scalar = args.includes('--scalar');
const at = args.indexOf('--sizes');
const sizes = at >= 0 ? args[at + 1].split(',').map(Number) : [4096, 65536];
const list = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1].split(',') : null);
const only = list('--dtypes'); // e.g. f16,bf16
const ops = list('--ops');

const A = createApi(nodePlatform);
await A.init({ simd: !scalar });
const { fn } = A._state();

function fill(w, dt) {
  const v = DTYPES[dt].half ? new Float32Array(w.length) : w.view;
  for (let i = 0; i < v.length; i++) v[i] = DTYPES[dt].float ? Math.sin(i * 0.7) * 3 : ((i * 37) % 255) - 127;
  if (DTYPES[dt].half) A.cast(v, DTYPES[dt].name, w); // the 16-bit formats' bits
}

// [label, op call, copy loop over the same bytes]
function contenders(n) {
  const rows = [];
  const bufs = [];
  const alloc = (len, type, constant) => {
    const w = A.alloc(len, type);
    if (constant !== undefined && !DTYPES[DTYPE_BY_NAME[type]].half) w.view.fill(constant);
    else fill(w, DTYPE_BY_NAME[type]);
    bufs.push(w);
    return w.byteOffset;
  };
  const C = shapeFor(n);
  for (const row of OPS.filter((r) => !ops || ops.includes(r.name))) {
    const raw = RAW[row.kind];
    if (!raw) continue;
    const kind = arrays(row.kind);
    for (const dt of row.dtypes.filter((d) => !only || only.includes(d))) {
      const type = DTYPES[dt].name;
      const p = {};
      for (const k of [...kind.inputs, ...kind.outputs]) p[k] = alloc(n, type);
      for (const k of kind.perChannelIn) p[k] = alloc(C, type, 0.25); // a typical PReLU slope
      for (const k of kind.perChannelOut) p[k] = alloc(C, type);
      for (const [k, [len, t]] of Object.entries(raw.scratch(C, dt, n))) p[k] = alloc(len, t, 0);
      const kp = kernelParams(row, dt, valuesAt(row, exampleValues(row, dt), n));
      const call = bound(fn[`${dt}_${row.name}`], raw.args(p, n, kp, C));
      // The copy: bytes / 8 float32s, whole input arrays first, into the output (or a spare).
      const dst = kind.outputs.length ? p[kind.outputs[0]] : alloc(n, type);
      const whole = (n * DTYPES[dt].bytes) / 4; // float32s in one array
      let left = ((kind.inputs.length + kind.outputs.length) * whole) / 2;
      const copies = [];
      for (const k of kind.inputs) {
        const m = Math.min(left, whole);
        if (m > 0) copies.push(bound(fn.f32_copy, [p[k], dst, m]));
        left -= m;
      }
      const copy = copies.length === 1 ? copies[0] : () => copies.forEach((c) => c());
      const what = kind.channels ? ` (${C} channels, nhwc)` : row.kind === 'count' ? ` (${kp[0]} units)` : '';
      rows.push([`${implName(row, dt, A.variant)}${what}`, call, copy]);
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
  for (const [, f, c] of rows) time(f), time(c); // warm-up: tier-up to TurboFan
  const ratios = rows.map(() => []);
  for (let s = 0; s < 9; s++) rows.forEach(([, f, c], i) => ratios[i].push(time(c) / time(f)));
  rows.forEach(([label], i) => ((table[label] ??= {})[n] = med(ratios[i])));
  for (const w of bufs) w.free();
}
for (const [label, byN] of Object.entries(table)) console.log(`| ${label} | ${sizes.map((n) => byN[n].toFixed(2)).join(' | ')} |`);
