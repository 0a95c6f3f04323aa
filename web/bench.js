// Live benchmark: relu-wasm SIMD vs scalar (two instances side by side, arrays in wasm
// memory), SIMD on plain JS arrays (streamed through wasm memory) and a plain JS loop.
// The method (verification, calibration, warm-up, round-robin samples) is bench/harness.mjs.
import { createApi } from '../js/core.js';
import * as pkg from '../js/browser.js';
import { COLORS, Plot, fmtSize, legend } from './plot.js';

export const SIZES = [1 << 10, 1 << 12, 1 << 14, 1 << 16, 1 << 18, 1 << 20, 1 << 22];

// [key, legend label, table column]
const SERIES = [
  ['simd', 'relu-wasm SIMD', 'SIMD'],
  ['scalar', 'relu-wasm scalar', 'scalar'],
  ['stream', 'SIMD, JS arrays', 'SIMD, JS arrays'],
  ['js', 'plain JS loop', 'plain JS'],
  ['tfjs', 'TensorFlow.js wasm, op on a tensor', 'TF.js wasm'],
];

// TensorFlow.js with its wasm backend, from the repository's dev dependencies: its UMD bundles
// as classic scripts, its .wasm files next to them. It needs no eval, but a page whose CSP
// blocks it (or a copy of the demo without node_modules) simply measures without it.
const TF = '../node_modules/@tensorflow/';
async function loadTensorFlow() {
  const script = (path) =>
    new Promise((ok, fail) => {
      const el = Object.assign(document.createElement('script'), { src: new URL(TF + path, import.meta.url).href });
      el.onload = ok;
      el.onerror = () => fail(new Error(`could not load ${TF + path}`));
      document.head.append(el);
    });
  await script('tfjs-core/dist/tf-core.es2017.min.js');
  await script('tfjs-backend-wasm/dist/tf-backend-wasm.es2017.min.js');
  const { tf } = globalThis;
  tf.wasm.setWasmPaths(new URL(TF + 'tfjs-backend-wasm/dist/', import.meta.url).href);
  if (!(await tf.setBackend('wasm'))) throw new Error('its wasm backend did not start');
  await tf.ready();
  return tf;
}

/** An independent relu-wasm instance of one variant (the package's own loader and platform). */
const instance = (simd) => createApi(pkg.browserPlatform).init({ simd });

// Same semantics as relu-wasm's relu (−0 → +0, NaN kept): the fair plain-JS contender.
function plainRelu(x, out) {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v <= 0 ? 0 : v;
  }
  return out;
}

