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
  const ints = workers.map((_, w) => new Int32Array(memory.buffer, slots + w * CTL.bytes, CTL.ints));
  const args = workers.map((_, w) => new Float64Array(memory.buffer, slots + w * CTL.bytes + CTL.argsAt, CTL.args));
  const seqs = workers.map(() => 0);
  // A worker that dies (its thread exits, or a browser reports an error in it) is replaced: the
  // call waiting on it gets an error (its output is incomplete), later calls run its slices on
  // the calling thread until the new worker is ready (the same bits: slices are independent).
  const live = workers.map(() => true);
  const lives = workers.map(() => 0); // bumped on each death: a call knows the worker it posted to is gone
  let calls = 0; // threaded calls run (tests and benchmarks check that a call split)
  let posts = 0;
  const why = workers.map(() => null); // how each worker last died
  const spawning = new Set(); // replacements starting
  let warnedRestart = false;
  function watch(worker, w) {
    worker.onEnd(() => workers[w] === worker && lose(w, `worker ${w + 1} exited`));
    worker.onError((m) => errors.push(`worker ${w + 1}: ${m}`));
  }
  function lose(w, reason) {
    if (stopped || !live[w]) return;
    live[w] = false;
    lives[w]++;
    why[w] = reason;
    workers[w].terminate(); // (a browser worker that reported an error may still be running)
    Atomics.notify(ints[w], CTL.done); // (wakes a call waiting for it)
    const start = threads.spawn({ memory, module, stackTop: stacks[w] + STACK_BYTES, ctl: slots + w * CTL.bytes, seen: Atomics.load(ints[w], CTL.seq) }).then((worker) => {
      if (stopped) return worker.terminate();
      // (the lost job counts as done: the slot is free for the next call; the call that lost it
      // was woken at the death and has failed)
      Atomics.store(ints[w], CTL.done, seqs[w]);
      workers[w] = worker;
      watch(worker, w);
      live[w] = true;
    }, (e) => {
      if (warnedRestart) return;
      warnedRestart = true;
      console.warn(`relu-wasm: pool worker ${w + 1} died and could not be restarted (${e.message}); its slices run on the calling thread`);
    }).finally(() => spawning.delete(start));
    spawning.add(start);
  }
  workers.forEach(watch);

  // Posts jobs[1..] to the workers, runs jobs[0] here, and the job of a worker that is dead or
  // still busy with an earlier call (a parallel() call in flight): a worker has one job at a
  // time. Returns the error of the local slices and, per job, what it was posted as: the
  // worker's life and the job's sequence number (null: run here).
  function post(k, fn, jobs) {
    if (ended !== null) throw new Error(`relu-wasm: the thread pool has ended (${ended}); init() a new instance to run threaded calls`);
    calls++;
    const posted = jobs.map(() => null);
    for (let j = 1; j < jobs.length; j++) {
      const w = j - 1, a = jobs[j];
      if (!live[w] || Atomics.load(ints[w], CTL.done) !== seqs[w]) continue;
      posted[j] = { life: lives[w], seq: ++seqs[w] };
      posts++;
      for (let i = 0; i < a.length; i++) args[w][i] = a[i];
      ints[w][CTL.kernel] = k;
      ints[w][CTL.argc] = a.length;
      Atomics.store(ints[w], CTL.seq, seqs[w]);
      Atomics.notify(ints[w], CTL.seq);
    }
    try {
      for (let j = 0; j < jobs.length; j++) if (posted[j] === null) fn(...jobs[j]);
      return { error: null, posted };
    } catch (e) {
      return { error: e, posted };
    }
  }
  // The worker's done number while job `seq` is not done (a later call's job may follow it), or null.
  function pending(w, seq) {
    const done = Atomics.load(ints[w], CTL.done);
    return ((done - seq) | 0) < 0 ? done : null;
  }
  // Why a call cannot wait for worker w any more (the pool ended, or the worker it posted to died), or null.
  function gone(w, life) {
    if (ended !== null) return new Error(`relu-wasm: a threaded call lost its worker ${w + 1} (${ended})`);
    if (lives[w] !== life) return new Error(`relu-wasm: a threaded call lost its worker ${w + 1} (${why[w]}): its output is incomplete; the pool starts a new worker, later calls run`);
    return null;
  }
  const failure = (w) => (ints[w][CTL.status] !== 0 ? new Error(`relu-wasm: a threaded call failed in worker ${w + 1}: ${errors.at(-1) ?? 'the kernel trapped'}`) : null);

  /** Runs kernel k (its index in the kernel list) on jobs[0] here and jobs[1..] in workers, blocking. */
  function run(k, fn, jobs) {
    let { error, posted } = post(k, fn, jobs);
    for (let j = 1; j < jobs.length; j++) {
      const w = j - 1, p = posted[j];
      if (p === null) continue;
      // (a short poll first: the slices end close together, and waking from Atomics.wait takes
      // tens of microseconds; then in slices, in case the worker is lost. A thread blocked here
      // runs no events: in Node a worker's exit is seen after the call, not during it; but a
      // worker only exits mid-call if killed from outside, which JS on this thread cannot do.)
      for (let i = 0; i < SPIN && pending(w, p.seq) !== null; i++);
      for (let d; (d = pending(w, p.seq)) !== null;) {
        Atomics.wait(ints[w], CTL.done, d, 1000);
        const lost = gone(w, p.life);
        if (lost !== null) throw lost;
      }
      error ??= failure(w);
    }
    if (error !== null) throw error;
  }

  /** run() for a thread that may not block: resolves once every slice is done. */
  async function runAsync(k, fn, jobs) {
    let { error, posted } = post(k, fn, jobs);
    // (A pending Atomics.waitAsync does not keep Node's event loop alive, and the idle workers
    // are unref'd: a timer does, while this call waits.)
    let keep = null;
    try {
      for (let j = 1; j < jobs.length; j++) {
        const w = j - 1, p = posted[j];
        if (p === null) continue;
        for (let d; (d = pending(w, p.seq)) !== null;) {
          const lost = gone(w, p.life);
          if (lost !== null) throw lost;
          keep ??= setInterval(() => {}, 1 << 30);
          if (typeof Atomics.waitAsync !== 'function') await new Promise((resolve) => setTimeout(resolve, 0)); // (engines without it poll)
          else {
            const r = Atomics.waitAsync(ints[w], CTL.done, d, 1000);
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
      Atomics.notify(ints[w], CTL.done); // (wakes a call waiting for it)
      worker.terminate();
    });
    // (a replacement still starting reads its slot until it is told to stop: the memory is
    // freed once it has been)
    const free = () => (heap.free(slots), stacks.forEach((s) => heap.free(s)));
    if (spawning.size === 0) free();
    else Promise.allSettled([...spawning]).then(free);
  }

  return {
    size: count + 1, run, runAsync, terminate,
    get ended() { return ended; },
    get calls() { return calls; },
    /** Workers running now (a dead one's slices run on the calling thread until it is replaced). */
    get live() { return live.filter(Boolean).length; },
    /** Slices posted to workers (tests check that a replacement worker runs them). */
    get posts() { return posts; },
  };
}
