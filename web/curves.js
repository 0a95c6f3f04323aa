// Curves of the ReLU family and their derivatives, every point computed by relu-wasm.
import { COLORS, Plot, legend } from './plot.js';

const N = 601;
const XMIN = -4;
const XMAX = 8;

export function setupCurves(lib, $) {
  const x = new Float32Array(N);
  for (let i = 0; i < N; i++) x[i] = XMIN + ((XMAX - XMIN) * i) / (N - 1);
  const ones = new Float32Array(N).fill(1);
  const alphaIn = $('#alpha');
  const slopeIn = $('#slope');
  const show = Object.fromEntries(['relu', 'leaky', 'prelu', 'relu6'].map((k) => [k, $(`#show-${k}`)]));

  const f = new Plot($('#curve-f'), { xmin: XMIN, xmax: XMAX, ymin: -2.5, ymax: 8, xlabel: 'x', ylabel: 'f(x)' });
  const d = new Plot($('#curve-d'), { xmin: XMIN, xmax: XMAX, ymin: -0.15, ymax: 1.2, xlabel: 'x', ylabel: "f′(x)" });

  // Each curve: its forward values and its derivative, both from the library.
  const curves = [
    {
      key: 'relu', label: 'ReLU',
      f: () => lib.relu(x),
      d: () => lib.reluGrad(x),
    },
    {
      key: 'leaky', label: 'Leaky ReLU',
      f: (a) => lib.leakyRelu(x, a),
      d: (a) => lib.leakyReluBackward(ones, x, a),
    },
    {
      key: 'prelu', label: 'PReLU',
      f: (a, s) => lib.prelu(x, Float32Array.of(s)),
      d: (a, s) => lib.preluBackward(ones, x, Float32Array.of(s)).dx,
    },
    {
      key: 'relu6', label: 'ReLU6',
      f: () => lib.relu6(x),
      d: () => lib.clipBackward(ones, x, 0, 6), // relu6 = clip(x, 0, 6)
    },
  ];
  const note = $('#curves-note');
  legend($('#curves-legend'), curves.map((c) => [c.label, COLORS[c.key]]));

  const results = { drawn: [], errors: [] };

  function draw() {
    const a = Number(alphaIn.value);
    const s = Number(slopeIn.value);
    $('#alpha-val').textContent = a.toFixed(2);
    $('#slope-val').textContent = s.toFixed(2);
    for (const p of [f, d]) {
      p.resize();
      p.clear();
    }
    f.axes({ xticks: [-4, -2, 0, 2, 4, 6, 8], yticks: [-2, 0, 2, 4, 6, 8] });
    d.axes({ xticks: [-4, -2, 0, 2, 4, 6, 8], yticks: [0, 0.5, 1], yfmt: (v) => String(v) });
    results.drawn = [];
    curves.forEach((c, i) => {
      if (!show[c.key].checked) return;
      try {
        // The curves coincide for x > 0 (and the derivatives at 0 and 1): later ones dashed and
        // thinner, so each stays visible where it lies on an earlier one.
        f.line(x, c.f(a, s), { color: COLORS[c.key], width: 2.5 - i * 0.3, dash: i ? [6, 3 + i] : [] });
        results.drawn.push(c.key);
        d.line(x, c.d(a, s), { color: COLORS[c.key], width: 2.5 - i * 0.3, dash: i ? [6, 3 + i] : [] });
        results.drawn.push(`${c.key}'`);
      } catch (e) {
        results.errors.push(`${c.key}: ${e.message}`);
        note.hidden = false;
        note.textContent = `Error drawing ${c.label}: ${e.message}`;
      }
    });
  }

  for (const el of [alphaIn, slopeIn, ...Object.values(show)]) el.addEventListener('input', draw);
  addEventListener('resize', draw);
  draw();
  return { results, draw };
}
