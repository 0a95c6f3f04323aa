// A pool of workers running the kernels on slices of one call, over the shared memory of a
// threaded instance (js/threads/load.js). The owning thread posts each worker its slice in the
// worker's control slot (js/threads/control.js) and runs the first slice itself. Then either
// it waits for the others (run: Atomics.wait, where the thread may block: Node, a browser's
// workers) or it returns a promise of them (runAsync: Atomics.waitAsync, a page's main thread,
// which may not block). A kernel is a pure function of its slice, so the result is the
// one-thread result bit for bit, whatever the split.
import { CTL } from './control.js';

export const STACK_BYTES = 64 * 1024; // each thread's stack (as the units', js/load.js)
const SPIN = 100000; // polls of a worker's done flag before sleeping (about 0.1–0.3 ms)

/**
 * Starts `count` workers with threads.spawn(data) (the platform's: a worker_thread or a Web
 * Worker running dist/relu-worker.mjs; it resolves to { terminate, onEnd(f), onError(f) } once
 * the worker is ready) on `memory` with the compiled kernels `module`; `heap` allocates their
 * stacks and control slots.
 */
export async function startPool(threads, memory, module, heap, count) {
  const slots = heap.malloc(CTL.bytes * count);
  const stacks = Array.from({ length: count }, () => heap.malloc(STACK_BYTES));
  if (slots === 0 || stacks.includes(0)) throw new Error("relu-wasm: no wasm memory for the pool's workers");
  let ended = null; // why the pool cannot run calls any more
  let stopped = false; // terminate() ran
  const errors = [];
  const started = await Promise.allSettled(stacks.map((stack, w) => threads.spawn({ memory, module, stackTop: stack + STACK_BYTES, ctl: slots + w * CTL.bytes })
    .catch((e) => Promise.reject(new Error(`relu-wasm: pool worker ${w + 1} failed to start: ${e.message}`)))));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    for (const s of started) if (s.status === 'fulfilled') s.value.terminate();
    stacks.forEach((s) => heap.free(s));
    heap.free(slots);
    throw failed.reason;
  }
  const workers = started.map((s) => s.value);
  workers.forEach((worker, w) => {
    worker.onEnd(() => (ended ??= `worker ${w + 1} exited`));
    worker.onError((m) => errors.push(`worker ${w + 1}: ${m}`));
  });
  const ints = workers.map((_, w) => new Int32Array(memory.buffer, slots + w * CTL.bytes, CTL.ints));
  const args = workers.map((_, w) => new Float64Array(memory.buffer, slots + w * CTL.bytes + CTL.argsAt, CTL.args));
  const seqs = workers.map(() => 0);
  let calls = 0; // threaded calls run (tests and benchmarks check that a call split)

  // Posts jobs[1..] to the workers, runs jobs[0] here; returns the error of the local slice.
  function post(k, fn, jobs) {
    if (ended !== null) throw new Error(`relu-wasm: the thread pool has ended (${ended}); init() a new instance to run threaded calls`);
    calls++;
    for (let j = 1; j < jobs.length; j++) {
      const w = j - 1, a = jobs[j];
      for (let i = 0; i < a.length; i++) args[w][i] = a[i];
      ints[w][CTL.kernel] = k;
      ints[w][CTL.argc] = a.length;
      Atomics.store(ints[w], CTL.seq, ++seqs[w]);
      Atomics.notify(ints[w], CTL.seq);
    }
    try {
      fn(...jobs[0]);
      return null;
    } catch (e) {
      return e;
    }
  }
  const failure = (w) => (ints[w][CTL.status] !== 0 ? new Error(`relu-wasm: a threaded call failed in worker ${w + 1}: ${errors.at(-1) ?? 'the kernel trapped'}`) : null);

  /** Runs kernel k (its index in the kernel list) on jobs[0] here and jobs[1..] in workers, blocking. */
  function run(k, fn, jobs) {
    let error = post(k, fn, jobs);
    for (let j = 1; j < jobs.length; j++) {
      const w = j - 1;
      // (a short poll first: the slices end close together, and waking from Atomics.wait takes
      // tens of microseconds; then in slices: a worker that died mid-call would leave the wait
      // unanswered)
      for (let i = 0; i < SPIN && Atomics.load(ints[w], CTL.done) !== seqs[w]; i++);
      while (Atomics.load(ints[w], CTL.done) !== seqs[w]) {
        if (Atomics.wait(ints[w], CTL.done, seqs[w] - 1, 1000) === 'timed-out' && ended !== null) {
          throw new Error(`relu-wasm: a threaded call lost its worker ${w + 1} (${ended})`);
        }
      }
      error ??= failure(w);
    }
    if (error !== null) throw error;
  }

  /** run() for a thread that may not block: resolves once every slice is done. */
  async function runAsync(k, fn, jobs) {
    let error = post(k, fn, jobs);
    // (A pending Atomics.waitAsync does not keep Node's event loop alive, and the idle workers
    // are unref'd: a timer does, while this call waits.)
    let keep = null;
    try {
      for (let j = 1; j < jobs.length; j++) {
        const w = j - 1;
        while (Atomics.load(ints[w], CTL.done) !== seqs[w]) {
          if (ended !== null) throw new Error(`relu-wasm: a threaded call lost its worker ${w + 1} (${ended})`);
          keep ??= setInterval(() => {}, 1 << 30);
          if (typeof Atomics.waitAsync !== 'function') await new Promise((resolve) => setTimeout(resolve, 0)); // (engines without it poll)
          else {
            const r = Atomics.waitAsync(ints[w], CTL.done, seqs[w] - 1, 1000);
            if (r.async) await r.value;
          }
        }
        error ??= failure(w);
      }
    } finally {
      if (keep !== null) clearInterval(keep);
    }
    if (error !== null) throw error;
  }

  function terminate() {
    if (stopped) return;
    stopped = true;
    ended = 'terminate() was called';
    workers.forEach((worker, w) => {
      ints[w][CTL.kernel] = -1;
      Atomics.store(ints[w], CTL.seq, ++seqs[w]);
      Atomics.notify(ints[w], CTL.seq);
      worker.terminate();
    });
    heap.free(slots);
    stacks.forEach((s) => heap.free(s));
  }

  return { size: count + 1, run, runAsync, terminate, get ended() { return ended; }, get calls() { return calls; } };
}
