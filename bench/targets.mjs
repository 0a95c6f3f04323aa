// The performance targets of issues 5 (the piecewise family), 10 (the smooth family) and 12
// (the typed-array path, per-call cost), as
// data: what is measured (a time, or a ratio of two rows' times), at which sizes, of which
// tables, and the threshold. One generic function judges them on the measured tables and
// prints each with its values and whether it is met.
import { OPS } from '../js/ops.js';
import { fmtNs, fmtNum, fmtSize } from './harness.mjs';

const SMOOTH = OPS.filter((r) => r.smooth).map((r) => r.name);
const SMOOTH_FORWARD = OPS.filter((r) => r.smooth && r.kind === 'map').map((r) => r.name);
const PIECEWISE = OPS.filter((r) => !r.smooth).map((r) => r.name);

// value: { ns: key } a row's time per call, or { ratio: [a, b] } time of a / time of b. A key
// ending in ':' stands for the fastest row whose key starts with it (e.g. every plain-JS loop).
// at: one size; from: every size from it up. tables: 'first' (the first table of the run) or
// every table; only: the table ids it applies to (default: all). min / max: the threshold.
// anchors: rows shown for context, from the first table.
export const TARGETS = [
  { what: 'Per-call cost on WasmArrays', at: 1, value: { ns: 'wa-SIMD' }, max: 30, anchors: ['tf-wasm-op', 'ort', 'raw'] },
  { what: 'Every piecewise op on WasmArrays vs the 128-bit copy loop (copy time / op time)', only: PIECEWISE, from: 4096, value: { ratio: ['ref-copy', 'wa-SIMD'] }, min: 0.9 },
  { what: 'The first table on WasmArrays vs memory.copy (memory.copy time / op time)', tables: 'first', at: 2 ** 24, value: { ratio: ['ref-memcpy', 'wa-SIMD'] }, min: 0.95 },
  { what: 'JS arrays (→ out) end to end, time relative to out.set(x)', from: 4096, value: { ratio: ['js-SIMD', 'ref-set'] }, max: 1.5 },
  { what: 'JS arrays (→ out) × faster than TensorFlow.js wasm end to end', at: 2 ** 24, value: { ratio: ['tf-wasm-e2e', 'js-SIMD'] }, min: 8 },
  { what: 'JS arrays (new out) × faster than TensorFlow.js wasm end to end', at: 2 ** 24, value: { ratio: ['tf-wasm-e2e', 'js-new'] }, min: 8 },
  { what: 'JS arrays (→ out) × faster than TensorFlow.js wasm end to end', at: 256, value: { ratio: ['tf-wasm-e2e', 'js-SIMD'] }, min: 20 },
  { what: 'JS arrays (new out) × faster than TensorFlow.js wasm end to end', at: 256, value: { ratio: ['tf-wasm-e2e', 'js-new'] }, min: 20 },
  { what: 'WasmArray API × faster than the best plain-JS loop', only: PIECEWISE, from: 65536, value: { ratio: ['plain:', 'wa-SIMD'] }, min: 10 },
  // Issue 10: the smooth family (correctly rounded) against the libraries' own kernels.
  { what: 'Smooth ops on WasmArrays × faster than TensorFlow.js wasm (op on a tensor)', only: SMOOTH, from: 4096, value: { ratio: ['tf-wasm-op', 'wa-SIMD'] }, min: 1 },
  { what: 'Smooth ops on JS arrays × faster than onnxruntime-web session.run', only: SMOOTH, from: 4096, value: { ratio: ['ort', 'js-SIMD'] }, min: 1 },
  { what: 'Smooth forward ops within 2× of relu\'s time (≈ the copy loop: copy time / op time)', only: SMOOTH_FORWARD, at: 2 ** 20, value: { ratio: ['ref-copy', 'wa-SIMD'] }, min: 0.5 },
  // Issue 23: the fast tier against the anchors (every op either has, n >= 4096), and against
  // the exact tier (the speed-up the tier buys).
  { what: "Smooth ops, precision 'fast' on WasmArrays × faster than TensorFlow.js wasm (op on a tensor)", only: SMOOTH, from: 4096, value: { ratio: ['tf-wasm-op', 'wa-fast'] }, min: 1 },
  { what: "Smooth ops, precision 'fast' on WasmArrays × faster than onnxruntime-web session.run", only: SMOOTH, from: 4096, value: { ratio: ['ort', 'wa-fast'] }, min: 1 },
  { what: "Smooth ops, precision 'fast' × faster than 'exact' (WasmArrays)", only: SMOOTH, from: 4096, value: { ratio: ['wa-SIMD', 'wa-fast'] }, min: 1 },
  // Issue 12: the typed-array path at its three-pass floor (copy in, kernel, copy out), and the
  // per-call cost against a bare kernel call at the same call site.
  { what: 'JS arrays (→ out) vs out.set(x), the three-pass floor', from: 65536, value: { ratio: ['js-SIMD', 'ref-set'] }, max: 2.5 },
  { what: 'JS arrays (→ out) vs out.set(x), the three-pass floor', at: 4096, value: { ratio: ['js-SIMD', 'ref-set'] }, max: 3 },
  { what: 'n = 1 through the public API (WasmArrays) vs the raw kernel at the same call site', at: 1, value: { ratio: ['wa-SIMD', 'raw'] }, max: 1.5 },
];

