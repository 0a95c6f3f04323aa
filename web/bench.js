// Live benchmark of one op, picked in the menu (rows of the table, lib.ops):
//   relu: relu-wasm SIMD vs scalar (two instances side by side, arrays in wasm memory), SIMD on
//     plain JS arrays (streamed through wasm memory), a plain JS loop and TensorFlow.js, in GB/s.
//   a smooth op (gelu, silu): each precision tier of the SIMD build on WasmArrays, TensorFlow.js
//     wasm's own version of it (the row's bench.tfjs) and relu's time for reference, in ns per
//     element (the smooth ops are bound by arithmetic, not by memory); with 2 or more threads
//     picked (a cross-origin isolated page: npm start's), each tier again through parallel() on
//     an instance with that pool, and the speed-up.
// The method (verification, calibration, warm-up, round-robin samples) is bench/harness.mjs.
import { createApi } from '../js/core.js';
import { callArgs, signature } from '../js/signature.js';
import * as pkg from '../js/browser.js';
import { COLORS, Plot, fmtSize, legend } from './plot.js';

export const SIZES = [1 << 10, 1 << 12, 1 << 14, 1 << 16, 1 << 18, 1 << 20, 1 << 22];
/** The ops in the menu: relu, and smooth ops with both precision tiers. */
export const BENCH_OPS = ['relu', 'gelu', 'silu'];

const rowOf = (name) => pkg.ops.find((r) => r.name === name);
/** A row's precision tiers ('exact', 'fast'), or null for ops without them. */
const tiersOf = (row) => row.params.find((p) => p.name === 'precision')?.choices ?? null;
// A call of the row's op at its params' defaults (js/signature.js builds it as the table says).
const defaults = (row) => Object.fromEntries(row.params.filter((p) => p.default !== undefined && !p.init).map((p) => [p.name, p.default]));
const TIER_COLORS = { exact: '#2563eb', fast: '#dc2626' };

// Each op's series: [key, legend label, table column, color, dashed?]; the unit they are in;
// and the ratio columns [heading, f(row)].
function layout(row, variant, threads = 1) {
  const tiers = tiersOf(row);
  if (!tiers) {
    return {
      unit: 'GB/s',
      ylabel: 'GB/s (read + write)',
      series: [
        ['simd', 'relu-wasm SIMD', 'SIMD'],
        ['scalar', 'relu-wasm scalar', 'scalar'],
        ['stream', 'SIMD, JS arrays', 'SIMD, JS arrays'],
        ['js', 'plain JS loop', 'plain JS'],
        ['tfjs', 'TensorFlow.js wasm, op on a tensor', 'TF.js wasm'],
      ].map((s) => [...s, COLORS[s[0]]]),
      ratios: [['SIMD / JS', (r) => r.simd / r.js]],
    };
  }
  return {
    unit: 'ns per element',
    ylabel: 'ns per element (lower is faster)',
    series: [
      ...tiers.map((t) => [t, `${row.name} '${t}' (${variant})`, `'${t}'`, TIER_COLORS[t]]),
      ...(threads > 1 ? tiers.map((t) => [`${t}T`, `${row.name} '${t}', ${threads} threads (parallel())`, `'${t}' ×${threads}`, TIER_COLORS[t], true]) : []),
      ['tfjs', `TensorFlow.js wasm, its ${row.name} on a tensor`, 'TF.js wasm', COLORS.tfjs],
      ['relu', `relu (${variant}), for reference`, 'relu', COLORS.js, true],
    ],
    ratios: [
      ["'fast' speedup", (r) => r.exact / r.fast],
      ["'fast' vs TF.js", (r) => r.tfjs / r.fast],
      ...(threads > 1 ? tiers.map((t) => [`'${t}' ${threads}-thread speed-up`, (r) => r[t] / r[`${t}T`]]) : []),
    ],
  };
}

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

/**
 * An independent relu-wasm instance of one variant (the package's own loader and platform),
 * the whole build: every op's kernels, not only the core and the units of a page's imports.
 */
const instance = (simd) => createApi({ ...pkg.browserPlatform, units: false }).init({ simd });
// One with a pool of `threads` (init({ threads })), made when first asked for.
const pools = new Map();
const pooled = (threads) => (pools.has(threads) ? pools.get(threads) : pools.set(threads, createApi({ ...pkg.browserPlatform, units: false }).init({ threads })).get(threads));
// Threads need shared memory: a cross-origin isolated page.
const isolated = () => globalThis.crossOriginIsolated === true;

