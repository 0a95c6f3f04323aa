// The smooth family: each op of the table marked `smooth` (lib.ops) drawn with its derivative
// (its backward pass at dy = 1), in float32, float16 or bfloat16, at the chosen precision tier
// ('exact' or 'fast'). Under the curves, each tier's error across the plotted points, in ulps
// of the format (a real number: |y − ref| / ulp(ref)): ref is the table's double-precision JS
// formula of the op (Math.exp & co., not rounded), or where the table has none (gelu: no erf
// in JS) the exact tier's result, correctly rounded, so the fast tier's line is its distance
// from the correctly rounded result. The caption also counts, as before, the ulps between
// relu-wasm's bits and the JS formula rounded once to the format by cast().
import { PRECISION_ULPS } from '../js/ops.js';
import { Plot, legend } from './plot.js';

const N = 801;
const XMIN = -6;
const XMAX = 6;
export const TIERS = ['exact', 'fast'];
const TIER_COLORS = { exact: '#2563eb', fast: '#dc2626' };

// Ordered distance in ulps between two values' bit patterns (same bits: 0), 32 or 16 bits.
function ulps(u, v, bits) {
  const sign = 2 ** (bits - 1);
  const key = (b) => (b >= sign ? sign - b : b); // monotonic in the float's value
  return Math.abs(key(u) - key(v));
}
const BITS = { float32: Uint32Array, float16: Uint16Array, bfloat16: Uint16Array };
// Each format's significand bits (after the point) and smallest normal exponent.
const FORMAT = { float32: { mant: 23, emin: -126 }, float16: { mant: 10, emin: -14 }, bfloat16: { mant: 7, emin: -126 } };

/** The format's ulp at the real number r: the spacing of its values in r's binade. */
function ulpAt(r, { mant, emin }) {
  const a = Math.abs(r);
  if (!(a > 0)) return 2 ** (emin - mant); // 0: the smallest subnormal
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return 2 ** (Math.max(e, emin) - mant);
}
/** |y − ref| in ulps of the format at ref (a real number; equal values: 0). */
const ulpError = (y, ref, fmt) => (y === ref ? 0 : Math.abs(y - ref) / ulpAt(ref, fmt));