/** A row's time at n (NaN if absent or failed); a key ending in ':' picks the fastest match. */
export function timeOf(t, key, n) {
  const ok = (r) => r.bySize[n] && !r.bySize[n].error;
  const rows = t.rows.filter((r) => (key.endsWith(':') ? r.key.startsWith(key) : r.key === key) && ok(r));
  const best = rows.reduce((a, r) => (a && a.bySize[n].ns <= r.bySize[n].ns ? a : r), null);
  return { ns: best ? best.bySize[n].ns : NaN, who: best?.name };
}

export const nsOf = (t, key, n) => timeOf(t, key, n).ns;

function measured(target, t, n) {
  const v = target.value;
  if (v.ns) return { value: nsOf(t, v.ns, n) };
  const [a, b] = v.ratio.map((k) => timeOf(t, k, n));
  return { value: a.ns / b.ns, who: v.ratio[0].endsWith(':') ? a.who : v.ratio[1].endsWith(':') ? b.who : undefined };
}

/** The targets judged on `tables`: one markdown list item per target that has values. */
export function judgeTargets(tables, targets = TARGETS) {
  const live = tables.filter((t) => !t.skipped);
  const lines = [];
  for (const target of targets) {
    const ts = (target.tables === 'first' ? live.slice(0, 1) : live).filter((t) => !target.only || target.only.includes(t.table));
    const xs = ts.flatMap((t) => t.sizes.filter((n) => (target.at !== undefined ? n === target.at : n >= target.from))
      .map((n) => ({ table: t.table, n, ...measured(target, t, n) })))
      .filter((x) => Number.isFinite(x.value));
    if (!xs.length) continue;
    const pass = (x) => (target.min !== undefined ? x.value >= target.min : x.value <= target.max);
    const good = xs.filter(pass);
    const status = good.length === xs.length ? '**met**' : good.length ? '**partly met**' : '**not met**';
    const fmt = (v) => (target.value.ns ? fmtNs(v) : `${fmtNum(v)}×`);
    const show = (x) => `${x.table}${target.at === undefined ? ` n = ${fmtSize(x.n)}` : ''} ${fmt(x.value)}${x.who ? ` (vs ${x.who})` : ''}`;
    const goal = `${target.min !== undefined ? '≥' : '≤'} ${fmt(target.min ?? target.max)}`;
    const where = `${target.at !== undefined ? `n = ${fmtSize(target.at)}` : `n ≥ ${fmtSize(target.from)}`}${target.tables === 'first' ? ` (${ts[0].title})` : ''}`;
    let detail;
    if (target.at !== undefined) detail = xs.map(show).join('; ');
    else {
      const worse = (x, a) => (target.min !== undefined ? x.value < a.value : x.value > a.value);
      const worst = xs.reduce((a, x) => (worse(x, a) ? x : a));
      const bad = xs.filter((x) => !pass(x));
      detail = `${good.length} of ${xs.length} (table, n) pairs; worst ${show(worst)}${bad.length ? `; not met: ${bad.map(show).join('; ')}` : ''}`;
    }
    let anchors = '';
    if (target.anchors && live[0]) {
      const t = live[0];
      const n = target.at ?? target.from;
      const as = target.anchors.map((k) => [t.rows.find((r) => r.key === k)?.name ?? k, nsOf(t, k, n)]).filter(([, v]) => Number.isFinite(v));
      if (as.length) anchors = ` Anchors in the first table (${t.title}) at n = ${fmtSize(n)}: ${as.map(([k, v]) => `${k} ${fmtNs(v)}`).join(', ')}.`;
    }
    lines.push(`- ${target.what} at ${where} ${goal}: ${status} — ${detail}.${anchors}`);
  }
  return lines.join('\n');
}
