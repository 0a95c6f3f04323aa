// float16 and bfloat16, every input: all 65,536 bit patterns of each format through every op
// that takes them, in both builds.
//  - Piecewise ops against numpy (tests/half/oracle.py, run here: the selections numpy's
//    float16 and the float32 expression rounded once for bfloat16; the ops with arithmetic
//    PyTorch's, float32 rounded once in both), bit for bit, for every parameter set of the
//    fixture generator; on WasmArrays in both builds, and on JS arrays (the streaming path).
//  - The smooth family correctly rounded on every input, against MPFR (scripts/verify-ref.c),
//    the same sweep as the float32 one (scripts/verify.mjs --format), at every precision (both
//    tiers), which give the same bits.
//  - cast() between all four float formats against an independent JS rounding (support.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { CAST_DTYPES, DTYPES, OPS, PRECISION_ULPS } from '../js/ops.js';
import { KINDS, callArgs, exampleValues } from '../js/signature.js';
import { ensurePackages } from '../scripts/toolchain.mjs';
import { FORMATS, FUNCTIONS, GATED, buildReference, check } from '../scripts/verify.mjs';
import { rng } from '../scripts/rng.mjs';
import { assertBits, halfBits, halfValue } from './support.mjs';

const root = new URL('..', import.meta.url).pathname;
const simd = createApi(nodePlatform);
const scalar = createApi(nodePlatform);
await simd.init({ simd: true });
await scalar.init({ simd: false });

const N = 65536;
const ALL = Uint16Array.from({ length: N }, (_, i) => i);
const DY = Uint16Array.from({ length: N }, (_, i) => (i * 40503 + 12345) & 0xffff);
const num = (v) => ({ '-0': -0, Infinity, '-Infinity': -Infinity })[v] ?? v;

// ---- piecewise ops against numpy
ensurePackages([['/usr/lib/python3/dist-packages/numpy/__init__.py', 'python3-numpy'], ['/usr/lib/python3/dist-packages/mpmath/__init__.py', 'python3-mpmath']], "the float16 tests' numpy oracle");
const dir = `${root}build/half-oracle`;
mkdirSync(dir, { recursive: true });
execFileSync('/usr/bin/python3', [`${root}tests/half/oracle.py`, dir]);
const { cases } = JSON.parse(readFileSync(`${dir}/cases.json`, 'utf8'));
const blob = readFileSync(`${dir}/cases.bin`);
const TYPES = { uint16: Uint16Array, float32: Float32Array, int32: Int32Array };
const array = ({ offset, length, type }) => new TYPES[type](blob.buffer.slice(blob.byteOffset + offset, blob.byteOffset + offset + length * TYPES[type].BYTES_PER_ELEMENT));

const halfRows = OPS.filter((row) => row.dtypes.some((d) => DTYPES[d].half));
// A row's inputs by its kind's names: x to the one the function is evaluated at (x, a gated
// op's gate), other to the second (dy, up).
const operands = (row, x, other) => Object.fromEntries(KINDS[row.kind].inputs.map((k) => [k, k === KINDS[row.kind].argument ? x : other]));

test('the oracle covers every op × 16-bit format of the table but the smooth family (MPFR, below)', () => {
  for (const row of halfRows.filter((r) => !r.smooth)) {
    for (const dt of row.dtypes.filter((d) => DTYPES[d].half)) assert.ok(cases.some((c) => c.op === row.name && c.dtype === dt), `no oracle case for ${row.name} ${dt}`);
  }
});

for (const row of halfRows.filter((r) => !r.smooth && KINDS[r.kind].elementwise)) {
  test(`${row.name}: all 65,536 float16 and bfloat16 inputs match numpy bit for bit, both builds, WasmArrays and JS arrays`, () => {
    cases.forEach((c, i) => {
      if (c.op !== row.name) return;
      const dtype = DTYPES[c.dtype].name;
      const params = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, num(v)]));
      const what = `${row.name} ${dtype} ${JSON.stringify(c.params)}`;
      const want = array(c.outputs.out);
      for (const R of [simd, scalar]) {
        const x = R.from(ALL, dtype);
        const dy = R.from(DY, dtype);
        const out = R.alloc(N, dtype);
        R[row.name](...callArgs(row, { ...params, ...operands(row, x, dy), out }));
        assertBits(new Uint16Array(out.toArray().buffer), want, `${what} ${R.variant} WasmArray`);
        [x, dy, out].forEach((w) => w.free());
      }
      // JS arrays: Uint16Array bits with the format said, streamed through the scratch.
      const got = simd[row.name](...callArgs(row, { ...params, ...operands(row, ALL, DY), dtype }));
      assertBits(got, want, `${what} JS arrays`);
    });
  });
}

