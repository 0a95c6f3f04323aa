// The fused bias (js/kinds/map-bias.js): op(x, { bias }) is op(x + bias[c]) with the sum
// rounded to the dtype first, and a backward pass's dbias the sum of dx over each channel.
// Held to numpy's fixtures (tests/fixtures: bias-* cases, float32 and float64, in both
// builds), and to the unfused graph bit for bit for every op, dtype, precision and layout,
// past the block and the streaming chunk, the sum computed here by an independent model of
// numpy's addition (NaN payloads included). Bad calls: the errors, nothing written or leaked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as R from '../js/node.js';
const RS = R;
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { DTYPES, OPS } from '../js/ops.js';
import { exampleValues, signature } from '../js/signature.js';
import { loadFixtures } from './fixtures/load.mjs';
import { assertGuards, assertResult, assertSums, halfBits, halfValue, placed } from './support.mjs';

const BIASED = OPS.filter((row) => signature(row).bias);
const backward = (row) => row.kind === 'map2';
const bitsOf = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const precisions = (row) => (row.params.some((p) => p.name === 'precision') ? ['exact', 'fast'] : [undefined]);
const floats = (row) => row.dtypes.filter((d) => DTYPES[d].float);

test('every activation and backward pass takes a bias; the other rows do not', () => {
  const names = BIASED.map((r) => r.name);
  for (const name of ['relu', 'leakyRelu', 'relu6', 'clip', 'thresholdedRelu', 'hardSigmoid', 'hardSwish', 'shrink', 'gelu', 'silu', 'swish', 'elu', 'celu', 'selu', 'softplus', 'mish', 'sigmoid', 'tanh', 'softsign']) {
    assert.ok(names.includes(name), name);
  }
  for (const row of OPS.filter((r) => r.kind === 'map2')) assert.ok(names.includes(row.name), row.name);
  // (prelu and preluBackward take theirs in the layout object: the last test)
  for (const name of ['reluGrad', 'activity', 'swiglu', 'swigluBackward']) assert.ok(!names.includes(name), name);
});

// The call's options from a fixture's params: the op's own, and the bias's layout.
function options(row, c) {
  const o = {};
  for (const p of row.params) if (c.params[p.name] !== undefined) o[p.name] = c.params[p.name];
  o.layout = c.params.layout;
  if (c.params.inner !== undefined) o.inner = c.params.inner;
  return o;
}

for (const variant of ['simd', 'scalar']) {
  test(`${variant}: the bias-* fixtures (numpy: the op on x + bias; dbias the exact sum of dx per channel), JS arrays, WasmArrays, in place`, async () => {
    const api = variant === 'simd' ? R : createApi(nodePlatform);
    await api.init({ simd: variant === 'simd' });
    assert.equal(api.variant, variant);
    const cases = loadFixtures().filter((c) => c.name.startsWith('bias-'));
    for (const row of BIASED) for (const dt of floats(row).filter((d) => !DTYPES[d].half)) assert.ok(cases.some((c) => c.op === row.name && c.dtype === dt), `no bias fixture for ${row.name} ${dt}`);
    for (const c of cases) {
      const row = OPS.find((r) => r.name === c.op);
      const what = `${variant} ${c.op} ${c.dtype} ${c.name}`;
      const o = options(row, c);
      const ins = backward(row) ? [c.inputs.dy, c.inputs.x] : [c.inputs.x];
      const check = (got, dbias, how) => {
        assertResult(row, got, c.expect.out, `${what} ${how}`, c.inputs.x, c.params.precision);
        if (backward(row)) assertSums(dbias, c.expect.dbias, `${what} ${how} dbias`);
      };
      // JS arrays at an offset, out and dbias at another, guards around them.
      for (const off of [0, 1, 3]) {
        const moved = ins.map((a) => placed(a, off));
        const out = placed(new ins[0].constructor(ins[0].length), (off + 1) % 4);
        const dbias = backward(row) ? placed(new ins[0].constructor(c.inputs.bias.length), off) : undefined;
        const r = api[row.name](...moved, { ...o, bias: placed(c.inputs.bias, 2), out, ...(dbias ? { dbias } : {}) });
        if (dbias) assert.deepEqual(r, { dx: out, dbias });
        else assert.equal(r, out);
        check(out, dbias, `@${off}`);
        assertGuards(out, `${what} @${off}`);
        if (dbias) assertGuards(dbias, `${what} dbias @${off}`);
      }
      // In place on each input.
      for (let k = 0; k < ins.length; k++) {
        const args = ins.map((a) => a.slice());
        const r = api[row.name](...args, { ...o, bias: c.inputs.bias, out: args[k], ...(backward(row) ? { dbias: true } : {}) });
        check(args[k], r.dbias, `in place on input ${k}`);
      }
      // WasmArrays: bias too, dbias made.
      const ws = ins.map((a) => api.from(a));
      const wb = api.from(c.inputs.bias);
      const r = api[row.name](...ws, { ...o, bias: wb, ...(backward(row) ? { dbias: true } : {}) });
      const out = backward(row) ? r.dx : r;
      assert.ok(out instanceof api.WasmArray && (!backward(row) || r.dbias instanceof api.WasmArray), `${what}: WasmArrays in, WasmArrays out`);
      check(out.view, backward(row) ? r.dbias.view : undefined, 'WasmArray');
      [...ws, wb, out, ...(backward(row) ? [r.dbias] : [])].forEach((w) => w.free());
    }
  });
}

