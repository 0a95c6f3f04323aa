#!/usr/bin/env node
// relu-wasm benchmark CLI (issue 5).
//
//   node bench/run.mjs [--quick] [--out FILE] [--ops relu,prelu,...] [--sizes 1,256,...]
//   node bench/run.mjs --render bench/results/latest.json   (re-render a saved run)
//
// The parent process spawns one child per table (node bench/run.mjs --table OP --json FILE),
// so the JIT state, heap and wasm memory of one table never disturb another; children run
// one after the other. The method lives in bench/harness.mjs (shared with the demo page).
// Full run: writes bench/results/latest.md (+ latest.json). --quick: smoke test, small sizes
// and few samples; exits non-zero if any contender throws or gives a wrong result; asserts
// nothing about time; writes a file only with --out.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineInfo, fmtNs, fmtNsSpread, fmtNum, fmtSize, mdTable, measure, rng } from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SELF = fileURLToPath(import.meta.url);

// -----------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const a = { quick: false, out: null, ops: null, sizes: null, table: null, json: null, variant: null, render: null };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${k} needs a value`);
      return argv[++i];
    };
    if (k === '--quick') a.quick = true;
    else if (k === '--out') a.out = val();
    else if (k === '--ops') a.ops = val().split(',');
    else if (k === '--sizes') a.sizes = val().split(',').map((s) => (s.startsWith('2^') ? 2 ** +s.slice(2) : +s));
    else if (k === '--table') a.table = val();
    else if (k === '--json') a.json = val();
    else if (k === '--variant') a.variant = val();
    else if (k === '--render') a.render = val();
    else if (k === '--help' || k === '-h') {
      console.log('usage: node bench/run.mjs [--quick] [--out FILE] [--ops a,b] [--sizes 1,256,2^20]');
      process.exit(0);
    } else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

const FULL_SIZES = [1, 256, 4096, 65536, 2 ** 20, 2 ** 24];
const QUICK_SIZES = [1, 256, 4096];
const FULL_OPTS = { samples: 21, minSamples: 5, budgetMs: 600, batchMs: 4, warmupRounds: 3, maxWarmupMs: 2500 };
const QUICK_OPTS = { samples: 3, minSamples: 3, budgetMs: 0, batchMs: 0.5, warmupRounds: 1, maxWarmupMs: 0 };

// -----------------------------------------------------------------------------------------
// Ops: how each is called in relu-wasm, in plain JS, in TensorFlow.js and in ONNX.

const ALPHA = 0.01; // leakyRelu
const LO = -1; // clip
const HI = 1;
const ZP = 3; // int8 relu zero point
const fr = Math.fround;

// Plain-JS contenders are written like user code: a function over the arrays it is given.
const plainMap = (name, body) => ({ name, ...body });

