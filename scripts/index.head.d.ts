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

// Symbol.dispose exists in the types only where the program's lib declares it (esnext,
// esnext.disposable, or a polyfill's augmentation): naming it outright breaks older libs, and
// declaring it ourselves would claim it for engines without it. So WasmArray's dispose method
// is keyed by the lib's own symbol, or absent.
type DisposeKey = SymbolConstructor extends { readonly dispose: infer K extends symbol } ? K : never;
type Disposing = { [K in DisposeKey]: () => void };

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
  readonly [Symbol.toStringTag]: 'WasmArray';
  /** Brands the dtype, so WasmArray<'int8'> and WasmArray<'float32'> are different types. */
  private readonly __dtype?: D;
}
/** `[Symbol.dispose]()`, as free() but a no-op after it (where the lib has Symbol.dispose). */
export interface WasmArray<D extends DType = DType> extends Disposing {}

export type FloatArray = Float32Array | Float64Array;
export type SignedArray = FloatArray | Int32Array | Int16Array | Int8Array;
export type AnyArray = SignedArray | Uint8Array;

/**
 * The dtype of an array type: a WasmArray's own, or the ones a typed array's class holds
 * (Uint16Array: float16 and bfloat16). By class only: a Float32Array over an ArrayBuffer
 * (TypeScript 5.7+'s `new Float32Array(n)`) is float32 too.
 */
type DTypeOf<X> = X extends WasmArray<infer D> ? D : { [D in DType]: X extends ArrayOf[D] ? D : never }[DType];
/** A typed array of one of the dtypes of A, or a WasmArray of the same. */
type Arg<A> = A | WasmArray<DTypeOf<A>>;
/** Another array of the same dtype as X (further inputs, outputs), in JS or wasm memory. */
type Like<X> = ArrayOf[DTypeOf<X>] | WasmArray<DTypeOf<X>>;
/** A new typed array of T's class: what T's slice() returns (TypeScript 5.7+: over an ArrayBuffer, whatever T's buffer). */
type Fresh<T> = T extends { slice(): infer R } ? R : never;
/**
 * An op's result: `out` when one is given (O, never when not), else a new array like X (the
 * runtime's newArray): a WasmArray of its dtype for a WasmArray, a typed array of its class for
 * a typed array.
 */
type Out<X, O = never> = [O] extends [never] ? (X extends WasmArray<infer D> ? WasmArray<D> : Fresh<X>) : Given<O>;
/**
 * O as such, but out of TypeScript's reach when it infers O from where the result goes: in
 * `const y: WasmArray = relu(x)` O would become a WasmArray (the deferred index hides it).
 */
type Given<O> = [O][O extends unknown ? 0 : never];
type IntDType = 'int32' | 'int16' | 'int8' | 'uint8';
/** Options that apply only to integer (quantized) dtypes: allowed only when X is one. */
type IntOnly<X, O> = X extends Int32Array | Int16Array | Int8Array | Uint8Array | WasmArray<IntDType> ? O : {};

// URL and WebAssembly are the host's (lib "dom", @types/node), not ECMAScript's: a program with
// a plain ES lib has neither, so each is named only where declared (else never: strings, bytes).
type HostURL = typeof globalThis extends { URL: { prototype: infer U } } ? U : never;
type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M : never;

export interface InitOptions {
  /** 'auto' (default): SIMD where WebAssembly.validate says the engine has it. */
  simd?: 'auto' | boolean;
  /** The wasm itself (bytes or compiled), for apps that load it their own way. */
  wasmBinary?: ArrayBuffer | ArrayBufferView | WasmModule;
  /** Where the .wasm files are: a base URL/path, or file name ('relu.wasm' | 'relu-simd.wasm') → URL. */
  locateFile?: string | HostURL | ((file: 'relu.wasm' | 'relu-simd.wasm') => string | HostURL);
  /** A pool of this many threads for long compute-bound calls ('auto': the cores, at most 8): Node, Deno, Bun, and cross-origin isolated pages; elsewhere one thread, with a warning. */
  threads?: number | 'auto';
  /* the table's init-able params (scripts/gen-types.mjs) */
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
export function cast<D extends FloatDType, X extends Arg<Float32Array | Float64Array | Uint16Array>, O extends ArrayOf[D] | WasmArray<D> = never>(x: X, dtype: D, out?: O): Out<X extends WasmArray ? WasmArray<D> : ArrayOf[D], O>;
// (out alone and the options object are separate overloads, as for the ops: in one parameter
// `O | { out?: O }`, TypeScript would take an options object without out for O.)
export function cast<D extends FloatDType, X extends Arg<Float32Array | Float64Array | Uint16Array>, O extends ArrayOf[D] | WasmArray<D> = never>(x: X, dtype: D, options: { out?: O; from?: FloatDType }): Out<X extends WasmArray ? WasmArray<D> : ArrayOf[D], O>;
/** Bytes malloc'ed in wasm memory now (WasmArrays plus fixed scratch), for leak checks. */
export function heapUsed(): number;
/** Size of wasm memory now. */
export function memoryBytes(): number;
/** Threads a long call may run on: init({ threads })'s pool, else 1. */
export function threads(): number;
/** Ends init({ threads })'s workers: later calls long enough to split throw, shorter ones still run. */
export function terminate(): void;
/**
 * op(...args) with its slices on init({ threads })'s pool, without blocking the calling thread
 * (a page's main thread): a promise of the op's result. The arrays must be WasmArrays.
 */
export function parallel<A extends unknown[], R>(op: (...args: A) => R, ...args: A): Promise<R>;

/** Where the channel axis is: channels-last (default), or channels-first with the inner size H·W or a shape. */
export type Layout = 'nhwc' | { layout: 'nhwc' } | { layout: 'nchw'; inner: number } | { layout: 'nchw'; shape: number[] };
/** A layout object with prelu's fused bias (C values of x's dtype, added to x first). */
export type BiasLayout<X> = ({ layout?: 'nhwc'; shape?: number[] } | { layout: 'nchw'; inner: number } | { layout: 'nchw'; shape: number[] }) & { bias: Like<X> };

/**
 * The fused bias of an activation or backward pass: bias[c] added to x (rounded to its dtype)
 * before the op, channel c as prelu's layouts: i mod C (nhwc), floor(i / inner) mod C (nchw).
 */
export type BiasOptions<X> = { bias?: Like<X>; layout?: 'nhwc' | 'nchw'; inner?: number; shape?: number[] };

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