// numpy's x + b in the dtype (arrays of the dtype; the 16-bit formats as bits): a NaN x
// quieted, else a NaN b quieted, inf − inf the negative quiet NaN (x86's, numpy's there); the
// rest the exact sum rounded once (double holds a 16-bit or float32 sum exactly or rounds it
// harmlessly: it has more than twice their precision).
function plus(dt, x, b, channel) {
  const n = x.length;
  if (DTYPES[dt].half) {
    const q = dt === 'f16' ? 0x0200 : 0x0040, def = dt === 'f16' ? 0xfe00 : 0xffc0;
    return Uint16Array.from(x, (xb, i) => {
      const bb = b[channel(i)], xv = halfValue(dt, xb), bv = halfValue(dt, bb);
      if (xv !== xv) return xb | q;
      if (bv !== bv) return bb | q;
      const s = xv + bv;
      return s !== s ? def : halfBits(dt, s);
    });
  }
  const f32 = dt === 'f32';
  const U = f32 ? Uint32Array : BigUint64Array;
  const xu = new U(x.buffer, x.byteOffset, n), bu = new U(b.buffer, b.byteOffset, b.length);
  const out = new x.constructor(n), ou = new U(out.buffer);
  const q = f32 ? 0x400000 : 1n << 51n;
  for (let i = 0; i < n; i++) {
    const c = channel(i), xv = x[i], bv = b[c];
    if (xv !== xv) ou[i] = xu[i] | q;
    else if (bv !== bv) ou[i] = bu[c] | q;
    else {
      const s = f32 ? Math.fround(xv + bv) : xv + bv;
      if (s !== s) ou[i] = f32 ? 0xffc00000 : 0xfff8000000000000n;
      else out[i] = s;
    }
  }
  return out;
}

