// The hand-written part of js/index.d.ts: scripts/gen-api.mjs appends the op declarations,
// generated from js/ops.js. Semantics of every op: README.md, "Semantics".

export type DType = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int32' | 'int16' | 'int8' | 'uint8';
/** The float formats cast() converts between. */
export type FloatDType = 'float32' | 'float64' | 'float16' | 'bfloat16';

// float16 and bfloat16 are bits in a Uint16Array (a call says which with { dtype }); a
// Float16Array also works as float16 where the engine has one.
type ArrayOf = {
  float32: Float32Array;
  float64: Float64Array;
  float16: Uint16Array;
  bfloat16: Uint16Array;
  int32: Int32Array;
  int16: Int16Array;
  int8: Int8Array;
  uint8: Uint8Array;
};

/** An array in wasm memory: ops on WasmArrays copy nothing. Free it (or `using`). */
export declare class WasmArray<D extends DType = DType> {
  private constructor();
  readonly length: number;
  readonly dtype: D;
  /** Byte address in wasm memory. */
  readonly byteOffset: number;
  readonly freed: boolean;
  /** A typed array over the data, valid until wasm memory next grows (any alloc may grow it). */
  readonly view: ArrayOf[D];
  /** A copy in JS memory. */
  toArray(): ArrayOf[D];
  /** Releases the memory; using the array afterwards throws a TypeError. */
  free(): void;
  [Symbol.dispose](): void;
  readonly [Symbol.toStringTag]: 'WasmArray';
  /** Brands the dtype, so WasmArray<'int8'> and WasmArray<'float32'> are different types. */
  private readonly __dtype?: D;
}

export type FloatArray = Float32Array | Float64Array;
export type SignedArray = FloatArray | Int32Array | Int16Array | Int8Array;
export type AnyArray = SignedArray | Uint8Array;

/** A typed array of one of the dtypes or a WasmArray; results follow the input's kind. */
/** The dtype of a typed array type. */
type DTypeOf<A> = { [D in DType]: A extends ArrayOf[D] ? (ArrayOf[D] extends A ? D : never) : never }[DType];
/** A typed array of one of the dtypes of A, or a WasmArray of the same. */
type Arg<A> = A | WasmArray<DTypeOf<A>>;
/** Another array of the same dtype as X (further inputs, outputs). */
type Like<X> = X extends WasmArray<infer D> ? WasmArray<D> | ArrayOf[D] : X | WasmArray<DTypeOf<X>>;
/** The result follows the input: a WasmArray of its dtype, or a typed array of its type. */
type Out<A, X> = X extends WasmArray<infer D> ? WasmArray<D> : X extends A ? X : A;
type IntDType = 'int32' | 'int16' | 'int8' | 'uint8';
/** Options that apply only to integer (quantized) dtypes: allowed only when X is one. */
type IntOnly<X, O> = X extends Int32Array | Int16Array | Int8Array | Uint8Array | WasmArray<IntDType> ? O : {};

export interface InitOptions {
  /** 'auto' (default): SIMD where WebAssembly.validate says the engine has it. */
  simd?: 'auto' | boolean;
  /** The wasm itself (bytes or compiled), for apps that load it their own way. */
  wasmBinary?: BufferSource | WebAssembly.Module;
  /** Where the .wasm files are: a base URL/path, or file name ('relu.wasm' | 'relu-simd.wasm') → URL. */
  locateFile?: string | URL | ((file: 'relu.wasm' | 'relu-simd.wasm') => string | URL);
}

export interface Api {
  readonly variant: 'simd' | 'scalar';
}

/** Loads the module once; later calls return the same promise (a failed load may be retried). */
export function init(options?: InitOptions): Promise<Api>;
/** Awaiting it runs init() with default options, or joins the init() already running. */
export const ready: PromiseLike<Api> & { catch: Promise<Api>['catch']; finally: Promise<Api>['finally'] };
/** 'simd' or 'scalar' once init() resolved, else null. */
export const variant: 'simd' | 'scalar' | null;

