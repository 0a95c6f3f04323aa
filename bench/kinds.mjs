// Per-kind conventions of the benchmarks, shared by bench/run.mjs (through specs.mjs and
// contenders.mjs), bench/kernels.mjs and bench/percall.mjs: which arguments are arrays of n
// elements and which are per channel, how a raw wasm kernel of each kind is called, what the
// kind reads and writes, and the per-element plain-JS loops built from a row's `js`. Nothing
// here knows any op: everything per op comes from the row (js/ops.js) and js/signature.js.
import { DTYPES } from '../js/ops.js';
import { KINDS, kernelParams } from '../js/signature.js';
import { tiledLength } from '../js/kinds/channel-layout.js';

/** Arguments of the argument model (js/signature.js) that hold one value per channel. */
const PER_CHANNEL = new Set(['slope', 'dslope']);

/** The kind's arrays: inputs and outputs of n elements, the per-channel ones, whether it has channels. */
export function arrays(kind) {
  const k = KINDS[kind];
  return {
    inputs: k.inputs.filter((a) => !PER_CHANNEL.has(a)),
    outputs: k.outputs.filter((a) => !PER_CHANNEL.has(a)),
    perChannelIn: k.inputs.filter((a) => PER_CHANNEL.has(a)),
    perChannelOut: k.outputs.filter((a) => PER_CHANNEL.has(a)),
    channels: k.inputs.some((a) => PER_CHANNEL.has(a)),
  };
}

/** Width of the channel / unit dimension for n elements: 64, or a divisor of n below it. */
export const shapeFor = (n, want = 64) => {
  let a = Math.max(1, n);
  let b = want;
  while (b) [a, b] = [b, a % b];
  return a; // gcd(n, want)
};

/** Named values for a call on n elements: count-rule params (the matrix width) get the shape. */
export function valuesAt(row, values, n) {
  const v = { ...values };
  for (const p of row.params) if (p.rule === 'count' && p.name in v) v[p.name] = shapeFor(n);
  return v;
}


/**
 * Raw kernel calls (the functions `${dt}_${row.name}` of the wasm table) per kind: the scratch
 * areas the caller provides ([length, dtype name], zeroed once; of C channels and n elements), the argument list from named
 * pointers p, n, the kernel params kp (kernel order) and C, and which pointer holds the result.
 */
export const RAW = {
  map: { scratch: () => ({}), args: (p, n, kp) => [p.x, p.out, n, ...kp], result: 'out' },
  map2: { scratch: () => ({}), args: (p, n, kp) => [p.dy, p.x, p.out, n, ...kp], result: 'out' },
  gated: { scratch: () => ({}), args: (p, n, kp) => [p.gate, p.up, p.out, n, ...kp], result: 'out' },
  gated2: { scratch: (C, dt, n) => ({ dup: [n, DTYPES[dt].name] }), args: (p, n, kp) => [p.dy, p.gate, p.up, p.dgate, p.dup, n, ...kp], result: 'dgate' },
  channel: {
    scratch: (C, dt) => ({ tiled: [tiledLength(C, DTYPES[dt].bytes), DTYPES[dt].name] }),
    args: (p, n, kp, C) => [p.x, p.slope, p.tiled, p.out, n, C, 1, 0], // nhwc: inner 1, phase 0
    result: 'out',
  },
  channel2: {
    scratch: (C) => ({ acc: [C, 'float64'] }),
    args: (p, n, kp, C) => [p.dy, p.x, p.slope, p.dx, p.acc, n, C, 1, 0],
    result: 'dx',
  },
  count: { scratch: (C) => ({ counts: [C, 'int32'] }), args: (p, n, kp) => [p.y, p.counts, n, ...kp, 0], result: 'counts' },
};

/** k(...a) as a function of no arguments, without a spread call (which costs per call). */
export function bound(k, a) {
  const [a0, a1, a2, a3, a4, a5, a6, a7, a8] = a;
  switch (a.length) {
    case 0: return () => k();
    case 1: return () => k(a0);
    case 2: return () => k(a0, a1);
    case 3: return () => k(a0, a1, a2);
    case 4: return () => k(a0, a1, a2, a3);
    case 5: return () => k(a0, a1, a2, a3, a4);
    case 6: return () => k(a0, a1, a2, a3, a4, a5);
    case 7: return () => k(a0, a1, a2, a3, a4, a5, a6);
    case 8: return () => k(a0, a1, a2, a3, a4, a5, a6, a7);
    case 9: return () => k(a0, a1, a2, a3, a4, a5, a6, a7, a8);
    default: return () => k(...a);
  }
}

/** f as a function of exactly m arguments (the public ops check how many they got). */
export function arity(f, m) {
  switch (m) {
    case 1: return (a) => f(a);
    case 2: return (a, b) => f(a, b);
    case 3: return (a, b, c) => f(a, b, c);
    case 4: return (a, b, c, d) => f(a, b, c, d);
    case 5: return (a, b, c, d, e) => f(a, b, c, d, e);
    default: return (...a) => f(...a.slice(0, m));
  }
}

