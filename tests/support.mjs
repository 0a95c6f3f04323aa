// Test support shared by the Node fixture runner (suite.mjs), the browser fixture runner
// (browser/run-fixtures.mjs), the differential, units and memory tests: bit, guard and sum
// asserts, how a fixture case maps onto the argument model (js/signature.js), random calls.
import assert from 'node:assert/strict';
import { KINDS, paramsFor } from '../js/signature.js';
import { DTYPES, PRECISION_ULPS } from '../js/ops.js';

const bits = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const hex = (a, i) => {
  const b = bits(a).subarray(i * a.BYTES_PER_ELEMENT, (i + 1) * a.BYTES_PER_ELEMENT);
  return '0x' + [...b].reverse().map((v) => v.toString(16).padStart(2, '0')).join('');
};

/** Asserts equal type, length and bits, naming the first differing element and its input. */
export function assertBits(got, want, what, input) {
  assert.equal(got.constructor.name, want.constructor.name, `${what}: type`);
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
// in a different order than the exact reference, so they get a relative 1e-12 (fixtures README).
export function assertSums(got, want, what) {
  if (want instanceof Float32Array) return assertBits(got, want, what);
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const ok = Number.isNaN(want[i]) ? Number.isNaN(got[i]) : got[i] === want[i] || Math.abs(got[i] - want[i]) <= 1e-12 * Math.max(1, Math.abs(want[i]));
    assert.ok(ok, `${what}: element ${i}: got ${got[i]}, want ${want[i]}`);
  }
}

const GUARD = 3;
/** A copy of `a` at element `offset` inside a larger buffer with sentinel bytes around it. */
export function placed(a, offset) {
  const C = a.constructor;
  const buf = new C(offset + a.length + GUARD);
  bits(buf).fill(0xa5);
  const v = new C(buf.buffer, offset * C.BYTES_PER_ELEMENT, a.length);
  v.set(a);
  return v;
}

/** Asserts that nothing outside `v` in its buffer changed from the sentinel. */
export function assertGuards(v, what) {
  const all = new Uint8Array(v.buffer);
  const start = v.byteOffset;
  const end = v.byteOffset + v.byteLength;
  for (let i = 0; i < all.length; i++) {
    if ((i < start || i >= end) && all[i] !== 0xa5) assert.fail(`${what}: wrote outside [0, n) at byte ${i - start}`);
  }
}

/** A fixture case's named values for callArgs: its inputs and params. */
export const caseValues = (c) => ({ ...c.inputs, ...c.params });

/**
 * The outputs of an op's result, named as its kind names them (out; dx, dslope); a count
 * op's summary (its only output) is `summary`.
 */
export function outputsOf(row, result) {
  const names = KINDS[row.kind].outputs;
  if (names.length === 0) return { summary: result };
  return names.length === 1 ? { [names[0]]: result } : result;
}

/** The fixture's expected outputs under the same names. */
export function expectedOf(row, c) {
  if (KINDS[row.kind].outputs.length === 0) return { summary: c.expect.activity ?? c.expect.dead };
  return c.expect;
}

// A smooth op's fixtures are the correctly rounded results (mpmath). Its float32 results are
// within PRECISION_ULPS (js/ops.js) of them, by the call's precision and the row's kind: at
// 'exact', 1 ulp everywhere and correctly rounded but for rare inputs within ~2^-50 of a
// rounding boundary (the exhaustive sweep counts them: bench/results/accuracy.md); at 'fast',
// its bound (2 ulp forward, 3 backward), not correctly rounded on many inputs. So: NaNs bit
// for bit, every element within the bound, and where the bound is 1 ulp at most this many x
// per case not correctly rounded (a backward case pairs each x with many dy).
export const MISROUNDED_PER_CASE = 2;
const ordered = (b) => (b & 0x80000000 ? 0x80000000 - b : b); // float32 bits -> a monotonic integer

/** A smooth row's float32 bound in ulps for a call at `precision` (absent: the default, 'exact'). */
export const ulpsOf = (row, precision = 'exact') => PRECISION_ULPS[precision][row.kind];

/** Asserts float32 results within `ulps` of the correctly rounded ones, and (at 1 ulp) rarely not equal. */
export function assertRounded(got, want, what, input, ulps = 1) {
  assert.equal(got.length, want.length, `${what}: length`);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  const limit = ulps > 1 ? Infinity : MISROUNDED_PER_CASE;
  const off = new Set();
  for (let i = 0; i < w.length; i++) {
    if (g[i] === w[i]) continue;
    const d = Math.abs(ordered(g[i]) - ordered(w[i]));
    if (d <= ulps) off.add(input ? hex(input, i) : i);
    if (want[i] !== want[i] || d > ulps || off.size > limit) {
      assert.fail(`${what}: element ${i} of ${got.length}: got ${hex(got, i)} (${got[i]}), want ${hex(want, i)} (${want[i]})${input ? ` for input ${hex(input, i)} (${input[i]})` : ''}` +
        (d <= ulps ? ` (${d} ulp; inputs not correctly rounded in this case: ${[...off].join(', ')})` : ` (${d} ulp off; the bound is ${ulps})`));
    }
  }
}

/** Bit for bit, or for a smooth op's results assertRounded within the bound of the call's `precision`. */
export const assertResult = (row, got, want, what, input, precision) =>
  (row.smooth ? assertRounded(got, want, what, input, ulpsOf(row, precision)) : assertBits(got, want, what, input));