// Unaligned views of wasm memory (the kernels then see the address itself, not a scratch copy)
// and a ragged length (every SIMD loop's tail): the same bits as the aligned whole arrays, for
// every element-wise op, smooth ones included, in both builds.
test('every element-wise 16-bit op on unaligned views with a ragged length: the bits of the aligned whole arrays', () => {
  const off = 3, m = N - off - 2;
  for (const row of halfRows.filter((r) => KINDS[r.kind].elementwise)) {
    for (const dt of row.dtypes.filter((d) => DTYPES[d].half)) {
      const dtype = DTYPES[dt].name;
      const p = exampleValues(row, dt);
      for (const R of [simd, scalar]) {
        const whole = R[row.name](...callArgs(row, { ...p, ...operands(row, ALL, DY), dtype }));
        const wx = R.alloc(N, dtype), wd = R.alloc(N, dtype), wo = R.alloc(N, dtype);
        new Uint16Array(wx.view.buffer, wx.byteOffset, N).set(ALL);
        new Uint16Array(wd.view.buffer, wd.byteOffset, N).set(DY);
        const view = (w) => new Uint16Array(w.view.buffer, w.byteOffset + 2 * off, m);
        R[row.name](...callArgs(row, { ...p, ...operands(row, view(wx), view(wd)), out: view(wo), dtype }));
        assertBits(view(wo), whole.subarray(off, off + m), `${row.name} ${dtype} ${R.variant} at element offset ${off}, n = ${m}`);
        [wx, wd, wo].forEach((w) => w.free());
      }
    }
  }
});

// Per-channel and count ops: every pattern as x (y), both layouts / two widths, both builds.
for (const row of halfRows.filter((r) => !r.smooth && !KINDS[r.kind].elementwise)) {
  test(`${row.name}: all 65,536 float16 and bfloat16 inputs match numpy, both builds, WasmArrays and JS arrays`, () => {
    for (const c of cases.filter((k) => k.op === row.name)) {
      const dtype = DTYPES[c.dtype].name;
      const ins = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, array(v)]));
      const what = `${row.name} ${dtype} ${JSON.stringify(c.params)}`;
      for (const R of [simd, scalar]) {
        for (const wasm of [true, false]) {
          const arrays = Object.fromEntries(Object.entries(ins).map(([k, v]) => [k, wasm ? R.from(v, dtype) : v]));
          // The argument model places dtype where the kind takes it (layout, outputs, units).
          const r = R[row.name](...callArgs(row, { ...arrays, ...c.params, dtype }));
          const got = ArrayBuffer.isView(r) || r instanceof R.WasmArray ? { [Object.keys(c.outputs)[0]]: r } : r;
          for (const [k, spec] of Object.entries(c.outputs)) {
            const g = got[k] instanceof R.WasmArray ? got[k].toArray() : got[k];
            assertBits(spec.type === 'uint16' ? new Uint16Array(g.buffer, g.byteOffset, g.length) : g, array(spec), `${what} ${k} ${R.variant}${wasm ? ' WasmArray' : ''}`);
          }
          for (const w of [...Object.values(arrays), ...Object.values(got)]) if (w instanceof R.WasmArray) w.free();
        }
      }
    }
  });
}

// ---- the smooth family against MPFR (every tier: the 16-bit formats are correctly rounded at
// every precision), and the same bits at every precision
const exe = buildReference();
const otherInits = (row) => row.params.filter((p) => p.init).flatMap((p) => p.choices.filter((c) => c !== p.default).map((c) => ({ [p.name]: c })));
test('the smooth family in float16 and bfloat16: every precision gives the default precision\'s bits on all 65,536 inputs, both builds', () => {
  for (const row of halfRows.filter((r) => r.smooth)) {
    for (const dt of row.dtypes.filter((d) => DTYPES[d].half)) {
      const dtype = DTYPES[dt].name;
      const p = exampleValues(row, dt);
      for (const R of [simd, scalar]) {
        const want = R[row.name](...callArgs(row, { ...p, ...operands(row, ALL, DY), dtype }));
        for (const other of otherInits(row)) {
          const got = R[row.name](...callArgs(row, { ...p, ...other, ...operands(row, ALL, DY), dtype }));
          assertBits(got, want, `${row.name} ${dtype} ${JSON.stringify(other)} ${R.variant}`);
        }
      }
    }
  }
});
for (const fn of FUNCTIONS) {
  test(`${fn.name}: correctly rounded on all 65,536 float16 and bfloat16 inputs, both builds identical (MPFR)`, async () => {
    for (const format of Object.keys(FORMATS)) {
      const r = await check(fn, { format, exe });
      assert.equal(r.checked, N, `${fn.name} ${format}`);
      assert.equal(r.buildsDiffer, 0, `${fn.name} ${format}: the builds differ on ${r.buildsDiffer} inputs`);
      assert.equal(r.misrounded, 0, `${fn.name} ${format}: ${r.misrounded} inputs not correctly rounded (max ${r.maxUlp} ulp), e.g. ${JSON.stringify(r.misroundedAt.slice(0, 4))}`);
    }
  });
}

