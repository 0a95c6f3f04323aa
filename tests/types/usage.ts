// Compiled (not run) by tests/types.test.mjs with tsc --strict: what a TypeScript user writes
// must type-check, and each @ts-expect-error line must be an error.
import {
  init, ready, variant, relu, reluGrad, reluBackward, leakyRelu, leakyReluBackward, relu6, clip, clipBackward,
  prelu, preluBackward, activity, deadUnits, alloc, from, cast, WasmArray, heapUsed, memoryBytes, ops,
  gelu, geluBackward, softplus, swishBackward, sigmoid, hardSwish,
} from 'relu-wasm';

export async function usage(): Promise<void> {
  const api = await init({ simd: 'auto', locateFile: (f) => `/static/${f}` });
  const v: 'simd' | 'scalar' = api.variant;
  await ready;
  const now: 'simd' | 'scalar' | null = variant;

  const x = new Float32Array(8);
  const y: Float32Array = relu(x);
  relu(x, x);
  relu(new Int8Array(4), { zeroPoint: 3 });
  const g: Float64Array = reluGrad(new Float64Array(4));
  reluBackward(x, x, x);
  leakyRelu(x, 0.1, x);
  leakyRelu(x, { alpha: 0.1, out: x });
  clip(x, { lo: -1, hi: 1 });
  activity(x, { units: 4 });
  leakyReluBackward(x, x, 0.2);
  relu6(new Int16Array(2));
  clip(new Uint8Array(4), 3, 200);
  clipBackward(x, x, -1, 1);
  prelu(x, new Float32Array([0.25]), { layout: 'nchw', inner: 4 });
  prelu(x, new Float32Array(2), 'nhwc', x);
  const { dx, dslope } = preluBackward(x, x, new Float32Array(2));
  const d: Float32Array = dx;
  const a: Float32Array = activity(x, 4);
  const dead: Int32Array = deadUnits(x, 4);

  const w: WasmArray<'float32'> = from(x);
  const wy = relu(w);
  const isW: WasmArray = wy;
  const view: Float32Array = w.view;
  const i8 = alloc(16, 'int8');
  const i8view: Int8Array = i8.view;
  w.free();
  i8[Symbol.dispose]();
  const n: number = heapUsed() + memoryBytes() + ops.length;
  void [v, now, y, g, dslope, d, a, dead, isW, view, i8view, n];

  // Results know their dtype: no casts (issue 14's frictions).
  const wf = from(new Float32Array(4));
  const wr: WasmArray<'float32'> = relu(wf);
  const wrv: Float32Array = wr.view;
  const q8: Uint8Array = relu(new Uint8Array(4), { zeroPoint: 3 });
  const qw: Int8Array = relu(alloc(4, 'int8'), { zeroPoint: 3, out: alloc(4, 'int8') }).view;
  const back = preluBackward(wf, wf, from(new Float32Array([0.25])));
  const dsv: Float32Array = back.dslope.view;
  const lr: Float64Array = leakyRelu(new Float64Array(2), { alpha: 0.2 });
  void [wr, wrv, q8, qw, dsv, lr];
  // @ts-expect-error: a zero point is for integer (quantized) data only
  relu(new Float32Array(4), { zeroPoint: 1 });
  // @ts-expect-error: a float32 WasmArray's view is not an Int8Array
  const wrong: Int8Array = relu(wf).view;
  // @ts-expect-error: out must have the input's dtype
  relu(wf, alloc(4, 'int8'));
  // @ts-expect-error: plain arrays are not accepted
  relu([1, 2]);
  // @ts-expect-error: leakyRelu is for floats, and requantized int8 / uint8 only
  leakyRelu(new Int16Array(2));
  // @ts-expect-error: simd takes 'auto' or a boolean
  await init({ simd: 'yes' });
  // @ts-expect-error: leakyRelu has no parameter beta
  leakyRelu(x, { beta: 1 });
  // @ts-expect-error: clip's bounds are required, by name too
  clip(x, { lo: -1 });
  // @ts-expect-error: alloc takes a dtype name
  alloc(4, 'float8');
  // @ts-expect-error: a layout is a string or an object
  prelu(x, x, 3);
  // @ts-expect-error: gelu's approximate is 'none' or 'tanh'
  gelu(x, { approximate: 'erf' });
  // @ts-expect-error: the smooth family is float32 only
  sigmoid(new Float64Array(2));
}

// The smooth family: float32 in, float32 out; parameters by position or name.
{
  const x = new Float32Array(8);
  const g: Float32Array = gelu(x, { approximate: 'tanh' });
  const d: Float32Array = geluBackward(x, x, { approximate: 'none', out: x });
  const s: Float32Array = softplus(x, 1, Infinity);
  const w = swishBackward(from(x), from(x), { beta: 1.702 });
  const v: Float32Array = w.view;
  const h: Float64Array = hardSwish(new Float64Array(2), 1, 3, 6);
  void [g, d, s, v, h];

  // float16 / bfloat16: bits in a Uint16Array, the format said; WasmArrays know theirs.
  const u16 = new Uint16Array(4);
  const hr: Uint16Array = relu(u16, { dtype: 'bfloat16' });
  const hg: Uint16Array = gelu(u16, { dtype: 'float16', approximate: 'tanh' });
  const hw: WasmArray<'float16'> = from(u16, 'float16');
  const hv: Uint16Array = sigmoid(hw).view;
  const c16: Uint16Array | WasmArray<'bfloat16'> = cast(new Float32Array(4), 'bfloat16');
  const c32 = cast(u16, 'float32', { from: 'float16' });
  void [hr, hg, hv, c16, c32];
  // @ts-expect-error: a Uint16Array's format is required by from()
  from(new Uint16Array(2));
  // @ts-expect-error: cast converts between float formats only
  cast(new Float32Array(2), 'int8');

  // Requantized int8 / uint8: every activation, with the scales and zero points.
  const rq: Int8Array = gelu(new Int8Array(4), { scale: 0.05, zeroPoint: -3, outScale: 0.02, outZeroPoint: 0 });
  const ru: Uint8Array = sigmoid(new Uint8Array(4), { scale: 0.05, outScale: 1 / 256 });
  void [rq, ru];
  // @ts-expect-error: scales are for int8 / uint8 data only
  gelu(new Float32Array(2), { scale: 0.1 });
}
