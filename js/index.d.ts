// Types for relu-wasm. Semantics of every op: README.md, "Semantics".

export type DType = 'float32' | 'float64' | 'int32' | 'int16' | 'int8' | 'uint8';

type ArrayOf = {
  float32: Float32Array;
  float64: Float64Array;
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
}

export type FloatArray = Float32Array | Float64Array;
export type SignedArray = FloatArray | Int32Array | Int16Array | Int8Array;
export type AnyArray = SignedArray | Uint8Array;

/** A typed array of one of the dtypes or a WasmArray; results follow the input's kind. */
type Arg<A> = A | WasmArray;
type Out<A, X> = X extends WasmArray ? WasmArray : A;

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
export function from(array: Float64Array): WasmArray<'float64'>;
export function from(array: Int32Array): WasmArray<'int32'>;
export function from(array: Int16Array): WasmArray<'int16'>;
export function from(array: Int8Array): WasmArray<'int8'>;
export function from(array: Uint8Array): WasmArray<'uint8'>;
/** Bytes malloc'ed in wasm memory now (WasmArrays plus fixed scratch), for leak checks. */
export function heapUsed(): number;
/** Size of wasm memory now. */
export function memoryBytes(): number;

/** max(x, 0); integers: max(x, zeroPoint) (quantized uint8/int8). out === x works in place. */
export function relu<A extends AnyArray, X extends Arg<A>>(x: X, out?: Arg<A> | { out?: Arg<A>; zeroPoint?: number }): Out<A, X>;
/** 1 where x > 0, else 0, in x's dtype. */
export function reluGrad<A extends SignedArray, X extends Arg<A>>(x: X, out?: Arg<A>): Out<A, X>;
/** dy where x > 0, else 0. */
export function reluBackward<A extends SignedArray, X extends Arg<A>>(dy: X, x: Arg<A>, out?: Arg<A>): Out<A, X>;
/** x > 0 ? x : alpha·x (alpha defaults to 0.01). */
export function leakyRelu<A extends FloatArray, X extends Arg<A>>(x: X, alpha?: number, out?: Arg<A>): Out<A, X>;
/** dy where x > 0, else alpha·dy. */
export function leakyReluBackward<A extends FloatArray, X extends Arg<A>>(dy: X, x: Arg<A>, alpha?: number, out?: Arg<A>): Out<A, X>;
/** min(max(x, 0), 6). */
export function relu6<A extends SignedArray, X extends Arg<A>>(x: X, out?: Arg<A>): Out<A, X>;
/** min(max(x, lo), hi), lo <= hi; integer dtypes take integer bounds (quantized domain). */
export function clip<A extends AnyArray, X extends Arg<A>>(x: X, lo: number, hi: number, out?: Arg<A>): Out<A, X>;
/** dy where lo < x < hi (strictly), else 0. */
export function clipBackward<A extends FloatArray, X extends Arg<A>>(dy: X, x: Arg<A>, lo: number, hi: number, out?: Arg<A>): Out<A, X>;

/** Where the channel axis is: channels-last (default), or channels-first with the inner size H·W or a shape. */
export type Layout = 'nhwc' | { layout: 'nhwc' } | { layout: 'nchw'; inner: number } | { layout: 'nchw'; shape: number[] };
/** x > 0 ? x : slope[c]·x; slope has length 1 or C. */
export function prelu<A extends FloatArray, X extends Arg<A>>(x: X, slope: Arg<A>, layout?: Layout | Arg<A>, out?: Arg<A>): Out<A, X>;
/** dx = dy where x > 0, else slope[c]·dy; dslope[c] = Σ x·dy over channel c where x <= 0. */
export function preluBackward<A extends FloatArray, X extends Arg<A>>(
  dy: X,
  x: Arg<A>,
  slope: Arg<A>,
  layout?: Layout,
  outs?: { dx?: Arg<A>; dslope?: Arg<A> },
): { dx: Out<A, X>; dslope: Out<A, X> };

/** For y = [rows, units] (row-major): per unit, the fraction of rows with y > 0. */
export function activity(y: Arg<SignedArray>, units: number): Float32Array;
/** Units with y <= 0 (or NaN) in every row: the dead ones. */
export function deadUnits(y: Arg<SignedArray>, units: number): Int32Array;

export interface OpRow {
  name: string;
  kind: 'map' | 'map2' | 'channel' | 'channel2' | 'count';
  dtypes: Array<'f32' | 'f64' | 'i32' | 'i16' | 'i8' | 'u8'>;
  params: Array<{ name: string; default?: number; option?: boolean; ints?: boolean }>;
}
/** The table every op is generated from. */
export const ops: readonly OpRow[];