const SPECS = {
  relu: {
    api: 'relu', dt: 'f32', title: 'relu, float32',
    bytes: (n) => 8 * n, bytesDesc: '4n read + 4n written',
    call: (R, x, out) => R.relu(x, out),
    ref: (x) => x.map((v) => (v > 0 ? v : 0)),
    plain: [
      plainMap('JS ternary → out', { fn: (x, o) => { for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = v > 0 ? v : 0; } return o; } }),
      plainMap('JS ternary in place', { inPlace: true, fn: (x) => { for (let i = 0; i < x.length; i++) { const v = x[i]; x[i] = v > 0 ? v : 0; } return x; } }),
      plainMap('JS Math.max → out', { fn: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.max(x[i], 0); return o; } }),
      plainMap('JS int32 sign mask → out', {
        int32: true,
        fn: (xi, oi) => { for (let i = 0; i < xi.length; i++) { const b = xi[i]; oi[i] = b & ~(b >> 31); } return oi; },
      }),
      plainMap('JS Float32Array.map', { alloc: true, fn: (x) => x.map((v) => (v > 0 ? v : 0)) }),
    ],
    tf: (tf) => ({ op: (t) => tf.relu(t) }),
    onnx: { op: 'Relu' },
  },
  leakyRelu: {
    api: 'leakyRelu', dt: 'f32', title: `leakyRelu, float32, alpha = ${ALPHA}`, tol: 1e-6, params: [ALPHA],
    bytes: (n) => 8 * n, bytesDesc: '4n read + 4n written',
    call: (R, x, out) => R.leakyRelu(x, ALPHA, out),
    ref: (x) => x.map((v) => (v > 0 ? v : fr(fr(ALPHA) * v))),
    plain: [
      plainMap('JS ternary → out', { fn: (x, o) => { for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = v > 0 ? v : v * ALPHA; } return o; } }),
      plainMap('JS ternary in place', { inPlace: true, fn: (x) => { for (let i = 0; i < x.length; i++) { const v = x[i]; x[i] = v > 0 ? v : v * ALPHA; } return x; } }),
      plainMap('JS Math.max(v, αv) → out', { fn: (x, o) => { for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = Math.max(v, v * ALPHA); } return o; } }),
      plainMap('JS Float32Array.map', { alloc: true, fn: (x) => x.map((v) => (v > 0 ? v : v * ALPHA)) }),
    ],
    tf: (tf) => ({ op: (t) => tf.leakyRelu(t, ALPHA) }),
    onnx: { op: 'LeakyRelu', attributes: { alpha: ALPHA } },
  },
  prelu: {
    api: 'prelu', dt: 'f32', title: 'prelu, float32, NHWC, 64 channels (n = 1: 1 channel)', tol: 1e-6,
    channels: (n) => Math.min(64, n),
    bytes: (n) => 8 * n + 4 * Math.min(64, n), bytesDesc: '4n read + 4n written (+ the slope)',
    call: (R, x, slope, out) => R.prelu(x, slope, 'nhwc', out),
    ref: (x, slope) => x.map((v, i) => (v > 0 ? v : fr(slope[i % slope.length] * v))),
    plain: [
      plainMap('JS nested loops → out', {
        fn: (x, s, o) => {
          const C = s.length;
          for (let i = 0; i < x.length; i += C) for (let c = 0; c < C; c++) { const v = x[i + c]; o[i + c] = v > 0 ? v : v * s[c]; }
          return o;
        },
      }),
      plainMap('JS i % C ternary → out', { fn: (x, s, o) => { const C = s.length; for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = v > 0 ? v : v * s[i % C]; } return o; } }),
      plainMap('JS nested loops in place', {
        inPlace: true,
        fn: (x, s) => {
          const C = s.length;
          for (let i = 0; i < x.length; i += C) for (let c = 0; c < C; c++) { const v = x[i + c]; x[i + c] = v > 0 ? v : v * s[c]; }
          return x;
        },
      }),
      plainMap('JS Float32Array.map', { alloc: true, fn: (x, s) => x.map((v, i) => (v > 0 ? v : v * s[i % s.length])) }),
    ],
    tf: (tf, n, [slope]) => {
      const C = slope.length;
      const st = tf.tensor1d(slope);
      return { op: (t) => tf.prelu(t, st), shape: [n / C, C], dispose: () => st.dispose() };
    },
    onnx: { op: 'PRelu', dims: (n, C) => [n / C, C], slope: true },
  },
  relu6: {
    api: 'relu6', dt: 'f32', title: 'relu6, float32',
    bytes: (n) => 8 * n, bytesDesc: '4n read + 4n written',
    call: (R, x, out) => R.relu6(x, out),
    ref: (x) => x.map((v) => (v > 0 ? (v < 6 ? v : 6) : 0)),
    plain: [
      plainMap('JS ternary → out', { fn: (x, o) => { for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = v > 0 ? (v < 6 ? v : 6) : 0; } return o; } }),
      plainMap('JS ternary in place', { inPlace: true, fn: (x) => { for (let i = 0; i < x.length; i++) { const v = x[i]; x[i] = v > 0 ? (v < 6 ? v : 6) : 0; } return x; } }),
      plainMap('JS Math.min(Math.max) → out', { fn: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.min(Math.max(x[i], 0), 6); return o; } }),
      plainMap('JS Float32Array.map', { alloc: true, fn: (x) => x.map((v) => (v > 0 ? (v < 6 ? v : 6) : 0)) }),
    ],
    tf: (tf) => ({ op: (t) => tf.relu6(t) }),
    onnx: { op: 'Clip', bounds: [0, 6] },
  },
  reluBackward: {
    api: 'reluBackward', dt: 'f32', title: 'reluBackward (dx = x > 0 ? dy : 0), float32', inputs: 2,
    bytes: (n) => 12 * n, bytesDesc: '8n read (dy, x) + 4n written',
    call: (R, dy, x, out) => R.reluBackward(dy, x, out),
    ref: (dy, x) => dy.map((d, i) => (x[i] > 0 ? d : 0)),
    plain: [
      plainMap('JS ternary → out', { fn: (dy, x, o) => { for (let i = 0; i < x.length; i++) o[i] = x[i] > 0 ? dy[i] : 0; return o; } }),
      plainMap('JS ternary in place (into dy)', { inPlace: true, fn: (dy, x) => { for (let i = 0; i < x.length; i++) dy[i] = x[i] > 0 ? dy[i] : 0; return dy; } }),
      plainMap('JS Float32Array.map', { alloc: true, fn: (dy, x) => dy.map((d, i) => (x[i] > 0 ? d : 0)) }),
    ],
    // TensorFlow.js's own relu gradient is mul(dy, step(x)); it has no fused reluBackward.
    tf: (tf) => ({
      label: 'mul(dy, step(x))',
      op: (dy, x) => {
        const s = tf.step(x);
        const y = tf.mul(dy, s);
        s.dispose();
        return y;
      },
    }),
    onnxNote: 'onnxruntime-web: no one-node ONNX op (ReluGrad is a training-only contrib op)',
  },
  clip: {
    api: 'clip', dt: 'f32', title: `clip, float32, [${LO}, ${HI}]`,
    bytes: (n) => 8 * n, bytesDesc: '4n read + 4n written',
    call: (R, x, out) => R.clip(x, LO, HI, out), params: [LO, HI],
    ref: (x) => x.map((v) => (v < LO ? LO : v > HI ? HI : v)),
    plain: [
      plainMap('JS ternary → out', { fn: (x, o) => { for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = v < LO ? LO : v > HI ? HI : v; } return o; } }),
      plainMap('JS ternary in place', { inPlace: true, fn: (x) => { for (let i = 0; i < x.length; i++) { const v = x[i]; x[i] = v < LO ? LO : v > HI ? HI : v; } return x; } }),
      plainMap('JS Math.min(Math.max) → out', { fn: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.min(Math.max(x[i], LO), HI); return o; } }),
      plainMap('JS Float32Array.map', { alloc: true, fn: (x) => x.map((v) => (v < LO ? LO : v > HI ? HI : v)) }),
    ],
    tf: (tf) => ({ op: (t) => tf.clipByValue(t, LO, HI) }),
    onnx: { op: 'Clip', bounds: [LO, HI] },
  },
  reluInt8: {
    api: 'relu', dt: 'i8', title: `relu, int8, zeroPoint = ${ZP} (y = max(x, ${ZP}))`, params: [ZP],
    bytes: (n) => 2 * n, bytesDesc: 'n read + n written',
    call: (R, x, out) => R.relu(x, { zeroPoint: ZP, out }),
    ref: (x) => x.map((v) => (v > ZP ? v : ZP)),
    plain: [
      plainMap('JS ternary → out', { fn: (x, o) => { for (let i = 0; i < x.length; i++) { const v = x[i]; o[i] = v > ZP ? v : ZP; } return o; } }),
      plainMap('JS ternary in place', { inPlace: true, fn: (x) => { for (let i = 0; i < x.length; i++) { const v = x[i]; x[i] = v > ZP ? v : ZP; } return x; } }),
      plainMap('JS Math.max → out', { fn: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.max(x[i], ZP); return o; } }),
      plainMap('JS Int8Array.map', { alloc: true, fn: (x) => x.map((v) => (v > ZP ? v : ZP)) }),
    ],
    tfNote: 'TensorFlow.js: no int8 dtype',
    onnx: { op: 'Clip', bounds: [ZP], label: `Clip(x, min = ${ZP})` },
  },
};