// The same at other values of every numeric parameter: the 16-bit kernels keep fast-tier
// float32 results where its bound decides, a bound the float32 sweep proves at the example
// values only, so each parameter is checked at values away from those too.
// (1.01171875 = 1 + 3·2^-8: a bfloat16 midpoint, so that elu' near 0 is a tie only the next term decides)
const OTHER_VALUES = { positive: [0.3, 7.5], finite: [-0.6, 7.5, 1.01171875], number: [5] };
for (const fn of FUNCTIONS.filter((f) => f.tier === 'exact')) {
  const row = OPS.find((r) => r.name === fn.op.replace(/Backward$/, ''));
  const numeric = row.params.filter((p) => OTHER_VALUES[p.rule]);
  if (!numeric.length) continue;
  test(`${fn.name}: correctly rounded on all 65,536 float16 and bfloat16 inputs at other ${numeric.map((p) => p.name).join(', ')} values, both builds (MPFR)`, async () => {
    for (const p of numeric) {
      for (const v of OTHER_VALUES[p.rule]) {
        const at = { ...fn, params: { ...fn.params, [p.name]: v }, all: { ...fn.all, [p.name]: v } };
        for (const format of Object.keys(FORMATS)) {
          const r = await check(at, { format, exe });
          const what = `${fn.name} ${format} ${p.name} = ${v}`;
          assert.equal(r.checked, N, what);
          assert.equal(r.buildsDiffer, 0, `${what}: the builds differ on ${r.buildsDiffer} inputs`);
          assert.equal(r.misrounded, 0, `${what}: ${r.misrounded} inputs not correctly rounded, e.g. ${JSON.stringify(r.misroundedAt.slice(0, 4))}`);
        }
      }
    }
  });
}

// The backward passes at other dy: the fast tier's bound, proven for f' itself, holds dy f'
// with a wider margin (cpp/drivers.h kFastSteps); checked here against MPFR's dy f'.
const OTHER_DY = [-0.10009765625, 1000]; // (values of both formats)
for (const fn of FUNCTIONS.filter((f) => f.tier === 'exact' && f.backward)) {
  test(`${fn.name}: correctly rounded on all 65,536 float16 and bfloat16 inputs at dy = ${OTHER_DY.join(', ')}, both builds (MPFR)`, async () => {
    for (const dy of OTHER_DY) {
      for (const format of Object.keys(FORMATS)) {
        const r = await check(fn, { format, exe, dy });
        const what = `${fn.name} ${format} dy = ${dy}`;
        assert.equal(r.checked, N, what);
        assert.equal(r.buildsDiffer, 0, `${what}: the builds differ on ${r.buildsDiffer} inputs`);
        assert.equal(r.misrounded, 0, `${what}: ${r.misrounded} inputs not correctly rounded, e.g. ${JSON.stringify(r.misroundedAt.slice(0, 4))}`);
      }
    }
  });
}

// The gated ops: every gate value × a spread of up values (both tiers give the same bits in
// 16 bits: the exact functions), correctly rounded against f's reference times up.
const UP = [1, -3.5, 0.10009765625, 1000];
for (const fn of GATED.filter((f) => f.tier === 'exact')) {
  test(`${fn.name}: all 65,536 float16 and bfloat16 gates × up = ${UP.join(', ')}, correctly rounded, both builds (MPFR)`, async () => {
    for (const up of UP) {
      for (const format of Object.keys(FORMATS)) {
        const r = await check(fn, { format, exe, dy: up });
        const what = `${fn.name} ${format} up = ${up}`;
        assert.equal(r.checked, N, what);
        assert.equal(r.buildsDiffer, 0, `${what}: the builds differ on ${r.buildsDiffer} inputs`);
        assert.equal(r.misrounded, 0, `${what}: ${r.misrounded} not correctly rounded, e.g. ${JSON.stringify(r.misroundedAt.slice(0, 4))}`);
      }
    }
  });
}

