// float16 and bfloat16: every element-wise op of the table that takes them (js/ops.js), on
// WasmArrays, beside the same op on float32, the 128-bit copy loop over the 16-bit bytes, and
// onnxruntime-web (wasm EP, one thread) running the op's one-node ONNX model on float16 where
// the row names one (bench.onnx). Prints the issues' targets with met / not met, from n = 4096:
//   relu and clip on float16 at >= 0.9x the copy loop; the smooth family on float16 and
//   bfloat16 within 1.3x the fast tier's float32 time per element; every other op on both
//   within 2x the float32 op's time.
//   node bench/half.mjs [--quick] [--ops relu,gelu] [--sizes 4096,65536]
import * as ort from 'onnxruntime-web';
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { DTYPES, OPS } from '../js/ops.js';
import { KINDS, callArgs, exampleValues, kernelParams } from '../js/signature.js';
import { oneNodeModel } from '../scripts/onnx-model.mjs';
import { engineInfo, fmtNum, fmtSize, mdTable, measure } from './harness.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const list = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1].split(',') : null);
const sizes = (list('--sizes') ?? (quick ? ['4096'] : ['4096', '65536', '1048576'])).map(Number);
const only = list('--ops');
const options = quick ? { samples: 3, minSamples: 3, batchMs: 1, warmupRounds: 1, maxWarmupMs: 200 } : { samples: 9, batchMs: 4 };
ort.env.wasm.numThreads = 1;

const R = createApi(nodePlatform);
await R.init({ simd: true });
const { fn } = R._state();
const rows = OPS.filter((r) => KINDS[r.kind].elementwise && r.dtypes.includes('f16') && (!only || only.includes(r.name)));
// A row's inputs by its kind's names: x to the one its function is evaluated at, dy to the other (dy, up).
const operands = (row, x, dy) => Object.fromEntries(KINDS[row.kind].inputs.map((k) => [k, k === KINDS[row.kind].argument ? x : dy]));
// The issue's targets: these ops are selections on the bits; the rest compute.
const ON_BITS = ['relu', 'clip'];

async function ortSession(row, values) {
  const onnx = row.bench?.onnx;
  if (!onnx) return null;
  const two = row.kind === 'map2';
  const inputs = (two ? ['dy', 'x'] : ['x']).map((name) => ({ name, dtype: 'float16', dims: ['n'] }));
  const extra = (onnx.inputs ?? []).map((v, i) => ({ name: `c${i}`, dtype: 'float16', dims: [], values: [R.cast(new Float32Array([typeof v === 'string' ? values[v] : v]), 'float16', new Uint16Array(1))[0]] }));
  const model = oneNodeModel({
    op: onnx.op, opset: onnx.opset, inputs, outputs: [{ name: 'result', dtype: 'float16', dims: ['n'] }], initializers: extra,
    attributes: Object.fromEntries((onnx.attributes ?? []).map((a) => (typeof a === 'string' ? [a, values[a]] : [a[0], values[a[1]]]))),
  });
  try {
    return await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  } catch (e) {
    return { error: e.message };
  }
}

// A result as float32 values, for verification (a WasmArray's converted and freed).
const toF32 = (w) => {
  const c = R.cast(w, 'float32');
  const a = c.toArray();
  c.free();
  return a;
};

