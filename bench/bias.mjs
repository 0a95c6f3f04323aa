// The fused bias (js/kinds/map-bias.js): op(x, { bias, out }) against the op alone (no bias),
// against a bias-add pass then the op in place (the pass by the library's own bias kernel, the
// fastest unfused form there is), and against a JS loop adding the bias then the op (what a
// caller writes today), on WasmArrays, float32, channels-last with C channels; each forward
// row at its default precision (the smooth ones at both), and the backward passes with dbias.
// The anchors: TensorFlow.js's wasm backend, op(tf.add(x, bias)) on tensors of shape [n/C, C]
// (it fuses a bias only into matMul and conv2d), and onnxruntime-web (wasm, one thread,
// session.run) on Add then the op's node, or the contrib op that fuses the bias where the table
// names one (bench.onnxBias: BiasGelu), for the ops the table gives them.
// Prints ns per element and the targets: bias + relu at least 1.6× faster than the
// bias-add pass then relu at 2^16..2^20, the smooth ops with bias within 1.1× of the op alone.
//   node bench/bias.mjs [--quick] [--sizes 65536,1048576] [--channels 256] [--ops relu,gelu]
import { loadContext } from './context.mjs';
import { graphModel } from '../scripts/onnx-model.mjs';
import { OPS } from '../js/ops.js';
import { callArgs, exampleValues, signature } from '../js/signature.js';
import { engineInfo, fmtNum, fmtSize, mdTable, measure } from './harness.mjs';

const args = process.argv.slice(2);
const arg = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const quick = args.includes('--quick');
const sizes = arg('--sizes', quick ? '65536' : '65536,1048576').split(',').map(Number);
const C = Number(arg('--channels', '256'));
const only = arg('--ops', null)?.split(',');
const options = quick ? { samples: 3, minSamples: 3, batchMs: 1, warmupRounds: 1, maxWarmupMs: 200 } : { samples: 9, batchMs: 4 };

const { R, tf, ort } = await loadContext('simd');
const io = (name, dims) => ({ name, dtype: 'float32', dims });
// onnxruntime-web: x [rows, C] and the bias [C] into `result`, by Add then the op, or fused.
async function ortSession(onnx, values, fused) {
  const attributes = Object.fromEntries((onnx.attributes ?? []).map((a) => (typeof a === 'string' ? [a, values[a]] : [a[0], values[a[1]]])));
  // (constant inputs, as Clip's bounds: scalar initializers)
  const initializers = (onnx.inputs ?? []).map((v, i) => ({ name: `c${i}`, dtype: 'float32', dims: [], values: [typeof v === 'string' ? values[v] : v] }));
  const nodes = fused ? [{ op: fused.op, inputs: ['x', 'bias'], outputs: ['result'], domain: fused.domain }]
    : [{ op: 'Add', inputs: ['x', 'bias'], outputs: ['t'] }, { op: onnx.op, inputs: ['t', ...initializers.map((c) => c.name)], outputs: ['result'], attributes }];
  const model = graphModel({ nodes, inputs: [io('x', ['rows', C]), io('bias', [C])], outputs: [io('result', ['rows', C])], initializers, opset: onnx.opset ?? 17 });
  return ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
}
await tf.setBackend('wasm');
const fn = R._state().fn;
const rows = OPS.filter((r) => signature(r).bias && r.dtypes.includes('f32') && (only ? only.includes(r.name) : r.kind === 'map' || r.smooth || r.name === 'reluBackward'));
const results = [];
for (const row of rows) {
  const back = row.kind === 'map2';
  for (const precision of row.params.some((p) => p.name === 'precision') ? ['exact', 'fast'] : ['—']) {
    const values = { ...exampleValues(row, 'f32'), ...(precision === '—' ? {} : { precision }) };
    delete values.zeroPoint;
    for (const n of sizes) {
      const x = R.from(Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 4));
      const dy = R.from(Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.11)));
      const bias = R.from(Float32Array.from({ length: C }, (_, c) => (c % 7) * 0.25 - 0.75));
      const out = R.alloc(n), dbias = R.alloc(C);
      const plain = (input) => callArgs(row, { ...values, ...(back ? { dy } : {}), x: input, out });
      const fusedArgs = [...plain(x).slice(0, -1), { ...plainOptions(plain(x)), bias, ...(back ? { dbias } : {}) }];
      const want = (R[row.name](...fusedArgs), out.toArray());
      // The unfused bias: the library's own kernel (raw), or a JS loop over the views.
      const addWasm = () => fn.f32_bias_add(x.byteOffset, bias.byteOffset, out.byteOffset, n, C, 1, 0);
      const addJs = () => {
        const xv = x.view, bv = bias.view, o = out.view;
        for (let i = 0, c = 0; i < n; i++, c = c + 1 === C ? 0 : c + 1) o[i] = xv[i] + bv[c];
      };
      const inPlace = plain(out);
      const tfjs = !back && precision !== 'fast' && row.bench?.tfjs;
      const holder = { y: null };
      const xt = tfjs ? tf.tensor(x.toArray(), [n / C, C]) : null, bt = tfjs ? tf.tensor1d(bias.toArray()) : null;
      const tfParams = row.params.filter((p) => p.name !== 'precision' && p.name !== 'zeroPoint').map((p) => values[p.name]);
      const onnx = !back && precision !== 'fast' ? row.bench?.onnx : undefined;
      const ortRun = (s) => async () => (await s.run({ x: new ort.Tensor('float32', x.view, [n / C, C]), bias: new ort.Tensor('float32', bias.view, [C]) })).result.data;
      const anchors = onnx ? [['ort', 'onnxruntime-web Add + op, session.run', await ortSession(onnx, values)],
        ...(row.bench.onnxBias ? [['ortFused', `onnxruntime-web ${row.bench.onnxBias.op}, session.run`, await ortSession(onnx, values, row.bench.onnxBias)]] : [])] : [];
      const contenders = [
        { key: 'fused', name: `${row.name}(x, { bias })`, fn: R[row.name], args: fusedArgs, output: () => out.toArray(), want },
        { key: 'alone', name: `${row.name}(x), no bias`, fn: R[row.name], args: plain(x), output: () => want, want },
        { key: 'wasm', name: 'bias kernel, then the op in place', fn: () => (addWasm(), R[row.name](...inPlace)), args: [], output: () => out.toArray(), want },
        { key: 'js', name: 'JS loop x + b, then the op in place', fn: () => (addJs(), R[row.name](...inPlace)), args: [], output: () => out.toArray(), want },
        ...(tfjs ? [{
          key: 'tf', name: 'tfjs-wasm op(tf.add(x, b))', tol: 1e-4, abs: 1e-6,
          fn: () => { holder.y?.dispose(); return (holder.y = tf.tidy(() => tfjs(tf, tf.add(xt, bt), ...tfParams))); },
          args: [], output: (y) => y.dataSync(), want,
        }] : []),
        ...anchors.map(([key, name, s]) => ({ key, name, async: true, tol: 1e-4, abs: 1e-6, want, fn: ortRun(s), args: [] })),
      ];
      const res = await measure(contenders, want, options);
      const ns = Object.fromEntries(contenders.map((c, i) => [c.key, res[i].error ? NaN : res[i].ns / n]));
      results.push({ op: row.name, precision, n, ns, errors: res.filter((r) => r.error).map((r) => `${r.name}: ${r.error}`) });
      [x, dy, bias, out, dbias].forEach((w) => w.free());
      [xt, bt, holder.y].forEach((t) => t?.dispose());
    }
  }
}