/** Asserts each output against the fixture: sums (dslope) within their tolerance, the rest bit for bit (smooth ops: assertRounded at `precision`). */
export function assertOutputs(row, got, want, what, input, precision) {
  for (const [k, w] of Object.entries(want)) {
    const g = got[k]?.view ?? got[k];
    if (k === 'dslope') assertSums(g, w, `${what} ${k}`);
    else assertResult(row, g, w, `${what}${k === 'out' || k === 'summary' ? '' : ` ${k}`}`, input, precision);
  }
}

// The 16-bit formats in JS, independent of the library: a double correctly rounded to float16
// or bfloat16 bits (nearest, ties to even, overflow to ±inf; NaN: the quiet NaN of its sign),
// and bits back to their exact value.
const HALF = { f16: { p: 11, qmin: -24, max: 65504, ebits: 5 }, bf16: { p: 8, qmin: -133, max: (2 - 2 ** -7) * 2 ** 127, ebits: 8 } };
export function halfBits(dt, v) {
  const { p, qmin, max, ebits } = HALF[dt];
  const mbits = p - 1, bias = 2 ** (ebits - 1) - 1, sign = v < 0 || Object.is(v, -0) ? 1 << 15 : 0;
  const inf = sign | (((1 << ebits) - 1) << mbits);
  if (v !== v) return sign | inf | (1 << (mbits - 1));
  const a = Math.abs(v);
  if (a === Infinity) return inf;
  if (a === 0) return sign;
  let q = Math.floor(Math.log2(a)) - mbits;
  if (2 ** (q + mbits) > a) q--; // log2 rounding: a in [2^(q+mbits), 2^(q+p))
  if (2 ** (q + p) <= a) q++;
  q = Math.max(q, qmin);
  const s = a / 2 ** q; // exact: a power-of-two scaling
  const f = Math.floor(s);
  const r = s - f > 0.5 || (s - f === 0.5 && f % 2 === 1) ? f + 1 : f;
  const value = r * 2 ** q;
  if (value > max) return inf;
  // r has at most p bits; r >= 2^mbits is normal (r = 2^p after rounding carries into the exponent).
  if (r < 2 ** mbits) return sign | r;
  const lead = Math.floor(Math.log2(r)); // mbits, or p where rounding carried
  return sign | ((q + lead + bias) << mbits) | (r / 2 ** (lead - mbits) - 2 ** mbits);
}
export function halfValue(dt, b) {
  const { p, ebits } = HALF[dt];
  const mbits = p - 1, bias = 2 ** (ebits - 1) - 1;
  const e = (b >> mbits) & ((1 << ebits) - 1), m = b & ((1 << mbits) - 1);
  const v = e === (1 << ebits) - 1 ? (m ? NaN : Infinity) : e ? 2 ** (e - bias) * (1 + m / 2 ** mbits) : m * 2 ** (1 - bias - mbits);
  return b & 0x8000 ? -v : v;
}
/** A value as it is stored in an array of dtype dt: the number itself, or its bits. */
export const stored = (dt, v) => (DTYPES[dt].bits ? halfBits(dt, v) : v);

export function randomArray(dt, n, r) {
  const { Array: A } = DTYPES[dt];
  const a = new A(n);
  const u8 = new Uint8Array(a.buffer);
  for (let i = 0; i < u8.length; i++) u8[i] = r() * 256;
  // Mix in values near the interesting points so compares are not all decided by sign.
  if (DTYPES[dt].float) for (let i = 0; i < n; i += 3) a[i] = stored(dt, [0, -0, 6, 1, -1, (r() - 0.5) * 20, Infinity, -Infinity][i % 8]);
  return a;
}

export function randomParam(dt, r, p = {}) {
  const d = DTYPES[dt];
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  if (p.rule === 'choice') return pick(p.choices);
  if (p.rule === 'positive') return pick([0.01, 0.5, 1, 1.5, 1.702, 6, 0.01 + r() * 5]);
  if (p.rule === 'number' && r() < 0.2) return pick([Infinity, -Infinity]);
  if (d.float) return [0.01, 0.5, 1, 1.5, -0.3, 0, -0, 6, (r() - 0.5) * 10][Math.floor(r() * 9)];
  return Math.round(d.min + r() * (d.max - d.min));
}

/** Random bits of dtype dt, with the interesting points mixed in. */
// Random named values for a call of `row`: params drawn by their rule, a random layout for
// per-channel ops, random bits for inputs.
export function randomValues(row, dt, n, r) {
  const values = {};
  let len = n;
  for (const p of paramsFor(row, dt)) values[p.name] = p.rule === 'count' ? 1 + Math.floor(r() * 12) : randomParam(dt, r, p);
  for (const p of paramsFor(row, dt)) if (p.rule === 'count') len -= len % values[p.name];
  if (KINDS[row.kind].layout) {
    const C = 1 + Math.floor(r() * 9);
    const inner = r() < 0.5 ? 1 : 1 + Math.floor(r() * 6);
    len -= len % (C * inner);
    values.slope = new DTYPES[dt].Array(C).map(() => randomParam(dt, r));
    values.layout = inner === 1 ? 'nhwc' : 'nchw';
    values.inner = inner;
  }
  for (const k of KINDS[row.kind].inputs) if (k !== 'slope') values[k] = randomArray(dt, len, r);
  if (DTYPES[dt].half) values.dtype = DTYPES[dt].name; // a Uint16Array says which format it holds
  return values;
}
