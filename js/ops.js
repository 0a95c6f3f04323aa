// The one table of ops × dtypes. Everything else derives from it: the C++ kernel list
// (scripts/gen-ops.mjs), the public functions (js/core.js), their exports and declarations
// with docs (scripts/gen-api.mjs writes js/public.js and js/index.d.ts), the argument model
// (js/signature.js) that tests, benchmarks and the demo call ops through. Adding an op is one
// struct in cpp/ops.h plus one row here (plus its oracle in tests/fixtures/gen.py): README.md,
// "Adding an op".
//
// kind — calling convention of the kernel (cpp/drivers.h) and of the JS function:
//   map       y = f(x; params)           op(x, ...params, out?)
//   map2      dx = f(dy, x; params)      op(dy, x, ...params, out?)
//   channel   f with a per-channel param op(x, slope, layout?, out?)
//   channel2  its backward pass          op(dy, x, slope, layout?, { dx, dslope }?) → { dx, dslope }
//   count     per-unit counts            op(y, ...params)
// A row: name; kind; dtypes; doc (one line: what it computes); numpy (the oracle's
// expression); torch / onnx / tfjs (the frameworks' names for it, for the docs); params;
// cname (the cpp/ops.h struct whose math the kernel runs, when not `name`); fixed (kernel
// parameter values of an op that is another op's kernel with constants); js (one element in plain JS, with the
// params already rounded to the dtype: the benchmarks' plain-JS contender and the tests'
// sweep model); bench (for bench/: how TensorFlow.js and onnxruntime-web compute it, and
// `plain`, other ways users write it in plain JS, each { name, js } with js like the row's,
// or on the elements' integer bits with `bits: true`, so the fastest plain JS is the anchor).
// A param: name, doc, default (absent: required), example (a typical value, for docs, tests
// and benchmarks), rule, option (given in the options object, not by position), ints (only
// for integer dtypes; float dtypes use the default). Rules, checked in js/args.js:
//   element  a value of the dtype: non-NaN for floats, an integer in range for integers
//   number   any number but NaN
//   count    a positive integer (units, channels)

export const DTYPES = {
  f32: { name: 'float32', Array: Float32Array, bytes: 4, float: true },
  f64: { name: 'float64', Array: Float64Array, bytes: 8, float: true },
  i32: { name: 'int32', Array: Int32Array, bytes: 4, min: -(2 ** 31), max: 2 ** 31 - 1 },
  i16: { name: 'int16', Array: Int16Array, bytes: 2, min: -(2 ** 15), max: 2 ** 15 - 1 },
  i8: { name: 'int8', Array: Int8Array, bytes: 1, min: -128, max: 127 },
  u8: { name: 'uint8', Array: Uint8Array, bytes: 1, min: 0, max: 255 },
};

const FLOATS = ['f32', 'f64'];
const SIGNED = ['f32', 'f64', 'i32', 'i16', 'i8'];
const ALL = ['f32', 'f64', 'i32', 'i16', 'i8', 'u8'];

const alpha = { name: 'alpha', default: 0.01, doc: 'slope for x ≤ 0 (rounded to the dtype first)' };
const bounds = [
  { name: 'lo', example: -1, doc: 'lower bound' },
  { name: 'hi', example: 1, doc: 'upper bound (lo > hi gives hi everywhere, as numpy, PyTorch and ONNX do)' },
];
const units = { name: 'units', rule: 'count', example: 4, doc: 'columns of the row-major [rows, units] matrix y' };