// -----------------------------------------------------------------------------------------
// Inputs: deterministic pseudo-random data (rng from harness.mjs).

function makeInputs(spec, n) {
  const r = rng(12345 + n);
  const count = spec.inputs ?? 1;
  const ins = [];
  for (let k = 0; k < count; k++) {
    if (spec.dt === 'i8') {
      const a = new Int8Array(n);
      for (let i = 0; i < n; i++) a[i] = Math.floor(r() * 256) - 128;
      ins.push(a);
    } else {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = (r() - 0.5) * 16; // [-8, 8): relu6 and clip see both bounds
      ins.push(a);
    }
  }
  const extra = [];
  if (spec.channels) {
    const C = spec.channels(n);
    const rs = rng(777 + C); // depends on C only: onnxruntime sessions are cached per C
    const s = new Float32Array(C);
    for (let c = 0; c < C; c++) s[c] = 0.05 + 0.2 * rs();
    extra.push(s);
  }
  return { ins, extra };
}

// -----------------------------------------------------------------------------------------
// Child: one table.

// A process measures one relu-wasm variant: with a second instance in use, the API's shared
// code sees two WasmArray classes and its call sites turn polymorphic, which would slow the
// instance under test (a user's app has one). The scalar variant's rows therefore come from
// their own process, which also measures the physical references for its ratios.
async function loadContext(variant) {
  const { createApi } = await import('../js/core.js');
  const { nodePlatform } = await import('../js/node.js');
  const { OPS } = await import('../js/ops.js');
  const R = createApi(nodePlatform);
  await R.init({ simd: variant === 'simd' });
  if (R.variant !== variant) throw new Error(`asked for the ${variant} build, got ${R.variant}`);
  // The physical references are kernels of the SIMD build, used only through raw pointers.
  let ref = R;
  if (variant !== 'simd') {
    ref = createApi(nodePlatform);
    await ref.init({ simd: true });
  }
  const ctx = { R, variant, refState: ref._state(), OPS };
  if (variant !== 'simd') return ctx;

  // TensorFlow.js. In Node, the package's "main" is its CommonJS node build, whose Emscripten
  // loader reads the .wasm next to it with fs.readFileSync (no fetch, no setWasmPaths needed).
  // Record which file it reads to prove the SIMD binary is the one in use.
  const wasmRead = [];
  const readFileSync = fs.readFileSync;
  fs.readFileSync = function (p, ...rest) {
    if (String(p).endsWith('.wasm')) wasmRead.push(path.basename(String(p)));
    return readFileSync.call(this, p, ...rest);
  };
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const tfw = await import('@tensorflow/tfjs-backend-wasm');
  const tfSimd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const tfThreads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  await tf.setBackend('wasm');
  await tf.ready();
  await tf.setBackend('cpu');
  await tf.ready();
  fs.readFileSync = readFileSync;
  const tfInfo = {
    version: tf.version_core,
    simdFlag: tfSimd,
    threadsFlag: tfThreads,
    wasmFile: wasmRead.join(', '),
    threads: tfw.getThreadsCount?.(),
  };
  if (!tfSimd || !wasmRead.includes('tfjs-backend-wasm-simd.wasm') || wasmRead.length !== 1) {
    throw new Error(`TensorFlow.js wasm: expected the SIMD binary, read ${JSON.stringify(wasmRead)} (WASM_HAS_SIMD_SUPPORT = ${tfSimd})`);
  }

  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const { oneNodeModel } = await import('./onnx-model.mjs');
  const ortInfo = { version: ort.env.versions?.web ?? '?', numThreads: ort.env.wasm.numThreads };
  return { ...ctx, tf, tfInfo, ort, ortInfo, oneNodeModel };
}

const TF_TYPE = { f32: 'float32', i8: 'int8' };

async function ortSession(ctx, spec, n, extra, cache) {
  const { op, attributes, bounds, dims } = spec.onnx;
  const type = TF_TYPE[spec.dt];
  const C = spec.channels?.(n);
  const key = C ?? 0;
  const shape = dims ? dims(n, C) : [n];
  if (!cache.has(key)) {
    const symDims = dims ? ['n', C] : ['n'];
    const initializers = [];
    if (spec.onnx.slope) initializers.push({ name: 'slope', dtype: type, dims: [C], values: extra[0] });
    if (bounds) bounds.forEach((v, i) => initializers.push({ name: i ? 'max' : 'min', dtype: type, dims: [], values: [v] }));
    const model = ctx.oneNodeModel({
      op,
      attributes,
      inputs: [{ name: 'x', dtype: type, dims: symDims }],
      outputs: [{ name: 'y', dtype: type, dims: symDims }],
      initializers,
    });
    cache.set(key, await ctx.ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }));
  }
  return { session: cache.get(key), shape, type };
}

