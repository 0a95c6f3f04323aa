// The gated ops (js/ops.js kind gated: out = f(gate)·up) against their activation alone and
// the unfused pair (the activation into out, then out *= up in a JS loop over the views: what
// a caller without the fused op writes), each tier, on WasmArrays, float32; and the packed
// form on the same gate and up, as halves ([gate | up]) and interleaved pairs. Prints ns per
// element and the targets: the fused op within 1.15× the activation alone, and at
// least 1.4× faster than the unfused pair. Anchors: onnxruntime-web on the row's unfused ONNX
// nodes (bench.onnxGraph), TensorFlow.js's wasm backend composed (bench.tfjs), both at the
// default params and the exact tier's rows (they are float32 approximations either way: held
// to 1e-4 relative or 1e-6 absolute, since their gelu loses the negative tail to 1 + erf).
//   node bench/gated.mjs [--quick] [--sizes 4096,65536]
import { loadContext } from './context.mjs';
import { graphModel } from '../scripts/onnx-model.mjs';
import { OPS } from '../js/ops.js';
import { callArgs, exampleValues } from '../js/signature.js';
import { engineInfo, fmtNum, fmtSize, mdTable, measure } from './harness.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sizes = (args.includes('--sizes') ? args[args.indexOf('--sizes') + 1].split(',') : quick ? ['4096'] : ['4096', '65536', '1048576']).map(Number);
const options = quick ? { samples: 3, minSamples: 3, batchMs: 1, warmupRounds: 1, maxWarmupMs: 200 } : { samples: 9, batchMs: 4 };

const { R, tf, ort } = await loadContext('simd');
await tf.setBackend('wasm');
// The anchors, the gated ops unfused: onnxruntime-web (wasm, one thread) on the row's
// bench.onnxGraph nodes through session.run, and TensorFlow.js's wasm backend on tensors.
const f32 = (name) => ({ name, dtype: 'float32', dims: ['n'] });
const sessions = new Map();
async function sessionOf(row) {
  if (!sessions.has(row.name)) {
    const model = graphModel({ nodes: row.bench.onnxGraph, inputs: [f32('gate'), f32('up')], outputs: [f32('result')], opset: 20 });
    sessions.set(row.name, await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }));
  }
  return sessions.get(row.name);
}
const results = [];
for (const row of OPS.filter((r) => r.kind === 'gated')) {
  const act = OPS.find((r) => r.name === row.gates.fn);
  const rename = row.gates.params ?? {};
  for (const precision of row.params.some((p) => p.name === 'precision') ? ['exact', 'fast'] : ['—']) {
    const values = { ...exampleValues(row, 'f32'), ...(precision === '—' ? {} : { precision }) };
    const actValues = Object.fromEntries(Object.entries(values).map(([k, v]) => [rename[k] ?? k, v]).filter(([k]) => act.params.some((p) => p.name === k)));
    for (const n of sizes) {
      const gate = R.from(Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 6));
      const up = R.from(Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.11)));
      const out = R.alloc(n);
      const halves = R.alloc(2 * n), pairs = R.alloc(2 * n);
      halves.view.set(gate.view), halves.view.set(up.view, n);
      for (let i = 0, p = pairs.view, g = gate.view, u = up.view; i < n; i++) p[2 * i] = g[i], p[2 * i + 1] = u[i];
      const fused = callArgs(row, { ...values, gate, up, out });
      const packed = (x, how) => [x, { ...values, packed: how, out }];
      const alone = callArgs(act, { ...actValues, x: gate, out });
      const want = R[row.name](...fused).toArray();
      const unfused = () => {
        R[act.name](...alone);
        const o = out.view, u = up.view;
        for (let i = 0; i < n; i++) o[i] *= u[i];
        return out;
      };
      // (anchors at the default params only: swiglu's ONNX nodes are alpha 1, geglu's erf form)
      const anchored = precision !== 'fast' && Object.entries(exampleValues(row, 'f32')).every(([k, v]) => k === 'precision' || v === row.params.find((p) => p.name === k).default);
      const session = anchored && row.bench?.onnxGraph ? await sessionOf(row) : null;
      const gt = anchored && row.bench?.tfjs ? tf.tensor(gate.toArray()) : null, ut = gt ? tf.tensor(up.toArray()) : null;
      const holder = { y: null };
      const contenders = [
        { key: 'fused', name: `${row.name} (one call)`, fn: R[row.name], args: fused, output: (w) => w.toArray(), want },
        ...(session ? [{
          key: 'ort', name: 'onnxruntime-web session.run (unfused nodes)', async: true, tol: 1e-4, abs: 1e-6, want,
          fn: async () => (await session.run({ gate: new ort.Tensor('float32', gate.view, [n]), up: new ort.Tensor('float32', up.view, [n]) })).result.data, args: [],
        }] : []),
        ...(gt ? [{
          key: 'tf', name: 'tfjs-wasm op on tensors (composed)', tol: 1e-4, abs: 1e-6, want,
          fn: () => { holder.y?.dispose(); return (holder.y = row.bench.tfjs(tf, gt, ut)); }, args: [], output: (y) => y.dataSync(),
        }] : []),
        { key: 'halves', name: `${row.name} packed: 'halves'`, fn: R[row.name], args: packed(halves, 'halves'), output: (w) => w.toArray(), want },
        { key: 'interleaved', name: `${row.name} packed: 'interleaved'`, fn: R[row.name], args: packed(pairs, 'interleaved'), output: (w) => w.toArray(), want },
        { key: 'alone', name: `${act.name} alone`, fn: R[act.name], args: alone, output: () => want, want },
        { key: 'unfused', name: `${act.name}, then out *= up`, fn: unfused, args: [], output: (w) => w.toArray(), want, tol: 2.5e-7 },
      ];
      const res = await measure(contenders, want, options);
      const ns = Object.fromEntries(contenders.map((c, i) => [c.key, res[i].error ? NaN : res[i].ns / n]));
      results.push({ op: row.name, act: act.name, precision, n, ns, errors: res.filter((r) => r.error).map((r) => `${r.name}: ${r.error}`) });
      [gate, up, out, halves, pairs].forEach((w) => w.free());
      [gt, ut, holder.y].forEach((t) => t?.dispose());
    }
  }
}

