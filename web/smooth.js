// The smooth family: each op of the table marked `smooth` (lib.ops) drawn with its derivative
// (its backward pass at dy = 1), and the distance in float32 ulps between relu-wasm and the
// table's double-precision JS formula of the op (Math.exp & co., rounded once to float32),
// where the table has one.
import { Plot } from './plot.js';

const N = 801;
const XMIN = -6;
const XMAX = 6;

// Ordered distance between two float32 values in ulps (same bits: 0).
function ulps(a, b) {
  const f = new Float32Array([a, b]);
  const [u, v] = new Int32Array(f.buffer);
  const key = (i) => (i < 0 ? -2147483648 - i : i); // monotonic in the float's value
  return Math.abs(key(u) - key(v));
}

export function setupSmooth(lib, $) {
  const rows = lib.ops.filter((r) => r.smooth && r.kind === 'map');
  const select = $('#smooth-op');
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
    const y = lib[row.name](x);
    const d = lib[`${row.name}Backward`](ones, x);
    f.line(x, y, { color: '#2563eb', width: 2.5 });
    f.line(x, d, { color: '#ea580c', width: 2, dash: [6, 4] });
    results.drawn = [row.name, `${row.name}Backward`];
    const out = $('#smooth-ulp');
    if (!row.js) {
      out.textContent = `${row.name}: no double-precision JS formula to compare with (JavaScript has no erf); the exhaustive sweep is in the README.`;
      return;
    }
    // The table's params at their defaults, as the op was called above.
    const params = row.params.map((p) => p.default);
    let max = 0;
    let at = 0;
    for (let i = 0; i < N; i++) {
      const u = ulps(y[i], Math.fround(row.js(x[i], ...params)));
      if (u > max) (max = u), (at = x[i]);
    }
    results.maxUlp[row.name] = max;
    out.textContent = `${row.name} vs its double-precision JS formula on these ${N} points: ${max === 0 ? 'the same float32 bits everywhere' : `at most ${max} ulp apart (at x = ${at.toFixed(3)}; the JS formula's own error)`}.`;
  }
  select.addEventListener('input', draw);
  addEventListener('resize', draw);
  draw();
  return { results, draw };
}
