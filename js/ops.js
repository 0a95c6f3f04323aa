// The one table of ops × dtypes. scripts/gen-ops.mjs turns it into the C++ kernel list
// (instantiation + registration); js/api.js builds the public functions from it; tests and
// benchmarks iterate over it. Adding an op: one kernel in cpp/ops.h plus one row here.
//
// kind   — calling convention of the kernel (see cpp/drivers.h):
//   map    y = f(x; a, b)            inputs: x
//   map2   dx = f(dy, x; a, b)       inputs: dy, x
// params — scalar parameters passed as (a, b); `default` is used when the caller omits one.

export const DTYPES = {
  f32: { name: 'float32', Array: Float32Array, bytes: 4, float: true },
  f64: { name: 'float64', Array: Float64Array, bytes: 8, float: true },
  i32: { name: 'int32', Array: Int32Array, bytes: 4, min: -(2 ** 31), max: 2 ** 31 - 1 },
  i16: { name: 'int16', Array: Int16Array, bytes: 2, min: -(2 ** 15), max: 2 ** 15 - 1 },
  i8: { name: 'int8', Array: Int8Array, bytes: 1, min: -128, max: 127 },
  u8: { name: 'uint8', Array: Uint8Array, bytes: 1, min: 0, max: 255 },
};

export const OPS = [
  // relu(x) = max(x, zeroPoint); zeroPoint is 0 for floats and only meaningful for integers.
  { name: 'relu', kind: 'map', dtypes: ['f32'], params: [] },
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