// float64 values, the special ones every few elements, as the dtype's array (16-bit: bits).
const SPECIAL = [NaN, -NaN, 0, -0, Infinity, -Infinity, 1e-40, -1e-40, 2 ** -149, 3.5, -3.5, 65504, -70000, 3e38, -3e38];
function data(dt, n, salt) {
  const v = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? SPECIAL[(i / 7 + salt) % SPECIAL.length] : Math.sin(i * 1.7 + salt) * 6));
  if (DTYPES[dt].half) return Uint16Array.from(v, (e) => halfBits(dt, e));
  const a = new DTYPES[dt].Array(v);
  if (dt === 'f32') new Uint32Array(a.buffer)[14] = 0x7fa00001; // a signalling NaN
  return a;
}
// Every layout's channel walk, and lengths past the 2048-element block and the streaming chunk.
const LAYOUTS = [
  { C: 3, n: 3 * 3001, o: {}, channel: (i) => i % 3 },
  { C: 70, n: 70 * 131, o: { layout: 'nhwc' }, channel: (i) => i % 70 },
  { C: 3, n: 3 * 1001 * 3, o: { layout: 'nchw', inner: 1001 }, channel: (i) => Math.floor(i / 1001) % 3 },
  { C: 1, n: 9001, o: {}, channel: () => 0 },
  { C: 5, n: 5 * 4 * 2, o: { layout: 'nchw', shape: [2, 5, 2, 2] }, channel: (i) => Math.floor(i / 4) % 5 },
];
const ULP_BITS = { f32: 23, f64: 52, f16: 10, bf16: 7 };
const MIN_EXP = { f32: -126, f64: -1022, f16: -14, bf16: -126 };
const valueOf = (dt, a, i) => (DTYPES[dt].half ? halfValue(dt, a[i]) : a[i]);
// dbias against the double sum of dx over each channel, rounded to the dtype: within an ulp of
// it and the sum's own rounding error (their orders differ); NaN where the sum is.
function assertDbias(dt, dbias, dx, C, n, channel, what) {
  for (let c = 0; c < C; c++) {
    let sum = 0, mag = 0, nan = false;
    for (let i = 0; i < n; i++) {
      if (channel(i) !== c) continue;
      const v = valueOf(dt, dx, i);
      if (v !== v) nan = true;
      sum += v, mag += Math.abs(v);
    }
    const g = valueOf(dt, dbias, c);
    if (nan || sum !== sum) {
      assert.ok(g !== g, `${what} dbias[${c}]: NaN, got ${g}`);
      continue;
    }
    const rounded = DTYPES[dt].half ? halfValue(dt, halfBits(dt, sum)) : dt === 'f32' ? Math.fround(sum) : sum;
    const ulp = 2 ** (Math.max(Math.floor(Math.log2(Math.abs(sum) || 1)), MIN_EXP[dt]) - ULP_BITS[dt]);
    assert.ok(g === rounded || Math.abs(g - rounded) <= ulp + mag * n * 2 ** -52, `${what} dbias[${c}]: ${g}, want ${rounded} (${sum})`);
  }
}

for (const variant of ['simd', 'scalar']) test(`${variant}: fused = unfused, bit for bit: every op, float dtype, precision and layout (JS arrays and WasmArrays); dbias the sum of the unfused dx`, async () => {
  const R = variant === 'simd' ? RS : createApi(nodePlatform);
  await R.init({ simd: variant === 'simd' });
  assert.equal(R.variant, variant);
  for (const row of BIASED) {
    for (const dt of floats(row)) {
      const half = DTYPES[dt].half ? { dtype: DTYPES[dt].name } : {};
      const params = exampleValues(row, dt);
      delete params.precision;
      delete params.zeroPoint;
      for (const precision of precisions(row)) {
        const po = { ...params, ...(precision ? { precision } : {}), ...half };
        for (const [li, { C, n, o, channel }] of LAYOUTS.entries()) {
          const what = `${row.name} ${dt} ${precision ?? ''} layout ${li}`;
          const x = data(dt, n, 1), dy = data(dt, n, 2), b = data(dt, C, li + 3);
          const s = plus(dt, x, b, channel);
          const ins = backward(row) ? [dy, x] : [x];
          const want = R[row.name](...(backward(row) ? [dy, s] : [s]), po);
          const r = R[row.name](...ins, { ...po, ...o, bias: b, ...(backward(row) ? { dbias: true } : {}) });
          const got = backward(row) ? r.dx : r;
          assert.deepEqual(bitsOf(got), bitsOf(want), what);
          const wx = ins.map((a) => R.from(a, DTYPES[dt].name)), wo = R.alloc(n, DTYPES[dt].name), wb = R.from(b, DTYPES[dt].name);
          R[row.name](...wx, { ...po, ...o, bias: wb, out: wo });
          assert.deepEqual(bitsOf(wo.view), bitsOf(want), `${what} WasmArray`);
          [...wx, wo, wb].forEach((w) => w.free());
          if (!backward(row)) continue;
          assertDbias(dt, r.dbias, want, C, n, channel, what);
        }
      }
    }
  }
});