export const OPS = [
  {
    name: 'relu', kind: 'map', dtypes: ALL,
    doc: 'ReLU: max(x, 0); on integer (quantized) data max(x, zeroPoint).',
    numpy: 'np.maximum(x, 0)', torch: 'torch.relu(x)', onnx: 'Relu', tfjs: 'tf.relu(x)',
    params: [{ name: 'zeroPoint', default: 0, option: true, ints: true, example: 3, doc: 'the quantized zero: y = max(x, zeroPoint)' }],
    js: (x, zeroPoint) => (x > zeroPoint ? x : zeroPoint),
    bench: {
      tfjs: (tf, x) => tf.relu(x), onnx: { op: 'Relu' }, onnxInts: { op: 'Clip', inputs: ['zeroPoint'] },
      plain: [{ name: 'Math.max', js: (x, zeroPoint) => Math.max(x, zeroPoint) }, { name: 'int32 sign mask', bits: true, js: (b) => b & ~(b >> 31) }],
    },
  },
  {
    name: 'reluGrad', kind: 'map', dtypes: SIGNED,
    doc: "ReLU's derivative: 1 where x > 0, else 0 (in x's dtype).",
    numpy: '(x > 0).astype(x.dtype)', torch: '(x > 0).to(x.dtype)',
    params: [],
    js: (x) => (x > 0 ? 1 : 0),
    bench: { tfjs: (tf, x) => tf.step(x) },
  },
  {
    name: 'reluBackward', kind: 'map2', dtypes: SIGNED,
    doc: "ReLU's backward pass: dy where x > 0, else 0.",
    numpy: 'np.where(x > 0, dy, 0)', torch: 'torch.ops.aten.threshold_backward(dy, x, 0)',
    params: [],
    js: (dy, x) => (x > 0 ? dy : 0),
    // TensorFlow.js's own relu gradient; it has no fused reluBackward.
    bench: { tfjs: (tf, dy, x) => tf.tidy(() => tf.mul(dy, tf.step(x))) },
  },
  {
    name: 'leakyRelu', kind: 'map', dtypes: FLOATS,
    doc: 'Leaky ReLU: x where x > 0, else alpha·x.',
    numpy: 'np.where(x > 0, x, alpha * x)', torch: 'torch.nn.functional.leaky_relu(x, alpha)', onnx: 'LeakyRelu', tfjs: 'tf.leakyRelu(x, alpha)',
    params: [alpha],
    js: (x, alpha) => (x > 0 ? x : alpha * x),
    bench: {
      tfjs: (tf, x, alpha) => tf.leakyRelu(x, alpha), onnx: { op: 'LeakyRelu', attributes: ['alpha'] },
      plain: [{ name: 'Math.max(x, αx)', js: (x, alpha) => Math.max(x, alpha * x) }],
    },
  },
  {
    name: 'leakyReluBackward', kind: 'map2', dtypes: FLOATS,
    doc: "Leaky ReLU's backward pass: dy where x > 0, else alpha·dy.",
    numpy: 'np.where(x > 0, dy, alpha * dy)',
    params: [alpha],
    js: (dy, x, alpha) => (x > 0 ? dy : alpha * dy),
  },
  {
    name: 'relu6', kind: 'map', cname: 'clip', fixed: [0, 6], dtypes: SIGNED,
    doc: 'ReLU6: min(max(x, 0), 6).',
    numpy: 'np.minimum(np.maximum(x, 0), 6)', torch: 'torch.nn.functional.relu6(x)', onnx: 'Clip(x, 0, 6)', tfjs: 'tf.relu6(x)',
    params: [],
    js: (x) => (x <= 0 ? 0 : x >= 6 ? 6 : x),
    bench: { tfjs: (tf, x) => tf.relu6(x), onnx: { op: 'Clip', inputs: [0, 6] }, plain: [{ name: 'Math.min(Math.max)', js: (x) => Math.min(Math.max(x, 0), 6) }] },
  },
  {
    name: 'clip', kind: 'map', dtypes: ALL,
    doc: 'Clamp: min(max(x, lo), hi); integer dtypes take integer bounds (the quantized domain).',
    numpy: 'np.minimum(np.maximum(x, lo), hi)', torch: 'torch.clamp(x, lo, hi)', onnx: 'Clip', tfjs: 'tf.clipByValue(x, lo, hi)',
    params: bounds,
    js: (x, lo, hi) => (x <= lo ? lo : x >= hi ? hi : x),
    bench: {
      tfjs: (tf, x, lo, hi) => tf.clipByValue(x, lo, hi), onnx: { op: 'Clip', inputs: ['lo', 'hi'] },
      plain: [{ name: 'Math.min(Math.max)', js: (x, lo, hi) => Math.min(Math.max(x, lo), hi) }],
    },
  },
  {
    name: 'clipBackward', kind: 'map2', dtypes: FLOATS,
    doc: "Clamp's backward pass: dy where lo < x < hi (strictly), else 0.",
    numpy: 'np.where((x > lo) & (x < hi), dy, 0)',
    params: bounds,
    js: (dy, x, lo, hi) => (x > lo && x < hi ? dy : 0),
  },
  {
    name: 'prelu', kind: 'channel', cname: 'leakyRelu', dtypes: FLOATS,
    doc: 'Parametric ReLU: x where x > 0, else slope[c]·x, for the channel c of each element.',
    numpy: 'np.where(x > 0, x, s * x), s = slope broadcast per channel', torch: 'torch.nn.functional.prelu(x, slope)', onnx: 'PRelu', tfjs: 'tf.prelu(x, slope)',
    params: [],
    js: (x, slope) => (x > 0 ? x : slope * x),
    bench: { tfjs: (tf, x, slope) => tf.prelu(x, slope), onnx: { op: 'PRelu', inputs: ['slope'] } },
  },
  {
    name: 'preluBackward', kind: 'channel2', cname: 'leakyReluBackward', dtypes: FLOATS,
    doc: "Parametric ReLU's backward pass: dx = dy where x > 0, else slope[c]·dy; dslope[c] = Σ x·dy over channel c where x ≤ 0.",
    numpy: 'dx: np.where(x > 0, dy, s * dy); dslope[c]: Σ over channel c of np.where(x > 0, 0, x * dy)',
    params: [],
    js: (dy, x, slope) => (x > 0 ? dy : slope * dy),
  },
  {
    name: 'thresholdedRelu', kind: 'map', dtypes: FLOATS,
    doc: 'Thresholded ReLU: x where x > alpha, else 0.',
    numpy: 'np.where(x > alpha, x, 0)', torch: 'torch.nn.functional.threshold(x, alpha, 0)', onnx: 'ThresholdedRelu',
    params: [{ name: 'alpha', default: 1, doc: 'the threshold (rounded to the dtype first)' }],
    js: (x, alpha) => (x > alpha ? x : 0),
    bench: { onnx: { op: 'ThresholdedRelu', attributes: ['alpha'] } },
  },
  {
    name: 'thresholdedReluBackward', kind: 'map2', dtypes: FLOATS,
    doc: "Thresholded ReLU's backward pass: dy where x > alpha, else 0.",
    numpy: 'np.where(x > alpha, dy, 0)',
    params: [{ name: 'alpha', default: 1, doc: 'the threshold (rounded to the dtype first)' }],
    js: (dy, x, alpha) => (x > alpha ? dy : 0),
  },
  {
    name: 'activity', kind: 'count', summary: 'fraction', dtypes: SIGNED,
    doc: 'For y = [rows, units] (row-major): per unit, the fraction of rows with y > 0 (a Float32Array).',
    numpy: '((y > 0).sum(0) / rows).astype(np.float32)',
    params: [units],
    js: (y) => y > 0,
  },
  {
    name: 'deadUnits', kind: 'count', summary: 'dead', cname: 'activity', dtypes: SIGNED,
    doc: 'For y = [rows, units] (row-major): the units with y ≤ 0 (or NaN) in every row, the dead ones (an Int32Array).',
    numpy: 'np.nonzero((y > 0).sum(0) == 0)[0]',
    params: [units],
    js: (y) => y > 0,
  },
];

// Kernels that exist only as measuring sticks for bench/ (never public).
export const REFERENCE = [
  { name: 'copy', kind: 'map', dtypes: ['f32'], params: [] },
  { name: 'memcpy', cname: 'memcpy_', kind: 'bulk', dtypes: ['f32'], params: [] },
];

export const DTYPE_BY_NAME = Object.fromEntries(Object.entries(DTYPES).map(([k, d]) => [d.name, k]));

/** Names of the wasm kernel table, in the order the C++ side lists them (scripts/gen-ops.mjs). */
export const KERNELS = [...OPS, ...REFERENCE]
  .flatMap((op) => op.dtypes.map((dt) => `${dt}_${op.name}`))
  .concat(['malloc', 'free', 'heap_used']);

/** XNNPACK-style implementation name: dtype, op, ISA, elements per main-loop iteration. */
export function implName(op, dt, variant) {
  const lanes = 16 / DTYPES[dt].bytes;
  const unroll = variant === 'scalar' ? 1 : ['map', 'map2', 'channel'].includes(op.kind) ? 4 * lanes : lanes;
  return `${dt}_${op.name}__${variant === 'scalar' ? 'scalar' : 'wasmsimd'}_u${unroll}`;
}