/** Contenders for one op at one size; returns { contenders, want, cleanup, notes }. */
async function buildContenders(ctx, spec, n, ortCache) {
  const { R, variant, tf, ort } = ctx;
  const V = variant === 'simd' ? 'SIMD' : 'scalar';
  const main = variant === 'simd'; // the process with every contender; the other: relu-wasm rows only
  const row = ctx.OPS.find((r) => r.name === spec.api);
  const { ins, extra } = makeInputs(spec, n);
  const want = spec.ref(...ins, ...extra);
  const Arr = ins[0].constructor;
  const bytes = spec.bytes(n);
  const cs = [];
  const frees = [];
  const notes = [];
  const add = (c) => cs.push(c);
  const C = spec.channels?.(n);

  // relu-wasm, WasmArray API: operands already in wasm memory.
  const wins = ins.map((a) => R.from(a));
  const wextra = extra.map((a) => R.from(a));
  const wout = R.alloc(n, TF_TYPE[spec.dt]);
  frees.push(...wins, ...wextra, wout);
  add({ key: `wa-${V}`, cls: 'heap', name: `relu-wasm WasmArray (${V})`, fn: spec.call, args: [R, ...wins, ...wextra, wout], output: () => wout });
  if (main && (spec.inputs ?? 1) === 1) {
    const wip = R.from(ins[0]);
    frees.push(wip);
    add({ key: 'wa-inplace', cls: 'heap', name: `relu-wasm WasmArray in place (${V})`, fn: spec.call, args: [R, wip, ...wextra, wip], output: () => wip });
  }
  if (main) {
    // The raw kernel on the same heap pointers: the floor of the WasmArray API's cost.
    const kname = `${spec.dt}_${row.name}`;
    const k = R._state().fn[kname];
    const [a = 0, b = 0] = row.fixed ?? spec.params ?? [];
    const rout = R.alloc(n, TF_TYPE[spec.dt]);
    frees.push(rout);
    const name = `raw kernel fn.${kname} (${V})`;
    const output = () => rout;
    if (typeof k !== 'function') notes.push(`raw kernel ${kname} not in the kernel table: row skipped`);
    else if (row.kind === 'map') add({ key: 'raw', cls: 'heap', name, fn: (k, x, y, n) => k(x, y, n, a, b), args: [k, wins[0].byteOffset, rout.byteOffset, n], output });
    else if (row.kind === 'map2') add({ key: 'raw', cls: 'heap', name, fn: (k, d, x, y, n) => k(d, x, y, n, a, b), args: [k, wins[0].byteOffset, wins[1].byteOffset, rout.byteOffset, n], output });
    else if (row.kind === 'channel') add({ key: 'raw', cls: 'heap', name, fn: (k, x, s, y, n) => k(x, s, y, n, C, 1, 0), args: [k, wins[0].byteOffset, wextra[0].byteOffset, rout.byteOffset, n], output });
    else notes.push(`raw kernel of kind '${row.kind}' has no bench calling convention: row skipped`);
  }

  // relu-wasm, JS-array API: typed arrays in JS memory, streamed through wasm scratch.
  const out = new Arr(n);
  add({ key: `js-${V}`, cls: 'js', name: `relu-wasm JS arrays → out (${V})`, fn: spec.call, args: [R, ...ins, ...extra, out], output: () => out });
  if (main) add({ key: 'js-new', cls: 'js', name: `relu-wasm JS arrays, new out (${V})`, fn: spec.call, args: [R, ...ins, ...extra, undefined] });

  if (main) await addOthers(ctx, spec, n, ortCache, { ins, extra, Arr, add, frees, notes });

  // Physical references over the same number of bytes (read + written) as the op: copying
  // m float32s reads 4m and writes 4m bytes. Kernels of the SIMD build on raw heap pointers.
  const m = Math.max(1, Math.round(bytes / 8));
  const src = new Float32Array(m);
  for (let i = 0; i < m; i++) src[i] = i;
  const S = ctx.refState;
  const [ps, pd1, pd2] = [S.fn.malloc(4 * m), S.fn.malloc(4 * m), S.fn.malloc(4 * m)];
  if (!ps || !pd1 || !pd2) throw new Error(`cannot allocate 3 × ${4 * m} bytes for the copy references`);
  frees.push({ free: () => [ps, pd1, pd2].forEach((p) => S.fn.free(p)) });
  new Float32Array(S.memory.buffer, ps, m).set(src);
  const heap = (p) => () => new Float32Array(S.memory.buffer, p, m);
  add({ key: 'ref-copy', cls: 'heap', ref: true, name: 'ref: wasm 128-bit copy loop (f32_copy)', fn: (k, s, d, m) => k(s, d, m, 0, 0), args: [S.fn.f32_copy, ps, pd1, m], output: heap(pd1), want: src });
  add({ key: 'ref-memcpy', cls: 'heap', ref: true, name: 'ref: memory.copy (f32_memcpy)', fn: (k, s, d, m) => k(s, d, m, 0, 0), args: [S.fn.f32_memcpy, ps, pd2, m], output: heap(pd2), want: src });
  add({ key: 'ref-set', cls: 'js', ref: true, name: 'ref: JS out.set(x)', fn: (o, x) => (o.set(x), o), args: [new Float32Array(m), src], want: src });

  for (const c of cs) if (c.tol === undefined && !c.ref) c.tol = spec.tol ?? 0;
  return {
    contenders: cs,
    want,
    notes,
    cleanup: () => frees.forEach((f) => f.free()),
  };
}

