// The op suite, run once per variant (ops.simd.test.mjs, ops.scalar.test.mjs): numpy's
// golden fixtures bit for bit at element offsets 0..3, out of place, in place and on
// WasmArrays; JS-reference sweeps over every length 0..67 and past the streaming chunk;
// guard elements around every output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as R from '../js/node.js';
import { DTYPES, OPS } from '../js/ops.js';
import { loadFixtures } from './fixtures/load.mjs';

const bits = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const hex = (a, i) => {
  const b = bits(a).subarray(i * a.BYTES_PER_ELEMENT, (i + 1) * a.BYTES_PER_ELEMENT);
  return '0x' + [...b].reverse().map((v) => v.toString(16).padStart(2, '0')).join('');
};

/** Asserts equal bits, naming the first differing element and its input. */
export function assertBits(got, want, what, input) {
  assert.equal(got.length, want.length, `${what}: length`);
  const g = bits(got);
  const w = bits(want);
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== w[i]) {
      const e = Math.floor(i / got.BYTES_PER_ELEMENT);
      assert.fail(`${what}: element ${e} of ${got.length}: got ${hex(got, e)} (${got[e]}), want ${hex(want, e)} (${want[e]})` +
        (input ? ` for input ${hex(input, e)} (${input[e]})` : ''));
    }
  }
}

// dslope is a sum: float32 ones are the exactly rounded sum (bit for bit); float64 ones sum
// in a different order than the exact reference, so they get a relative 1e-12.
function assertSums(got, want, what) {
  if (got instanceof Float32Array) return assertBits(got, want, what);
  for (let i = 0; i < want.length; i++) {
    const ok = Number.isNaN(want[i]) ? Number.isNaN(got[i]) : got[i] === want[i] || Math.abs(got[i] - want[i]) <= 1e-12 * Math.max(1, Math.abs(want[i]));
    assert.ok(ok, `${what}: element ${i}: got ${got[i]}, want ${want[i]}`);
  }
}

const GUARD = 3;
// A copy of `a` at element `offset` inside a larger buffer with sentinel bytes around it.
function placed(a, offset) {
  const C = a.constructor;
  const buf = new C(offset + a.length + GUARD);
  bits(buf).fill(0xa5);
  const v = new C(buf.buffer, offset * C.BYTES_PER_ELEMENT, a.length);
  v.set(a);
  return v;
}
function assertGuards(v, what) {
  const all = new Uint8Array(v.buffer);
  const start = v.byteOffset;
  const end = v.byteOffset + v.byteLength;
  for (let i = 0; i < all.length; i++) {
    if ((i < start || i >= end) && all[i] !== 0xa5) assert.fail(`${what}: wrote outside [0, n) at byte ${i - start}`);
  }
}

const ARGS = {
  relu: (c) => [c.inputs.x, ...(c.params.zeroPoint !== undefined ? [{ zeroPoint: c.params.zeroPoint }] : [])],
  reluGrad: (c) => [c.inputs.x],
  reluBackward: (c) => [c.inputs.dy, c.inputs.x],
  leakyRelu: (c) => [c.inputs.x, c.params.alpha],
  leakyReluBackward: (c) => [c.inputs.dy, c.inputs.x, c.params.alpha],
  relu6: (c) => [c.inputs.x],
  clip: (c) => [c.inputs.x, c.params.lo, c.params.hi],
  clipBackward: (c) => [c.inputs.dy, c.inputs.x, c.params.lo, c.params.hi],
  prelu: (c) => [c.inputs.x, c.inputs.slope, layoutOf(c)],
  preluBackward: (c) => [c.inputs.dy, c.inputs.x, c.inputs.slope, layoutOf(c)],
  activity: (c) => [c.inputs.y, c.params.units],
  deadUnits: (c) => [c.inputs.y, c.params.units],
};
// Appends out, or puts it in the options object when the op was given one.
const withOut = (args, out) => {
  const last = args[args.length - 1];
  return last !== null && typeof last === 'object' && !ArrayBuffer.isView(last) && !Array.isArray(last) && last.layout === undefined
    ? [...args.slice(0, -1), { ...last, out }]
    : [...args, out];
};
const layoutOf = (c) => (c.params.layout === 'nchw' ? { layout: 'nchw', inner: c.params.inner } : 'nhwc');