// The backward passes (kind gated2): one call for { dgate, dup } against the unfused ones (dy·up
// in a JS loop, f's backward pass on it for dgate; f into dup, then dup *= dy).
const backward = [];
for (const row of OPS.filter((r) => r.kind === 'gated2')) {
  const fwd = OPS.find((r) => r.name === row.name.replace(/Backward$/, ''));
  const act = OPS.find((r) => r.name === fwd.gates.fn);
  const actBack = OPS.find((r) => r.name === `${act.name}Backward`);
  const rename = fwd.gates.params ?? {};
  for (const precision of row.params.some((p) => p.name === 'precision') ? ['exact', 'fast'] : ['—']) {
    const values = { ...exampleValues(row, 'f32'), ...(precision === '—' ? {} : { precision }) };
    const actValues = Object.fromEntries(Object.entries(values).map(([k, v]) => [rename[k] ?? k, v]).filter(([k]) => act.params.some((p) => p.name === k)));
    for (const n of sizes) {
      const [dy, gate, up, dgate, dup, t] = [0, 1, 2, 3, 4, 5].map((k) => R.from(Float32Array.from({ length: n }, (_, i) => Math.sin(i * (0.37 + 0.1 * k)) * (k === 1 ? 6 : 1))));
      const pairs = R.alloc(2 * n), dx = R.alloc(2 * n);
      for (let i = 0, p = pairs.view, g = gate.view, u = up.view; i < n; i++) p[2 * i] = g[i], p[2 * i + 1] = u[i];
      const unpair = () => {
        const v = dx.view, a = new Float32Array(2 * n);
        for (let i = 0; i < n; i++) a[i] = v[2 * i], a[n + i] = v[2 * i + 1];
        return a;
      };
      const fused = callArgs(row, { ...values, dy, gate, up, dgate, dup });
      const ref = R[row.name](...callArgs(row, { ...values, dy, gate, up }));
      const want = Float32Array.from([...ref.dgate.toArray(), ...ref.dup.toArray()]);
      ref.dgate.free(), ref.dup.free();
      const both = () => Float32Array.from([...dgate.toArray(), ...dup.toArray()]);
      const unfused = () => {
        const tv = t.view, d = dy.view, u = up.view;
        for (let i = 0; i < n; i++) tv[i] = d[i] * u[i];
        R[actBack.name](...callArgs(actBack, { ...actValues, dy: t, x: gate, out: dgate }));
        R[act.name](...callArgs(act, { ...actValues, x: gate, out: dup }));
        const o = dup.view;
        for (let i = 0; i < n; i++) o[i] *= d[i];
      };
      const contenders = [
        { key: 'fused', name: `${row.name} (one call)`, fn: R[row.name], args: fused, output: both, want },
        { key: 'unfused', name: `${act.name} and ${actBack.name} unfused`, fn: unfused, args: [], output: both, want, tol: 1e-6 },
        { key: 'packed', name: `${row.name} packed: 'interleaved' → dx`, fn: R[row.name], args: [dy, pairs, { ...values, ...(precision === '—' ? {} : { precision }), packed: 'interleaved', dx }], output: unpair, want },
      ];
      const res = await measure(contenders, want, options);
      const ns = Object.fromEntries(contenders.map((c, i) => [c.key, res[i].error ? NaN : res[i].ns / n]));
      backward.push({ op: row.name, precision, n, ns, errors: res.filter((r) => r.error).map((r) => `${r.name}: ${r.error}`) });
      [dy, gate, up, dgate, dup, t, pairs, dx].forEach((w) => w.free());
    }
  }
}