/** Plain JS, TensorFlow.js and onnxruntime-web contenders (main process only). */
async function addOthers(ctx, spec, n, ortCache, { ins, extra, Arr, add, frees, notes }) {
  const { tf, ort } = ctx;
  // Plain JS.
  for (const p of spec.plain) {
    const key = `plain:${p.name}`;
    if (p.alloc) add({ key, cls: 'js', plain: true, name: p.name, fn: p.fn, args: [...ins, ...extra] });
    else if (p.inPlace) {
      const own = ins[0].slice();
      add({ key, cls: 'js', plain: true, name: p.name, fn: p.fn, args: [own, ...ins.slice(1), ...extra] });
    } else if (p.int32) {
      const out = new Arr(n);
      add({
        key, cls: 'js', plain: true, name: p.name, fn: p.fn,
        args: [new Int32Array(ins[0].buffer, ins[0].byteOffset, n), new Int32Array(out.buffer)],
        output: () => out,
      });
    } else add({ key, cls: 'js', plain: true, name: p.name, fn: p.fn, args: [...ins, ...extra, new Arr(n)] });
  }

  // TensorFlow.js: wasm and cpu backends. Each contender's tensors live on its backend; enter()
  // switches the engine's backend before that contender's batch (untimed).
  if (spec.tf) {
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const enter = () => (tf.getBackend() === backend ? undefined : tf.setBackend(backend));
      const t = spec.tf(tf, n, extra);
      const shape = t.shape ?? [n];
      const label = t.label ? ` ${t.label}` : '';
      const tensors = ins.map((a) => tf.tensor(a, shape, 'float32'));
      const holder = { y: null };
      frees.push({ free: () => { tensors.forEach((x) => x.dispose()); holder.y?.dispose(); t.dispose?.(); } });
      add({
        key: `tf-${backend}-op`, cls: 'heap', enter, name: `tfjs-${backend}${label} op(tensor)`,
        fn: (op, h, a, b) => { h.y?.dispose(); return (h.y = op(a, b)); },
        args: [t.op, holder, ...tensors],
        output: (y) => y.dataSync(),
      });
      add({
        key: `tf-${backend}-e2e`, cls: 'js', enter, name: `tfjs-${backend}${label} array → tensor → op → dataSync`,
        fn: (op, shape, x0, x1) => {
          const a = tf.tensor(x0, shape, 'float32');
          const b = x1 === undefined ? undefined : tf.tensor(x1, shape, 'float32');
          const y = op(a, b);
          const d = y.dataSync();
          a.dispose();
          b?.dispose();
          y.dispose();
          return d;
        },
        args: [t.op, shape, ...ins],
      });
    }
  } else if (spec.tfNote) notes.push(spec.tfNote);

  // onnxruntime-web, wasm EP, one thread: end to end through session.run.
  if (spec.onnx) {
    const { session, shape, type } = await ortSession(ctx, spec, n, extra, ortCache);
    add({
      key: 'ort', cls: 'js', name: `onnxruntime-web ${spec.onnx.label ?? spec.onnx.op} session.run`, async: true,
      fn: async (s, type, shape, x) => (await s.run({ x: new ort.Tensor(type, x, shape) })).y.data,
      args: [session, type, shape, ins[0]],
    });
  } else if (spec.onnxNote) notes.push(spec.onnxNote);
}

async function child(args) {
  const spec = SPECS[args.table];
  if (!spec) throw new Error(`unknown table ${args.table}`);
  const quick = args.quick;
  const sizes = args.sizes ?? (quick ? QUICK_SIZES : FULL_SIZES);
  const opts = quick ? QUICK_OPTS : FULL_OPTS;
  const variant = args.variant ?? 'simd';
  const tag = `${args.table}${variant === 'simd' ? '' : ' ' + variant}`;
  const result = { table: args.table, variant, title: spec.title, bytesDesc: spec.bytesDesc, sizes, rows: [], notes: [], errors: [] };
  const write = () => fs.writeFileSync(args.json, JSON.stringify(result));

  const ctx = await loadContext(variant);
  result.tf = ctx.tfInfo;
  result.ort = ctx.ortInfo;
  const row = ctx.OPS.find((r) => r.name === spec.api);
  if (typeof ctx.R[spec.api] !== 'function' || !row || !row.dtypes.includes(spec.dt)) {
    result.skipped = `relu-wasm has no ${spec.api} for ${TF_TYPE[spec.dt]} yet`;
    console.error(`[${tag}] skipped: ${result.skipped}`);
    write();
    return;
  }

  const ortCache = new Map();
  const rows = new Map();
  for (const n of sizes) {
    const t0 = performance.now();
    const { contenders, want, notes, cleanup } = await buildContenders(ctx, spec, n, ortCache);
    for (const note of notes) if (!result.notes.includes(note)) result.notes.push(note);
    const res = await measure(contenders, want, {
      ...opts,
      onProgress: (s) => console.error(`[${tag} n=${fmtSize(n)}] ${s}`),
    });
    const refNs = (key) => res[contenders.findIndex((c) => c.key === key)]?.ns;
    const refs = { copy: refNs('ref-copy'), memcpy: refNs('ref-memcpy'), set: refNs('ref-set') };
    res.forEach((r, i) => {
      const c = contenders[i];
      if (!rows.has(c.key)) rows.set(c.key, { key: c.key, name: c.name, cls: c.cls, plain: !!c.plain, ref: !!c.ref, variant, bySize: {} });
      rows.get(c.key).bySize[n] = { ns: r.ns, spread: r.spread, samples: r.samples.length, reps: r.reps, error: r.error, refs };
      if (r.error) {
        result.errors.push(`${c.name} at n = ${n}: ${r.error}`);
        console.error(`[${tag} n=${fmtSize(n)}] ERROR ${c.name}: ${r.error}`);
      }
    });
    cleanup();
    await ctx.tf?.setBackend('wasm');
    globalThis.gc?.();
    console.error(`[${tag} n=${fmtSize(n)}] ${contenders.length} contenders, ${Math.round(performance.now() - t0)} ms`);
  }
  result.rows = [...rows.values()];
  write();
}