export function setupBench($) {
  const chart = new Plot($('#bench-chart'), { xmin: SIZES[0], xmax: SIZES.at(-1), ymin: 0, ymax: 10, logx: true, xlabel: 'n (float32 elements)', ylabel: 'GB/s (read + write)' });
  const button = $('#bench-run');
  const progress = $('#bench-progress');
  const status = $('#bench-status');
  const note = $('#bench-note');
  const rows = [];
  let harness = null;
  let instances = null;
  let running = null;
  let tf; // TensorFlow.js once loaded; null if it cannot load here

  legend($('#bench-legend'), SERIES.map(([k, label]) => [label, COLORS[k]]));
  const head = $('#bench-table thead tr');
  head.replaceChildren(...['n', ...SERIES.map(([, , column]) => column), 'SIMD / JS'].map((t) => Object.assign(document.createElement('th'), { textContent: t })));

  function draw() {
    chart.resize();
    chart.clear();
    const max = Math.max(1, ...rows.flatMap((r) => SERIES.map(([k]) => r[k] ?? 0)));
    const step = max > 40 ? 10 : max > 16 ? 5 : max > 6 ? 2 : 1;
    chart.ymax = Math.ceil((max * 1.1) / step) * step;
    const yticks = [];
    for (let t = 0; t <= chart.ymax; t += step) yticks.push(t);
    chart.axes({ xticks: SIZES, xfmt: fmtSize, yticks });
    if (rows.length === 0) {
      // Not an empty box: say what will be there.
      const { ctx } = chart;
      ctx.fillStyle = '#64748b';
      ctx.font = '14px system-ui, sans-serif';
      ctx.textAlign = 'center';
      const long = 'Press “Run benchmark” to measure relu-wasm in this browser';
      const text = ctx.measureText(long).width < chart.w - 20 ? long : 'Press “Run benchmark”'; // a phone
      ctx.fillText(text, chart.w / 2, chart.h / 2);
      ctx.textAlign = 'start';
    }
    chart.canvas.dataset.empty = String(rows.length === 0);
    for (const [k] of SERIES) {
      const pts = rows.filter((r) => Number.isFinite(r[k]));
      chart.line(pts.map((r) => r.n), pts.map((r) => r[k]), { color: COLORS[k], width: 2 });
      chart.dots(pts.map((r) => r.n), pts.map((r) => r[k]), { color: COLORS[k], r: 3 });
    }
    const tbody = $('#bench-table tbody');
    tbody.replaceChildren(
      ...rows.map((r) => {
        const tr = document.createElement('tr');
        const cells = [fmtSize(r.n), ...SERIES.map(([k]) => (Number.isFinite(r[k]) ? r[k].toFixed(2) : r.err?.[k] ? '✗' : '–')), Number.isFinite(r.simd / r.js) ? `${(r.simd / r.js).toFixed(1)}×` : '–'];
        cells.forEach((c, i) => {
          const td = document.createElement(i ? 'td' : 'th');
          td.textContent = c;
          if (r.err && i > 0 && i <= SERIES.length && r.err[SERIES[i - 1][0]]) td.title = r.err[SERIES[i - 1][0]];
          tr.append(td);
        });
        return tr;
      }),
    );
  }

  async function load() {
    if (!harness) {
      try {
        harness = await import('../bench/harness.mjs');
        if (typeof harness.measure !== 'function') throw new Error('bench/harness.mjs exports no measure()');
      } catch (e) {
        harness = null;
        throw new Error(`the benchmark harness did not load (${e.message})`);
      }
    }
    if (tf === undefined) {
      tf = await loadTensorFlow().catch((e) => {
        note.hidden = false;
        note.textContent = `TensorFlow.js is not measured on this page (${e.message}): it loads from the repository's node_modules, so on \`npm start\`'s page without a strict CSP.`;
        return null;
      });
    }
    if (!instances) {
      const simdOk = pkg.variant === 'simd' || (await import('../js/detect.js')).simdSupported();
      const [simd, scalar] = await Promise.all([simdOk ? instance(true) : null, instance(false)]);
      instances = { simd, scalar };
      if (!simd) {
        note.hidden = false;
        note.textContent = 'This browser has no wasm SIMD: only the scalar build is measured.';
      }
    }
  }

  /** Runs the benchmark; options: sizes, samples, batchMs. Resolves to the rows (GB/s). */
  function run({ sizes = SIZES, samples = 7, batchMs = 4, maxWarmupMs = 600 } = {}) {
    if (running) return running;
    running = (async () => {
      button.disabled = true;
      rows.length = 0;
      draw();
      try {
        status.textContent = 'loading…';
        await load();
        const { simd, scalar } = instances;
        for (let s = 0; s < sizes.length; s++) {
          const n = sizes[s];
          status.textContent = `n = ${fmtSize(n)} (${s + 1}/${sizes.length})`;
          progress.value = s / sizes.length;
          const data = new Float32Array(n);
          for (let i = 0; i < n; i++) data[i] = Math.random() * 2 - 1;
          const want = plainRelu(data, new Float32Array(n));
          const held = [];
          const heap = (api) => {
            const x = api.from(data);
            const out = api.alloc(n, 'float32');
            held.push(x, out);
            return { fn: api.relu, args: [x, out] };
          };
          const contenders = [];
          if (simd) contenders.push({ key: 'simd', name: SERIES[0][1], ...heap(simd) });
          contenders.push({ key: 'scalar', name: SERIES[1][1], ...heap(scalar) });
          if (simd) contenders.push({ key: 'stream', name: SERIES[2][1], fn: simd.relu, args: [data, new Float32Array(n)] });
          contenders.push({ key: 'js', name: SERIES[3][1], fn: plainRelu, args: [data, new Float32Array(n)] });
          const tensor = tf ? tf.tensor(data) : null;
          if (tf) {
            const last = { y: null };
            held.push({ free: () => (tensor.dispose(), last.y?.dispose()) });
            contenders.push({
              key: 'tfjs', name: SERIES[4][1], fn: (op, h, t) => (h.y?.dispose(), (h.y = op(t))), args: [tf.relu, last, tensor],
              output: (y) => y.dataSync(),
            });
          }
          let res;
          try {
            res = await harness.measure(contenders, want, { samples, minSamples: 3, batchMs, warmupRounds: 2, maxWarmupMs, budgetMs: 150, yieldEvery: true });
          } finally {
            for (const w of held) w.free();
          }
          const row = { n, err: {} };
          res.forEach((r, i) => {
            const k = contenders[i].key;
            row[k] = r.error ? NaN : (8 * n) / r.ns; // bytes per ns = GB/s
            if (r.error) row.err[k] = r.error;
          });
          rows.push(row);
          draw();
        }
        progress.value = 1;
        status.textContent = `done: ${sizes.length} sizes`;
        return rows.map((r) => ({ ...r }));
      } catch (e) {
        status.textContent = `benchmark failed: ${e.message}`;
        note.hidden = false;
        note.textContent = status.textContent;
        throw e;
      } finally {
        button.disabled = false;
        running = null;
      }
    })();
    return running;
  }

  button.addEventListener('click', () => run().catch(() => {}));
  addEventListener('resize', draw);
  draw();
  return { run, rows };
}