test('dbias without a bias: the sum of dx over each channel of the op on x itself; into a given array; Float16Array bias', async () => {
  await R.init();
  const x = data('f32', 60, 1), dy = data('f32', 60, 2);
  const dx = R.siluBackward(dy, x);
  const dbias = new Float32Array(4);
  const r = R.siluBackward(dy, x, { dbias, layout: 'nchw', inner: 3 });
  assert.deepEqual(bitsOf(r.dx), bitsOf(dx));
  assert.equal(r.dbias, dbias);
  for (let c = 0; c < 4; c++) {
    let s = 0;
    for (let i = 0; i < 60; i++) if (Math.floor(i / 3) % 4 === c) s += dx[i];
    assert.ok(Object.is(dbias[c], Math.fround(s)) || (s !== s && dbias[c] !== dbias[c]), `dbias[${c}] ${dbias[c]} vs ${s}`);
  }
  if (typeof Float16Array === 'function') {
    const h = new Float16Array([1, -2, 3, -4]), hb = new Float16Array([0.5, -0.5]);
    const got = R.relu(h, { bias: hb });
    assert.ok(got instanceof Float16Array);
    assert.deepEqual([...got], [1.5, 0, 3.5, 0]);
  }
  assert.equal(R.relu(new Float32Array(0), { bias: new Float32Array(3) }).length, 0);
});