// -----------------------------------------------------------------------------------------
// Parent: run the tables, format them, judge the targets.

function machineInfo() {
  let cpu = 'unknown';
  try {
    cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpu;
  } catch {
    cpu = os.cpus()[0]?.model ?? cpu;
  }
  const e = engineInfo();
  return {
    cpu,
    cores: os.cpus().length,
    memGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: e.runtime,
    v8: e.v8,
    load: os.loadavg().map((v) => v.toFixed(2)).join(' '),
  };
}

const get = (t, key, n) => t.rows.find((r) => r.key === key)?.bySize[n];
const nsOf = (t, key, n) => {
  const c = get(t, key, n);
  return c && !c.error ? c.ns : NaN;
};

function renderTable(t) {
  const out = [];
  out.push(`### ${t.title}`);
  if (t.skipped) {
    out.push(`\nSkipped: ${t.skipped}.`);
    return out.join('\n');
  }
  const sizes = t.sizes;
  out.push(`\nBytes counted: ${t.bytesDesc}. Physical references move the same number of bytes.`);
  const head = (what) => [what, ...sizes.map((n) => `n = ${fmtSize(n)}`)];
  const rowsFor = (cell) => t.rows.map((r) => [r.name, ...sizes.map((n) => {
    const c = r.bySize[n];
    if (!c) return '';
    if (c.error) return 'ERROR';
    return cell(r, n, c);
  })]);
  out.push('\n**time per call** (median ± half-IQR, as % of the median)\n');
  out.push(mdTable(head('contender'), rowsFor((r, n, c) => fmtNsSpread(c.ns, c.spread))));
  const bytes = SPECS[t.table].bytes;
  out.push('\n**GB/s** (bytes counted / time)\n');
  out.push(mdTable(head('contender'), rowsFor((r, n, c) => fmtNum(bytes(n) / c.ns))));
  out.push('\n**speed relative to the wasm 128-bit copy loop** (copy time / time; 1 = copy speed)\n');
  out.push(mdTable(head('contender'), rowsFor((r, n, c) => fmtNum((c.refs?.copy ?? nsOf(t, 'ref-copy', n)) / c.ns))));
  out.push('\n**speed relative to memory.copy** (memory.copy time / time)\n');
  out.push(mdTable(head('contender'), rowsFor((r, n, c) => fmtNum((c.refs?.memcpy ?? nsOf(t, 'ref-memcpy', n)) / c.ns))));
  const hasTf = t.rows.some((r) => r.key === 'tf-wasm-op');
  if (hasTf) {
    out.push('\n**× faster than TensorFlow.js wasm** (resident rows vs tfjs-wasm op(tensor); JS-array rows vs tfjs-wasm end to end)\n');
    out.push(mdTable(head('contender'), rowsFor((r, n, c) => fmtNum(nsOf(t, r.cls === 'heap' ? 'tf-wasm-op' : 'tf-wasm-e2e', n) / c.ns))));
  }
  if (t.notes.length) out.push(`\nNotes: ${t.notes.join('; ')}.`);
  if (t.errors.length) out.push(`\n**Errors:**\n${t.errors.map((e) => `- ${e}`).join('\n')}`);
  return out.join('\n');
}

