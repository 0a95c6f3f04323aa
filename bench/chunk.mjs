// How big should the scratch for streaming JS arrays be? Times the first map op of the table
// (js/ops.js) on a JS Float32Array with out given, against out.set(x), for several scratch sizes
// (js/core.js SCRATCH_BYTES).
//   node bench/chunk.mjs
// Measured on the 2-core AMD EPYC of bench/results: every size from 8 to 256 KB is within
// noise of the others (the copies and the kernel are each a pass over the chunk, whatever its
// size); 32 KB keeps a chunk of input, scratch and output inside L2.
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { OPS } from '../js/ops.js';
import { callArgs, exampleValues } from '../js/signature.js';
import { rng } from '../scripts/rng.mjs';
import { bound } from './kinds.mjs';

const A = createApi(nodePlatform);
await A.init();
const S = A._state();
const first = OPS.find((r) => r.kind === 'map' && r.dtypes.includes('f32'));
const op = A[first.name];
const med = (a) => a.sort((p, q) => p - q)[a.length >> 1];
const time = (f, reps) => {
  const r = [];
  for (let k = 0; k < 7; k++) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) f();
    r.push((performance.now() - t) / reps);
  }
  return med(r);
};
const r = rng(1);
for (const n of [4096, 65536, 1 << 20, 1 << 22]) {
  const x = Float32Array.from({ length: n }, () => r() - 0.5);
  const out = new Float32Array(n);
  const call = bound(op, callArgs(first, { ...exampleValues(first, 'f32'), x, out }));
  const reps = Math.max(3, Math.round(2e7 / n));
  const set = time(() => out.set(x), reps);
  const row = [];
  for (const kb of [8, 16, 32, 64, 128, 256]) {
    S.scratchBytes = kb * 1024;
    S.scratch = S.fn.malloc(2 * S.scratchBytes);
    row.push(`${kb} KB: ${(time(call, reps) / set).toFixed(2)}×`);
  }
  console.log(`n = ${n}, out.set ${(set * 1000).toFixed(1)} µs; ${first.name}(x, out) / out.set with scratch ${row.join(', ')}`);
}
