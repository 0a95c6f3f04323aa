// The one table of ops × dtypes. Everything else derives from it: the C++ kernel lists
// (scripts/gen-ops.mjs, by each kind's rule: js/kinds/index.js), the exports with their rows
// and the declarations with docs (scripts/gen-api.mjs writes js/public.js and js/index.d.ts),
// the argument model (js/signature.js) that tests, benchmarks and the demo call ops through.
// Adding an op is one struct in cpp/ops.h plus one row here plus its oracle in
// tests/oracles.py; adding a kind, one record in js/kinds/ plus one driver in cpp/drivers.h
// plus its cases (docs/adding.md).
//
// kind — how the op is called and which loop runs its kernel (a record in js/kinds/):
//   map       y = f(x; params)           op(x, ...params, out?)
//   map2      dx = f(dy, x; params)      op(dy, x, ...params, out?)
//   gated     out = f(gate)·up           op(gate, up, ...params, out?), or op(x, { packed, ... })
//   gated2    its backward pass          op(dy, gate, up, ...params, { dgate, dup }?) → { dgate, dup }
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
// or on the elements' integer bits with `bits: true`, so the fastest plain JS is the anchor;
// onnxGraph, a gated op's unfused ONNX nodes (inputs gate and up, output result: bench/gated.mjs);
// onnxBias, an onnxruntime contrib op fusing the bias, { op, domain }: bench/bias.mjs).
// fusedBias (an activation so cheap that the fused bias must be in its own loop to pay: a
// kernel of it with the sum inside, float32 and float64, cpp/bias.h bias_map; the other rows
// and dtypes add the bias a cached block at a time before their own kernel).
// exact (requantized activations, js/quant.js): f(x) in exact rational arithmetic (Q:
// js/rational.js), or null where it is irrational; only for the table entries within 2^-30
// of a rounding tie, which double cannot decide.
// A param: name, doc, default (absent: required), example (a typical value, for docs, tests
// and benchmarks), rule, option (given in the options object, not by position), ints (only
// for integer dtypes; float dtypes use the default), init (init()'s option of the same name is
// its default, js/init-params.js: map kinds only; a setting of how the function is evaluated,
// not a parameter of the function, so the oracles do not sweep it). Rules, checked in js/args.js:
//   element  a value of the dtype: non-NaN for floats, an integer in range for integers
//   number   any number but NaN
//   count    a positive integer (units, channels)

import { QUANT as Q } from './quant.js';

export { DTYPES, DTYPE_BY_NAME } from './dtypes.js';
export { CAST_DTYPES, CASTS, CORE } from './kernels.js';

// Every float op runs on the 16-bit formats too (widened to float32: cpp/drivers.h).
const FLOATS = ['f32', 'f64', 'f16', 'bf16'];
const SIGNED = ['f32', 'f64', 'f16', 'bf16', 'i32', 'i16', 'i8'];
const ALL = ['f32', 'f64', 'f16', 'bf16', 'i32', 'i16', 'i8', 'u8'];
// The smooth family: float32, and the 16-bit formats (each correctly rounded from double).
const SMOOTH = ['f32', 'f16', 'bf16'];

const alpha = { name: 'alpha', default: 0.01, doc: 'slope for x ≤ 0 (rounded to the dtype first)' };
const bounds = [
  { name: 'lo', example: -1, doc: 'lower bound' },
  { name: 'hi', example: 1, doc: 'upper bound (lo > hi gives hi everywhere, as numpy, PyTorch and ONNX do)' },
];
// hardSigmoid / hardSwish: alpha·x + beta clamped to [0, range], over range.
const hard = (alpha, beta, range) => [
  { name: 'alpha', rule: 'positive', default: alpha, doc: 'the slope (finite, > 0; rounded to the dtype first)' },
  { name: 'beta', rule: 'finite', default: beta, doc: 'the offset (finite; rounded to the dtype first)' },
  { name: 'range', rule: 'positive', default: range, doc: 'the clamp\'s top, which the result is divided by (finite, > 0; rounded to the dtype first)' },
];
const shrinkParams = [
  { name: 'lambd', default: 0.5, doc: 'the threshold: x in [−lambd, lambd] gives 0 (rounded to the dtype first; float32 for the 16-bit formats)' },
  { name: 'offset', rule: 'finite', default: 0, example: 0.5, doc: "ONNX Shrink's bias: subtracted above lambd, added below −lambd (finite; rounded as lambd; named offset here, where bias is every activation's fused per-channel bias)" },
];
const units = { name: 'units', rule: 'count', example: 4, doc: 'columns of the row-major [rows, units] matrix y' };

