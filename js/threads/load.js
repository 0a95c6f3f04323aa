// A threaded instance (init({ threads }), Node): the kernels built for shared memory
// (dist/relu-mt.wasm: every kernel, no Embind, no data) on a WebAssembly.Memory({ shared })
// whose allocator is JS's (js/threads/shared-heap.js), and a pool of workers running the same
// module on it (js/threads/pool.js). The ops run unchanged on this instance: the element-wise
// kernels are wrapped so that a call long enough to pay splits into slices, whole 64-element
// blocks, one per thread; the other kernels (sums, counts, lookups) run on the calling thread.
import { OPS } from '../ops.js';
import { DTYPES } from '../dtypes.js';
import { KERNELS, kindOf } from '../kinds/index.js';
import { RUNTIME, fusedKernels } from '../kernels.js';
import { SCRATCH_BYTES, selfTest } from '../load.js';
import { makeSharedHeap } from './shared-heap.js';
import { startPool } from './pool.js';

const MT_FILE = 'relu-mt.wasm';
const PAGE = 65536;
const STACK_BYTES = 64 * 1024;
const GRAIN = 64; // slices start at whole 64-element blocks: whole vectors, whole cache lines
// Where each driver's kernel takes its element pointers, its count and its phase (cpp/drivers.h).
const SPLIT = { map: { ptrs: [0, 1], n: 2 }, map2: { ptrs: [0, 1, 2], n: 3 }, gated2: { ptrs: [0, 1, 2, 3, 4], n: 5 }, bias_map: { ptrs: [0, 2], n: 3, phase: 6 } };
// Calls shorter than this stay on the calling thread (bench/threads.mjs measures the classes):
// the smooth and gated ops compute for nanoseconds an element; the piecewise ones are
// memory-bound, where a second thread on this 2-core machine did not pay.
export const MIN_SPLIT = { compute: 16384, memory: Infinity };

/** The names of relu-mt.wasm's kernels, in its order (scripts/gen-ops.mjs mt.inc). */
export const MT_KERNELS = [...KERNELS.filter((n) => !RUNTIME.includes(n)), 'lut'];

/** Loads the threaded instance with `count` threads (the caller's and count - 1 workers). */
export async function loadThreaded(platform, count) {
  const module = await platform.load(platform.threads.wasmUrl);
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 32768, shared: true });
  const heap = makeSharedHeap(memory, PAGE); // (the first page stays unused: address 0 is null)
  let exports;
  try {
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  } catch (e) {
    throw new Error(`relu-wasm: ${MT_FILE} is not the shared-memory build of this version (${e.message})`);
  }
  if (exports.kernel_count() !== MT_KERNELS.length) {
    throw new Error(`relu-wasm: ${MT_FILE} has ${exports.kernel_count()} kernels, js/ops.js lists ${MT_KERNELS.length}; dist/ is out of date (npm run build)`);
  }
  exports.__stack_pointer.value = heap.malloc(STACK_BYTES) + STACK_BYTES;
  const table = exports.__indirect_function_table;
  const fn = { malloc: heap.malloc, free: heap.free, heap_used: heap.heap_used };
  MT_KERNELS.forEach((name, i) => (fn[name] = table.get(exports.kernel_at(i))));
  const pool = count > 1 ? await startPool(platform.threads, memory, module, heap, count - 1) : null;
  if (pool !== null) wrap(fn, pool);
  // (JS arrays stream through the scratch: a chunk per thread, so a streamed call splits too)
  const scratchBytes = SCRATCH_BYTES * count;
  const S = {
    variant: 'simd', memory, fn, core: false, buffer: null, views: {}, scratch: heap.malloc(2 * scratchBytes), scratchBytes,
    paramPtr: 0, paramBytes: 0, paramTag: null, unitStack: 0, threads: pool?.size ?? 1, pool,
  };
  if (!selfTest(S)) throw new Error('relu-wasm: the shared-memory build failed its self-test on this engine');
  return S;
}

// The element-wise kernels, split across the pool from their class's length on.
function wrap(fn, pool) {
  const index = new Map(MT_KERNELS.map((n, i) => [n, i]));
  const kernelsOf = (row) => [
    ...row.dtypes.map((dt) => [`${dt}_${row.name}`, row.driver ?? kindOf(row).driver, dt]),
    ...fusedKernels(row).map((name) => [name, 'bias_map', name.slice(0, name.indexOf('_'))]),
  ];
  for (const row of OPS) {
    const min = MIN_SPLIT[row.smooth || row.kind === 'gated' || row.kind === 'gated2' ? 'compute' : 'memory'];
    if (min === Infinity) continue;
    for (const [name, driver, dt] of kernelsOf(row)) {
      const spec = SPLIT[driver];
      if (spec !== undefined) fn[name] = split(fn[name], index.get(name), spec, min, DTYPES[dt].bytes, pool);
    }
  }
}

function split(kernel, k, spec, min, size, pool) {
  return function threaded(...a) {
    const n = a[spec.n];
    if (n < min) return kernel(...a);
    const per = Math.ceil(n / pool.size / GRAIN) * GRAIN;
    const jobs = [];
    for (let s = 0; s < n; s += per) {
      const b = a.slice();
      for (const p of spec.ptrs) b[p] += s * size;
      b[spec.n] = Math.min(per, n - s);
      if (spec.phase !== undefined) b[spec.phase] += s;
      jobs.push(b);
    }
    pool.run(k, kernel, jobs);
  };
}