const results = [];
for (const row of rows) {
  const values = exampleValues(row, 'f32');
  const session = await ortSession(row, values);
  for (const n of sizes) {
    const x32 = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 6);
    const dy32 = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.11));
    const frees = [];
    const wasm = (dtype, src) => {
      const w = R.alloc(n, dtype);
      R.cast(src, dtype, w);
      frees.push(w);
      return w;
    };
    const contenders = [];
    const wants = {};
    const raw = {}; // the float16 arrays' addresses
    for (const dtype of ['float32', 'float16', 'bfloat16']) {
      const x = wasm(dtype, x32), dy = wasm(dtype, dy32), out = R.alloc(n, dtype);
      frees.push(out);
      const a = callArgs(row, { ...values, ...operands(row, x, dy), out });
      wants[dtype] = toF32(R[row.name](...a));
      contenders.push({ key: dtype, name: `relu-wasm ${dtype} WasmArray → out`, fn: R[row.name], args: a, output: toF32, want: wants[dtype] });
      if (dtype === 'float32' && row.smooth) {
        // The fast tier's float32: what the 16-bit smooth ops are measured against.
        const f = callArgs(row, { ...values, precision: 'fast', ...operands(row, x, dy), out });
        const want = toF32(R[row.name](...f));
        contenders.push({ key: 'fast32', name: 'relu-wasm float32 fast tier WasmArray → out', fn: R[row.name], args: f, output: toF32, want });
      }
      if (dtype === 'float16') {
        // The bare float16 kernel on the same arrays: what the copy loop is compared with.
        const kp = kernelParams(row, 'f16', values);
        const ptrs = [...Object.values(operands(row, x, dy)).map((w) => w.byteOffset), out.byteOffset];
        Object.assign(raw, { x: x.byteOffset, dy: dy.byteOffset, out: out.byteOffset });
        const k = fn[`f16_${row.name}`];
        contenders.push({ key: 'raw16', name: 'relu-wasm float16 raw kernel', fn: k.bind(null, ...ptrs, n, ...kp), args: [], output: () => toF32(out), want: wants.float16 });
      }
    }
    // The copy loop over the float16 op's bytes, on its own arrays (so both see the same
    // caches, as bench/kernels.mjs does): from each input into its output, as many float32s as
    // the op moves bytes / 8.
    const arrays = KINDS[row.kind].inputs.length + 1;
    const ins16 = Object.values(operands(row, raw.x, raw.dy));
    let left = (arrays * 2 * n) / 8;
    const copies = ins16.map((p) => {
      const m = Math.min(left, n / 2); // n/2 float32s: a whole float16 array
      left -= m;
      return fn.f32_copy.bind(null, p, raw.out, m);
    });
    const copy = copies.length === 1 ? copies[0] : () => copies.forEach((c) => c());
    contenders.push({ key: 'copy', name: `copy loop, ${2 * arrays}n bytes`, fn: copy, args: [], output: () => wants.float16, want: wants.float16 });
    if (session && !session.error) {
      const feeds = { x: new ort.Tensor('float16', R.cast(x32, 'float16', new Uint16Array(n)), [n]) };
      if (row.kind === 'map2') feeds.dy = new ort.Tensor('float16', R.cast(dy32, 'float16', new Uint16Array(n)), [n]);
      contenders.push({
        key: 'ort', name: `onnxruntime-web ${row.bench.onnx.op} float16 session.run`, async: true, tol: 4e-3, abs: 1e-3,
        fn: async (s, f) => (await s.run(f)).result.data, args: [session, feeds], output: (d) => R.cast(d, 'float32', { from: 'float16' }), want: wants.float16,
      });
    }
    const res = await measure(contenders, wants.float16, options);
    const ns = Object.fromEntries(contenders.map((c, i) => [c.key, res[i].error ? NaN : res[i].ns / n]));
    const errors = res.filter((r) => r.error).map((r) => `${r.name}: ${r.error}`);
    results.push({ op: row.name, n, ns, errors, ort: session?.error ? `no float16 kernel (${session.error.slice(0, 80)})` : session ? 'ok' : 'no one-node model in the table' });
    for (const w of frees) w.free();
  }
}

const fmt = (v) => (Number.isFinite(v) ? fmtNum(v, v < 1 ? 3 : 2) : '—');
// The float32 time a 16-bit op is held to: the fast tier's for the smooth family, else the op's.
const base = (r) => (Number.isFinite(r.ns.fast32) ? r.ns.fast32 : r.ns.float32);
const table = results.map((r) => [r.op, fmtSize(r.n), fmt(r.ns.float32), fmt(r.ns.fast32), fmt(r.ns.float16), fmt(r.ns.raw16), fmt(r.ns.bfloat16), fmt(r.ns.copy), fmt(r.ns.ort),
  fmtNum(r.ns.float16 / base(r)), fmtNum(r.ns.bfloat16 / base(r)), fmtNum(r.ns.copy / r.ns.raw16), Number.isFinite(r.ns.ort) ? fmtNum(r.ns.ort / r.ns.float16) : '—']);