// (the anchors run once per op and n, at the exact tier's row; the fast row is held to the same numbers)
for (const r of results) {
  const exact = results.find((q) => q.op === r.op && q.n === r.n && q.precision === 'exact');
  if (r.precision === 'fast' && exact) for (const k of ['ort', 'tf']) r.ns[k] ??= exact.ns[k];
}
const e = engineInfo();
console.log(`# Gated ops, float32 (${e.runtime}, V8 ${e.v8}, ${e.platform})\n`);
console.log('ns per element, median, WasmArrays (SIMD build); unfused: the activation into out, then a JS loop multiplying by up\n');
const fmt = (v) => (Number.isFinite(v) ? fmtNum(v, v < 1 ? 3 : 2) : '—');
console.log(mdTable(['op', 'precision', 'n', 'fused', 'packed halves', 'packed interleaved', 'activation alone', 'unfused', 'onnxruntime-web', 'TF.js', 'fused / alone', 'unfused / fused', 'ORT / fused', 'TF.js / fused'],
  results.map((r) => [r.op, r.precision, fmtSize(r.n), fmt(r.ns.fused), fmt(r.ns.halves), fmt(r.ns.interleaved), fmt(r.ns.alone), fmt(r.ns.unfused), fmt(r.ns.ort), fmt(r.ns.tf),
    fmtNum(r.ns.fused / r.ns.alone), fmtNum(r.ns.unfused / r.ns.fused), r.ns.ort ? fmtNum(r.ns.ort / r.ns.fused) : '—', r.ns.tf ? fmtNum(r.ns.tf / r.ns.fused) : '—'])));
for (const r of results) for (const x of r.errors) console.log(`- ${r.op} ${r.precision} n = ${r.n}: ${x}`);
console.log('\n## Backward passes: { dgate, dup } in one call against the unfused calls\n');
console.log(mdTable(['op', 'precision', 'n', 'one call', 'packed interleaved', 'unfused', 'unfused / one call'],
  backward.map((r) => [r.op, r.precision, fmtSize(r.n), fmt(r.ns.fused), fmt(r.ns.packed), fmt(r.ns.unfused), fmtNum(r.ns.unfused / r.ns.fused)])));
for (const r of backward) for (const x of r.errors) console.log(`- ${r.op} ${r.precision} n = ${r.n}: ${x}`);
const count = (f) => `${results.filter(f).length} of ${results.length}`;
console.log('\n## Targets (n >= 4096)\n');
console.log(`- fused within 1.15x the activation alone: ${count((r) => r.ns.fused / r.ns.alone <= 1.15)} (op, precision, n)`);
console.log(`- fused at least 1.4x faster than the unfused pair: ${count((r) => r.ns.unfused / r.ns.fused >= 1.4)}`);
