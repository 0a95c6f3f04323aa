// Requantized int8 / uint8 (js/quant.js): every activation of the table on all 256 inputs of
// both dtypes, in both builds, against the exact real function (tests/quant/oracle.py: mpmath
// at 200 bits, exact ties) for parameter sets with equal scales, exact-tie ratios, zero points
// at the ends of the range and random ones; on JS arrays and WasmArrays; at every precision
// (the smooth family's 'fast' too: requantized data is exact either way). And the table cache,
// the errors, and relu / clip without a scale keeping their same-scale meaning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { DTYPES, OPS } from '../js/ops.js';
import { callArgs } from '../js/signature.js';
import { ensurePackages } from '../scripts/toolchain.mjs';

const root = new URL('..', import.meta.url).pathname;
ensurePackages([['/usr/lib/python3/dist-packages/mpmath/__init__.py', 'python3-mpmath'], ['/usr/lib/python3/dist-packages/numpy/__init__.py', 'python3-numpy']], "the quantized tests' mpmath oracle");
mkdirSync(`${root}build`, { recursive: true });
execFileSync('/usr/bin/python3', [`${root}tests/quant/oracle.py`, `${root}build/quant-oracle.json`]);
const { cases } = JSON.parse(readFileSync(`${root}build/quant-oracle.json`, 'utf8'));

const simd = createApi(nodePlatform);
const scalar = createApi(nodePlatform);
await simd.init({ simd: true });
await scalar.init({ simd: false });
const BYTES = (dt) => new DTYPES[dt].Array(Uint8Array.from({ length: 256 }, (_, i) => i).buffer);
const rows = OPS.filter((r) => r.quantized);
// The other values of a row's init-able params (precision 'fast'): requantized data is exact
// whatever they say, so every case holds for them too.
const otherInits = (row) => row.params.filter((p) => p.init).flatMap((p) => p.choices.filter((c) => c !== p.default).map((c) => ({ [p.name]: c })));

test('the oracle covers every activation of the table on int8 and uint8', () => {
  for (const row of rows) for (const dt of ['i8', 'u8']) assert.ok(cases.some((c) => c.op === row.name && c.dtype === dt), `no case for ${row.name} ${dt}`);
});

for (const row of rows) {
  test(`${row.name}: requantized int8 and uint8 exact on all 256 inputs of every parameter set, both builds, JS arrays and WasmArrays`, () => {
    for (const c of cases.filter((k) => k.op === row.name)) {
      const q = { scale: c.scale, zeroPoint: c.zeroPoint, outScale: c.outScale, outZeroPoint: c.outZeroPoint };
      const what = `${row.name} ${c.dtype} ${JSON.stringify({ ...c.params, ...q })}`;
      for (const R of [simd, scalar]) {
        const got = R[row.name](BYTES(c.dtype), { ...c.params, ...q });
        assert.deepEqual([...got], c.expect, `${what} ${R.variant}`);
        const w = R.from(BYTES(c.dtype));
        const o = R[row.name](w, { ...c.params, ...q });
        assert.deepEqual([...o.view], c.expect, `${what} ${R.variant} WasmArray`);
        // The guard's path: params by position, out given (js/kinds/map.js readWasm).
        const out = R.alloc(256, DTYPES[c.dtype].name);
        assert.equal(R[row.name](...callArgs(row, { ...c.params, ...q, x: w, out })), out);
        assert.deepEqual([...out.view], c.expect, `${what} ${R.variant} WasmArray → out`);
        for (const other of otherInits(row)) {
          assert.deepEqual([...R[row.name](BYTES(c.dtype), { ...c.params, ...q, ...other })], c.expect, `${what} ${JSON.stringify(other)} ${R.variant}`);
          assert.equal(R[row.name](w, { ...c.params, ...q, ...other, out }), out);
          assert.deepEqual([...out.view], c.expect, `${what} ${JSON.stringify(other)} ${R.variant} WasmArray → out`);
        }
        w.free();
        o.free();
        out.free();
      }
    }
  });
}

test('requantized: long arrays stream, the table is cached per parameter set, another op in between is harmless', () => {
  const x = new Int8Array(100003).map((_, i) => (i * 37) % 256);
  const q = { scale: 0.05, zeroPoint: -3, outScale: 1 / 256, outZeroPoint: -128 };
  const a = simd.sigmoid(x, q);
  const b = simd.sigmoid(x, { ...q, outZeroPoint: -127 });
  simd.prelu(new Float32Array(8), new Float32Array([0.5, 0.25])); // uses the parameter area
  const c = simd.sigmoid(x, q);
  assert.deepEqual(c, a);
  for (let i = 0; i < x.length; i++) assert.equal(b[i], Math.min(127, a[i] + 1), `element ${i}`);
  const heap = simd.heapUsed();
  for (let i = 0; i < 100; i++) simd.gelu(x.subarray(0, 64), { ...q, scale: 0.01 + i / 1000 });
  assert.equal(simd.heapUsed(), heap, 'tables live in the reusable parameter area');
});

test('requantized: bad parameters are RangeErrors / TypeErrors naming the op and the option; relu and clip without scale are unchanged', () => {
  const u = new Uint8Array([0, 100, 200]);
  const cases = [
    [() => simd.gelu(u), TypeError, /gelu: x is uint8 data, which an activation takes requantized: give \{ scale, outScale \} \(zeroPoint and outZeroPoint default to 0\), or a float array/],
    [() => simd.gelu(u, { scale: 0.1 }), TypeError, /gelu: outScale is required/],
    [() => simd.gelu(u, { scale: -1, outScale: 1 }), RangeError, /gelu: scale must be a finite number > 0 \(got -1\)/],
    [() => simd.gelu(u, { scale: 1e-50, outScale: 1 }), RangeError, /gelu: scale 1e-50 is not a positive float32 once rounded to float32/],
    [() => simd.gelu(u, { scale: 1, outScale: 1, zeroPoint: 256 }), RangeError, /gelu: zeroPoint must be an integer in \[0, 255\] for uint8 \(got 256\)/],
    [() => simd.gelu(u, { scale: 1, outScale: 1, outZeroPoint: 1.5 }), RangeError, /gelu: outZeroPoint must be an integer/],
    [() => simd.gelu(u, { scale: 1, outScale: 1, scales: 1 }), TypeError, /gelu: unknown option 'scales'/],
    [() => simd.geluBackward(u, u, { scale: 1, outScale: 1 }), TypeError, /geluBackward: unknown option 'scale'/],
    [() => simd.gelu(new Float32Array(2), { scale: 0.1 }), TypeError, /gelu: scale applies to requantized int8 \/ uint8 data only, not float32/],
    [() => simd.relu(new Float64Array(2), { outZeroPoint: 3 }), TypeError, /relu: outZeroPoint applies to requantized int8 \/ uint8 data only, not float64/],
    [() => simd.sigmoid(simd.from(u), { scale: 1, outScale: -1, out: simd.alloc(3, 'uint8') }), RangeError, /sigmoid: outScale must be a finite number > 0 \(got -1\)/],
  ];
  for (const [fn, type, message] of cases) assert.throws(fn, (e) => e instanceof type && message.test(e.message), `${fn}`);
  assert.deepEqual([...simd.relu(u, { zeroPoint: 150 })], [150, 150, 200]);
  assert.deepEqual([...simd.clip(new Int8Array([-100, 5, 100]), -10, 10)], [-10, 5, 10]);
  assert.deepEqual([...simd.relu(new Int8Array([-100, 5, 100]), { scale: 0.5, outScale: 1 })], [0, 2, 50]); // 2.5 → 2: half to even
});
