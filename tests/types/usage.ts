// Compiled (not run) by tests/types.test.mjs with tsc --strict under every lib configuration
// (es2020 to esnext, with and without dom): what a TypeScript user writes must type-check, and
// each @ts-expect-error line must be an error. What needs dom or Symbol.dispose: dom.ts, dispose.ts.
import {
  init, ready, variant, parallel, threads, terminate, relu, reluGrad, reluBackward, leakyRelu, leakyReluBackward, relu6, clip, clipBackward,
  prelu, preluBackward, activity, deadUnits, alloc, from, cast, WasmArray, heapUsed, memoryBytes, ops,
  gelu, geluBackward, silu, softplus, swishBackward, sigmoid, hardSwish, swiglu, swigluBackward, glu, shrink, softsign,
} from 'relu-wasm';
import type { Equal, Expect } from './expect.js';

export async function usage(): Promise<void> {
  const api = await init({ simd: 'auto', locateFile: (f) => `/static/${f}` });
  const v: 'simd' | 'scalar' = api.variant;
  await ready;
  await init({ wasmBinary: new Uint8Array(8) }); // bytes: any lib (a WebAssembly.Module or a URL: dom.ts)
  await init({ precision: 'fast' }); // the smooth family's default precision
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
  i8.free(); // (i8[Symbol.dispose](): dispose.ts, where the lib has Symbol.dispose)
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
  // @ts-expect-error: precision is 'exact' or 'fast'
  silu(x, { precision: 'quick' });
  // @ts-expect-error: in init() too
  await init({ precision: 'quick' });
  // @ts-expect-error: relu has no precision
  relu(x, { precision: 'fast' });
  // @ts-expect-error: the smooth family is float32 only
  sigmoid(new Float64Array(2));
}