function judgeTargets(tables) {
  const T = Object.fromEntries(tables.filter((t) => !t.skipped).map((t) => [t.table, t]));
  const live = Object.values(T);
  const lines = [];
  const status = (ok, partial) => (ok ? '**met**' : partial ? '**partly met**' : '**not met**');
  const list = (xs) => xs.join('; ');
  const ratio = (a, b) => a / b;
  const big = (t) => t.sizes.filter((n) => n >= 4096);

  // 1. per-call cost at n = 1 on WasmArrays.
  {
    const xs = live.filter((t) => t.sizes.includes(1)).map((t) => [t.table, nsOf(t, 'wa-SIMD', 1)]);
    if (xs.length) {
      const ok = xs.every(([, v]) => v <= 30);
      const relu = T.relu;
      const anchors = relu ? ` Anchors measured in the relu table: tfjs-wasm op(tensor) ${fmtNs(nsOf(relu, 'tf-wasm-op', 1))}, onnxruntime-web session.run ${fmtNs(nsOf(relu, 'ort', 1))}; raw kernel call ${fmtNs(nsOf(relu, 'raw', 1))}.` : '';
      lines.push(`- Per-call cost at n = 1 on WasmArrays ≤ 30 ns: ${status(ok, xs.some(([, v]) => v <= 30))} — ${list(xs.map(([k, v]) => `${k} ${fmtNs(v)}`))}.${anchors}`);
    }
  }
  // 2. every op on WasmArrays at n ≥ 4096 ≥ 0.9× the copy loop.
  {
    const xs = live.flatMap((t) => big(t).map((n) => [t.table, n, ratio(nsOf(t, 'ref-copy', n), nsOf(t, 'wa-SIMD', n))]));
    if (xs.length) {
      const bad = xs.filter(([, , r]) => !(r >= 0.9));
      const worst = xs.reduce((a, b) => (b[2] < a[2] ? b : a));
      lines.push(`- Every op on WasmArrays at n ≥ 4096 ≥ 0.9× the 128-bit copy loop: ${status(bad.length === 0, bad.length < xs.length)} — worst ${worst[0]} n = ${fmtSize(worst[1])}: ${fmtNum(worst[2])}×` +
        (bad.length ? `; below 0.9: ${list(bad.map(([k, n, r]) => `${k} ${fmtSize(n)} ${fmtNum(r)}×`))}` : '') + '.');
    }
  }
  // 3. relu at 2^24 ≥ 0.95× memory.copy.
  if (T.relu?.sizes.includes(2 ** 24)) {
    const r = ratio(nsOf(T.relu, 'ref-memcpy', 2 ** 24), nsOf(T.relu, 'wa-SIMD', 2 ** 24));
    lines.push(`- relu at 2^24 ≥ 0.95× memory.copy: ${status(r >= 0.95)} — ${fmtNum(r)}× (relu ${fmtNs(nsOf(T.relu, 'wa-SIMD', 2 ** 24))}, memory.copy ${fmtNs(nsOf(T.relu, 'ref-memcpy', 2 ** 24))}, copy loop ${fmtNs(nsOf(T.relu, 'ref-copy', 2 ** 24))}).`);
  }
  // 4. JS arrays end to end ≤ 1.5× out.set(x) at n ≥ 4096.
  {
    const xs = live.flatMap((t) => big(t).map((n) => [t.table, n, ratio(nsOf(t, 'js-SIMD', n), nsOf(t, 'ref-set', n))]));
    if (xs.length) {
      const bad = xs.filter(([, , r]) => !(r <= 1.5));
      const worst = xs.reduce((a, b) => (b[2] > a[2] ? b : a));
      const best = xs.reduce((a, b) => (b[2] < a[2] ? b : a));
      lines.push(`- JS arrays (→ out) end to end ≤ 1.5× out.set(x) at n ≥ 4096: ${status(bad.length === 0, bad.length < xs.length)} — ` +
        `${xs.length - bad.length} of ${xs.length} (op, n) pairs within 1.5×; best ${best[0]} n = ${fmtSize(best[1])}: ${fmtNum(best[2])}×, worst ${worst[0]} n = ${fmtSize(worst[1])}: ${fmtNum(worst[2])}× the time of out.set.`);
    }
  }
  // 5. ≥ 8× TensorFlow.js wasm end to end at 2^24, ≥ 20× at 256.
  for (const [n, goal] of [[2 ** 24, 8], [256, 20]]) {
    const xs = live.filter((t) => t.sizes.includes(n) && nsOf(t, 'tf-wasm-e2e', n) > 0)
      .map((t) => [t.table, ratio(nsOf(t, 'tf-wasm-e2e', n), nsOf(t, 'js-SIMD', n)), ratio(nsOf(t, 'tf-wasm-e2e', n), nsOf(t, 'js-new', n))]);
    if (xs.length) {
      const okOut = xs.every(([, a]) => a >= goal);
      const okNew = xs.every(([, , b]) => b >= goal);
      lines.push(`- JS arrays end to end ≥ ${goal}× faster than TensorFlow.js wasm end to end at n = ${fmtSize(n)}: ${status(okOut && okNew, okOut || okNew || xs.some(([, a]) => a >= goal))} — ` +
        `× faster with a given out / with a new out: ${list(xs.map(([k, a, b]) => `${k} ${fmtNum(a)}× / ${fmtNum(b)}×`))}.`);
    }
  }
  // 6. ≥ 10× the best plain-JS loop at n ≥ 65536.
  {
    const xs = live.flatMap((t) => t.sizes.filter((n) => n >= 65536).map((n) => {
      const plains = t.rows.filter((r) => r.plain && r.bySize[n] && !r.bySize[n].error);
      const best = plains.reduce((a, r) => (r.bySize[n].ns < (a?.bySize[n].ns ?? Infinity) ? r : a), null);
      return [t.table, n, ratio(best.bySize[n].ns, nsOf(t, 'wa-SIMD', n)), ratio(best.bySize[n].ns, nsOf(t, 'js-SIMD', n)), best.name];
    }));
    if (xs.length) {
      const bad = xs.filter(([, , r]) => !(r >= 10));
      const perOp = new Map();
      for (const x of xs) if (!perOp.has(x[0]) || x[2] < perOp.get(x[0])[2]) perOp.set(x[0], x);
      lines.push(`- ≥ 10× the best plain-JS loop at n ≥ 65536 (WasmArray API): ${status(bad.length === 0, bad.length < xs.length)} — ` +
        `${xs.length - bad.length} of ${xs.length} (op, n) pairs; lowest per op: ` +
        list([...perOp.values()].map(([k, n, a, b, who]) => `${k} ${fmtNum(a)}× at ${fmtSize(n)} (vs ${who}; JS-array API ${fmtNum(b)}×)`)) + '.');
    }
  }
  return lines.join('\n');
}

