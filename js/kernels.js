// The wasm's kernel lists, derived from the table's rows: by js/ops.js from the whole table, by
// js/table.js (the runtime's copy) from its trimmed rows, so both name the same kernels; and a
// unit's list from its one row, which is all a page's bundle needs (js/instance.js use()).
import { DTYPES } from './dtypes.js';

/** cast(x, dtype): kernels `${from}_to_${to}` for every ordered pair of float formats (cpp/cast.h). */
export const CAST_DTYPES = ['f32', 'f64', 'f16', 'bf16'];
export const CASTS = CAST_DTYPES.flatMap((a) => CAST_DTYPES.filter((b) => b !== a).map((b) => [a, b]));
export const CAST_KERNELS = CASTS.map(([a, b]) => `${a}_to_${b}`);

// What a page pays for (issue 12): besides the wasm with every kernel, the build makes a core
// (the allocator, the quantized lookup, and float32 relu for the start-up self-test) and one
// small SIMD wasm per unit, the kernels one public export calls. The browser entry loads the
// core and the units of the exports the app imports (js/instance.js use()); a unit has every
// kernel its op's JS calls (prelu's float path runs leakyRelu's kernel, its 16-bit backward
// pass casts), so a unit never needs another.
export const CORE = ['f32_relu', 'lut', 'malloc', 'free', 'heap_used'];
const HALF_CASTS = CAST_DTYPES.filter((d) => DTYPES[d].half).map((d) => `f64_to_${d}`);

/** Whether the quantized tables take the row's function unrounded from an `evaluate` kernel (the others: its float64 kernel). */
export const evaluated = (row) => row.quantized === true && row.smooth === true;

/** The kernels of a row's unit (cpp/unit.cpp). */
export const unitKernels = (row) => [
  ...row.dtypes.map((dt) => `${dt}_${row.name}`),
  ...(row.kind === 'channel' || row.kind === 'channel2' ? row.dtypes.map((dt) => `${dt}_${row.cname}`) : []),
  ...(row.kind === 'channel2' ? HALF_CASTS : []),
  ...(evaluated(row) ? [`${row.name}_eval`] : []),
];

export function kernelLists(OPS, REFERENCE) {
  const EVALS = OPS.filter(evaluated);
  /** Names of the kernel table of the wasm with every kernel, in the order the C++ side lists them (scripts/gen-ops.mjs). */
  const KERNELS = [...OPS, ...REFERENCE]
    .flatMap((op) => op.dtypes.map((dt) => `${dt}_${op.name}`))
    .concat(CAST_KERNELS, EVALS.map((row) => `${row.name}_eval`), ['lut', 'malloc', 'free', 'heap_used']);
  const UNITS = OPS.map((row) => ({ name: row.name, kernels: unitKernels(row) })).concat({ name: 'cast', kernels: CAST_KERNELS });
  return { EVALS, KERNELS, UNITS };
}
