// Differential fuzzing: the SIMD and the scalar build, side by side in one process, on random
// bit patterns (every NaN payload, subnormals, both zeros) and random parameters, for every
// op × dtype of the table. numpy's fixtures pin the semantics; this checks the two builds
// agree bit for bit far beyond them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { DTYPES, OPS } from '../js/ops.js';
import { assertBits } from './suite.mjs';
import { rng } from '../bench/harness.mjs'; // xorshift32: failures name their seed

const simd = createApi(nodePlatform);
const scalar = createApi(nodePlatform);
await simd.init({ simd: true });
await scalar.init({ simd: false });

function randomArray(dt, n, r) {
  const { Array: A } = DTYPES[dt];
  const a = new A(n);
  const u8 = new Uint8Array(a.buffer);
  for (let i = 0; i < u8.length; i++) u8[i] = r() * 256;
  // Mix in values near the interesting points so compares are not all decided by sign.
  if (DTYPES[dt].float) for (let i = 0; i < n; i += 3) a[i] = [0, -0, 6, 1, -1, (r() - 0.5) * 20, Infinity, -Infinity][i % 8];
  return a;
}

function randomParam(dt, r) {
  const d = DTYPES[dt];
  if (d.float) return [0.01, 0.5, 1, 1.5, -0.3, 0, -0, 6, (r() - 0.5) * 10][Math.floor(r() * 9)];
  return Math.round(d.min + r() * (d.max - d.min));
}

const argsFor = {
  map: (row, dt, n, r) => {
    const x = randomArray(dt, n, r);
    const ps = row.params.filter((p) => !p.option).map(() => randomParam(dt, r));
    if (row.check) ps.sort((a, b) => a - b);
    const opt = row.params.find((p) => p.option);
    return opt && !DTYPES[dt].float ? [x, { [opt.name]: randomParam(dt, r) }] : [x, ...ps];
  },
  map2: (row, dt, n, r) => {
    const ps = row.params.map(() => randomParam(dt, r));
    if (row.check) ps.sort((a, b) => a - b);
    return [randomArray(dt, n, r), randomArray(dt, n, r), ...ps];
  },
  channel: (row, dt, n, r) => {
    const C = 1 + Math.floor(r() * 9);
    const inner = r() < 0.5 ? 1 : 1 + Math.floor(r() * 6);
    const slope = new DTYPES[dt].Array(C).map(() => randomParam(dt, r));
    const x = randomArray(dt, n - (n % (C * inner)), r);
    return [x, slope, inner === 1 ? 'nhwc' : { layout: 'nchw', inner }];
  },
  channel2: (row, dt, n, r) => {
    const [x, slope, layout] = argsFor.channel(row, dt, n, r);
    return [randomArray(dt, x.length, r), x, slope, layout];
  },
  count: (row, dt, n, r) => {
    const units = 1 + Math.floor(r() * 12);
    return [randomArray(dt, n - (n % units), r), units];
  },
};

const result = (r) => (ArrayBuffer.isView(r) ? [r] : [r.dx, r.dslope]);

for (const row of OPS) {
  test(`simd and scalar builds agree bit for bit: ${row.name}, random bits, every dtype`, () => {
    for (const dt of row.dtypes) {
      for (let seed = 1; seed <= 60; seed++) {
        const r = rng(seed * 7919 + dt.length);
        const n = Math.floor(r() * 300);
        const args = argsFor[row.kind](row, dt, n, r);
        const a = result(simd[row.name](...args));
        const b = result(scalar[row.name](...args));
        // dslope is a sum whose NaN is canonical and whose f64 order may differ: compare dx only.
        const k = row.kind === 'channel2' && dt === 'f64' ? 1 : a.length;
        for (let i = 0; i < k; i++) assertBits(a[i], b[i], `${row.name} ${dt} seed ${seed} n=${n} output ${i}`, args[0]);
      }
    }
  });
}

test('activity and deadUnits on tall matrices (row blocks, 8-bit counters past 255 rows) match a JS count', () => {
  for (const dt of ['f32', 'f64', 'i32', 'i16', 'i8']) {
    for (const [rows, units] of [[1000, 48], [300, 16], [257, 5], [600, 33]]) {
      const r = rng(rows * units);
      const y = randomArray(dt, rows * units, r);
      for (let i = 0; i < y.length; i += 7) y[i] = 1; // some units mostly active
      for (let u = 0; u < units; u += 5) for (let k = 0; k < rows; k++) y[k * units + u] = 0; // dead ones
      const count = new Array(units).fill(0);
      y.forEach((v, i) => (count[i % units] += v > 0));
      const want = Float32Array.from(count, (c) => c / rows);
      const dead = Int32Array.from(count.flatMap((c, u) => (c === 0 ? [u] : [])));
      for (const api of [simd, scalar]) {
        assertBits(api.activity(y, units), want, `activity ${dt} ${rows}×${units} ${api.variant}`);
        assertBits(api.deadUnits(y, units), dead, `deadUnits ${dt} ${rows}×${units} ${api.variant}`);
      }
    }
  }
});

test('the two builds are separate instances with separate memories', () => {
  const w = simd.from(new Float32Array([1, -1]));
  assert.throws(() => scalar.relu(w), TypeError);
  w.free();
  assert.equal(simd.variant, 'simd');
  assert.equal(scalar.variant, 'scalar');
});