export function runSuite(variant) {
  const simd = variant === 'simd';

  test(`${variant}: init picks the ${variant} build`, async () => {
    await R.init({ simd });
    assert.equal(R.variant, variant);
  });

  const fixtures = loadFixtures();

  test(`${variant}: the fixtures cover every op × dtype of the table`, () => {
    for (const row of OPS) {
      for (const dt of row.dtypes) {
        assert.ok(fixtures.some((c) => c.op === row.name && c.dtype === dt), `no fixture for ${row.name} ${dt}`);
      }
    }
  });

  for (const row of OPS) {
    test(`${variant}: ${row.name} matches numpy bit for bit (every dtype, offsets 0..3, in place, WasmArray)`, async () => {
      await R.init({ simd });
      const cases = fixtures.filter((c) => c.op === row.name);
      for (const c of cases) {
        const what = `${row.name} ${c.dtype} ${c.name}`;
        const args = ARGS[row.name](c);
        const fn = R[row.name];
        if (row.kind === 'count') {
          const got = fn(...args);
          assertBits(got, row.summary === 'fraction' ? c.expect.activity : c.expect.dead, what);
          const w = R.from(c.inputs.y);
          assertBits(fn(w, c.params.units), row.summary === 'fraction' ? c.expect.activity : c.expect.dead, what + ' (WasmArray)');
          w.free();
          continue;
        }
        const want = c.expect.out ?? c.expect.dx;
        const arrays = args.filter((a) => ArrayBuffer.isView(a));
        const main = row.kind === 'map2' || row.kind === 'channel2' ? 1 : 0; // index of x among arrays
        for (let off = 0; off < 4; off++) {
          // Out of place: inputs and output at this offset, guards around the output.
          const moved = args.map((a) => (ArrayBuffer.isView(a) ? placed(a, off) : a));
          const out = placed(new want.constructor(want.length), (off + 1) % 4);
          if (row.kind === 'channel2') {
            const dslope = placed(new c.expect.dslope.constructor(c.expect.dslope.length), off);
            const r = fn(...moved, { dx: out, dslope });
            assert.equal(r.dx, out);
            assertSums(r.dslope, c.expect.dslope, `${what} dslope @${off}`);
            assertGuards(dslope, `${what} dslope @${off}`);
          } else {
            assert.equal(fn(...withOut(moved, out)), out);
          }
          assertBits(out, want, `${what} @${off}`, arrays[main]);
          assertGuards(out, `${what} @${off}`);
          // In place: out === x (and, for backward ops, out === dy).
          for (const k of row.kind === 'map2' || row.kind === 'channel2' ? [0, 1] : [0]) {
            const ins = args.map((a) => (ArrayBuffer.isView(a) ? placed(a, off) : a));
            const target = ins.filter((a) => ArrayBuffer.isView(a))[k];
            const r = row.kind === 'channel2' ? fn(...ins, { dx: target }).dx : fn(...withOut(ins, target));
            assert.equal(r, target);
            assertBits(target, want, `${what} in place on ${k ? 'x' : 'first input'} @${off}`);
            assertGuards(target, `${what} in place @${off}`);
          }
        }
        // WasmArrays in, WasmArrays out, no copies.
        const ws = args.map((a) => (ArrayBuffer.isView(a) ? R.from(a) : a));
        const r = fn(...ws);
        const outW = row.kind === 'channel2' ? r.dx : r;
        assert.ok(outW instanceof R.WasmArray);
        assertBits(outW.view, want, `${what} WasmArray`);
        if (row.kind === 'channel2') {
          assertSums(r.dslope.view, c.expect.dslope, `${what} WasmArray dslope`);
          r.dslope.free();
        }
        outW.free();
        for (const w of ws) if (w instanceof R.WasmArray) w.free();
      }
    });
  }

  // Sweeps against a JS model of the spec, over every length around the vector widths and
  // past the 32 KB streaming chunk; special values are the fixtures' job (NaN bits).
  const model = {
    relu: (x) => (x > 0 ? x : 0),
    reluGrad: (x) => (x > 0 ? 1 : 0),
    leakyRelu: (x) => (x > 0 ? x : Math.fround(Math.fround(0.01) * x)),
    relu6: (x) => (x <= 0 ? 0 : x >= 6 ? 6 : x),
    clip: (x) => (x <= -1.5 ? -1.5 : x >= 2.5 ? 2.5 : x),
  };
  const sweepArgs = { relu: [], reluGrad: [], leakyRelu: [0.01], relu6: [], clip: [-1.5, 2.5] };
  test(`${variant}: float32 sweeps, n = 0..67 and past the streaming chunk, every offset`, async () => {
    await R.init({ simd });
    const lengths = [...Array(68).keys(), 1000, 8191, 8192, 8193, 20000, 100003];
    for (const name of Object.keys(model)) {
      for (const n of lengths) {
        const x = new Float32Array(n).map((_, i) => [-0, 0, 6, -1.5, 2.5][i % 7] ?? (Math.random() - 0.5) * 20);
        const want = x.map(model[name]);
        for (const off of n > 1000 ? [0, 1] : [0, 1, 2, 3]) {
          const xin = placed(x, off);
          const out = placed(new Float32Array(n), 3 - off);
          R[name](xin, ...sweepArgs[name], out);
          assertBits(out, want, `${name} n=${n} @${off}`, x);
          assertGuards(out, `${name} n=${n} @${off}`);
          const w = R.from(x);
          R[name](w, ...sweepArgs[name], w);
          assertBits(w.view, want, `${name} n=${n} WasmArray in place`, x);
          w.free();
        }
      }
    }
  });

  test(`${variant}: signalling NaNs survive the short-array copy path (n <= 32 copies element-wise)`, async () => {
    await R.init({ simd });
    for (const [A, U, nan] of [[Float32Array, Uint32Array, [0x7fa00001, 0xffa00001, 0x7f800001]], [Float64Array, BigUint64Array, [0x7ff4000000000001n, 0xfff0000000000001n]]]) {
      for (let n = 1; n <= 40; n++) {
        const u = new U(n).map((_, i) => (i % 3 === 2 ? (A === Float32Array ? 0x3f800000 : 0x3ff0000000000000n) : nan[i % nan.length]));
        const x = new A(u.buffer);
        for (const [name, args] of [['relu', []], ['relu6', []], ['clip', [-1, 1]]]) {
          assertBits(R[name](x, ...args), x, `${name} ${A.name} n=${n}`, x);
          const out = new A(n);
          R[name](x, ...args, out);
          assertBits(out, x, `${name} ${A.name} n=${n} into out`, x);
        }
      }
    }
  });

  test(`${variant}: every integer dtype over the full range, every length 0..67`, async () => {
    await R.init({ simd });
    for (const dt of ['i32', 'i16', 'i8', 'u8']) {
      const { Array: A, min, max } = DTYPES[dt];
      for (let n = 0; n < 68; n++) {
        const x = new A(n).map((_, i) => [min, max, 0, -1, 1, 6, 7][i % 9] ?? Math.floor(min + Math.random() * (max - min + 1)));
        if (dt !== 'u8') assertBits(R.relu(x), x.map((v) => Math.max(v, 0)), `relu ${dt} n=${n}`);
        assertBits(R.clip(x, min + 1, max - 1), x.map((v) => Math.min(Math.max(v, min + 1), max - 1)), `clip ${dt} n=${n}`);
      }
    }
  });
}
