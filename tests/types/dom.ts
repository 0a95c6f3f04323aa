// Compiled with lib "dom" only (tests/types.test.mjs): the host's URL and WebAssembly.Module are
// accepted where the lib declares them (without it, init() takes strings and bytes).
import { init } from 'relu-wasm';

export async function withDom(): Promise<void> {
  await init({ locateFile: new URL('https://example.com/wasm/'), wasmBinary: new Uint8Array(8) });
  await init({ wasmBinary: new WebAssembly.Module(new Uint8Array(8)), locateFile: (f) => new URL(f, 'https://example.com/') });
}
