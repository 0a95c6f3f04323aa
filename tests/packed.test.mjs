// The gated ops' packed form (js/kinds/gated-packed.js): one array holding gate and up, as
// halves of each row or as interleaved pairs, either first. It must give the bits of the
// two-input form on the same gate and up (which tests/suite.mjs and tests/half.test.mjs hold
// to numpy and the exact reference), in both builds, every dtype, both precisions; GPT-OSS's
// clamp and up bias the bits of the two-input form on the clamped, biased inputs; bad calls
// the errors docs/api.md lists, with nothing allocated and the module usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as R from '../js/node.js';
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { DTYPES, OPS } from '../js/ops.js';
import { exampleValues } from '../js/signature.js';

const GATED = OPS.filter((row) => row.kind === 'gated');
const H = 37; // odd: every vector loop's tail runs
const ROWS = 3;
const N = ROWS * 2 * H;

// float64 values: a spread over the functions' range, and the special ones.
const SPECIAL = [NaN, -NaN, 0, -0, Infinity, -Infinity, 1e-40, -1e-40, 2 ** -149, 3.5, -3.5, 7, -7, 7.5, -7.5, 1e-7, 65504, -20, 20];
const source = Float64Array.from({ length: N }, (_, i) => (i % 5 === 0 ? SPECIAL[(i / 5) % SPECIAL.length] : Math.sin(i * 2.3) * 9));

// x in the dtype: a Float32Array / Float64Array, or a Uint16Array of 16-bit bits (R.cast rounds once).
const inDtype = (api, v, dt) => (DTYPES[dt].half ? api.cast(Float32Array.from(v), DTYPES[dt].name) : new DTYPES[dt].Array(v));
const bitsOf = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const opts = (dt) => (DTYPES[dt].half ? { dtype: DTYPES[dt].name } : {});

// gate and up of x as the packed layout has them: element k of the result is row r, column j.
function split(x, packed, second) {
  const g = new x.constructor(N / 2), u = new x.constructor(N / 2);
  for (let k = 0; k < N / 2; k++) {
    const r = Math.floor(k / H), j = k % H;
    const [gi, ui] = packed === 'interleaved' ? [2 * k + second, 2 * k + 1 - second] : [r * 2 * H + second * H + j, r * 2 * H + (1 - second) * H + j];
    g[k] = x[gi];
    u[k] = x[ui];
  }
  return [g, u];
}

const LAYOUTS = [['halves', 'first'], ['halves', 'second'], ['interleaved', 'first'], ['interleaved', 'second']];
const precisions = (row) => (row.params.some((p) => p.name === 'precision') ? ['exact', 'fast'] : [undefined]);

for (const variant of ['simd', 'scalar']) {
  test(`${variant}: every gated op, dtype, layout and precision: the packed form gives the two-input form's bits`, async () => {
    const api = variant === 'simd' ? R : createApi(nodePlatform);
    await api.init({ simd: variant === 'simd' });
    assert.equal(api.variant, variant);
    for (const row of GATED) {
      for (const dt of row.dtypes) {
        const x = inDtype(api, source, dt);
        const params = exampleValues(row, dt);
        delete params.precision;
        for (const precision of precisions(row)) {
          for (const [packed, gate] of LAYOUTS) {
            const [g, u] = split(x, packed, gate === 'second' ? 1 : 0);
            const o = { ...params, ...(precision ? { precision } : {}), ...opts(dt) };
            const want = api[row.name](g, u, o);
            const got = api[row.name](x, { ...o, packed, gate, ...(packed === 'halves' ? { width: 2 * H } : {}) });
            assert.deepEqual(bitsOf(got), bitsOf(want), `${row.name} ${dt} ${packed} gate ${gate} ${precision ?? ''}`);
          }
        }
      }
    }
  });
}