function render(tables, info, argsDesc, elapsed, date = new Date().toISOString()) {
  const t0 = tables.find((t) => t.tf);
  const out = [];
  out.push('# relu-wasm benchmark results\n');
  out.push(`Command: \`node bench/run.mjs${argsDesc}\` — ${date.slice(0, 16).replace('T', ' ')} UTC, ${Math.round(elapsed / 1000)} s in total.\n`);
  out.push(`Machine: ${info.cpu}, ${info.cores} cores, ${info.memGB} GB RAM, ${info.os}; ${info.node}, V8 ${info.v8}; load average at start ${info.load}. Shared and noisy: compare rows of one table (measured round-robin in one process), not tables across runs.\n`);
  if (t0) {
    out.push(`Contenders: TensorFlow.js ${t0.tf.version} (wasm backend loaded \`${t0.tf.wasmFile}\`, WASM_HAS_SIMD_SUPPORT = ${t0.tf.simdFlag}, threads = ${t0.tf.threads}; cpu backend), onnxruntime-web ${t0.ort.version} (wasm EP, numThreads = ${t0.ort.numThreads}, one-node models encoded by bench/onnx-model.mjs).\n`);
  }
  out.push('Method (bench/harness.mjs): one process per table; every contender verified against a reference before timing; batch size calibrated to ≥ 4 ms; round-robin warm-up until each contender\'s time per call has settled (last three batches within 10 %, or no faster than the three before; at most 2.5 s beyond three rounds); then up to 21 round-robin samples with a rotating start (a contender leaves the rotation after 5 samples once it has used 600 ms, so slow contenders at huge sizes have fewer); median and half the interquartile range. Contenders are called through one megamorphic call site with their arrays as arguments, like user code. Rows: *WasmArray* = operands in wasm memory (zero copy); *JS arrays* = Float32Array/Int8Array in JS memory; *raw kernel* = the table function on heap pointers (no JS API); *in place* rows see already-rectified data after the first call; *tfjs op(tensor)* includes disposing the previous result; *end to end* = JS array in, JS array out. The scalar rows come from a second process per table that times them round-robin with its own copy-loop, memory.copy and out.set rows (their ratios use those; their "× tfjs" ratios use the main process\'s TensorFlow.js rows): a second relu-wasm instance in one process makes the API\'s shared call sites polymorphic and slows the instance under test, which a real app (one instance) never sees.\n');
  out.push('## Targets (issue 5)\n');
  out.push(judgeTargets(tables));
  out.push('\n## Tables\n');
  for (const t of tables) out.push(renderTable(t) + '\n');
  return out.join('\n');
}

// Row order in a table; keys not listed keep their order after the listed ones before them.
const ORDER = ['wa-SIMD', 'wa-inplace', 'raw', 'wa-scalar', 'js-SIMD', 'js-new', 'js-scalar', 'plain:', 'tf-wasm-op', 'tf-wasm-e2e', 'tf-cpu-op', 'tf-cpu-e2e', 'ort', 'ref-copy', 'ref-memcpy', 'ref-set'];
const rank = (key) => {
  const i = ORDER.findIndex((k) => (k.endsWith(':') ? key.startsWith(k) : key === k));
  return i < 0 ? ORDER.length : i;
};

/** One table from the SIMD process (all contenders) and the scalar process (its relu-wasm rows). */
function mergeVariants([main, other]) {
  if (!other || main.skipped) return { ...main, errors: [...main.errors, ...(other?.errors ?? [])] };
  const t = { ...main, rows: [...main.rows], notes: [...main.notes], errors: [...main.errors, ...other.errors] };
  if (other.skipped) t.notes.push(`scalar rows: ${other.skipped}`);
  for (const r of other.rows) if (!r.ref) t.rows.push(r);
  t.rows = t.rows.map((r, i) => [r, i]).sort((a, b) => rank(a[0].key) - rank(b[0].key) || a[1] - b[1]).map(([r]) => r);
  return t;
}

async function parent(args) {
  const t0 = performance.now();
  const ops = args.ops ?? Object.keys(SPECS);
  const info = machineInfo();
  console.error(`machine: ${info.cpu}, ${info.cores} cores; ${info.node}, V8 ${info.v8}; load ${info.load}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-bench-'));
  const tables = [];
  let failed = false;
  for (const op of ops) {
    if (!SPECS[op]) throw new Error(`unknown op ${op} (known: ${Object.keys(SPECS).join(', ')})`);
    const parts = [];
    for (const variant of ['simd', 'scalar']) {
      const json = path.join(tmp, `${op}-${variant}.json`);
      const childArgs = ['--expose-gc', SELF, '--table', op, '--variant', variant, '--json', json];
      if (args.quick) childArgs.push('--quick');
      if (args.sizes) childArgs.push('--sizes', args.sizes.join(','));
      const r = spawnSync(process.execPath, childArgs, { stdio: ['ignore', process.stderr, process.stderr] });
      if (r.status !== 0 || !fs.existsSync(json)) {
        failed = true;
        console.error(`[${op} ${variant}] child failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''})`);
        parts.push({ table: op, title: SPECS[op].title, skipped: `the ${variant} process failed (exit ${r.status})`, rows: [], notes: [], errors: [`${variant} process failed`] });
        break;
      }
      parts.push(JSON.parse(fs.readFileSync(json, 'utf8')));
    }
    const t = mergeVariants(parts);
    if (t.errors.length) failed = true;
    tables.push(t);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  const desc = (args.quick ? ' --quick' : '') + (args.ops ? ` --ops ${args.ops.join(',')}` : '') + (args.sizes ? ` --sizes ${args.sizes.join(',')}` : '');
  const date = new Date().toISOString();
  const md = render(tables, info, desc, performance.now() - t0, date);
  console.log(md);
  const outFile = args.out ?? (args.quick || args.ops || args.sizes ? null : path.join(HERE, 'results', 'latest.md'));
  if (outFile) {
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, md + '\n');
    fs.writeFileSync(outFile.replace(/\.md$/, '') + '.json', JSON.stringify({ info, tables, argsDesc: desc, elapsed: performance.now() - t0, date }, null, 1));
    console.error(`written: ${outFile}`);
  }
  const errs = tables.flatMap((t) => t.errors.map((e) => `${t.table}: ${e}`));
  if (failed) {
    console.error(`FAILED: ${errs.length} contender error(s)${errs.length ? ':\n  ' + errs.join('\n  ') : ''}`);
    process.exit(1);
  }
  console.error(`ok (${Math.round((performance.now() - t0) / 1000)} s)`);
}

const args = parseArgs(process.argv.slice(2));
if (args.render) {
  // Re-render a saved run (its .json) without measuring, e.g. after a formatting change.
  const { info, tables, argsDesc = '', elapsed = 0, date } = JSON.parse(fs.readFileSync(args.render, 'utf8'));
  console.log(render(tables, info, argsDesc, elapsed, date));
} else if (args.table) {
  child(args).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  parent(args).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