export function setupSmooth(lib, $) {
  const rows = lib.ops.filter((r) => r.smooth && r.kind === 'map');
  const select = $('#smooth-op');
  const format = $('#smooth-dtype');
  const tierIn = $('#smooth-tier');
  for (const r of rows) select.append(new Option(r.name, r.name));
  const x = new Float32Array(N);
  for (let i = 0; i < N; i++) x[i] = XMIN + ((XMAX - XMIN) * i) / (N - 1);
  const ones = new Float32Array(N).fill(1);
  const f = new Plot($('#smooth-f'), { xmin: XMIN, xmax: XMAX, ymin: -1.5, ymax: 6, xlabel: 'x', ylabel: 'f(x), f′(x)' });
  const e = new Plot($('#smooth-err'), { xmin: XMIN, xmax: XMAX, ymin: 0, ymax: 1, xlabel: 'x', ylabel: 'error (ulp)' });
  legend($('#smooth-err-legend'), TIERS.map((t) => [`'${t}'`, TIER_COLORS[t]]));
  // For tests (tests/browser.test.mjs), keyed `${op} ${dtype}`:
  //   maxUlp[tier]   ulps between the tier's bits and the JS formula rounded to the format (ops with one)
  //   maxErr[tier]   the error plot's largest value (real ulps from the reference)
  //   fastVsExact    ulps between the two tiers' bits
  //   reference      'js' (the double-precision formula) or 'exact' (the exact tier)
  const results = { drawn: [], tier: null, maxUlp: { exact: {}, fast: {} }, maxErr: { exact: {}, fast: {} }, fastVsExact: {}, reference: {} };

  function draw() {
    const row = rows.find((r) => r.name === select.value) ?? rows[0];
    const tier = TIERS.includes(tierIn.value) ? tierIn.value : 'exact';
    // In a 16-bit format: the grid and dy rounded to it, the op on its bits, cast back to draw.
    const dtype = format.value;
    const half = dtype !== 'float32';
    const fmt = FORMAT[dtype];
    const xs = half ? lib.cast(x, dtype, new Uint16Array(N)) : x;
    const dy = half ? lib.cast(ones, dtype, new Uint16Array(N)) : ones;
    const back = (v) => (half ? lib.cast(v, 'float32', { from: dtype }) : v);
    const opt = (precision) => (half ? { dtype, precision } : { precision });
    const raw = {}; // each tier's result in the format's bits
    const val = {}; // … as float32 values
    for (const t of TIERS) {
      raw[t] = lib[row.name](xs, opt(t));
      val[t] = back(raw[t]);
    }
    const d = back(lib[`${row.name}Backward`](dy, xs, opt(tier)));
    const xd = back(xs);

    f.resize();
    f.clear();
    f.axes({ xticks: [-6, -4, -2, 0, 2, 4, 6], yticks: [-1, 0, 1, 2, 4, 6] });
    f.line(x, val[tier], { color: '#2563eb', width: 2.5 });
    f.line(x, d, { color: '#ea580c', width: 2, dash: [6, 4] });
    results.drawn = [row.name, `${row.name}Backward`];
    results.tier = tier;
    const key = `${row.name} ${dtype}`;

    // The reference: the JS formula in double (the table's params at their defaults, as the op
    // was called above; `init` params such as precision are not the function's), else the
    // exact tier's correctly rounded result.
    const params = row.params.filter((p) => !p.init).map((p) => p.default);
    const ref = row.js ? Float64Array.from(xd, (v) => row.js(v, ...params)) : Float64Array.from(val.exact);
    results.reference[key] = row.js ? 'js' : 'exact';
    const err = {};
    for (const t of TIERS) {
      err[t] = new Float64Array(N);
      let max = 0;
      for (let i = 0; i < N; i++) max = Math.max(max, (err[t][i] = ulpError(val[t][i], ref[i], fmt)));
      results.maxErr[t][key] = max;
    }
    const bits = half ? 16 : 32;
    const A = BITS[dtype];
    const bitsOf = (v) => new A(v.buffer, v.byteOffset, N);
    let apart = 0;
    for (let i = 0, a = bitsOf(raw.exact), b = bitsOf(raw.fast); i < N; i++) apart = Math.max(apart, ulps(a[i], b[i], bits));
    results.fastVsExact[key] = apart;

    // The error plot: both tiers, on a scale that shows 1 ulp at least.
    const top = Math.max(...TIERS.map((t) => results.maxErr[t][key]));
    e.ymax = Math.max(1, Math.ceil(top * 2 + 0.25) / 2);
    const step = e.ymax > 4 ? 1 : 0.5;
    const yticks = [];
    for (let t = 0; t <= e.ymax + 1e-9; t += step) yticks.push(t);
    e.resize();
    e.clear();
    e.axes({ xticks: [-6, -4, -2, 0, 2, 4, 6], yticks });
    for (const t of ['fast', 'exact']) e.line(x, err[t], { color: TIER_COLORS[t], width: 1.25 }); // exact on top
    const peak = (t) => `'${t}' at most ${results.maxErr[t][key].toFixed(2)} ulp`;
    const errNote = $('#smooth-err-note');
    errNote.textContent = row.js
      ? `Each tier's error in ${dtype} ulps, |y − f(x)| / ulp(f(x)), f the double-precision JS formula (not rounded): ${TIERS.map(peak).join(', ')}.`
      : `${row.name}: JavaScript has no erf, so the reference is the exact tier's result, correctly rounded: the 'fast' line is its distance in ${dtype} ulps from the correctly rounded result (${peak('fast')}; 'exact' is 0 by definition).`;
    if (half) errNote.textContent += ` In ${dtype} both tiers are correctly rounded (the same bits${apart === 0 ? ', as here' : `; here ${apart} ulp apart`}).`;
    else errNote.textContent += ` Over every float32 input, 'exact' is correctly rounded (but for the few inputs docs/accuracy.md counts, within ${PRECISION_ULPS.exact.map} ulp) and 'fast' within ${PRECISION_ULPS.fast.map} ulp of the correctly rounded result (here the tiers are ${apart === 0 ? 'the same bits' : `at most ${apart} ulp apart`}).`;

    const out = $('#smooth-ulp');
    if (!row.js) {
      out.textContent = `${row.name} ('${tier}'): no double-precision JS formula to compare with (JavaScript has no erf); the exhaustive sweep is in docs/accuracy.md.`;
      return;
    }
    // As before: the bits of each tier against the JS formula rounded once to the format.
    const js = lib.cast(ref, dtype, half ? new Uint16Array(N) : undefined);
    const b = bitsOf(js);
    const far = {};
    for (const t of TIERS) {
      const a = bitsOf(raw[t]);
      let max = 0;
      let at = 0;
      for (let i = 0; i < N; i++) {
        const u = ulps(a[i], b[i], bits);
        if (u > max) (max = u), (at = xd[i]);
      }
      results.maxUlp[t][key] = max;
      far[t] = { max, at };
    }
    const { max, at } = far[tier];
    out.textContent = `${row.name} (${dtype}, '${tier}') vs its double-precision JS formula rounded to ${dtype} on these ${N} points: ${max === 0 ? `the same ${dtype} bits everywhere` : `at most ${max} ulp apart (at x = ${at.toFixed(3)}${tier === 'exact' ? "; the JS formula's own error" : ''})`}.`;
  }
  select.addEventListener('input', draw);
  format.addEventListener('input', draw);
  tierIn.addEventListener('input', draw);
  addEventListener('resize', draw);
  draw();
  return { results, draw };
}
