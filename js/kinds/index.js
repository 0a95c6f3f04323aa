// Every kind (one record each: js/kinds/<kind>.js), and what the build makes of the table
// with them: the whole build's kernel list and the units'. For the build, tests, benchmarks
// and docs; the runtime imports only the kinds of the ops a page uses (js/public.js).
import { OPS, REFERENCE } from '../ops.js';
import { DTYPES } from '../dtypes.js';
import { BIAS_KERNELS, CAST_KERNELS, PACK_KERNELS, RUNTIME, evaluated, fusedKernels } from '../kernels.js';
import { gated, map, map2 } from './map.js';
import { channel, channel2 } from './channel.js';
import { count } from './count.js';
import { gated2 } from './gated2.js';
import { cast } from '../cast.js';

export const KINDS = { map, map2, gated, gated2, channel, channel2, count };

// What the kinds' JS assumes of the table (an error here is the table's, found at build time).
for (const row of OPS) {
  if (KINDS[row.kind] === undefined) throw new Error(`js/ops.js: ${row.name} has kind '${row.kind}', which js/kinds/ has no record of (${Object.keys(KINDS).join(', ')})`);
  if (KINDS[row.kind].scalarParams && row.params.length > 3) throw new Error(`js/ops.js: ${row.name} has ${row.params.length} params; its kind's JS passes at most 3 (js/kinds/map.js invoker)`);
  // (js/init-params.js sets an init-able param's default in the op a map kind makes.)
  if (row.params.some((p) => p.init) && !(KINDS[row.kind].elementwise || KINDS[row.kind].initable)) throw new Error(`js/ops.js: ${row.name} has an init-able param; only the kinds whose maker exposes params and values take one (js/init-params.js: the element-wise kinds, and records marked initable)`);
}

/** A row's kind record (a REFERENCE row may name a driver instead: no kind, no JS). */
export const kindOf = (row) => KINDS[row.kind];

/** The rows with quantized tables evaluated unrounded (cpp/drivers.h evaluate). */
export const EVALS = OPS.filter(evaluated);

/** Names of the kernel table of the wasm with every kernel, in the order the C++ side lists them (scripts/gen-ops.mjs). */
export const KERNELS = [...OPS, ...REFERENCE]
  .flatMap((op) => op.dtypes.flatMap((dt) => [`${dt}_${op.name}`, ...(kindOf(op)?.extra ?? []).map((e) => `${dt}_${op.name}${e.suffix}`)]))
  .concat(OPS.flatMap(fusedKernels), CAST_KERNELS, BIAS_KERNELS, PACK_KERNELS, EVALS.map((row) => `${row.name}_eval`), RUNTIME);

/** One unit per export: its name, its kernels (its kind's rule) and the record its JS is made by. */
export const UNITS = OPS.map((row) => ({ name: row.name, row, kind: kindOf(row), kernels: kindOf(row).kernels(row) }))
  .concat({ name: 'cast', row: null, kind: cast, kernels: cast.kernels(null) });

/** XNNPACK-style implementation name: dtype, op, ISA, elements per main-loop iteration. */
export function implName(row, dt, variant) {
  const lanes = 16 / DTYPES[dt].bytes;
  const unroll = variant === 'scalar' ? 1 : (kindOf(row)?.unroll ?? 1) * lanes;
  return `${dt}_${row.name}__${variant === 'scalar' ? 'scalar' : 'wasmsimd'}_u${unroll}`;
}