test('bias: bad calls are TypeErrors / RangeErrors naming the op and the argument; nothing is written or allocated; the module stays usable', async () => {
  await R.init();
  const x = new Float32Array([1, -2, 3, -4, 5, -6]);
  const out = new Float32Array(6).fill(7);
  R.relu(x, { bias: new Float32Array(2) }); // (the parameter area it keeps for the next call)
  const used = R.heapUsed();
  const bad = [
    [() => R.relu(x, { bias: 0.5, out }), TypeError, /relu: bias must be an array of C values \(one per channel\) of x's dtype float32, a typed array or a WasmArray \(got number 0.5\)/],
    [() => R.relu(x, { bias: new Float64Array(2), out }), TypeError, /relu: bias must have the same dtype as x \(float32\), got Float64Array/],
    [() => R.relu(x, { bias: new Float32Array(0), out }), RangeError, /relu: bias must have at least one value/],
    [() => R.gelu(x, { bias: new Float32Array(4), out }), RangeError, /gelu: x has 6 elements, not a whole number of rows of 4 channels/],
    [() => R.gelu(x, { bias: new Float32Array(2), layout: 'nchw', inner: 2, out }), RangeError, /gelu: x has 6 elements, not a whole number of 2 channels × inner 2/],
    [() => R.gelu(x, { bias: new Float32Array(2), layout: 'nchw', out }), TypeError, /gelu: an nchw layout needs exactly one of inner/],
    [() => R.gelu(x, { bias: new Float32Array(2), layout: 'nwhc', out }), TypeError, /gelu: layout.layout must be 'nhwc' or 'nchw'/],
    [() => R.relu(x, { layout: 'nchw', inner: 3, out }), TypeError, /relu: layout, inner and shape say where bias's channels are; they need a bias/],
    [() => R.relu(new Int32Array(4), { bias: new Int32Array(2) }), TypeError, /relu: bias applies to the float dtypes \(float32, float64, float16, bfloat16\), not int32/],
    [() => R.relu(new Int8Array(4), { bias: new Int8Array(2), scale: 0.1, outScale: 0.1 }), TypeError, /relu: bias applies to the float dtypes .*, not requantized int8/],
    [() => R.relu(x, { bias: new Float32Array(2), dbias: true }), TypeError, /relu: unknown option 'dbias'/],
    [() => R.reluGrad(x, { bias: new Float32Array(2) }), TypeError, /reluGrad: unknown option 'bias'/],
    [() => R.reluBackward(x, x, { dbias: true, out }), TypeError, /reluBackward: dbias: true needs the bias \(or a dbias array\)/],
    [() => R.reluBackward(x, x, { bias: new Float32Array(2), dbias: new Float32Array(3), out }), RangeError, /reluBackward: dbias has length 3 but bias has length 2/],
    [() => R.reluBackward(x, x, { bias: new Float32Array(2), dbias: 'yes', out }), TypeError, /reluBackward: dbias must be true \(return a new one\) or an array of C values of float32 to write \(got string 'yes'\)/],
    [() => R.reluBackward(x, x, { dbias: new Float64Array(2), out }), TypeError, /reluBackward: dbias must have the same dtype as dy \(float32\)/],
  ];
  for (const [call, type, message] of bad) {
    assert.throws(call, (e) => e instanceof type && message.test(e.message), String(message));
    assert.ok(out.every((v) => v === 7), `${message}: nothing written`);
  }
  // A freed WasmArray bias: an error, nothing made.
  const wb = R.from(new Float32Array(2));
  wb.free();
  const empty = R.alloc(0, 'float32');
  assert.throws(() => R.relu(empty, { bias: wb }), /freed/);
  empty.free();
  assert.equal(R.heapUsed(), used, 'nothing leaked');
  assert.deepEqual([...R.relu(x, { bias: new Float32Array([1, 2]) })], [2, 0, 4, 0, 6, 0]);
  // Many calls that make their results: none kept.
  const w = R.from(new Float32Array(4096)), wb2 = R.from(new Float32Array(64));
  let before;
  for (let k = 0; k < 50; k++) {
    if (k === 1) before = R.heapUsed(); // (after the first call grew the parameter area)
    const r = R.geluBackward(w, w, { bias: wb2, dbias: true });
    r.dx.free();
    r.dbias.free();
  }
  assert.equal(R.heapUsed(), before);
  w.free();
  wb2.free();
});

// prelu and preluBackward take the bias in their layout object (its channels the slope's, or
// any C with a slope of length 1), and the backward pass's dbias in its outputs object.
test('prelu / preluBackward with { bias }: fused = unfused bit for bit (every float dtype, both layouts, one slope or C), dbias and dslope of the sum', async () => {
  await R.init();
  for (const dt of ['f32', 'f64', 'f16', 'bf16']) {
    const half = DTYPES[dt].half ? { dtype: DTYPES[dt].name } : {};
    for (const [li, { C, n, o, channel }] of LAYOUTS.entries()) {
      const x = data(dt, n, 1), dy = data(dt, n, 2), b = data(dt, C, li + 3);
      const s = plus(dt, x, b, channel);
      for (const slope of [data(dt, C, 7), data(dt, 1, 8)]) {
        const what = `prelu ${dt} layout ${li} slope ${slope.length}`;
        const layout = Object.keys(o).length ? o : undefined;
        const want = R.prelu(s, slope, { ...(layout ?? {}), ...half });
        assert.deepEqual(bitsOf(R.prelu(x, slope, { ...(layout ?? {}), ...half, bias: b })), bitsOf(want), what);
        const wantB = R.preluBackward(dy, s, slope, layout, { ...half });
        const got = R.preluBackward(dy, x, slope, { ...(layout ?? {}), bias: b }, { ...half, dbias: true });
        assert.deepEqual(bitsOf(got.dx), bitsOf(wantB.dx), `${what} backward dx`);
        assert.deepEqual(bitsOf(got.dslope), bitsOf(wantB.dslope), `${what} backward dslope`);
        assertDbias(dt, got.dbias, got.dx, C, n, channel, what);
      }
    }
  }
  const x = new Float32Array(6);
  assert.throws(() => R.prelu(x, new Float32Array(2), { bias: new Float32Array(3) }), { name: 'RangeError', message: 'prelu: bias has length 3 but slope has length 2 (one per channel, or a slope of length 1)' });
  assert.throws(() => R.prelu(x, new Float32Array(2), { bias: 1 }), { name: 'TypeError', message: /prelu: layout.bias must be an array of C values/ });
  assert.throws(() => R.preluBackward(x, x, new Float32Array(2), { bias: new Float32Array(2) }, { dbias: new Float32Array(3) }), { name: 'RangeError', message: /preluBackward: dbias has length 3 but bias has length 2/ });
  assert.throws(() => R.preluBackward(x, x, new Float32Array(2), undefined, { dbaas: true }), { name: 'TypeError', message: /unknown option 'dbaas' \(accepted: dx, dslope, dbias, dtype\)/ });
});