// The smooth family: float32 in, float32 out; parameters by position or name.
{
  const x = new Float32Array(8);
  const g: Float32Array = gelu(x, { approximate: 'tanh' });
  const gf: Float32Array = gelu(x, { approximate: 'tanh', precision: 'fast' });
  const sf: Float32Array = swishBackward(x, x, 1.702, { precision: 'exact', out: x });
  const d: Float32Array = geluBackward(x, x, { approximate: 'none', out: x });
  const s: Float32Array = softplus(x, 1, Infinity);
  const w = swishBackward(from(x), from(x), { beta: 1.702 });
  const v: Float32Array = w.view;
  const h: Float64Array = hardSwish(new Float64Array(2), 1, 3, 6);
  void [g, d, s, v, h];

  // Gated, two arrays or one packed; shrink and softsign.
  const sw: Float32Array = swiglu(x, x, 1.702, { precision: 'fast' });
  const sp: Float32Array = swiglu(x, { packed: 'interleaved', alpha: 1.702, limit: 7, upBias: 1 });
  const gp: WasmArray<'float32'> = glu(from(x), { packed: 'halves', gate: 'second', width: 4 });
  const sh: Float64Array = shrink(new Float64Array(2), 0.5, 0.5);
  const ss: Float32Array = softsign(x);
  const pb: Float32Array = swigluBackward(x.subarray(0, 4), x, { packed: 'interleaved', limit: 7, upBias: 1, precision: 'fast' });
  void [sw, sp, gp, sh, ss, pb];
  // @ts-expect-error: packed is 'halves' or 'interleaved'
  swiglu(x, { packed: 'pairs' });
  // @ts-expect-error: the packed form needs packed
  glu(x, { gate: 'second' });

  // The fused bias; a backward pass asked for dbias returns { dx, dbias }.
  const rb: Float32Array = relu(x, { bias: new Float32Array(2) });
  const gb: Float32Array = gelu(x, { bias: x, layout: 'nchw', inner: 2, precision: 'fast' });
  const wb: WasmArray<'float32'> = silu(from(x), { bias: from(new Float32Array(4)), layout: 'nhwc' });
  const { dx: bdx, dbias } = reluBackward(x, x, { bias: new Float32Array(4), dbias: true });
  const bd: Float32Array = dbias;
  const bw: WasmArray<'float32'> = geluBackward(from(x), from(x), { dbias: true, bias: from(new Float32Array(4)) }).dbias;
  const plain: Float32Array = reluBackward(x, x, { bias: new Float32Array(4) });
  const lb: Float32Array = leakyReluBackward(x, x, 0.1, { bias: x, dbias: true }).dbias;
  const ln: Float32Array = leakyReluBackward(x, x, { alpha: 0.1, bias: x, dbias: x }).dx;
  void [rb, gb, wb, bdx, bd, bw, plain, lb, ln];
  const pr: Float32Array = prelu(x, new Float32Array(1), { layout: 'nchw', inner: 2, bias: x.subarray(0, 4) });
  const { dbias: pdb }: { dbias: Float32Array } = preluBackward(x, x, new Float32Array(4), { bias: x.subarray(0, 4) }, { dbias: true });
  void [pr, pdb];
  const pw: Promise<unknown> = parallel(silu, from(x), { out: alloc(8) });
  const nt: number = threads();
  terminate();
  void [pw, nt];
  // @ts-expect-error: the bias has x's dtype
  relu(x, { bias: new Float64Array(2) });
  // @ts-expect-error: layout is 'nhwc' or 'nchw'
  relu(x, { bias: x, layout: 'nwhc' });

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

// Results follow the input: a typed array in, a new typed array of its class out (over an
// ArrayBuffer, as `new Float32Array(n)`); a WasmArray in, a WasmArray of its dtype out; `out`
// given, that array out (in either memory). Counts are JS arrays whatever y is.
export function results(): void {
  const x = new Float32Array(8);
  const s = new Float32Array([0.25]);
  const u16 = new Uint16Array(8);
  const w = from(x);
  const ws = from(s);
  type F32 = Float32Array<ArrayBuffer>;

  const r1 = relu(x);
  const r2 = relu(new Int8Array(4), { zeroPoint: 3 });
  const r3 = relu(u16, { dtype: 'float16' });
  const r4 = relu(w.view); // a view of wasm memory in: a new array in JS memory out
  const r5 = gelu(new Uint8Array(4), { scale: 0.05, outScale: 1 / 256 });
  const r6 = relu(w);
  const r7 = relu(alloc(4, 'int8'), { zeroPoint: 3 });
  const r8 = sigmoid(from(u16, 'bfloat16'));
  type Fresh = [
    Expect<Equal<typeof r1, F32>>,
    Expect<Equal<typeof r2, Int8Array<ArrayBuffer>>>,
    Expect<Equal<typeof r3, Uint16Array<ArrayBuffer>>>,
    Expect<Equal<typeof r4, F32>>,
    Expect<Equal<typeof r5, Uint8Array<ArrayBuffer>>>,
    Expect<Equal<typeof r6, WasmArray<'float32'>>>,
    Expect<Equal<typeof r7, WasmArray<'int8'>>>,
    Expect<Equal<typeof r8, WasmArray<'bfloat16'>>>,
  ];

  // out given: the result is out, whichever memory it is in.
  const o1 = relu(x, w);
  const o2 = relu(w, x);
  const o3 = relu(x, { out: w });
  const o4 = leakyRelu(x, 0.1, { out: w });
  const o5 = leakyRelu(x, { alpha: 0.1, out: w });
  const o6 = relu(x, w.view); // (any buffer: a view of wasm memory is a Float32Array too)
  const o7 = clip(w, -1, 1, x);
  type Given = [
    Expect<Equal<typeof o1, WasmArray<'float32'>>>,
    Expect<Equal<typeof o2, typeof x>>,
    Expect<Equal<typeof o3, WasmArray<'float32'>>>,
    Expect<Equal<typeof o4, WasmArray<'float32'>>>,
    Expect<Equal<typeof o5, WasmArray<'float32'>>>,
    Expect<Equal<typeof o6, Float32Array>>,
    Expect<Equal<typeof o7, typeof x>>,
  ];

  // An options object without out leaves the result to the input.
  const n1 = leakyRelu(x, { alpha: 0.1 });
  const n2 = leakyRelu(x, 0.1, {});
  const n3 = leakyRelu(w, { alpha: 0.1 });
  const n4 = hardSwish(new Float64Array(2), { alpha: 1 / 6 });
  type NoOut = [
    Expect<Equal<typeof n1, F32>>,
    Expect<Equal<typeof n2, F32>>,
    Expect<Equal<typeof n3, WasmArray<'float32'>>>,
    Expect<Equal<typeof n4, Float64Array<ArrayBuffer>>>,
  ];

  // Two inputs: the result is like the first (dy).
  const b1 = reluBackward(x, w);
  const b2 = reluBackward(w, x);
  const b3 = geluBackward(x, x, { approximate: 'tanh' });
  type Backward = [
    Expect<Equal<typeof b1, F32>>,
    Expect<Equal<typeof b2, WasmArray<'float32'>>>,
    Expect<Equal<typeof b3, F32>>,
  ];

  // Per channel: like x (prelu) or dy (preluBackward); out in the layout's place too.
  const p1 = prelu(x, s);
  const p2 = prelu(w, s);
  const p3 = prelu(x, ws, { layout: 'nchw', inner: 4 });
  const p4 = prelu(x, s, w);
  const p5 = prelu(x, s, 'nhwc', w);
  const p6 = preluBackward(x, w, ws);
  const p7 = preluBackward(w, x, s);
  const p8 = preluBackward(x, x, s, 'nhwc', { dx: w });
  type Channel = [
    Expect<Equal<typeof p1, F32>>,
    Expect<Equal<typeof p2, WasmArray<'float32'>>>,
    Expect<Equal<typeof p3, F32>>,
    Expect<Equal<typeof p4, WasmArray<'float32'>>>,
    Expect<Equal<typeof p5, WasmArray<'float32'>>>,
    Expect<Equal<typeof p6, { dx: F32; dslope: F32 }>>,
    Expect<Equal<typeof p7, { dx: WasmArray<'float32'>; dslope: WasmArray<'float32'> }>>,
    Expect<Equal<typeof p8, { dx: WasmArray<'float32'>; dslope: F32 }>>,
  ];

  // Counts: small summaries in JS memory, whatever y is.
  const a1 = activity(w, 4);
  const a2 = activity(new Float64Array(8), { units: 4 });
  const d1 = deadUnits(from(new Int8Array(8)), 4);
  type Count = [
    Expect<Equal<typeof a1, Float32Array>>,
    Expect<Equal<typeof a2, Float32Array>>,
    Expect<Equal<typeof d1, Int32Array>>,
  ];

  // cast: the dtype asked, in the input's memory (issue 20: a typed array in was typed
  // `Uint16Array | WasmArray<'bfloat16'>`).
  const c1 = cast(new Float32Array(3), 'bfloat16');
  const c2 = cast(u16, 'float64', { from: 'float16' });
  const c3 = cast(w, 'float16');
  const c4 = cast(from(u16, 'bfloat16'), 'float32');
  const c5 = cast(x, 'float64', alloc(8, 'float64'));
  const c6 = cast(w, 'bfloat16', { out: u16 });
  type Cast = [
    Expect<Equal<typeof c1, Uint16Array<ArrayBuffer>>>,
    Expect<Equal<typeof c2, Float64Array<ArrayBuffer>>>,
    Expect<Equal<typeof c3, WasmArray<'float16'>>>,
    Expect<Equal<typeof c4, WasmArray<'float32'>>>,
    Expect<Equal<typeof c5, WasmArray<'float64'>>>,
    Expect<Equal<typeof c6, typeof u16>>,
  ];

  // Either kind in (a union): either out.
  const either: Float32Array | WasmArray<'float32'> = Math.random() < 0.5 ? x : w;
  const e1 = relu(either);
  type Either = Expect<Equal<typeof e1, F32 | WasmArray<'float32'>>>;

  // @ts-expect-error: a typed array in gives a typed array out
  const notW: WasmArray = relu(x);
  // @ts-expect-error: a WasmArray in gives a WasmArray out
  const notT: Float32Array = relu(w);
  // @ts-expect-error: cast of a typed array is a typed array
  const notWc: WasmArray<'bfloat16'> = cast(new Float32Array(3), 'bfloat16');
  // @ts-expect-error: out given: the result is out (here a WasmArray)
  const notO: Float32Array = relu(x, { out: w });
  // @ts-expect-error: cast's out holds the dtype asked
  cast(x, 'float64', alloc(8, 'float32'));
  // @ts-expect-error: out in the options must have the input's dtype too
  relu(x, { out: alloc(8, 'int8') });
  // @ts-expect-error: dx must have dy's dtype
  preluBackward(x, x, s, 'nhwc', { dx: alloc(8, 'float64') });
  // @ts-expect-error: an nchw layout needs inner or shape (and is not taken for out)
  prelu(x, s, { layout: 'nchw' });
  // @ts-expect-error: activity's fractions are a Float32Array whatever y is
  const notF64: Float64Array = activity(new Float64Array(8), 4);
  void [notW, notT, notWc, notO, notF64];
  void (null as unknown as [Fresh, Given, NoOut, Backward, Channel, Count, Cast, Either]);
}