// Same semantics as relu-wasm's relu (−0 → +0, NaN kept): the fair plain-JS contender.
function plainRelu(x, out) {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v <= 0 ? 0 : v;
  }
  return out;
}

// The TensorFlow.js contender: the row's bench.tfjs on a tensor made once; each call disposes
// the previous result (as bench/ does). tol/abs: its tolerance against relu-wasm's result.
function tfContender(tf, row, data, held, extra) {
  const tensor = tf.tensor(data);
  const last = { y: null };
  held.push({ free: () => (tensor.dispose(), last.y?.dispose()) });
  const params = signature(row).positional.map((p) => p.default);
  const op = (t) => row.bench.tfjs(tf, t, ...params);
  return { key: 'tfjs', fn: (f, h, t) => (h.y?.dispose(), (h.y = f(t))), args: [op, last, tensor], output: (y) => y.dataSync(), ...extra };
}

export function setupBench($) {
  const chart = new Plot($('#bench-chart'), { xmin: SIZES[0], xmax: SIZES.at(-1), ymin: 0, ymax: 10, logx: true, xlabel: 'n (float32 elements)', ylabel: '' });
  const button = $('#bench-run');
  const opIn = $('#bench-op');
  const threadsIn = $('#bench-threads');
  const progress = $('#bench-progress');
  const status = $('#bench-status');
  const note = $('#bench-note');
  const about = $('#bench-about');
  const unitNote = $('#bench-unit');
  const byOp = {}; // each op's rows of its last run
  let harness = null;
  let instances = null;
  let running = null;
  let tf; // TensorFlow.js once loaded; null if it cannot load here

  for (const name of BENCH_OPS) if (rowOf(name)) opIn.append(new Option(name, name));
  const cores = Math.max(1, Math.min(globalThis.navigator?.hardwareConcurrency ?? 1, 8));
  for (let t = 1; t <= (isolated() ? Math.max(cores, 2) : 1); t++) threadsIn.append(new Option(String(t), String(t)));
  threadsIn.disabled = !isolated();
  threadsIn.title = isolated() ? 'the smooth ops again through parallel() on a pool of this many threads'
    : 'threads need a cross-origin isolated page (headers Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp); npm start serves the demo with them';
  const current = () => rowOf(opIn.value) ?? rowOf('relu');
  const variant = () => (instances && !instances.simd ? 'scalar' : 'SIMD');
  const threads = () => Number(threadsIn.value) || 1;

  /** The selected op's legend, headings and description. */
  function describe() {
    const row = current();
    const { series, ratios, unit } = layout(row, variant(), threads());
    legend($('#bench-legend'), series.map(([, label, , color, dashed]) => [label, color, dashed]));
    const head = $('#bench-table thead tr');
    head.replaceChildren(...['n', ...series.map(([, , column]) => column), ...ratios.map(([h]) => h)].map((t) => Object.assign(document.createElement('th'), { textContent: t })));
    const tiers = tiersOf(row);
    const code = (text) => Object.assign(document.createElement('code'), { textContent: text });
    about.replaceChildren(
      ...(tiers
        ? [
          `${row.name} over float32 arrays in wasm memory (WasmArrays), each precision (${tiers.map((t) => `'${t}'`).join(', ')}) of the ${variant()} build; TensorFlow.js's wasm backend computing it as js/ops.js's bench.tfjs does, `,
          code(String(row.bench.tfjs).replace(/^\(tf, x\) => /, '')),
          "; and relu on the same arrays, the cost of reading and writing them. 'fast' is checked against 'exact' (1e-6 relative) before timing, TensorFlow.js within 1e-4.",
          isolated() ? ' With 2 or more threads, each tier again through parallel() on a pool of that many (the same bits: checked).' : ' Threads: this page is not cross-origin isolated, so it has no shared memory (npm start serves the demo with the headers).',
        ]
        : ['relu over float32 arrays: the SIMD and scalar builds side by side on arrays in wasm memory, the SIMD build on plain JS arrays (streamed through wasm memory), a plain JS loop with the same semantics, and TensorFlow.js\'s wasm backend (', code('tf.relu'), ' on a tensor).']),
    );
    unitNote.textContent = unit === 'GB/s'
      ? 'GB/s (bytes read + written); medians of round-robin samples after warm-up (bench/harness.mjs).'
      : 'ns per element (time per call / n; lower is faster); medians of round-robin samples after warm-up (bench/harness.mjs).';
  }

  function draw() {
    const row = current();
    const rows = byOp[row.name] ?? [];
    const { series, ratios, ylabel } = layout(row, variant(), threads());
    chart.resize();
    chart.clear();
    chart.ylabel = ylabel;
    const max = Math.max(1, ...rows.flatMap((r) => series.map(([k]) => (Number.isFinite(r[k]) ? r[k] : 0))));
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
      const long = `Press “Run benchmark” to measure ${row.name} in this browser`;
      const text = ctx.measureText(long).width < chart.w - 20 ? long : 'Press “Run benchmark”'; // a phone
      ctx.fillText(text, chart.w / 2, chart.h / 2);
      ctx.textAlign = 'start';
    }
    chart.canvas.dataset.empty = String(rows.length === 0);
    chart.canvas.dataset.op = row.name;
    for (const [k, , , color, dashed] of series) {
      const pts = rows.filter((r) => Number.isFinite(r[k]));
      chart.line(pts.map((r) => r.n), pts.map((r) => r[k]), { color, width: 2, dash: dashed ? [6, 4] : [] });
      chart.dots(pts.map((r) => r.n), pts.map((r) => r[k]), { color, r: 3 });
    }
    const digits = (v) => (v >= 100 ? 0 : v >= 10 ? 1 : 2);
    const tbody = $('#bench-table tbody');
    tbody.replaceChildren(
      ...rows.map((r) => {
        const tr = document.createElement('tr');
        const cells = [
          fmtSize(r.n),
          ...series.map(([k]) => (Number.isFinite(r[k]) ? r[k].toFixed(digits(r[k])) : r.err?.[k] ? '✗' : '–')),
          ...ratios.map(([, f]) => (Number.isFinite(f(r)) ? `${f(r).toFixed(1)}×` : '–')),
        ];
        cells.forEach((c, i) => {
          const td = document.createElement(i ? 'td' : 'th');
          td.textContent = c;
          if (r.err && i > 0 && i <= series.length && r.err[series[i - 1][0]]) td.title = r.err[series[i - 1][0]];
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
        describe();
      }
    }
  }

  // relu's contenders (as before the op menu): SIMD, scalar, SIMD on JS arrays, plain JS, TF.js.
  function reluContenders(row, data, held) {
    const { simd, scalar } = instances;
    const n = data.length;
    const want = plainRelu(data, new Float32Array(n));
    const heap = (api) => {
      const x = api.from(data);
      const out = api.alloc(n, 'float32');
      held.push(x, out);
      return { fn: api.relu, args: [x, out] };
    };
    const cs = [];
    if (simd) cs.push({ key: 'simd', ...heap(simd) });
    cs.push({ key: 'scalar', ...heap(scalar) });
    if (simd) cs.push({ key: 'stream', fn: simd.relu, args: [data, new Float32Array(n)] });
    cs.push({ key: 'js', fn: plainRelu, args: [data, new Float32Array(n)] });
    if (tf) cs.push(tfContender(tf, row, data, held));
    return { cs, want };
  }

  // A smooth op's contenders: each tier on WasmArrays, TF.js, relu. The reference is the exact
  // tier of the other build (scalar; the same bits as SIMD's): 'exact' must match it bit for
  // bit, 'fast' within 1e-6 relative (2 ulp is 2.4e-7 at most), TF.js within bench/'s 1e-4.
  function smoothContenders(row, data, held, pool) {
    const api = instances.simd ?? instances.scalar;
    const n = data.length;
    const base = defaults(row);
    const want = instances.scalar[row.name](...callArgs(row, { ...base, x: data, precision: 'exact' }));
    const x = api.from(data);
    held.push(x);
    const cs = tiersOf(row).map((precision) => {
      const out = api.alloc(n, 'float32');
      held.push(out);
      const args = callArgs(row, { ...base, x, out, precision });
      return { key: precision, fn: api[row.name], args, tol: precision === 'exact' ? 0 : 1e-6, abs: precision === 'exact' ? 0 : 1e-30 };
    });
    if (tf) cs.push(tfContender(tf, row, data, held, { tol: 1e-4, abs: 1e-5 }));
    // Each tier on the pool (its own instance and memory), through parallel(): the same bits.
    if (pool) {
      const px = pool.from(data);
      held.push(px);
      for (const precision of tiersOf(row)) {
        const out = pool.alloc(n, 'float32');
        held.push(out);
        const args = callArgs(row, { ...base, x: px, out, precision });
        cs.push({ key: `${precision}T`, async: true, fn: (...a) => pool.parallel(pool[row.name], ...a), args, output: () => out.toArray(), tol: precision === 'exact' ? 0 : 1e-6, abs: precision === 'exact' ? 0 : 1e-30 });
      }
    }
    const out = api.alloc(n, 'float32');
    held.push(out);
    cs.push({ key: 'relu', fn: api.relu, args: [x, out], want: plainRelu(data, new Float32Array(n)) });
    return { cs, want };
  }

  /**
   * Runs the benchmark; options: op (a name of BENCH_OPS; default: the menu's), sizes, samples,
   * batchMs. Resolves to the rows: { n, op, unit, err, [series key]: value in unit }.
   */
  function run({ op, sizes = SIZES, samples = 7, batchMs = 4, maxWarmupMs = 600, threads: t } = {}) {
    if (running) return running;
    if (t !== undefined) {
      if (![...threadsIn.options].some((o) => o.value === String(t))) return Promise.reject(new Error(`threads: ${t} is not offered here (${[...threadsIn.options].map((o) => o.value).join(', ')}${isolated() ? '' : ': the page is not cross-origin isolated'})`));
      threadsIn.value = String(t);
    }
    if (op !== undefined) {
      if (!BENCH_OPS.includes(op) || !rowOf(op)) return Promise.reject(new Error(`no benchmark for op '${op}' (${BENCH_OPS.join(', ')})`));
      opIn.value = op;
    }
    running = (async () => {
      button.disabled = true;
      opIn.disabled = true;
      threadsIn.disabled = true;
      const row = current();
      const rows = (byOp[row.name] = []);
      describe();
      draw();
      try {
        status.textContent = 'loading…';
        await load();
        const T = tiersOf(row) && isolated() ? threads() : 1;
        const pool = T > 1 ? await pooled(T) : null;
        const { series, unit } = layout(row, variant(), T);
        for (let s = 0; s < sizes.length; s++) {
          const n = sizes[s];
          status.textContent = `${row.name}, n = ${fmtSize(n)} (${s + 1}/${sizes.length})`;
          progress.value = s / sizes.length;
          // relu: data in [-1, 1); a smooth op: [-8, 8), where its curve bends (as bench/ does).
          const span = tiersOf(row) ? 16 : 2;
          const data = new Float32Array(n);
          for (let i = 0; i < n; i++) data[i] = (Math.random() - 0.5) * span;
          const held = [];
          let res;
          let cs;
          try {
            const made = tiersOf(row) ? smoothContenders(row, data, held, pool) : reluContenders(row, data, held);
            cs = made.cs.map((c) => ({ ...c, name: series.find(([k]) => k === c.key)[1] }));
            res = await harness.measure(cs, made.want, { samples, minSamples: 3, batchMs, warmupRounds: 2, maxWarmupMs, budgetMs: 150, yieldEvery: true });
          } finally {
            for (const w of held) w.free();
          }
          const r = { n, op: row.name, unit, err: {} };
          res.forEach((m, i) => {
            const k = cs[i].key;
            r[k] = m.error ? NaN : unit === 'GB/s' ? (8 * n) / m.ns : m.ns / n; // bytes per ns = GB/s
            if (m.error) r.err[k] = m.error;
          });
          rows.push(r);
          draw();
        }
        progress.value = 1;
        status.textContent = `done: ${row.name}, ${sizes.length} sizes`;
        return rows.map((r) => ({ ...r }));
      } catch (e) {
        status.textContent = `benchmark failed: ${e.message}`;
        note.hidden = false;
        note.textContent = status.textContent;
        throw e;
      } finally {
        button.disabled = false;
        opIn.disabled = false;
        threadsIn.disabled = !isolated();
        running = null;
      }
    })();
    return running;
  }

  button.addEventListener('click', () => run().catch(() => {}));
  opIn.addEventListener('input', () => (describe(), draw()));
  threadsIn.addEventListener('input', () => (describe(), draw()));
  addEventListener('resize', draw);
  describe();
  draw();
  return { run, rows: byOp };
}
