// A pool worker in Node (worker_threads: its data in workerData). Bundled into
// dist/relu-worker.mjs.
import { parentPort, workerData } from 'node:worker_threads';
import { serve } from './serve.js';

serve(workerData, (m) => parentPort.postMessage(m));
