// The one table of ops × dtypes. scripts/gen-ops.mjs turns it into the C++ kernel list
// (instantiation + registration, cpp/bindings.cpp); js/core.js builds the public functions
// from it; tests and benchmarks iterate over it. Adding an op: one struct in cpp/ops.h plus
// one row here (plus its export line in js/public.js and its declaration in js/index.d.ts,
// which tests/api.test.mjs checks).
//
// kind — calling convention of the kernel (cpp/drivers.h) and of the JS function:
//   map       y = f(x; a, b)               op(x, ...params, out?)
//   map2      dx = f(dy, x; a, b)          op(dy, x, ...params, out?)
//   channel   prelu                        op(x, slope, layout?, out?)
//   channel2  preluBackward                op(dy, x, slope, layout?, { dx, dslope }?) → { dx, dslope }
//   count     per-unit count of y > 0      op(y, units)
// params — scalar parameters, in kernel slots a, b. `option: true` ones come from the options
// object (the last argument) instead of a position; `ints` ones exist only for integer dtypes.
// fixed — parameter values of ops that are another op's kernel with constants (relu6).

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

const alpha = { name: 'alpha', default: 0.01 };
const bounds = [{ name: 'lo' }, { name: 'hi' }];
const ordered = (lo, hi, name) => {
  if (lo > hi) throw new RangeError(`${name}: lo must be <= hi (got lo = ${lo}, hi = ${hi})`);
};

export const OPS = [
  // relu(x) = max(x, zeroPoint): zeroPoint is 0 for floats; quantized int8/uint8 pass theirs.
  { name: 'relu', kind: 'map', dtypes: ALL, params: [{ name: 'zeroPoint', default: 0, option: true, ints: true }] },
  { name: 'reluGrad', kind: 'map', dtypes: SIGNED, params: [] },
  { name: 'reluBackward', kind: 'map2', dtypes: SIGNED, params: [] },
  { name: 'leakyRelu', kind: 'map', dtypes: FLOATS, params: [alpha] },
  { name: 'leakyReluBackward', kind: 'map2', dtypes: FLOATS, params: [alpha] },
  { name: 'relu6', kind: 'map', cname: 'clip', fixed: [0, 6], dtypes: SIGNED, params: [] },
  { name: 'clip', kind: 'map', dtypes: ALL, params: bounds, check: ordered },
  { name: 'clipBackward', kind: 'map2', dtypes: FLOATS, params: bounds, check: ordered },
  { name: 'prelu', kind: 'channel', dtypes: FLOATS, params: [] },
  { name: 'preluBackward', kind: 'channel2', dtypes: FLOATS, params: [] },
  { name: 'activity', kind: 'count', summary: 'fraction', dtypes: SIGNED, params: [] },
  { name: 'deadUnits', kind: 'count', summary: 'dead', cname: 'activity', dtypes: SIGNED, params: [] },
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
