// A pool worker's work (js/threads/pool.js; started by js/threads/worker.js in Node and
// js/threads/web-worker.js in browsers): it instantiates the shared-memory kernels
// (dist/relu-mt.wasm) on the pool's memory with a stack of its own, then loops: wait for a job
// in its control slot, run the kernel on its slice, say done. No allocation, no Embind.
import { CTL } from './control.js';

// A worker polls a little before it sleeps: waking from Atomics.wait took tens of microseconds
// here, a fifth of a 2^16-element gelu's slice, and calls often come in runs.
const SPIN = 20000;

export function serve({ memory, module, stackTop, ctl, seen: first = 0 }, post) {
  let fns;
  try {
    const { exports } = new WebAssembly.Instance(module, { env: { memory } });
    exports.__stack_pointer.value = stackTop;
    fns = Array.from({ length: exports.kernel_count() }, (_, i) => exports.__indirect_function_table.get(exports.kernel_at(i)));
  } catch (e) {
    post({ error: `could not instantiate the kernels: ${e.message}` });
    return;
  }
  const I = new Int32Array(memory.buffer, ctl, CTL.ints);
  const F = new Float64Array(memory.buffer, ctl + CTL.argsAt, CTL.args);
  post({ ready: true });
  // (first: a replacement worker's slot has jobs posted to the worker it replaces, not to it)
  for (let seen = first; ;) {
    for (let i = 0; i < SPIN && Atomics.load(I, CTL.seq) === seen; i++);
    Atomics.wait(I, CTL.seq, seen);
    seen = Atomics.load(I, CTL.seq);
    const k = I[CTL.kernel];
    if (k < 0) break;
    try {
      const f = fns[k];
      switch (I[CTL.argc]) {
        case 3: f(F[0], F[1], F[2]); break;
        case 4: f(F[0], F[1], F[2], F[3]); break;
        case 5: f(F[0], F[1], F[2], F[3], F[4]); break;
        case 6: f(F[0], F[1], F[2], F[3], F[4], F[5]); break;
        case 7: f(F[0], F[1], F[2], F[3], F[4], F[5], F[6]); break;
        case 8: f(F[0], F[1], F[2], F[3], F[4], F[5], F[6], F[7]); break;
        case 9: f(F[0], F[1], F[2], F[3], F[4], F[5], F[6], F[7], F[8]); break;
        default: f(...F.subarray(0, I[CTL.argc]));
      }
      I[CTL.status] = 0;
    } catch (e) {
      I[CTL.status] = 1;
      post({ error: `kernel ${k} failed: ${e.message}` });
    }
    Atomics.store(I, CTL.done, seen);
    Atomics.notify(I, CTL.done);
  }
}
