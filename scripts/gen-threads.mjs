// js/threads/kernels.js: the shared-memory build's kernels (dist/relu-mt.wasm, cpp/unit.cpp on
// the generated mt.inc), in its order, each with how a call splits: its driver's argument
// places (js/threads/load.js SPLIT) and its class (what its row computes: compute-bound smooth
// and gated ops, memory-bound piecewise ones). Generated, so that a page with threads does not
// import the op table and every kind (which would also keep them in the page's own chunk).
import { OPS } from '../js/ops.js';
import { KERNELS, kindOf } from '../js/kinds/index.js';
import { RUNTIME, fusedKernels } from '../js/kernels.js';

export function threadsJs(header) {
  const how = new Map();
  for (const row of OPS) {
    const cls = row.smooth || row.kind === 'gated' || row.kind === 'gated2' ? 'compute' : 'memory';
    for (const dt of row.dtypes) how.set(`${dt}_${row.name}`, [row.driver ?? kindOf(row).driver, cls]);
    for (const name of fusedKernels(row)) how.set(name, ['bias_map', cls]);
  }
  const list = [...KERNELS.filter((n) => !RUNTIME.includes(n)), 'lut'].map((name) => [name, ...(how.get(name) ?? [])]);
  return `${header}// The shared-memory build's kernels in its order: [name, driver, class] (scripts/gen-threads.mjs).
export const MT_KERNELS = ${JSON.stringify(list)};
`;
}