export function alloc<D extends DType = 'float32'>(n: number, dtype?: D): WasmArray<D>;
export function from(array: Float32Array): WasmArray<'float32'>;
/** A Uint16Array of 16-bit float bits: its dtype is required. */
export function from<D extends 'float16' | 'bfloat16'>(array: Uint16Array, dtype: D): WasmArray<D>;
export function from(array: Float64Array): WasmArray<'float64'>;
export function from(array: Int32Array): WasmArray<'int32'>;
export function from(array: Int16Array): WasmArray<'int16'>;
export function from(array: Int8Array): WasmArray<'int8'>;
export function from(array: Uint8Array): WasmArray<'uint8'>;
/**
 * Converts between float32, float64, float16 and bfloat16: round to nearest even, overflow to
 * ±inf, subnormals exact, NaN kept quiet with its sign (and payload where it fits). The result
 * is a WasmArray for a WasmArray x, else a typed array of dtype (float16: a Float16Array where
 * the engine has one, else a Uint16Array of bits). `from` names a Uint16Array's format.
 */
export function cast<D extends FloatDType>(x: Arg<Float32Array | Float64Array | Uint16Array>, dtype: D, out?: ArrayOf[D] | WasmArray<D> | { out?: ArrayOf[D] | WasmArray<D>; from?: FloatDType }): ArrayOf[D] | WasmArray<D>;
/** Bytes malloc'ed in wasm memory now (WasmArrays plus fixed scratch), for leak checks. */
export function heapUsed(): number;
/** Size of wasm memory now. */
export function memoryBytes(): number;

/** Where the channel axis is: channels-last (default), or channels-first with the inner size H·W or a shape. */
export type Layout = 'nhwc' | { layout: 'nhwc' } | { layout: 'nchw'; inner: number } | { layout: 'nchw'; shape: number[] };

/** A scalar parameter of an op (a row of `ops`). */
export interface OpParam {
  name: string;
  /** One line: what it is. */
  doc: string;
  /** Used when the argument is omitted; absent: the parameter is required. */
  default?: number | string;
  /** A typical value (docs, tests, benchmarks). */
  example?: number | string;
  /** What values are accepted: 'element' (default; a value of the dtype: non-NaN for floats, an in-range integer for integers), 'number' (any but NaN), 'finite', 'positive' (finite, > 0), 'count' (a positive integer), 'choice' (one of `choices`). */
  rule?: 'element' | 'number' | 'finite' | 'positive' | 'count' | 'choice';
  /** The strings a 'choice' parameter accepts. */
  choices?: readonly string[];
  /** Given in the options object (the last argument) instead of by position. */
  option?: boolean;
  /** Only for integer dtypes (float dtypes use the default). */
  ints?: boolean;
}

/** One op of the table every op is generated from (js/ops.js). */
export interface OpRow {
  name: string;
  /** Calling convention: map op(x, ...params, out?); map2 op(dy, x, ...params, out?); channel op(x, slope, layout?, out?); channel2 op(dy, x, slope, layout?, { dx, dslope }?); count op(y, ...params). */
  kind: 'map' | 'map2' | 'channel' | 'channel2' | 'count';
  /** Accepted dtypes (keys: 'f32' = float32, 'f64', 'i32', 'i16', 'i8', 'u8'). */
  dtypes: Array<'f32' | 'f64' | 'i32' | 'i16' | 'i8' | 'u8'>;
  /** One line: what it computes. */
  doc: string;
  /** The numpy expression that defines it (the oracle of the tests). */
  numpy: string;
  /** The PyTorch, ONNX and TensorFlow.js equivalents, where they exist. */
  torch?: string;
  onnx?: string;
  tfjs?: string;
  /** Scalar parameters, in call order (option ones from the options object). */
  params: OpParam[];
  /** The op computed on one element in plain JS (params already rounded to the dtype); for smooth ops a double-precision formula (absent where JS lacks the function: gelu). */
  js?: (...elementsThenParams: number[]) => number | boolean;
  /** A smooth op: the exact function rounded once to float32 (README, "Accuracy"), not a numpy expression. */
  smooth?: boolean;
}
/** The table every op is generated from. */
export const ops: readonly OpRow[];