test("GPT-OSS's clamp and up bias: the two-input form on min(gate, limit) and the clamped up plus upBias rounded to the dtype", async () => {
  await R.init();
  const limit = 7, upBias = 1;
  for (const row of GATED) {
    for (const dt of row.dtypes) {
      const x = inDtype(R, source, dt);
      const [g, u] = split(x, 'interleaved', 0);
      // in float64, then rounded once to the dtype (the clamp is exact; the sum is exact in float64 here)
      const wide = (a) => (DTYPES[dt].half ? R.cast(a, 'float64', { from: DTYPES[dt].name }) : Float64Array.from(a));
      const gc = Float64Array.from(wide(g), (v) => (v > limit ? limit : v));
      const uc = Float64Array.from(wide(u), (v) => (v < -limit ? -limit : v > limit ? limit : v) + upBias);
      const back = (a) => (dt === 'f64' ? a : R.cast(a, DTYPES[dt].name));
      const want = R[row.name](back(gc), back(uc), opts(dt));
      const got = R[row.name](x, { packed: 'interleaved', limit, upBias, ...opts(dt) });
      // (NaN: the clamp and the bias keep a NaN a NaN; its payload may be quieted differently)
      const same = (a, b) => (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);
      const gv = DTYPES[dt].half ? R.cast(got, 'float64', { from: DTYPES[dt].name }) : got;
      const wv = DTYPES[dt].half ? R.cast(want, 'float64', { from: DTYPES[dt].name }) : want;
      for (let k = 0; k < gv.length; k++) assert.ok(same(gv[k], wv[k]), `${row.name} ${dt} at ${k}: ${gv[k]} vs ${wv[k]}`);
    }
  }
});

test('the packed form on WasmArrays (out given or new), typed arrays in wasm memory, Float16Array, and n = 0', async () => {
  await R.init();
  const x = Float32Array.from(source);
  const want = R.swiglu(x, { packed: 'halves', width: 2 * H });
  const w = R.from(x), o = R.alloc(N / 2, 'float32');
  assert.equal(R.swiglu(w, { packed: 'halves', width: 2 * H, out: o }), o);
  assert.deepEqual(bitsOf(o.view), bitsOf(want));
  const made = R.swiglu(w, { packed: 'halves', width: 2 * H });
  assert.ok(made instanceof R.WasmArray && made.length === N / 2);
  assert.deepEqual(bitsOf(made.view), bitsOf(want));
  made.free();
  // a typed view of wasm memory as x (the temporary copy may grow memory: the view is re-made)
  assert.deepEqual(bitsOf(R.swiglu(w.view, { packed: 'halves', width: 2 * H })), bitsOf(want));
  const into = new Float32Array(N / 2);
  assert.equal(R.swiglu(x, { packed: 'halves', width: 2 * H, out: into }), into);
  assert.deepEqual(bitsOf(into), bitsOf(want));
  assert.equal(R.swiglu(new Float32Array(0), { packed: 'interleaved' }).length, 0);
  if (typeof Float16Array === 'function') {
    const h = new Float16Array(source);
    const r = R.glu(h, { packed: 'interleaved', gate: 'second' });
    assert.ok(r instanceof Float16Array);
    assert.deepEqual(bitsOf(r), bitsOf(R.glu(new Uint16Array(h.buffer), { packed: 'interleaved', gate: 'second', dtype: 'float16' })));
  }
  w.free();
  o.free();
});