// A smooth op's two rows: the op (kind map) and its backward pass (kind map2, the same C++
// struct: dy·f′(x), f′ itself correctly rounded in the same sense).
// Every smooth row takes `precision` last: 'exact' (correctly rounded) or 'fast' (float32
// lanes, a proven bound: docs/accuracy.md); init({ precision }) sets the module's default.
//
// The float32 error bound of each precision in ulps, by kind (map: the ops, map2: their
// backward passes): what the exhaustive sweep proves (scripts/verify.mjs) and the one place
// the tests take their tolerance from. The 16-bit formats and requantized int8 / uint8 are
// correctly rounded (0 ulp off) at every precision.
// The gated ops (f(gate)·up) are sampled, not swept (2^64 pairs): their fast bound follows from
// f's (2 ulp: |up|·2.5 ulp(f) < 5 ulp of the product, plus its rounding), the sample checks it.
// Their backward passes (gated2): dgate's fast bound is dy·up's rounding, f′'s 3.5 ulp and the
// product's, in ulps of the result's binade (cpp/smooth.h gated_backward::Fast); dup's is the
// gated op's.
export const PRECISION_ULPS = { exact: { map: 1, map2: 1, gated: 1, gated2: 1 }, fast: { map: 2, map2: 3, gated: 6, gated2: 8 } };
const precision = {
  name: 'precision', rule: 'choice', choices: ['exact', 'fast'], default: 'exact', option: true, init: true,
  doc: `'exact': the real function rounded once; 'fast': evaluated in float32, within ${PRECISION_ULPS.fast.map} ulp (backward passes ${PRECISION_ULPS.fast.map2} ulp) on every float32 input; the 16-bit formats and requantized data are correctly rounded either way`,
};
function smooth({ backward, bench, js, params, ...row }) {
  const jsOf = (fwd) => (fwd && js ? { js } : {});
  row.params = [...params, precision];
  return [
    { ...row, kind: 'map', dtypes: SMOOTH, smooth: true, quantized: true, ...jsOf(true), bench },
    { ...row, name: `${row.name}Backward`, kind: 'map2', dtypes: SMOOTH, smooth: true, doc: backward, numpy: `dy * f'(x), f = ${row.name}  (exact, mpmath)`, torch: undefined, onnx: undefined, tfjs: undefined },
  ];
}

// A gated op's row (kind gated): f(gate)·up for the smooth f that `gates` names (its row, and
// how the op's params are f's: scripts/verify.mjs checks it against f's reference), the
// product rounded once.
// Its backward pass (kind gated2): { dgate: dy·up·f'(gate), dup: dy·f(gate) }, each rounded once.
function gated({ params, backward, ...row }) {
  const prec = { ...precision, doc: `'exact': the real f(gate)·up rounded once; 'fast': up times f evaluated in float32, within ${PRECISION_ULPS.fast.gated} ulp; the 16-bit formats are correctly rounded either way` };
  const back = { ...precision, doc: `'exact': each result the real value rounded once; 'fast': f and f′ evaluated in float32, dup within ${PRECISION_ULPS.fast.gated} ulp, dgate within ${PRECISION_ULPS.fast.gated2}; the 16-bit formats are correctly rounded either way` };
  return [
    { ...row, kind: 'gated', dtypes: SMOOTH, smooth: true, params: [...params, prec] },
    {
      name: `${row.name}Backward`, kind: 'gated2', cname: `${row.cname}Backward`, dtypes: SMOOTH, smooth: true, params: [...params, back],
      doc: backward, numpy: `dgate = dy * up * f'(gate), dup = dy * f(gate), f as ${row.name}  (exact, mpmath)`, torch: `autograd of ${row.torch}`,
    },
  ];
}

