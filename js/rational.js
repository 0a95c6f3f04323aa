// Exact rational arithmetic on BigInts, for the few table entries of a requantized op that lie
// too near a rounding tie to decide in double (js/quant.js): the rows' `exact` forms compute
// f(x) with these. Values are { n, d } with d > 0, not reduced (only compared).
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** A finite double, exactly. */
export function of(v) {
  f64[0] = v;
  const b = u64[0];
  const e = Number((b >> 52n) & 0x7ffn);
  let m = b & ((1n << 52n) - 1n);
  if (e !== 0) m |= 1n << 52n;
  const s = b >> 63n ? -1n : 1n;
  const p = (e === 0 ? 1 : e) - 1075; // v = m 2^p
  return p >= 0 ? { n: s * m * (1n << BigInt(p)), d: 1n } : { n: s * m, d: 1n << BigInt(-p) };
}
const q = (v) => (typeof v === 'number' ? of(v) : v);
export const add = (a, b) => ((a = q(a)), (b = q(b)), { n: a.n * b.d + b.n * a.d, d: a.d * b.d });
export const mul = (a, b) => ((a = q(a)), (b = q(b)), { n: a.n * b.n, d: a.d * b.d });
export const div = (a, b) => ((a = q(a)), (b = q(b)), b.n < 0n ? { n: -a.n * b.d, d: a.d * -b.n } : { n: a.n * b.d, d: a.d * b.n });
/** Sign of a − b: -1, 0, 1. */
export function cmp(a, b) {
  a = q(a);
  b = q(b);
  const l = a.n * b.d, r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}
export const gt = (a, b) => cmp(a, b) > 0;
export const max = (a, b) => (cmp(a, b) >= 0 ? q(a) : q(b));
export const min = (a, b) => (cmp(a, b) <= 0 ? q(a) : q(b));