const e = engineInfo();
console.log(`# float16 / bfloat16 (${e.runtime}, V8 ${e.v8}, ${e.platform})\n`);
console.log('ns per element, median; relu-wasm on WasmArrays through the public call (SIMD build), and float16\'s bare kernel; copy: the 128-bit copy loop over the float16 op\'s bytes; ORT: onnxruntime-web float16 one-node model\n');
console.log(mdTable(['op', 'n', 'float32', 'float32 fast', 'float16', 'float16 raw kernel', 'bfloat16', 'copy (16-bit bytes)', 'ORT float16', 'f16 / f32 time', 'bf16 / f32 time', 'raw kernel: copy speed ×', 'vs ORT ×'], table));
console.log('\n(f16 / f32, bf16 / f32: against float32 fast for the smooth family, which is correctly rounded in 16 bits at either precision; else against the same op on float32)');
for (const r of results) for (const e of r.errors) console.log(`- ${r.op} n = ${r.n}: ${e}`);

// The targets, from n = 4096 up.
const big = results.filter((r) => r.n >= 4096);
const bits = big.filter((r) => ON_BITS.includes(r.op));
const smooth = big.filter((r) => Number.isFinite(r.ns.fast32));
const rest = big.filter((r) => !ON_BITS.includes(r.op) && !smooth.includes(r));
const worst = (rs, f) => rs.reduce((w, r) => (w === null || f(r) > f(w) ? r : w), null);
const target = (what, rs, ratio, limit) => {
  const met = rs.filter((r) => ratio(r) <= limit).length, w = worst(rs, ratio);
  console.log(`- ${what}: ${met === rs.length ? 'met' : 'not met'} (${met} of ${rs.length}${w ? `; worst ${w.op} at n = ${fmtSize(w.n)}: ${fmtNum(ratio(w))}x` : ''})`);
};
console.log('\n## Targets (n >= 4096)\n');
target('relu, clip on float16 at >= 0.9x the copy loop (raw kernels; worst: its time / the copy\'s)', bits, (r) => r.ns.raw16 / r.ns.copy, 1 / 0.9);
target('the smooth family on float16 within 1.3x the fast tier\'s float32 time per element', smooth, (r) => r.ns.float16 / r.ns.fast32, 1.3);
target('the smooth family on bfloat16 within 1.3x the fast tier\'s float32 time per element', smooth, (r) => r.ns.bfloat16 / r.ns.fast32, 1.3);
target('every other op on float16 within 2x its float32 time per element', rest, (r) => r.ns.float16 / r.ns.float32, 2);
target('every other op on bfloat16 within 2x its float32 time per element', rest, (r) => r.ns.bfloat16 / r.ns.float32, 2);
const vsOrt = big.filter((r) => Number.isFinite(r.ns.ort));
console.log(`- faster than onnxruntime-web float16: ${vsOrt.filter((r) => r.ns.ort > r.ns.float16).length} of ${vsOrt.length} (op, n) pairs`);
// The conversions every widened op pays: the cast kernels on WasmArrays, 2^16 elements.
{
  const n = 65536;
  const x32 = R.alloc(n, 'float32');
  x32.view.set(Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 6));
  const arrays = { f32: x32, f16: R.cast(x32, 'float16'), bf16: R.cast(x32, 'bfloat16') };
  const out = { f32: R.alloc(n, 'float32'), f16: R.alloc(n, 'float16'), bf16: R.alloc(n, 'bfloat16') };
  const pairs = [['f16', 'f32'], ['f32', 'f16'], ['bf16', 'f32'], ['f32', 'bf16']];
  const none = new Uint8Array(0); // (timed only: tests/half.test.mjs checks every conversion)
  const cs = pairs.map(([a, b]) => ({ name: `${a} → ${b}`, fn: fn[`${a}_to_${b}`].bind(null, arrays[a].byteOffset, out[b].byteOffset, n), args: [], output: () => none, want: none }));
  const res = await measure(cs, none, options);
  console.log(`\nConversions (raw cast kernels, n = 2^16): ${pairs.map(([a, b], i) => `${a} → ${b} ${fmt(res[i].ns / n)} ns`).join(', ')} an element`);
  for (const w of [...Object.values(arrays), ...Object.values(out)]) w.free();
}

// A contender that gave a wrong answer (or threw) fails the run (tests/bench.test.mjs).
if (results.some((r) => r.errors.length)) process.exitCode = 1;