export const OPS = [
  {
    name: 'relu', kind: 'map', dtypes: ALL, quantized: true, fusedBias: true,
    doc: 'ReLU: max(x, 0); on integer (quantized) data max(x, zeroPoint).',
    numpy: 'np.maximum(x, 0)', torch: 'torch.relu(x)', onnx: 'Relu', tfjs: 'tf.relu(x)',
    params: [{ name: 'zeroPoint', default: 0, option: true, ints: true, example: 3, doc: 'the quantized zero: y = max(x, zeroPoint)' }],
    js: (x, zeroPoint) => (x > zeroPoint ? x : zeroPoint),
    exact: (Q, x) => Q.max(x, 0),
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
    name: 'leakyRelu', kind: 'map', dtypes: FLOATS, quantized: true,
    doc: 'Leaky ReLU: x where x > 0, else alpha·x.',
    numpy: 'np.where(x > 0, x, alpha * x)', torch: 'torch.nn.functional.leaky_relu(x, alpha)', onnx: 'LeakyRelu', tfjs: 'tf.leakyRelu(x, alpha)',
    params: [alpha],
    js: (x, alpha) => (x > 0 ? x : alpha * x),
    exact: (Q, x, alpha) => (Q.gt(x, 0) ? x : Q.mul(alpha, x)),
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
    name: 'relu6', kind: 'map', cname: 'clip', fixed: [0, 6], dtypes: SIGNED, quantized: true,
    doc: 'ReLU6: min(max(x, 0), 6).',
    numpy: 'np.minimum(np.maximum(x, 0), 6)', torch: 'torch.nn.functional.relu6(x)', onnx: 'Clip(x, 0, 6)', tfjs: 'tf.relu6(x)',
    params: [],
    js: (x) => (x <= 0 ? 0 : x >= 6 ? 6 : x),
    exact: (Q, x) => Q.min(Q.max(x, 0), 6),
    bench: { tfjs: (tf, x) => tf.relu6(x), onnx: { op: 'Clip', inputs: [0, 6] }, plain: [{ name: 'Math.min(Math.max)', js: (x) => Math.min(Math.max(x, 0), 6) }] },
  },
  {
    name: 'clip', kind: 'map', dtypes: ALL, quantized: true,
    doc: 'Clamp: min(max(x, lo), hi); integer dtypes take integer bounds (the quantized domain).',
    numpy: 'np.minimum(np.maximum(x, lo), hi)', torch: 'torch.clamp(x, lo, hi)', onnx: 'Clip', tfjs: 'tf.clipByValue(x, lo, hi)',
    params: bounds,
    js: (x, lo, hi) => (x <= lo ? lo : x >= hi ? hi : x),
    exact: (Q, x, lo, hi) => Q.min(Q.max(x, lo), hi),
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
    name: 'thresholdedRelu', kind: 'map', dtypes: FLOATS, quantized: true,
    doc: 'Thresholded ReLU: x where x > alpha, else 0.',
    numpy: 'np.where(x > alpha, x, 0)', torch: 'torch.nn.functional.threshold(x, alpha, 0)', onnx: 'ThresholdedRelu',
    params: [{ name: 'alpha', default: 1, doc: 'the threshold (rounded to the dtype first)' }],
    js: (x, alpha) => (x > alpha ? x : 0),
    exact: (Q, x, alpha) => (Q.gt(x, alpha) ? x : 0),
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

  {
    name: 'hardSigmoid', kind: 'map', dtypes: FLOATS, quantized: true,
    doc: 'Hard sigmoid: min(max(alpha·x + beta, 0), range) / range; the defaults are ONNX\'s and Keras\'s, PyTorch\'s is (1, 3, 6).',
    numpy: 'np.minimum(np.maximum(alpha * x + beta, 0), range) / range', torch: 'F.hardsigmoid(x) = hardSigmoid(x, 1, 3, 6)', onnx: 'HardSigmoid(alpha, beta) = hardSigmoid(x, alpha, beta, 1)',
    params: hard(0.2, 0.5, 1),
    // Math.fround at each step: float32 arithmetic, as numpy and the kernels round each operation.
    js: (x, alpha, beta, range) => Math.min(Math.max(Math.fround(Math.fround(alpha * x) + beta), 0), range) / range,
    exact: (Q, x, alpha, beta, range) => Q.div(Q.min(Q.max(Q.add(Q.mul(alpha, x), beta), 0), range), range),
    bench: { onnx: { op: 'HardSigmoid', attributes: ['alpha', 'beta'] } },
  },
  {
    name: 'hardSigmoidBackward', kind: 'map2', dtypes: FLOATS,
    doc: "Hard sigmoid's backward pass: dy·(alpha/range) where lo < x < hi (lo = −beta/alpha, hi = (range − beta)/alpha), else 0; PyTorch's rule.",
    numpy: 'np.where((x > lo) & (x < hi), dy * (alpha / range), 0)',
    params: hard(0.2, 0.5, 1),
    js: (dy, x, alpha, beta, range) => (x > Math.fround(-beta / alpha) && x < Math.fround(Math.fround(range - beta) / alpha) ? dy * Math.fround(alpha / range) : 0),
  },
  {
    name: 'hardSwish', kind: 'map', dtypes: FLOATS, quantized: true,
    doc: "Hard swish: x·min(max(alpha·x + beta, 0), range) / range; the defaults are PyTorch's x·relu6(x + 3)/6, ONNX's HardSwish is (float32(1/6), 0.5, 1).",
    numpy: 'x * np.minimum(np.maximum(alpha * x + beta, 0), range) / range', torch: 'F.hardswish(x)', onnx: 'HardSwish = hardSwish(x, Math.fround(1 / 6), 0.5, 1)',
    params: hard(1, 3, 6),
    js: (x, alpha, beta, range) => Math.fround(x * Math.min(Math.max(Math.fround(Math.fround(alpha * x) + beta), 0), range)) / range,
    exact: (Q, x, alpha, beta, range) => Q.div(Q.mul(x, Q.min(Q.max(Q.add(Q.mul(alpha, x), beta), 0), range)), range),
    bench: { plain: [{ name: 'x·relu6(x + 3)/6', js: (x) => Math.fround(x * Math.min(Math.max(Math.fround(x + 3), 0), 6)) / 6 }] },
  },
  {
    name: 'hardSwishBackward', kind: 'map2', dtypes: FLOATS,
    doc: "Hard swish's backward pass, PyTorch's rule: 0 where x < lo, dy·(x/d + e) where x ≤ hi (d = range/(2·alpha), e = beta/range: x/3 + 0.5 by default), else dy.",
    numpy: 'np.where(x < lo, 0, np.where(x <= hi, dy * (x / d + e), dy))',
    params: hard(1, 3, 6),
    js: (dy, x, alpha, beta, range) => (x < Math.fround(-beta / alpha) ? 0 : x <= Math.fround(Math.fround(range - beta) / alpha) ? dy * Math.fround(Math.fround(x / Math.fround(range / (2 * alpha))) + Math.fround(beta / range)) : dy),
  },

  {
    name: 'shrink', kind: 'map', dtypes: FLOATS, quantized: true,
    doc: "Shrink: x + offset where x < −lambd, x − offset where x > lambd, else 0 (ONNX Shrink, its bias attribute the offset); PyTorch's F.hardshrink(x, l) is shrink(x, l, 0), F.softshrink(x, l) shrink(x, l, l).",
    numpy: 'np.where(x < -lambd, x + offset, np.where(x > lambd, x - offset, 0))', torch: 'F.hardshrink(x, l) = shrink(x, l, 0); F.softshrink(x, l) = shrink(x, l, l)', onnx: 'Shrink',
    params: shrinkParams,
    js: (x, lambd, offset) => (x < -lambd ? Math.fround(x + offset) : x > lambd ? Math.fround(x - offset) : 0),
    exact: (Q, x, lambd, offset) => (Q.gt(-lambd, x) ? Q.add(x, offset) : Q.gt(x, lambd) ? Q.add(x, -offset) : 0),
    bench: { onnx: { op: 'Shrink', attributes: ['lambd', ['bias', 'offset']] } },
  },
  {
    name: 'shrinkBackward', kind: 'map2', dtypes: FLOATS,
    doc: "Shrink's backward pass (hardshrink's and softshrink's): dy where x < −lambd or x > lambd, else 0.",
    numpy: 'np.where((x < -lambd) | (x > lambd), dy, 0)', torch: 'hardshrink_backward, softshrink_backward (NaN x: dy there, 0 here)',
    params: [shrinkParams[0]],
    js: (dy, x, lambd) => (x < -lambd || x > lambd ? dy : 0),
  },

  // The smooth family (float32): the exact real function, rounded once to float32 (correctly
  // rounded but for the inputs docs/accuracy.md's table counts; never worse than 1 ulp).
  // `smooth: true` rows' js is a double-precision model (tests allow it 1 ulp).
  ...smooth({
    name: 'gelu', cname: 'gelu',
    doc: "GELU: x·Φ(x) = ½x(1 + erf(x/√2)); approximate: 'tanh' is ½x(1 + tanh(√(2/π)(x + 0.044715x³))).",
    numpy: '0.5 * x * (1 + erf(x / sqrt(2)))  (exact, mpmath)', torch: "torch.nn.functional.gelu(x, approximate='none')", onnx: 'Gelu',
    params: [{ name: 'approximate', rule: 'choice', choices: ['none', 'tanh'], default: 'none', option: true, doc: "'none': the erf form; 'tanh': the tanh approximation (exactly that function, correctly rounded)" }],
    backward: "GELU's backward pass: dy·(Φ(x) + x·φ(x)), or the tanh form's derivative.",
    bench: { onnx: { op: 'Gelu', opset: 20 }, onnxBias: { op: 'BiasGelu', domain: 'com.microsoft' }, tfjs: (tf, x) => tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))))) },
  }),
  ...smooth({
    name: 'silu', cname: 'silu',
    doc: 'SiLU (Swish with β = 1): x·σ(x) = x / (1 + e⁻ˣ).',
    numpy: 'x / (1 + exp(-x))  (exact, mpmath)', torch: 'torch.nn.functional.silu(x)', onnx: 'Swish (alpha = 1)',
    params: [],
    js: (x) => x / (1 + Math.exp(-x)),
    backward: "SiLU's backward pass: dy·σ(x)(1 + x(1 − σ(x))).",
    bench: { tfjs: (tf, x) => tf.tidy(() => tf.mul(x, tf.sigmoid(x))) },
  }),
  ...smooth({
    name: 'swish', cname: 'swish',
    doc: 'Swish: x·σ(βx) = x / (1 + e^(−βx)); β = 1.702 is QuickGELU.',
    numpy: 'x / (1 + exp(-beta * x))  (exact, mpmath)', onnx: 'Swish',
    params: [{ name: 'beta', rule: 'positive', default: 1, example: 1.702, doc: 'the sigmoid\'s scale β (finite, > 0; used as given, not rounded to float32)' }],
    js: (x, beta) => x / (1 + Math.exp(-beta * x)),
    backward: "Swish's backward pass: dy·(σ(βx) + βx·σ(βx)(1 − σ(βx))).",
    bench: { tfjs: (tf, x, beta) => tf.tidy(() => tf.mul(x, tf.sigmoid(tf.mul(x, beta)))) },
  }),
  ...smooth({
    name: 'elu', cname: 'elu',
    doc: 'ELU: x where x > 0, else α(eˣ − 1).',
    numpy: 'where(x > 0, x, alpha * expm1(x))  (exact, mpmath)', torch: 'torch.nn.functional.elu(x, alpha)', onnx: 'Elu', tfjs: 'tf.elu(x) (alpha 1 only)',
    params: [{ name: 'alpha', rule: 'finite', default: 1, doc: 'the negative side\'s scale α (finite; used as given)' }],
    js: (x, alpha) => (x > 0 ? x : alpha * Math.expm1(x)),
    backward: "ELU's backward pass: dy where x > 0, else dy·αeˣ.",
    bench: { onnx: { op: 'Elu', attributes: ['alpha'] }, tfjs: (tf, x) => tf.elu(x) }, // tfjs: alpha 1 only
  }),
  ...smooth({
    name: 'celu', cname: 'celu',
    doc: 'CELU: x where x > 0, else α(e^(x/α) − 1).',
    numpy: 'where(x > 0, x, alpha * expm1(x / alpha))  (exact, mpmath)', torch: 'torch.nn.functional.celu(x, alpha)', onnx: 'Celu',
    params: [{ name: 'alpha', rule: 'positive', default: 1, example: 2.5, doc: 'α (finite, > 0; used as given)' }],
    js: (x, alpha) => (x > 0 ? x : alpha * Math.expm1(x / alpha)),
    backward: "CELU's backward pass: dy where x > 0, else dy·e^(x/α).",
    bench: { onnx: { op: 'Celu', attributes: ['alpha'] } },
  }),
  ...smooth({
    name: 'selu', cname: 'selu',
    doc: "SELU: γx where x > 0, else γα(eˣ − 1), with PyTorch's constants by default.",
    numpy: 'gamma * where(x > 0, x, alpha * expm1(x))  (exact, mpmath)', torch: 'torch.nn.functional.selu(x)', onnx: 'Selu', tfjs: 'tf.selu(x)',
    params: [
      { name: 'alpha', rule: 'finite', default: 1.6732632423543772, doc: "α (PyTorch's 1.6732632423543772848…; ONNX's float32 default is 1.67326319217681884765625)" },
      { name: 'gamma', rule: 'finite', default: 1.0507009873554805, doc: "γ (PyTorch's 1.0507009873554804934…; ONNX's float32 default is 1.05070102214813232421875)" },
    ],
    js: (x, alpha, gamma) => gamma * (x > 0 ? x : alpha * Math.expm1(x)),
    exact: (Q, x, alpha, gamma) => (Q.gt(x, 0) ? Q.mul(gamma, x) : null), // rational on its linear side
    backward: "SELU's backward pass: dy·γ where x > 0, else dy·γαeˣ.",
    bench: { onnx: { op: 'Selu', attributes: ['alpha', 'gamma'] }, tfjs: (tf, x) => tf.selu(x) }, // tfjs: its own float32 constants
  }),
  ...smooth({
    name: 'softplus', cname: 'softplus',
    doc: 'Softplus: log(1 + e^(βx))/β, and x where βx > threshold (PyTorch); threshold: Infinity is ONNX\'s log(eˣ + 1).',
    numpy: 'where(beta * x > threshold, x, log1p(exp(beta * x)) / beta)  (exact, mpmath)', torch: 'torch.nn.functional.softplus(x, beta, threshold)', onnx: 'Softplus (threshold: Infinity)', tfjs: 'tf.softplus(x)',
    params: [
      { name: 'beta', rule: 'positive', default: 1, doc: 'β (finite, > 0; used as given)' },
      { name: 'threshold', rule: 'number', default: 20, doc: 'above it (βx > threshold) the result is x; Infinity never' },
    ],
    js: (x, beta, threshold) => (beta * x > threshold ? x : (Math.max(beta * x, 0) + Math.log1p(Math.exp(-Math.abs(beta * x)))) / beta),
    backward: "Softplus's backward pass: dy·σ(βx), and dy where βx > threshold.",
    bench: { onnx: { op: 'Softplus' }, tfjs: (tf, x) => tf.softplus(x) }, // both log(1 + eˣ): the same at the benchmark's |x| < 8
  }),
  ...smooth({
    name: 'mish', cname: 'mish',
    doc: 'Mish: x·tanh(softplus(x)) = x·tanh(log(1 + eˣ)).',
    numpy: 'x * tanh(log1p(exp(x)))  (exact, mpmath)', torch: 'torch.nn.functional.mish(x)', onnx: 'Mish',
    params: [],
    js: (x) => x * Math.tanh(Math.log1p(Math.exp(x))),
    backward: "Mish's backward pass: dy·(tanh(sp) + x·σ(x)(1 − tanh²(sp))), sp = softplus(x).",
    bench: { onnx: { op: 'Mish', opset: 18 }, tfjs: (tf, x) => tf.tidy(() => tf.mul(x, tf.tanh(tf.softplus(x)))) },
  }),
  ...smooth({
    name: 'sigmoid', cname: 'sigmoid',
    doc: 'Sigmoid (logistic): σ(x) = 1 / (1 + e⁻ˣ).',
    numpy: '1 / (1 + exp(-x))  (exact, mpmath)', torch: 'torch.sigmoid(x)', onnx: 'Sigmoid', tfjs: 'tf.sigmoid(x)',
    params: [],
    js: (x) => 1 / (1 + Math.exp(-x)),
    backward: "Sigmoid's backward pass: dy·σ(x)(1 − σ(x)).",
    bench: { onnx: { op: 'Sigmoid' }, tfjs: (tf, x) => tf.sigmoid(x) },
  }),
  ...smooth({
    name: 'tanh', cname: 'tanh_',
    doc: 'Hyperbolic tangent.',
    numpy: 'tanh(x)  (exact, mpmath)', torch: 'torch.tanh(x)', onnx: 'Tanh', tfjs: 'tf.tanh(x)',
    params: [],
    js: (x) => Math.tanh(x),
    backward: "Tanh's backward pass: dy·(1 − tanh²(x)).",
    bench: { onnx: { op: 'Tanh' }, tfjs: (tf, x) => tf.tanh(x), plain: [{ name: 'Math.tanh', js: (x) => Math.tanh(x) }] },
  }),
  ...smooth({
    name: 'softsign', cname: 'softsign',
    doc: 'Softsign: x / (1 + |x|), correctly rounded (one division of exact operands).',
    numpy: 'x / (1 + abs(x))  (exact, mpmath)', torch: 'torch.nn.functional.softsign(x)', onnx: 'Softsign',
    params: [],
    js: (x) => x / (1 + Math.abs(x)),
    backward: "Softsign's backward pass: dy / (1 + |x|)².",
    bench: { onnx: { op: 'Softsign' }, plain: [{ name: 'x / (1 + |x|)', js: (x) => x / (1 + Math.abs(x)) }] },
  }),
  // The gated activations of LLM feed-forward blocks: out = f(gate)·up, gate first (ONNX's
  // SwiGLU order), the exact product rounded once; f at the tier's precision.
  ...gated({
    name: 'swiglu', cname: 'swiglu', gates: { fn: 'swish', params: { alpha: 'beta' } },
    doc: 'SwiGLU: swish_α(gate)·up = gate·σ(α·gate)·up; α = 1 (silu: LLaMA, Qwen, Mistral), 1.702 GPT-OSS.',
    numpy: 'gate / (1 + exp(-alpha * gate)) * up  (exact, mpmath)', torch: 'F.silu(gate) * up', onnx: 'SwiGLU (opset 28)',
    params: [{ name: 'alpha', rule: 'positive', default: 1, doc: 'the sigmoid\'s scale α (finite, > 0; used as given)' }],
    js: (gate, up, alpha) => (gate / (1 + Math.exp(-alpha * gate))) * up,
    backward: "SwiGLU's backward pass: dgate = dy·up·swish_α′(gate), dup = dy·swish_α(gate).",
    bench: {
      tfjs: (tf, gate, up) => tf.tidy(() => tf.mul(tf.mul(gate, tf.sigmoid(gate)), up)),
      // (alpha 1: onnxruntime-web 1.30 refuses SwiGLU's opset 28)
      onnxGraph: [{ op: 'Sigmoid', inputs: ['gate'], outputs: ['s'] }, { op: 'Mul', inputs: ['gate', 's'], outputs: ['t'] }, { op: 'Mul', inputs: ['t', 'up'], outputs: ['result'] }],
    },
  }),
  ...gated({
    name: 'geglu', cname: 'geglu', gates: { fn: 'gelu' },
    doc: "GeGLU: gelu(gate)·up (T5 v1.1, Gemma, PaLM); approximate: 'tanh' takes gelu's tanh form.",
    numpy: '0.5 * gate * (1 + erf(gate / sqrt(2))) * up  (exact, mpmath)', torch: "F.gelu(gate, approximate='none') * up", onnx: 'Gelu then Mul',
    params: [{ name: 'approximate', rule: 'choice', choices: ['none', 'tanh'], default: 'none', option: true, doc: "'none': the erf form; 'tanh': the tanh approximation (exactly that function)" }],
    backward: "GeGLU's backward pass: dgate = dy·up·gelu′(gate), dup = dy·gelu(gate).",
    bench: {
      tfjs: (tf, gate, up) => tf.tidy(() => tf.mul(tf.mul(tf.mul(gate, 0.5), tf.add(1, tf.erf(tf.mul(gate, Math.SQRT1_2)))), up)),
      onnxGraph: [{ op: 'Gelu', inputs: ['gate'], outputs: ['t'] }, { op: 'Mul', inputs: ['t', 'up'], outputs: ['result'] }],
    },
  }),
  {
    name: 'reglu', kind: 'gated', dtypes: FLOATS, gates: { fn: 'relu' },
    doc: 'ReGLU: relu(gate)·up, one multiply.',
    numpy: 'np.maximum(gate, 0) * up', torch: 'F.relu(gate) * up',
    params: [],
    js: (gate, up) => (gate > 0 ? gate : 0) * up,
    bench: {
      tfjs: (tf, gate, up) => tf.tidy(() => tf.mul(tf.relu(gate), up)),
      onnxGraph: [{ op: 'Relu', inputs: ['gate'], outputs: ['t'] }, { op: 'Mul', inputs: ['t', 'up'], outputs: ['result'] }],
    },
  },
  {
    name: 'regluBackward', kind: 'gated2', dtypes: FLOATS,
    doc: "ReGLU's backward pass: dgate = dy·up where gate > 0, else 0; dup = dy·relu(gate).",
    numpy: 'dgate = np.where(gate > 0, dy * up, 0), dup = dy * np.maximum(gate, 0)', torch: 'autograd of F.relu(gate) * up',
    params: [],
    js: (dy, gate, up) => (gate > 0 ? dy * up : 0), // (dgate: the benchmarks' reference is the first output)
  },
  ...gated({
    name: 'glu', cname: 'glu', gates: { fn: 'sigmoid' },
    doc: 'GLU: σ(gate)·up; PyTorch\'s F.glu(x) is glu(second half, first half).',
    numpy: 'up / (1 + exp(-gate))  (exact, mpmath)', torch: 'F.glu(torch.cat([up, gate], -1))',
    params: [],
    js: (gate, up) => up / (1 + Math.exp(-gate)),
    backward: "GLU's backward pass: dgate = dy·up·σ(gate)(1 − σ(gate)), dup = dy·σ(gate).",
    bench: {
      tfjs: (tf, gate, up) => tf.tidy(() => tf.mul(tf.sigmoid(gate), up)),
      onnxGraph: [{ op: 'Sigmoid', inputs: ['gate'], outputs: ['s'] }, { op: 'Mul', inputs: ['s', 'up'], outputs: ['result'] }],
    },
  }),
];

// Kernels that exist only as measuring sticks for bench/ (never public).
export const REFERENCE = [
  { name: 'copy', kind: 'map', dtypes: ['f32'], params: [] },
  { name: 'memcpy', cname: 'memcpy_', driver: 'bulk', dtypes: ['f32'], params: [] }, // (a driver of its own, no kind)
];

// Requantized int8 / uint8 (js/quant.js): the options' docs.
const QUANT_DOCS = {
  scale: "the input's scale (finite, > 0; rounded to float32, as ONNX stores it)",
  zeroPoint: "the input's zero point (an integer of the dtype)",
  outScale: "the output's scale (finite, > 0; rounded to float32)",
  outZeroPoint: "the output's zero point (an integer of the dtype)",
};
export const QUANT = { ...Q, params: Q.params.map((p) => ({ ...p, doc: QUANT_DOCS[p.name] })) };