// The options object of a call's arguments (its last, or a new one when the last is out).
function plainOptions(a) {
  const last = a[a.length - 1];
  return last instanceof R.WasmArray ? { out: last } : last;
}

const e = engineInfo();
console.log(`# Fused bias, float32, C = ${C} channels-last (${e.runtime}, V8 ${e.v8}, ${e.platform})\n`);
console.log('ns per element, median, WasmArrays (SIMD build); backward passes also sum dbias\n');
const fmt = (v) => (Number.isFinite(v) ? fmtNum(v, v < 1 ? 3 : 2) : '—');
const ratio = (v, r) => (v ? fmtNum(v / r.ns.fused) : '—');
// (the anchors run once per op and n, at the exact tier's row; the fast row is held to the same numbers)
for (const r of results) {
  const exact = results.find((q) => q.op === r.op && q.n === r.n && q.precision === 'exact');
  if (r.precision === 'fast' && exact) for (const k of ['tf', 'ort', 'ortFused']) r.ns[k] ??= exact.ns[k];
}
console.log(mdTable(['op', 'precision', 'n', 'fused', 'op alone', 'bias kernel + op', 'JS loop + op', 'TF.js add + op', 'ORT Add + op', 'ORT fused', 'fused / alone', '(kernel + op) / fused', '(JS + op) / fused', 'TF.js / fused', 'ORT / fused', 'ORT fused / fused'],
  results.map((r) => [r.op, r.precision, fmtSize(r.n), fmt(r.ns.fused), fmt(r.ns.alone), fmt(r.ns.wasm), fmt(r.ns.js), fmt(r.ns.tf), fmt(r.ns.ort), fmt(r.ns.ortFused),
    fmtNum(r.ns.fused / r.ns.alone), fmtNum(r.ns.wasm / r.ns.fused), fmtNum(r.ns.js / r.ns.fused), ratio(r.ns.tf, r), ratio(r.ns.ort, r), ratio(r.ns.ortFused, r)])));
for (const r of results) for (const x of r.errors) console.log(`- ${r.op} ${r.precision} n = ${r.n}: ${x}`);
const relu = results.filter((r) => r.op === 'relu' && r.n >= 65536);
const smooth = results.filter((r) => OPS.find((o) => o.name === r.op).smooth && r.n >= 4096);
const count = (rs, f) => `${rs.filter(f).length} of ${rs.length}`;
console.log('\n## Targets\n');
console.log(`- bias + relu at least 1.6x faster than the bias-add pass then relu (2^16..2^20): ${count(relu, (r) => r.ns.wasm / r.ns.fused >= 1.6)}; than a JS loop then relu: ${count(relu, (r) => r.ns.js / r.ns.fused >= 1.6)}`);
console.log(`- smooth ops with bias within 1.1x of the op alone: ${count(smooth, (r) => r.ns.fused / r.ns.alone <= 1.1)} (op, precision, n)`);
