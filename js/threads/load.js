// A threaded instance (init({ threads })): the kernels built for shared memory
// (dist/relu-mt.wasm: every kernel, no Embind, no data) on a WebAssembly.Memory({ shared })
// whose allocator is JS's (js/threads/shared-heap.js), and a pool of workers running the same
// module on it (js/threads/pool.js). The ops run unchanged on this instance: the element-wise
// kernels are wrapped so that a call long enough to pay splits into slices, whole 64-element
// blocks, one per thread; the other kernels (sums, counts, lookups) run on the calling thread.
// (Nothing from the rest of the package: a bundler would move what both use into a chunk of its
// own, which every page would then fetch; what it needs comes from js/core.js, `base`.)
import { MT_KERNELS } from './kernels.js';
import { makeSharedHeap } from './shared-heap.js';
import { STACK_BYTES, startPool } from './pool.js';

const MT_FILE = 'relu-mt.wasm';
const PAGE = 65536;
const GRAIN = 64; // slices start at whole 64-element blocks: whole vectors, whole cache lines
// Where each driver's kernel takes its element pointers, its count and its phase (cpp/drivers.h).
const SPLIT = { map: { ptrs: [0, 1], n: 2 }, map2: { ptrs: [0, 1, 2], n: 3 }, gated2: { ptrs: [0, 1, 2, 3, 4], n: 5 }, bias_map: { ptrs: [0, 2], n: 3, phase: 6 } };
// Calls shorter than this stay on the calling thread (bench/threads.mjs measures the classes):
// the smooth and gated ops compute for nanoseconds an element; the piecewise ones are
// memory-bound, where a second thread on this 2-core machine did not pay.
export const MIN_SPLIT = { compute: 16384, memory: Infinity };

const BYTES = { f32: 4, f64: 8, f16: 2, bf16: 2, i32: 4, i16: 2, i8: 1, u8: 1 };

/**
 * Loads the threaded instance with `count` threads (the caller's and count - 1 workers);
 * `base`: { scratchBytes, selfTest } of js/load.js.
 */
export async function loadThreaded(platform, count, { scratchBytes: SCRATCH_BYTES, selfTest }) {
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
  MT_KERNELS.forEach(([name], i) => (fn[name] = table.get(exports.kernel_at(i))));
  const pool = count > 1 ? await startPool(platform.threads, memory, module, heap, count - 1) : null;
  // (recording: parallel()'s list of the slices a call would run, js/core.js; canBlock: whether
  // this thread may wait with Atomics.wait, so that a call splits synchronously)
  const mode = { recording: null, canBlock: platform.threads.canBlock };
  if (pool !== null) wrap(fn, pool, mode);
  // (JS arrays stream through the scratch: a chunk per thread, so a streamed call splits too)
  const scratchBytes = SCRATCH_BYTES * count;
  const S = {
    variant: 'simd', memory, fn, core: false, buffer: null, views: {}, scratch: heap.malloc(2 * scratchBytes), scratchBytes,
    paramPtr: 0, paramBytes: 0, paramTag: null, unitStack: 0, threads: pool?.size ?? 1, pool, mode,
  };
  if (!selfTest(S)) throw new Error('relu-wasm: the shared-memory build failed its self-test on this engine');
  return S;
}

// The element-wise kernels, split across the pool from their class's length on.
function wrap(fn, pool, mode) {
  MT_KERNELS.forEach(([name, driver, cls], k) => {
    const spec = SPLIT[driver];
    const min = MIN_SPLIT[cls];
    if (spec !== undefined && min !== undefined && min !== Infinity) fn[name] = split(fn[name], k, spec, min, BYTES[name.slice(0, name.indexOf('_'))], pool, mode);
  });
}

function split(kernel, k, spec, min, size, pool, mode) {
  return function threaded(...a) {
    const n = a[spec.n];
    if (n < min || (mode.recording === null && !mode.canBlock)) return kernel(...a);
    const per = Math.ceil(n / pool.size / GRAIN) * GRAIN;
    const jobs = [];
    for (let s = 0; s < n; s += per) {
      const b = a.slice();
      for (const p of spec.ptrs) b[p] += s * size;
      b[spec.n] = Math.min(per, n - s);
      if (spec.phase !== undefined) b[spec.phase] += s;
      jobs.push(b);
    }
    if (mode.recording !== null) mode.recording.push({ k, kernel, jobs });
    else pool.run(k, kernel, jobs);
  };
}
