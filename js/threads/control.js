// A pool worker's control slot in the shared memory (js/threads/pool.js writes jobs, the
// worker runs them, js/threads/worker.js): sequence numbers posted and done, the status of the
// last job, the kernel's index (-1: stop) and its arguments as doubles.
export const CTL = { seq: 0, done: 1, status: 2, kernel: 3, argc: 4, ints: 8, argsAt: 32, args: 12, bytes: 128 };