/**
 * A fresh copy of the function `fn` (its source compiled anew, with the free variables in
 * `env`): its own feedback, so V8 inlines what it calls as it would in hand-written code.
 * Closures made from one source line share feedback; a plain loop calling the row's js through
 * them ran 3-10x slower than the same loop written out. Benchmark-only (Node): the package
 * itself never evaluates code.
 */
export function fresh(fn, env = {}) {
  return new Function(...Object.keys(env), `return (${fn.toString()});`)(...Object.values(env));
}

/**
 * The row's `js` for one element with the params rounded to the dtype, as
 * js/signature.js's model() does, but with fixed arity (no rest or spread per element) and
 * compiled fresh, so a plain loop over it runs at the speed of hand-written JS. m: per-element
 * inputs (slope included).
 */
export function elementFn(row, dt, values, m) {
  const ps = kernelParams(row, dt, values).map(dt === 'f32' ? Math.fround : (v) => v);
  const args = ['a', 'b', 'c'].slice(0, m);
  const params = ps.map((_, i) => `p${i}`);
  const env = Object.fromEntries(params.map((k, i) => [k, ps[i]]));
  return new Function(...Object.keys(env), `const js = (${row.js.toString()}); return (${args}) => js(${[...args, ...params]});`)(...Object.values(env));
}

/** A count kind's summary of per-unit counts (row.summary): what the public op returns. */
export function summarize(summary, counts, rows) {
  if (summary === 'fraction') return Float32Array.from(counts, (c) => c / rows);
  return Int32Array.from([...counts.keys()].filter((u) => counts[u] === 0));
}

/**
 * Plain-JS loops per kind over the element function f, written like user code:
 * [{ name, fn, form }] where form is 'out' (fn(...inputs, ...perChannel, out)), 'inPlace'
 * (the first input is overwritten) or 'alloc' (returns a new array). Count loops get the row.
 */
export const LOOPS = {
  map: (f, A) => [
    { name: 'JS loop → out', form: 'out', fn: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = f(x[i]); return o; } },
    { name: 'JS loop in place', form: 'inPlace', fn: (x) => { for (let i = 0; i < x.length; i++) x[i] = f(x[i]); return x; } },
    { name: `JS ${A.name}.map`, form: 'alloc', fn: (x) => x.map((v) => f(v)) },
  ],
  map2: (f, A) => [
    { name: 'JS loop → out', form: 'out', fn: (dy, x, o) => { for (let i = 0; i < x.length; i++) o[i] = f(dy[i], x[i]); return o; } },
    { name: 'JS loop in place (into dy)', form: 'inPlace', fn: (dy, x) => { for (let i = 0; i < x.length; i++) dy[i] = f(dy[i], x[i]); return dy; } },
    { name: `JS ${A.name}.map`, form: 'alloc', fn: (dy, x) => dy.map((d, i) => f(d, x[i])) },
  ],
  gated: (f, A) => [
    { name: 'JS loop → out', form: 'out', fn: (g, u, o) => { for (let i = 0; i < g.length; i++) o[i] = f(g[i], u[i]); return o; } },
    { name: 'JS loop in place (into gate)', form: 'inPlace', fn: (g, u) => { for (let i = 0; i < g.length; i++) g[i] = f(g[i], u[i]); return g; } },
    { name: `JS ${A.name}.map`, form: 'alloc', fn: (g, u) => g.map((v, i) => f(v, u[i])) },
  ],
  // The row's js models dgate only (the first output): these loops compute it alone.
  gated2: (f) => [
    { name: 'JS loop → dgate (dgate only)', form: 'out', fn: (dy, g, u, o) => { for (let i = 0; i < g.length; i++) o[i] = f(dy[i], g[i], u[i]); return o; } },
  ],
  channel: (f, A) => [
    { name: 'JS nested loops → out', form: 'out', fn: (x, s, o) => { const C = s.length; for (let i = 0; i < x.length; i += C) for (let c = 0; c < C; c++) o[i + c] = f(x[i + c], s[c]); return o; } },
    { name: 'JS i % C loop → out', form: 'out', fn: (x, s, o) => { const C = s.length; for (let i = 0; i < x.length; i++) o[i] = f(x[i], s[i % C]); return o; } },
    { name: 'JS nested loops in place', form: 'inPlace', fn: (x, s) => { const C = s.length; for (let i = 0; i < x.length; i += C) for (let c = 0; c < C; c++) x[i + c] = f(x[i + c], s[c]); return x; } },
    { name: `JS ${A.name}.map`, form: 'alloc', fn: (x, s) => x.map((v, i) => f(v, s[i % s.length])) },
  ],
  // The row's js models dx only: these loops compute dx, not the per-channel sums.
  channel2: (f) => [
    { name: 'JS nested loops → dx (dx only)', form: 'out', fn: (dy, x, s, o) => { const C = s.length; for (let i = 0; i < x.length; i += C) for (let c = 0; c < C; c++) o[i + c] = f(dy[i + c], x[i + c], s[c]); return o; } },
  ],
  count: (f, A, row, units) => [
    {
      name: 'JS loop counting per unit → summary', form: 'alloc',
      fn: (y) => { const c = new Uint32Array(units); for (let i = 0; i < y.length; i++) c[i % units] += f(y[i]) ? 1 : 0; return summarize(row.summary, c, y.length / units); },
    },
  ],
};
