// Browser / worker / bundler entry. The literal new URL('…', import.meta.url) expressions let
// Vite and webpack find, emit and rewrite both .wasm files with no configuration.
import { compileBytes } from './core.js';
import { usePlatform } from './platform.js';

export * from './public.js';

export const browserPlatform = {
  defaultUrl: (v) =>
    v === 'simd' ? new URL('../dist/relu-simd.wasm', import.meta.url) : new URL('../dist/relu.wasm', import.meta.url),
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
    if (type.startsWith('application/wasm') && typeof WebAssembly.compileStreaming === 'function') {
      return WebAssembly.compileStreaming(res);
    }
    // Wrong MIME type: real wasm still loads; anything else is named with what came back.
    return compileBytes(await res.arrayBuffer(), `${url} (HTTP ${res.status}, ${type})`);
  },
};

usePlatform(browserPlatform);