// The 16-bit formats keep a fast-tier float32 result where its bound decides the rounding:
// the bound the kernels assume must be the one the exhaustive float32 sweep proves.
test('the bound the 16-bit kernels trust the fast tier to (cpp/drivers.h) is PRECISION_ULPS.fast', () => {
  const m = readFileSync(new URL('../cpp/drivers.h', import.meta.url), 'utf8').match(/kFastUlps\[2\] = \{(\d+), (\d+)\}/);
  assert.ok(m, 'cpp/drivers.h declares kFastUlps');
  assert.deepEqual([+m[1], +m[2]], [PRECISION_ULPS.fast.map, PRECISION_ULPS.fast.map2]);
});

// ---- cast
// The exact value of a format's bits, and the expected bits of a value in a format, from
// support.mjs's rounding (not the library's): NaNs come out quiet, sign and top payload kept.
const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
function valueOf(dt, bits) {
  if (dt === 'f32') return ((U32[0] = bits), F32[0]);
  if (dt === 'f64') return ((U64[0] = bits), F64[0]);
  return halfValue(dt, bits);
}
// A NaN's sign and payload, left-aligned in 64 bits (quiet bit first).
function nanParts(dt, bits) {
  if (dt === 'f64') return [bits >> 63n, bits & ((1n << 52n) - 1n)];
  const b = BigInt(bits);
  const m = dt === 'f32' ? 23n : dt === 'f16' ? 10n : 7n;
  const w = dt === 'f32' ? 32n : 16n;
  return [b >> (w - 1n), (b & ((1n << m) - 1n)) << (52n - m)];
}
function expectedBits(from, to, bits) {
  const v = valueOf(from, bits);
  if (v === v) {
    if (to === 'f32') return ((F32[0] = v), U32[0]);
    if (to === 'f64') return ((F64[0] = v), U64[0]);
    return halfBits(to, v);
  }
  const [sign, payload] = nanParts(from, bits);
  const m = to === 'f64' ? 52n : to === 'f32' ? 23n : to === 'f16' ? 10n : 7n;
  const w = to === 'f64' ? 64n : to === 'f32' ? 32n : 16n;
  const e = (to === 'f64' ? 0x7ffn : to === 'f32' ? 0xffn : to === 'f16' ? 0x1fn : 0xffn) << m;
  const r = (sign << (w - 1n)) | e | (1n << (m - 1n)) | (payload >> (52n - m));
  return to === 'f64' ? r : Number(r);
}
const BITS = { f32: Uint32Array, f64: BigUint64Array, f16: Uint16Array, bf16: Uint16Array };

// Inputs per source format: every 16-bit pattern; float32 and float64 samples with the values
// where rounding is decided: every 16-bit format's midpoints and their neighbours, overflow
// thresholds, subnormals of every format, NaNs with payloads.
function inputs(from) {
  if (DTYPES[from].half) return Uint16Array.from(ALL);
  const r = rng(from === 'f32' ? 32 : 64);
  const vals = [];
  for (const h of ['f16', 'bf16']) {
    for (let b = 0; b < 0x7fff; b += from === 'f32' ? 1 : 3) {
      const a = halfValue(h, b), c = halfValue(h, b + 1);
      if (!Number.isFinite(c)) continue;
      const mid = (a + c) / 2;
      for (const v of [mid, -mid]) {
        vals.push(v);
        if (from === 'f64') vals.push(v * (1 + 2 ** -50), v * (1 - 2 ** -50), v * (1 + 2 ** -30)); // just off the tie, inside float32's
      }
    }
  }
  vals.push(0, -0, Infinity, -Infinity, 65504, 65519.99, 65520, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 3.4e38, 2 ** -133, 2 ** -134, 2 ** -149, 5e-324, 1e300, -1e300);
  const out = [];
  if (from === 'f32') {
    for (const v of vals) out.push(((F32[0] = v), U32[0]));
    for (let i = 0; i < 1 << 18; i++) out.push((r() * 2 ** 32) >>> 0);
    out.push(0x7fc00000, 0xffc00001, 0x7f800001, 0xff812345, 0x7fbfe000, 0x7f802000);
    return Uint32Array.from(out);
  }
  for (const v of vals) out.push(((F64[0] = v), U64[0]));
  for (let i = 0; i < 1 << 17; i++) out.push((BigInt((r() * 2 ** 32) >>> 0) << 32n) | BigInt((r() * 2 ** 32) >>> 0));
  out.push(0x7ff8000000000000n, 0xfff8000000000001n, 0x7ff0000000000001n, 0xfff4000000000000n, 0x7ff0001000000000n);
  return BigUint64Array.from(out);
}

