// How big should the scratch for streaming JS arrays be? Times relu(x, out) on a JS
// Float32Array against out.set(x) for several scratch sizes (js/core.js SCRATCH_BYTES).
//   node bench/chunk.mjs
// Measured on the 2-core AMD EPYC of bench/results: every size from 8 to 256 KB is within
// noise of the others (the copies and the kernel are each a pass over the chunk, whatever its
// size); 32 KB keeps a chunk of input, scratch and output inside L2.
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';

const A = createApi(nodePlatform);
await A.init();
const S = A._state();
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
for (const n of [4096, 65536, 1 << 20, 1 << 22]) {
  const x = new Float32Array(n).map(() => Math.random() - 0.5);
  const out = new Float32Array(n);
  const reps = Math.max(3, Math.round(2e7 / n));
  const set = time(() => out.set(x), reps);
  const row = [];
  for (const kb of [8, 16, 32, 64, 128, 256]) {
    S.scratchBytes = kb * 1024;
    S.scratch = S.fn.malloc(2 * S.scratchBytes);
    row.push(`${kb} KB: ${(time(() => A.relu(x, out), reps) / set).toFixed(2)}×`);
  }
  console.log(`n = ${n}, out.set ${(set * 1000).toFixed(1)} µs; relu(x, out) / out.set with scratch ${row.join(', ')}`);
}
