// The smooth family: each op of the table marked `smooth` (lib.ops) drawn with its derivative
// (its backward pass at dy = 1), in float32, float16 or bfloat16, and the distance in ulps of
// that format between relu-wasm and the table's double-precision JS formula of the op
// (Math.exp & co., rounded once to the format by cast()), where the table has one.
import { Plot } from './plot.js';

const N = 801;
const XMIN = -6;
const XMAX = 6;

// Ordered distance in ulps between two values' bit patterns (same bits: 0), 32 or 16 bits.
function ulps(u, v, bits) {
  const sign = 2 ** (bits - 1);
  const key = (b) => (b >= sign ? sign - b : b); // monotonic in the float's value
  return Math.abs(key(u) - key(v));
}
const BITS = { float32: Uint32Array, float16: Uint16Array, bfloat16: Uint16Array };

export function setupSmooth(lib, $) {
  const rows = lib.ops.filter((r) => r.smooth && r.kind === 'map');
  const select = $('#smooth-op');
  const format = $('#smooth-dtype');
  for (const r of rows) select.append(new Option(r.name, r.name));
  const x = new Float32Array(N);
  for (let i = 0; i < N; i++) x[i] = XMIN + ((XMAX - XMIN) * i) / (N - 1);
  const ones = new Float32Array(N).fill(1);
  const f = new Plot($('#smooth-f'), { xmin: XMIN, xmax: XMAX, ymin: -1.5, ymax: 6, xlabel: 'x', ylabel: 'f(x), f′(x)' });
  const results = { drawn: [], maxUlp: {} };

  function draw() {
    const row = rows.find((r) => r.name === select.value) ?? rows[0];
    f.resize();
    f.clear();
    f.axes({ xticks: [-6, -4, -2, 0, 2, 4, 6], yticks: [-1, 0, 1, 2, 4, 6] });
    // In a 16-bit format: the grid and dy rounded to it, the op on its bits, cast back to draw.
    const dtype = format.value;
    const half = dtype !== 'float32';
    const xs = half ? lib.cast(x, dtype, new Uint16Array(N)) : x;
    const opt = half ? { dtype } : {};
    const yb = lib[row.name](xs, opt);
    const db = lib[`${row.name}Backward`](half ? lib.cast(ones, dtype, new Uint16Array(N)) : ones, xs, opt);
    const back = (v) => (half ? lib.cast(v, 'float32', { from: dtype }) : v);
    const y = back(yb);
    const d = back(db);
    const xd = back(xs);
    f.line(x, y, { color: '#2563eb', width: 2.5 });
    f.line(x, d, { color: '#ea580c', width: 2, dash: [6, 4] });
    results.drawn = [row.name, `${row.name}Backward`];
    const out = $('#smooth-ulp');
    if (!row.js) {
      out.textContent = `${row.name}: no double-precision JS formula to compare with (JavaScript has no erf); the exhaustive sweep is in docs/accuracy.md.`;
      return;
    }
    // The table's params at their defaults, as the op was called above.
    const params = row.params.map((p) => p.default);
    const js = lib.cast(Float64Array.from(xd, (v) => row.js(v, ...params)), dtype, half ? new Uint16Array(N) : undefined);
    const a = new BITS[dtype](yb.buffer, yb.byteOffset, N);
    const b = new BITS[dtype](js.buffer, js.byteOffset, N);
    let max = 0;
    let at = 0;
    for (let i = 0; i < N; i++) {
      const u = ulps(a[i], b[i], half ? 16 : 32);
      if (u > max) (max = u), (at = xd[i]);
    }
    results.maxUlp[`${row.name} ${dtype}`] = max;
    out.textContent = `${row.name} (${dtype}) vs its double-precision JS formula on these ${N} points: ${max === 0 ? `the same ${dtype} bits everywhere` : `at most ${max} ulp apart (at x = ${at.toFixed(3)}; the JS formula's own error)`}.`;
  }
  select.addEventListener('input', draw);
  format.addEventListener('input', draw);
  addEventListener('resize', draw);
  draw();
  return { results, draw };
}