for (const from of CAST_DTYPES) {
  test(`cast from ${DTYPES[from].name} to every other float format: one correct rounding, NaNs quiet with sign and payload, both builds`, () => {
    const xb = inputs(from);
    const n = xb.length;
    for (const to of CAST_DTYPES.filter((d) => d !== from)) {
      const want = new BITS[to](n);
      for (let i = 0; i < n; i++) want[i] = expectedBits(from, to, xb[i]);
      for (const R of [simd, scalar]) {
        const x = R.alloc(n, DTYPES[from].name);
        new BITS[from](x.view.buffer, x.byteOffset, n).set(xb);
        const y = R.cast(x, DTYPES[to].name);
        assert.equal(y.dtype, DTYPES[to].name);
        assertBits(new BITS[to](y.view.buffer, y.byteOffset, n), want, `cast ${from} -> ${to} ${R.variant}`);
        // JS arrays (bits in a Uint16Array: `from` says the format), streamed in chunks.
        const js = new (DTYPES[from].half ? Uint16Array : DTYPES[from].Array)(xb.buffer.slice(0));
        const z = R.cast(js, DTYPES[to].name, DTYPES[from].half ? { from: DTYPES[from].name } : undefined);
        assertBits(new BITS[to](z.buffer, z.byteOffset, n), want, `cast ${from} -> ${to} ${R.variant} JS arrays`);
        x.free();
        y.free();
      }
    }
  });
}

test('cast: bad input is a TypeError or RangeError naming cast and the argument; same format copies', () => {
  const x = new Float32Array([1, 2, 3]);
  const cases = [
    [() => simd.cast(x, 'float8'), RangeError, /cast: dtype must be one of 'float32', 'float64', 'float16', 'bfloat16' \(got string 'float8'\)/],
    [() => simd.cast(x, 16), TypeError, /cast: dtype must be one of/],
    [() => simd.cast(new Uint16Array(3), 'float32'), TypeError, /cast: x is a Uint16Array; say which format its bits hold with \{ from: 'float16' \} or \{ from: 'bfloat16' \}/],
    [() => simd.cast(new Int8Array(3), 'float32'), TypeError, /cast: x must be a Float32Array, Float64Array.* \(got Int8Array\)/],
    [() => simd.cast(x, 'float16', new Uint16Array(2)), RangeError, /cast: out has length 2 but x has length 3/],
    [() => simd.cast(x, 'float16', new Float32Array(3)), TypeError, /cast: out must be .*a Uint16Array of its bits or a WasmArray of float16 \(got Float32Array\)/],
    [() => simd.cast(x, 'float16', { bogus: 1 }), TypeError, /cast: unknown option 'bogus' \(accepted: out, from\)/],
    [() => simd.cast(x, 'float16', { from: 'bfloat16' }), TypeError, /cast: options.from is 'bfloat16' but x is Float32Array/],
    [() => simd.cast(x, 'float16', 5), TypeError, /cast: the argument after dtype must be an output array or an options object/],
  ];
  const before = simd.heapUsed();
  for (const [fn, type, message] of cases) assert.throws(fn, (e) => e instanceof type && message.test(e.message), `${fn}`);
  assert.equal(simd.heapUsed(), before, 'failed calls allocate nothing that stays');
  const same = simd.cast(x, 'float32');
  assert.notEqual(same, x);
  assert.deepEqual([...same], [1, 2, 3]);
  // Arrays are used by their real type, buffer and length: own properties that lie are ignored.
  const liar = (a) => Object.defineProperties(a, { buffer: { value: new ArrayBuffer(8) }, byteOffset: { value: 4 }, byteLength: { value: 1 }, length: { value: 1 }, subarray: { value: () => { throw new Error('own subarray called'); } }, set: { value: () => { throw new Error('own set called'); } } });
  const lx = liar(new Float32Array(20000).fill(1.5));
  const lo = liar(new Uint16Array(20000));
  assert.equal(simd.cast(lx, 'float16', lo), lo);
  assert.ok(Uint16Array.prototype.every.call(lo, (b) => b === 0x3e00), "cast wrote every element of out");
  const lw = simd.from(liar(new Uint16Array([0x3c00, 0xbc00])), 'bfloat16');
  assert.deepEqual([...new Uint16Array(lw.toArray().buffer)], [0x3c00, 0xbc00]);
  lw.free();
  // An output that overlaps the input in one buffer: the input is read before it is overwritten.
  const buf = new Float32Array(8).fill(1.5);
  const h = simd.cast(buf.subarray(0, 6), 'float16', new Uint16Array(buf.buffer, 4, 6));
  assert.deepEqual([...h], Array(6).fill(0x3e00));
});