test('packed form: bad calls are TypeErrors / RangeErrors naming the op and the argument; nothing is allocated; the module stays usable', async () => {
  await R.init();
  const x = Float32Array.from(source);
  const used = R.heapUsed();
  const bad = [
    [() => R.swiglu(x), TypeError, /swiglu: up is missing: call swiglu\(gate, up, …\) with two arrays, or swiglu\(x, \{ packed/],
    [() => R.swiglu(x, {}), TypeError, /swiglu: with one array, options.packed says where gate and up are/],
    [() => R.geglu(x, { packed: 'half' }), RangeError, /geglu: packed must be one of 'halves', 'interleaved' \(got string 'half'\)/],
    [() => R.glu(x, { packed: 'halves', gate: 2 }), TypeError, /glu: gate must be one of 'first', 'second'/],
    [() => R.swiglu(x, { packed: 'halves', width: 4 }), RangeError, /swiglu: width must be even and divide x's length 222/],
    [() => R.swiglu(x, { packed: 'halves', width: 0 }), RangeError, /swiglu: width must be a positive integer/],
    [() => R.swiglu(x, { packed: 'interleaved', width: 74 }), TypeError, /swiglu: width applies to packed: 'halves' only/],
    [() => R.swiglu(x, { packed: 'interleaved', limit: 0 }), RangeError, /swiglu: limit must be a number > 0/],
    [() => R.swiglu(x, { packed: 'interleaved', limit: '7' }), TypeError, /swiglu: limit must be a number \(got string '7'\)/],
    [() => R.swiglu(x, { packed: 'interleaved', upBias: NaN }), RangeError, /swiglu: upBias must be a finite number/],
    [() => R.swiglu(x, { packed: 'interleaved', alpha: -1 }), RangeError, /swiglu: alpha must be a finite number > 0/],
    [() => R.swiglu(x, { packed: 'interleaved', foo: 1 }), TypeError, /swiglu: unknown option 'foo' \(accepted: packed, gate, width, limit, upBias, out, alpha, precision, dtype\)/],
    [() => R.swiglu(x, 1.702, 2, { packed: 'interleaved' }), TypeError, /swiglu: too many arguments before the options object \(x, then at most alpha\)/],
    [() => R.swiglu(x.subarray(1), { packed: 'interleaved' }), RangeError, /swiglu: x has length 221; packed, it holds gate and up, so its length must be even/],
    [() => R.swiglu(x, { packed: 'interleaved', out: new Float32Array(N) }), RangeError, /swiglu: out has length 222; packed, x of length 222 gives 111 results/],
    [() => R.swiglu(x, { packed: 'interleaved', out: new Float64Array(N / 2) }), TypeError, /swiglu: out must be a Float32Array/],
    [() => R.reglu(x, { packed: 'interleaved', out: new Float64Array(N / 2) }), TypeError, /reglu: out must have the same dtype as x \(float32\)/],
    [() => R.reglu(new Int8Array(4), { packed: 'interleaved' }), TypeError, /reglu: x must be a/],
    [() => R.swiglu(new Uint16Array(4), { packed: 'interleaved' }), TypeError, /swiglu: x is a Uint16Array; say which format/],
  ];
  for (const [call, type, message] of bad) assert.throws(call, (e) => e instanceof type && message.test(e.message), String(call));
  assert.equal(R.heapUsed(), used);
  // positional params before the options object, as the two-input form takes them
  assert.deepEqual(bitsOf(R.swiglu(x, 1.702, { packed: 'interleaved' })), bitsOf(R.swiglu(x, { packed: 'interleaved', alpha: 1.702 })));
  assert.equal(R.heapUsed(), used);
});

test('gated backward passes: dgate and dup may not share memory (the same array, or overlapping views); the module stays usable', async () => {
  await R.init();
  const n = 16;
  const dy = new Float32Array(n).fill(1), g = new Float32Array(n).fill(0.5), u = new Float32Array(n).fill(2);
  const used = R.heapUsed();
  const w = R.alloc(n + 4);
  const views = [new Float32Array(w.view.buffer, w.byteOffset, n), new Float32Array(w.view.buffer, w.byteOffset + 8, n)];
  for (const [dgate, dup, what] of [[views[0], views[0], 'are the same array'], [views[0], views[1], 'overlap']]) {
    assert.throws(() => R.swigluBackward(dy, g, u, { dgate, dup }), { name: 'TypeError', message: `swigluBackward: dgate and dup ${what}; each result needs memory of its own (either may be an input)` });
  }
  w.free();
  assert.equal(R.heapUsed(), used);
  // in place on an input is fine: dgate over gate, dup over up
  const r = R.swigluBackward(dy, g.slice(), u.slice());
  const gi = g.slice(), ui = u.slice();
  const q = R.swigluBackward(dy, gi, ui, { dgate: gi, dup: ui });
  assert.equal(q.dgate, gi);
  assert.deepEqual([...q.dgate, ...q.dup], [...r.dgate, ...r.dup]);
});

// The backward passes' packed form: dx in x's layout, dgate and dup at gate's and up's places,
// the bits of the two-input backward pass on the same gate and up (clamped and biased as the
// forward pass reads them), and 0 where GPT-OSS's clamp held the input (PyTorch's clamp
// backward: the gradient passes where gate <= limit and -limit <= up <= limit).
const BACKWARD = OPS.filter((row) => row.kind === 'gated2');
function merge(dg, du, x, packed, second, limit) {
  const dx = new x.constructor(N);
  const held = (v, up) => limit !== undefined && !(up ? v >= -limit && v <= limit : v <= limit);
  const val = (a, k) => a[k];
  for (let k = 0; k < N / 2; k++) {
    const r = Math.floor(k / H), j = k % H;
    const [gi, ui] = packed === 'interleaved' ? [2 * k + second, 2 * k + 1 - second] : [r * 2 * H + second * H + j, r * 2 * H + (1 - second) * H + j];
    dx[gi] = held(val(x, gi), false) ? 0 : dg[k];
    dx[ui] = held(val(x, ui), true) ? 0 : du[k];
  }
  return dx;
}
for (const variant of ['simd', 'scalar']) {
  test(`${variant}: every gated backward pass, dtype, layout and precision: the packed form gives the two-input form's bits in x's layout`, async () => {
    const api = variant === 'simd' ? R : createApi(nodePlatform);
    await api.init({ simd: variant === 'simd' });
    for (const row of BACKWARD) {
      for (const dt of row.dtypes) {
        const x = inDtype(api, source, dt);
        const dy = inDtype(api, Float64Array.from({ length: N / 2 }, (_, i) => Math.cos(i * 0.7) * 2), dt);
        const params = exampleValues(row, dt);
        delete params.precision;
        for (const precision of precisions(row)) {
          for (const [packed, gate] of LAYOUTS) {
            const second = gate === 'second' ? 1 : 0;
            const [g, u] = split(x, packed, second);
            const o = { ...params, ...(precision ? { precision } : {}), ...opts(dt) };
            const r = api[row.name](dy, g, u, o);
            const want = merge(r.dgate, r.dup, x, packed, second);
            const got = api[row.name](dy, x, { ...o, packed, gate, ...(packed === 'halves' ? { width: 2 * H } : {}) });
            assert.deepEqual(bitsOf(got), bitsOf(want), `${row.name} ${dt} ${packed} gate ${gate} ${precision ?? ''}`);
          }
        }
      }
    }
  });
}

test("backward, packed: GPT-OSS's clamp and up bias (the two-input pass on the clamped, biased inputs, 0 where the clamp held), WasmArrays, dx in place on x, bad calls", async () => {
  await R.init();
  const limit = 7, upBias = 1;
  for (const row of BACKWARD.filter((r) => r.dtypes.includes('f32'))) {
    const x = Float32Array.from(source);
    const dy = Float32Array.from({ length: N / 2 }, (_, i) => Math.cos(i * 0.7) * 2);
    const [g, u] = split(x, 'interleaved', 0);
    const gc = g.map((v) => (v > limit ? limit : v));
    const uc = u.map((v) => Math.fround((v < -limit ? -limit : v > limit ? limit : v) + upBias));
    const r = R[row.name](dy, gc, uc);
    const want = merge(r.dgate, r.dup, x, 'interleaved', 0, limit);
    const got = R[row.name](dy, x, { packed: 'interleaved', limit, upBias });
    assert.deepEqual(bitsOf(got), bitsOf(want), `${row.name} clamp`);
    // WasmArrays, and dx over x itself
    const wx = R.from(x), wd = R.from(dy);
    const made = R[row.name](wd, wx, { packed: 'interleaved', limit, upBias });
    assert.ok(made instanceof R.WasmArray && made.length === N);
    assert.deepEqual(bitsOf(made.view), bitsOf(want));
    assert.equal(R[row.name](wd, wx, { packed: 'interleaved', limit, upBias, dx: wx }), wx);
    assert.deepEqual(bitsOf(wx.view), bitsOf(want));
    [wx, wd, made].forEach((w) => w.free());
  }
  const x = Float32Array.from(source), dy = new Float32Array(N / 2);
  const used = R.heapUsed();
  const bad = [
    [() => R.swigluBackward(dy, x), TypeError, /swigluBackward: up is missing: call swigluBackward\(dy, gate, up, …\) with three arrays, or swigluBackward\(dy, x, \{ packed/],
    [() => R.swigluBackward(dy, x, {}), TypeError, /swigluBackward: with one array, options.packed says where gate and up are/],
    [() => R.swigluBackward(dy.subarray(1), x, { packed: 'halves' }), RangeError, /swigluBackward: dy has length 110; packed, x of length 222 holds 111 gates and ups, so dy needs 111/],
    [() => R.swigluBackward(dy, x, { packed: 'halves', dx: new Float32Array(N / 2) }), RangeError, /swigluBackward: dx has length 111 but x has length 222/],
    [() => R.swigluBackward(dy, x, { packed: 'halves', width: 4 }), RangeError, /swigluBackward: width must be even and divide x's length 222/],
    [() => R.gluBackward(dy, x, { packed: 'interleaved', out: x }), TypeError, /gluBackward: unknown option 'out' \(accepted: packed, gate, width, limit, upBias, dx, precision, dtype\)/],
    [() => R.swigluBackward(dy, new Float64Array(N), { packed: 'interleaved' }), TypeError, /swigluBackward: x must be a Float32Array/],
  ];
  for (const [call, type, message] of bad) assert.throws(call, (e) => e instanceof type && message.test(e.message), String(call));
  assert.equal(R.heapUsed(), used);
});
