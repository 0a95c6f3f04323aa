// Node entry: reads the wasm with fs, because Emscripten 3.1.6's loader calls fetch() on a
// file path, which Node's fetch rejects.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { loadThreaded } from './threads/load.js';
import { compileBytes } from './load.js';
import { entry } from './instance.js';

export * from './public.js';
export { variant } from './instance.js';

const toUrl = (where) =>
  where instanceof URL ? where : /^[a-z][a-z0-9+.-]+:/i.test(where) ? new URL(where) : pathToFileURL(where);

export const nodePlatform = {
  // Always the wasm with every kernel: on a disk there is nothing to save.
  units: false,
  defaultUrl: (file) => new URL(`../dist/${file}`, import.meta.url),
  // init({ threads }): the shared-memory build and a pool of worker_threads (js/threads/), in
  // Node, Deno and Bun (tests/runtimes.test.mjs).
  threads: {
    load: loadThreaded,
    wasmUrl: new URL('../dist/relu-mt.wasm', import.meta.url),
    auto: () => Math.min(availableParallelism(), 8),
    canBlock: true, // (Node's main thread may Atomics.wait)
    spawn: (data) => new Promise((resolve, reject) => {
      // (execArgv: none of the process's, which a worker would inherit: e.g. --input-type, which
      // stops any worker started from a `node -e` script)
      const worker = new Worker(new URL('../dist/relu-worker.mjs', import.meta.url), { workerData: data, execArgv: [] });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`it exited (code ${code})`)));
      worker.on('message', (m) => {
        if (m.error) return reject(new Error(m.error));
        worker.removeAllListeners();
        worker.unref(); // (an idle pool does not keep Node running)
        resolve({ terminate: () => worker.terminate(), onEnd: (f) => worker.on('exit', f), onError: (f) => worker.on('message', (e) => e.error && f(e.error)) });
      });
    }),
  },
  resolve: (file, base) => new URL(file, toUrl(String(base).endsWith('/') ? base : base + '/')),
  async load(where) {
    const url = toUrl(where);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`relu-wasm: fetching ${url} gave HTTP ${res.status} ${res.statusText}`);
      return compileBytes(await res.arrayBuffer(), `${url} (${res.headers.get('content-type')})`);
    }
    let bytes;
    try {
      bytes = await readFile(url);
    } catch (e) {
      throw new Error(`relu-wasm: cannot read the wasm at ${url.protocol === 'file:' ? url.pathname : url}: ${e.code ?? e.message}`);
    }
    return compileBytes(bytes, url.pathname);
  },
};

export const { init, ready } = entry(nodePlatform);
