// Differential fuzzing: the SIMD and the scalar build, side by side in one process, on random
// bit patterns (every NaN payload, subnormals, both zeros) and random parameters, for every
// op × dtype of the table. numpy's fixtures pin the semantics; this checks the two builds
// agree bit for bit far beyond them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { DTYPES, OPS } from '../js/ops.js';
import { callArgs, model } from '../js/signature.js';
import { assertBits, halfValue, randomArray, randomValues, stored } from './support.mjs';
import { rng } from '../scripts/rng.mjs'; // xorshift32: failures name their seed

const simd = createApi(nodePlatform);
const scalar = createApi(nodePlatform);
await simd.init({ simd: true });
await scalar.init({ simd: false });

const result = (r) => (ArrayBuffer.isView(r) ? [r] : Object.values(r));

for (const row of OPS) {
  test(`simd and scalar builds agree bit for bit: ${row.name}, random bits, every dtype`, () => {
    for (const dt of row.dtypes) {
      for (let seed = 1; seed <= 60; seed++) {
        const r = rng(seed * 7919 + dt.length);
        const n = Math.floor(r() * 300);
        const args = callArgs(row, randomValues(row, dt, n, r));
        const a = result(simd[row.name](...args));
        const b = result(scalar[row.name](...args));
        // dslope is a sum whose NaN is canonical and whose f64 order may differ: compare dx only.
        const k = row.kind === 'channel2' && dt === 'f64' ? 1 : a.length;
        for (let i = 0; i < k; i++) assertBits(a[i], b[i], `${row.name} ${dt} seed ${seed} n=${n} output ${i}`, args[0]);
      }
    }
  });
}

test('count ops on tall matrices (row blocks, 8-bit counters past 255 rows) match a JS count', () => {
  for (const row of OPS.filter((r) => r.kind === 'count')) {
    for (const dt of row.dtypes) {
      const active = model(row, dt);
      for (const [rows, units] of [[1000, 48], [300, 16], [257, 5], [600, 33]]) {
        const r = rng(rows * units);
        const y = randomArray(dt, rows * units, r);
        for (let i = 0; i < y.length; i += 7) y[i] = stored(dt, 1); // some units mostly active
        for (let u = 0; u < units; u += 5) for (let k = 0; k < rows; k++) y[k * units + u] = stored(dt, 0); // dead ones
        const count = new Array(units).fill(0);
        const value = DTYPES[dt].bits ? (b) => halfValue(dt, b) : (v) => v;
        y.forEach((v, i) => (count[i % units] += active(value(v)) ? 1 : 0));
        const want = row.summary === 'fraction' ? Float32Array.from(count, (c) => c / rows) : Int32Array.from(count.flatMap((c, u) => (c === 0 ? [u] : [])));
        for (const api of [simd, scalar]) {
          const dtype = DTYPES[dt].half ? DTYPES[dt].name : undefined;
          assertBits(api[row.name](...callArgs(row, { y, [row.params[0].name]: units, dtype })), want, `${row.name} ${dt} ${rows}×${units} ${api.variant}`);
        }
      }
    }
  }
});

test('the two builds are separate instances with separate memories', () => {
  const w = simd.from(new Float32Array([1, -1]));
  assert.throws(() => scalar[OPS[0].name](w), TypeError);
  w.free();
  assert.equal(simd.variant, 'simd');
  assert.equal(scalar.variant, 'scalar');
});
