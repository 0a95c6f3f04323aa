// The dtypes: the JS array of each, its size, its range or float format. Shared by the table
// (js/ops.js) and the runtime.
export const DTYPES = {
  f32: { name: 'float32', Array: Float32Array, bytes: 4, float: true },
  f64: { name: 'float64', Array: Float64Array, bytes: 8, float: true },
  i32: { name: 'int32', Array: Int32Array, bytes: 4, min: -(2 ** 31), max: 2 ** 31 - 1 },
  i16: { name: 'int16', Array: Int16Array, bytes: 2, min: -(2 ** 15), max: 2 ** 15 - 1 },
  i8: { name: 'int8', Array: Int8Array, bytes: 1, min: -128, max: 127 },
  u8: { name: 'uint8', Array: Uint8Array, bytes: 1, min: 0, max: 255 },
  // 16-bit floats: a Float16Array where the engine has one (float16), else the bits in a
  // Uint16Array, which an op takes with { dtype } said (js/args.js). `bits`: the JS array holds
  // bit patterns, not numbers.
  f16: { name: 'float16', Array: globalThis.Float16Array ?? Uint16Array, bytes: 2, float: true, half: true, bits: globalThis.Float16Array === undefined },
  bf16: { name: 'bfloat16', Array: Uint16Array, bytes: 2, float: true, half: true, bits: true },
};

export const DTYPE_BY_NAME = Object.fromEntries(Object.entries(DTYPES).map(([k, d]) => [d.name, k]));

/** dtype key by a typed array's tag (its class name); a Uint16Array is no dtype by itself (its bits need { dtype }). */
export const DTYPE_BY_TAG = Object.fromEntries(Object.entries(DTYPES).filter(([, d]) => !d.bits).map(([k, d]) => [d.Array.name, k]));

/** Wasm memory's limit: -sMAXIMUM_MEMORY's default in Emscripten 3.1.6, 2 GiB. */
export const MAX_WASM_BYTES = 2 ** 31;
