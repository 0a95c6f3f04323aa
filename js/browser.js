// Browser / worker / bundler entry. The literal new URL('…', import.meta.url) expressions let
// Vite and webpack find, emit and rewrite the .wasm files with no configuration.
import { SYNC_COMPILE_BYTES, compileBytes } from './load.js';
import { entry } from './instance.js';

export * from './public.js';
export { variant } from './instance.js';

// Each a literal expression, for the bundlers; a page fetches one of them (js/core.js).
const FILES = {
  'relu-simd.wasm': () => new URL('../dist/relu-simd.wasm', import.meta.url),
  'relu.wasm': () => new URL('../dist/relu.wasm', import.meta.url),
  'core-simd.wasm': () => new URL('../dist/core-simd.wasm', import.meta.url),
};

// init({ threads }): the shared-memory build and a pool of module Web Workers (js/threads/,
// loaded only when asked for), on a cross-origin isolated page.
const threads = {
  load: async (...a) => (await import('./threads/load.js')).loadThreaded(...a),
  wasmUrl: new URL('../dist/relu-mt.wasm', import.meta.url),
  auto: () => Math.min(globalThis.navigator?.hardwareConcurrency ?? 1, 8),
  canBlock: typeof globalThis.window === 'undefined', // (a worker may Atomics.wait; a page's main thread may not: parallel())
  why: () => (globalThis.crossOriginIsolated !== true
    ? 'this page is not cross-origin isolated, so it has no shared memory: serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (README, "Threads"); this instance runs on one thread'
    : null),
  spawn: (data) => new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../dist/relu-web-worker.mjs', import.meta.url), { type: 'module' });
    worker.onerror = (e) => reject(new Error(e.message || 'its script failed to load'));
    worker.onmessage = ({ data: m }) => {
      if (m.error) return reject(new Error(m.error));
      let onError = () => {};
      worker.onerror = null;
      worker.onmessage = ({ data: e }) => e.error && onError(e.error);
      // (a worker that fails after it started is replaced: js/threads/pool.js)
      resolve({ terminate: () => worker.terminate(), onEnd: (f) => worker.addEventListener('error', () => f()), onError: (f) => (onError = f) });
    };
    worker.postMessage(data);
  }),
};

export const browserPlatform = {
  threads,
  defaultUrl: (file) => FILES[file](),
  // A page loads the core and the units of the exports it imports (js/core.js).
  units: true,
  resolve: (file, base) => new URL(file, new URL(String(base).endsWith('/') ? base : base + '/', globalThis.location?.href)),
  async load(url) {
    let res;
    try {
      res = await fetch(url, { credentials: 'same-origin' });
    } catch (e) {
      throw new Error(`relu-wasm: could not fetch ${url}: ${e.message}`);
    }
    const type = res.headers.get('content-type') ?? 'no content-type';
    if (!res.ok) throw new Error(`relu-wasm: fetching ${url} gave HTTP ${res.status} ${res.statusText} (${type})`);
    // Streaming compile for a large wasm (the whole build); a small one (the core, a unit)
    // compiles faster from its bytes (compileBytes).
    const size = Number(res.headers.get('content-length') ?? NaN);
    if (type.startsWith('application/wasm') && typeof WebAssembly.compileStreaming === 'function' && !(size <= SYNC_COMPILE_BYTES)) {
      return WebAssembly.compileStreaming(res);
    }
    // Wrong MIME type: real wasm still loads; anything else is named with what came back.
    return compileBytes(await res.arrayBuffer(), `${url} (HTTP ${res.status}, ${type})`);
  },
};

export const { init, ready } = entry(browserPlatform);
