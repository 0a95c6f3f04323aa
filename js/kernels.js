// The kernel names the JS and the wasm agree on, besides each op's `${dtype}_${op}` (whose
// lists derive from the rows: a unit's by its kind's rule, the whole build's in
// js/kinds/index.js). Runtime-safe: imports no kind.
import { DTYPES } from './dtypes.js';

/** cast(x, dtype): kernels `${from}_to_${to}` for every ordered pair of float formats (cpp/cast.h). */
export const CAST_DTYPES = ['f32', 'f64', 'f16', 'bf16'];
export const CASTS = /*#__PURE__*/ CAST_DTYPES.flatMap((a) => CAST_DTYPES.filter((b) => b !== a).map((b) => [a, b]));
export const CAST_KERNELS = /*#__PURE__*/ CASTS.map(([a, b]) => `${a}_to_${b}`);
/** The 16-bit formats' roundings from double (a 16-bit backward pass rounds its sums with them). */
export const HALF_CASTS = /*#__PURE__*/ CAST_DTYPES.filter((d) => DTYPES[d].half).map((d) => `f64_to_${d}`);

/** What every Embind module exports after its kernels (cpp/bindings.cpp lists them in this order). */
export const RUNTIME = ['lut', 'malloc', 'free', 'heap_used'];

// What a page pays for (issue 12): besides the wasm with every kernel, the build makes a core
// (the allocator, the quantized lookup, and float32 relu for the start-up self-test) and one
// small SIMD wasm per unit, the kernels one public export calls. The browser entry loads the
// core and the units of the exports the app imports; a unit has every kernel its op's JS calls
// (prelu's float path runs leakyRelu's kernel, its 16-bit backward pass casts), so a unit
// never needs another.
export const CORE = ['f32_relu', ...RUNTIME];

/** Whether the quantized tables take the row's function unrounded from an `evaluate` kernel (the others: its float64 kernel). */
export const evaluated = (row) => row.quantized === true && row.smooth === true;

/**
 * The fused bias's kernels (cpp/bias.h), for every float format: the sum, the bias gradient's
 * sums, and for the 16-bit formats the widening of the bias and the rounding of the sums.
 */
export const BIAS_KERNELS = /*#__PURE__*/ CAST_DTYPES.flatMap((d) => [`${d}_bias_add`, `${d}_bias_sum`]);
/** The gated backward passes' packed form, per element type (cpp/drivers.h unpack, pack). */
export const PACK_KERNELS = /*#__PURE__*/ CAST_DTYPES.flatMap((d) => [`${d}_unpack`, `${d}_pack`]);
/** A fusedBias row's kernel with the sum inside (cpp/bias.h bias_map): float32. */
export const fusedKernels = (row) => (row.fusedBias && row.dtypes.includes('f32') ? ['f32_' + row.name + '_bias'] : []);
/**
 * The fused bias's kernels for `dtypes` (cpp/bias.h): the sum, with `sums` the bias gradient's
 * too, and for the 16-bit formats the bias's widening and the sums' rounding.
 */
export const biasKernelsFor = (dtypes, sums) => dtypes.filter((d) => CAST_DTYPES.includes(d)).flatMap((d) => [
  `${d}_bias_add`, ...(sums ? [`${d}_bias_sum`] : []), ...(DTYPES[d].half ? [`${d}_to_f32`, ...(sums ? [`f64_to_${d}`] : [])] : [])]);
/** An element-wise row's kernels (rowKernels), with the bias's when it takes one (`biased`; `sums`: a backward pass). */
export const biasKernels = (row, biased, sums) => [...rowKernels(row), ...(biased ? [...fusedKernels(row), ...biasKernelsFor(row.dtypes, sums)] : [])];

/** The kernels of a row of an element-wise kind: one per dtype, and the unrounded evaluation of a quantized smooth op. */
export const rowKernels = (row) => [...row.dtypes.map((dt) => `${dt}_${row.name}`), ...(evaluated(row) ? [`${row.name}_eval`] : [])];
