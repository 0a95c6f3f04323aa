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

export const browserPlatform = {
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
