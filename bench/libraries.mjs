// The other libraries' contenders of one table, from the row's `bench` field (js/ops.js):
//   bench.tfjs(tf, ...tensors, ...params) → tensor: TensorFlow.js, wasm and cpu backends
//   bench.onnx / bench.onnxInts (integer dtypes): { op, opset?, attributes?: [param names, or
//     [ONNX's name, the param's]],
//     inputs?: [constants, param names or per-channel input names] }: onnxruntime-web, one-node
//     models encoded by scripts/onnx-model.mjs
// A row without them, or a dtype the library lacks, gets a note in the table instead.
import { DTYPES } from '../js/ops.js';
import { KINDS, paramsFor } from '../js/signature.js';
import { arrays } from './kinds.mjs';
import { ELEM, oneNodeModel } from '../scripts/onnx-model.mjs';

const TF_DTYPES = ['float32', 'int32'];

/** Appends the TensorFlow.js and onnxruntime-web contenders (main process only). */
export async function addLibraries(ctx, s, n, ortCache, { named, values, C, add, frees, notes, tol, abs }) {
  const { row, dt } = s;
  const kind = arrays(row.kind);
  const dname = DTYPES[dt].name;
  const shape = kind.channels ? [n / C, C] : [n];
  const ins = kind.inputs.map((k) => named[k]);
  const intOnly = paramsFor(row, dt).filter((p) => p.ints).map((p) => p.name);

  // TensorFlow.js: wasm and cpu backends. Each contender's tensors live on its backend; enter()
  // switches the engine's backend before that contender's batch (untimed).
  const tfjs = row.bench?.tfjs;
  if (!tfjs) notes.push('TensorFlow.js: the table gives no equivalent (no bench.tfjs)');
  else if (!TF_DTYPES.includes(dname)) notes.push(`TensorFlow.js: no ${dname} dtype`);
  else if (intOnly.length) notes.push(`TensorFlow.js: no ${intOnly.join(', ')} on ${dname}`);
  else {
    const { tf } = ctx;
    const params = paramsFor(row, dt).map((p) => values[p.name]);
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const enter = () => (tf.getBackend() === backend ? undefined : tf.setBackend(backend));
      // Per-channel inputs are weights: tensors made once, like a layer's.
      const weights = KINDS[row.kind].inputs.filter((k) => !kind.inputs.includes(k)).map((k) => tf.tensor1d(named[k], dname));
      const op = kind.inputs.length === 1 ? (a) => tfjs(tf, a, ...weights, ...params) : (a, b) => tfjs(tf, a, b, ...weights, ...params);
      const tensors = ins.map((a) => tf.tensor(a, shape, dname));
      const holder = { y: null };
      frees.push({ free: () => { tensors.forEach((x) => x.dispose()); weights.forEach((x) => x.dispose()); holder.y?.dispose(); } });
      add({
        key: `tf-${backend}-op`, cls: 'heap', enter, tol, abs, name: `tfjs-${backend} op(tensor)`,
        fn: (op, h, a, b) => { h.y?.dispose(); return (h.y = op(a, b)); },
        args: [op, holder, ...tensors],
        output: (y) => y.dataSync(),
      });
      add({
        key: `tf-${backend}-e2e`, cls: 'js', enter, tol, abs, name: `tfjs-${backend} array → tensor → op → dataSync`,
        fn: (op, shape, x0, x1) => {
          const a = tf.tensor(x0, shape, dname);
          const b = x1 === undefined ? undefined : tf.tensor(x1, shape, dname);
          const y = op(a, b);
          const d = y.dataSync();
          a.dispose();
          b?.dispose();
          y.dispose();
          return d;
        },
        args: [op, shape, ...ins],
      });
    }
  }

  // onnxruntime-web, wasm EP, one thread: end to end through session.run.
  const which = DTYPES[dt].float ? 'onnx' : 'onnxInts';
  const onnx = row.bench?.[which];
  if (!onnx) notes.push(`onnxruntime-web: the table gives no one-node ONNX equivalent${DTYPES[dt].float ? '' : ' on integer dtypes'} (no bench.${which})`);
  else if (!ELEM[dname]) notes.push(`onnxruntime-web: scripts/onnx-model.mjs encodes no ${dname}`);
  else {
    const { ort } = ctx;
    const extra = (onnx.inputs ?? []).map((v) => (typeof v !== 'string' ? [String(v), [v], []] : named[v] ? [v, named[v], [named[v].length]] : [`${v} = ${values[v]}`, [values[v]], []]));
    const attrs = (onnx.attributes ?? []).map((a) => (typeof a === 'string' ? [a, values[a]] : [a[0], values[a[1]]]));
    const label = `${onnx.op}(${[...kind.inputs, ...extra.map(([l]) => l)].join(', ')}${attrs.map(([a, v]) => `; ${a} = ${v}`).join('')})`;
    const key = kind.channels ? C : 0; // the model depends on n only through C
    if (!ortCache.has(key)) {
      const dims = kind.channels ? ['n', C] : ['n'];
      const initializers = extra.map(([, v, d], i) => ({ name: `c${i}`, dtype: dname, dims: d, values: v }));
      const model = oneNodeModel({
        op: onnx.op,
        opset: onnx.opset,
        attributes: Object.fromEntries(attrs),
        inputs: kind.inputs.map((k) => ({ name: k, dtype: dname, dims })),
        outputs: [{ name: 'result', dtype: dname, dims }],
        initializers,
      });
      ortCache.set(key, await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }));
    }
    const feeds = (a, b) => {
      const f = { [kind.inputs[0]]: new ort.Tensor(dname, a, shape) };
      if (b !== undefined) f[kind.inputs[1]] = new ort.Tensor(dname, b, shape);
      return f;
    };
    add({
      key: 'ort', cls: 'js', tol, abs, name: `onnxruntime-web ${label} session.run`, async: true,
      fn: async (session, feeds, a, b) => (await session.run(feeds(a, b))).result.data,
      args: [ortCache.get(key), feeds, ...ins],
    });
  }
}
