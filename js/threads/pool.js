// A pool of workers running the kernels on slices of one call, over the shared memory of a
// threaded instance (js/threads/load.js). The owning thread posts each worker its slice in the
// worker's control slot (js/threads/control.js), runs the first slice itself, then waits for
// the others (Atomics.wait: Node's main thread and workers may block; a page's main thread may
// not, which is why browsers are not offered threads yet). A kernel is a pure function of its
// slice, so the result is the one-thread result bit for bit, whatever the split.
import { CTL } from './control.js';

const STACK_BYTES = 64 * 1024; // each worker's stack (as the units', js/load.js)

/**
 * Starts `count` workers (platform.Worker, the worker script at platform.workerUrl) on
 * `memory` with the compiled kernels `module`; `heap` allocates their stacks and slots.
 */
export async function startPool({ Worker, workerUrl }, memory, module, heap, count) {
  const slots = heap.malloc(CTL.bytes * count);
  const stacks = Array.from({ length: count }, () => heap.malloc(STACK_BYTES));
  if (slots === 0 || stacks.includes(0)) throw new Error('relu-wasm: no wasm memory for the pool\'s workers');
  const workers = [];
  const errors = [];
  let ended = null; // why the pool cannot run calls any more
  try {
    await Promise.all(stacks.map((stack, w) => new Promise((resolve, reject) => {
      const worker = new Worker(workerUrl, { workerData: { memory, module, stackTop: stack + STACK_BYTES, ctl: slots + w * CTL.bytes } });
      workers.push(worker);
      worker.once('error', (e) => reject(new Error(`relu-wasm: pool worker ${w + 1} failed to start: ${e.message}`)));
      worker.once('exit', (code) => reject(new Error(`relu-wasm: pool worker ${w + 1} exited (code ${code}) before it started`)));
      worker.on('message', (m) => {
        if (m.ready) resolve();
        else if (m.error) errors.push(`worker ${w + 1}: ${m.error}`), reject(new Error(`relu-wasm: pool worker ${w + 1}: ${m.error}`));
      });
    })));
  } catch (e) {
    for (const worker of workers) worker.terminate();
    throw e;
  }
  for (const worker of workers) {
    worker.removeAllListeners('exit');
    worker.on('exit', () => (ended ??= 'a worker of the pool exited'));
    worker.unref(); // (an idle pool does not keep Node running)
  }
  const ints = workers.map((_, w) => new Int32Array(memory.buffer, slots + w * CTL.bytes, CTL.ints));
  const args = workers.map((_, w) => new Float64Array(memory.buffer, slots + w * CTL.bytes + CTL.argsAt, CTL.args));
  const seqs = workers.map(() => 0);
  let calls = 0; // threaded calls run (tests and benchmarks check that a call split)

  /** Runs kernel k (its index in the kernel list) on jobs[0] here and jobs[1..] in workers. */
  function run(k, fn, jobs) {
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
    let failure = null;
    try {
      fn(...jobs[0]);
    } catch (e) {
      failure = e;
    }
    for (let j = 1; j < jobs.length; j++) {
      const w = j - 1;
      // (in slices: a worker that died mid-call would leave the wait unanswered)
      while (Atomics.load(ints[w], CTL.done) !== seqs[w]) {
        if (Atomics.wait(ints[w], CTL.done, seqs[w] - 1, 1000) === 'timed-out' && ended !== null) {
          throw new Error(`relu-wasm: a threaded call lost its worker ${w + 1} (${ended})`);
        }
      }
      if (ints[w][CTL.status] !== 0) failure ??= new Error(`relu-wasm: a threaded call failed in worker ${w + 1}: ${errors.at(-1) ?? 'the kernel trapped'}`);
    }
    if (failure !== null) throw failure;
  }

  function terminate() {
    if (ended !== null && ended !== 'a worker of the pool exited') return;
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

  return { size: count + 1, run, terminate, get ended() { return ended; }, get calls() { return calls; } };
}
