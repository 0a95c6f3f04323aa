// npm run build (also run by npm start, npm test and npm pack): the generated API files from
// js/ops.js, then both wasm variants into dist/.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { ensurePackages } from './toolchain.mjs';
import { UNITS } from '../js/kinds/index.js';

/** A unit shares the core's memory at no fixed place: it must import it and hold no data. */
function checkUnit(bytes, file) {
  const m = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(m).map((i) => `${i.module}.${i.name}`);
  const exports = WebAssembly.Module.exports(m).map((e) => e.name).sort();
  const want = ['__indirect_function_table', '__stack_pointer', 'kernel_at', 'kernel_count'];
  if (imports.join() !== 'env.memory' || exports.join() !== want.join()) {
    throw new Error(`build: ${file} imports ${imports.join(', ')} and exports ${exports.join(', ')}; a unit imports only env.memory and exports ${want.join(', ')}`);
  }
  // Section 11 is data: a unit's constants must be immediates, not memory at a fixed address.
  for (let p = 8; p < bytes.length;) {
    const id = bytes[p++];
    let len = 0;
    let shift = 0;
    let b;
    do {
      b = bytes[p++];
      len |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    if (id === 11) throw new Error(`build: ${file} has a data section; a unit cannot place data in the core's memory`);
    p += len;
  }
}

const root = new URL('..', import.meta.url).pathname;
execFileSync(process.execPath, [`${root}scripts/gen-api.mjs`], { stdio: 'inherit' }); // js/public.js, js/index.d.ts, js/threads/kernels.js
ensurePackages([['emcc', 'emscripten'], ['cmake', 'cmake']], 'the build');

const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
delete env.EM_CACHE; // Debian's cache is frozen and complete; another one breaks every build
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env });
run('emcmake', ['cmake', '-S', '.', '-B', 'build', '-DCMAKE_BUILD_TYPE=Release', '--log-level=WARNING']);
run('cmake', ['--build', 'build', '-j2']);

// Every Embind module links the same loader; ship it once (dist/relu.wasm is the name baked
// into it, but the JS always hands it the module).
const loader = readFileSync(`${root}build/simd/relu.mjs`);
for (const other of ['scalar/relu.mjs', 'simd/core.mjs']) {
  if (loader.toString() !== readFileSync(`${root}build/${other}`, 'utf8').replaceAll('"core.wasm"', '"relu.wasm"')) {
    throw new Error(`build: build/${other} differs from build/simd/relu.mjs; the loaders must be interchangeable`);
  }
}
mkdirSync(`${root}dist/ops`, { recursive: true });
copyFileSync(`${root}build/simd/relu.mjs`, `${root}dist/relu.mjs`);
copyFileSync(`${root}build/scalar/relu.wasm`, `${root}dist/relu.wasm`);
copyFileSync(`${root}build/simd/relu.wasm`, `${root}dist/relu-simd.wasm`);
copyFileSync(`${root}build/simd/core.wasm`, `${root}dist/core-simd.wasm`);
for (const { name } of UNITS) {
  const file = `${root}build/simd/ops/${name}.wasm`;
  checkUnit(readFileSync(file), file);
  copyFileSync(file, `${root}dist/ops/${name}-simd.wasm`);
}
// The shared-memory build (init({ threads })): a unit on a shared memory, and its worker.
const mt = readFileSync(`${root}build/simd/relu-mt.wasm`);
checkUnit(mt, 'build/simd/relu-mt.wasm');
copyFileSync(`${root}build/simd/relu-mt.wasm`, `${root}dist/relu-mt.wasm`);
// Node's entry as one module: Node's ES module loader spent ~10 ms of a cold start on the
// package's 15 files (node bench/coldstart.mjs: import 21.7 ms from js/node.js, 11.1 ms from
// the bundle). Browsers get js/browser.js: their bundlers do this themselves.
const { build } = await import('rolldown');
await build({ input: `${root}js/node.js`, platform: 'node', logLevel: 'warn', output: { file: `${root}dist/node.mjs`, format: 'esm' } });
await build({ input: `${root}js/threads/worker.js`, platform: 'node', logLevel: 'warn', output: { file: `${root}dist/relu-worker.mjs`, format: 'esm' } });
await build({ input: `${root}js/threads/web-worker.js`, platform: 'browser', logLevel: 'warn', output: { file: `${root}dist/relu-web-worker.mjs`, format: 'esm' } });
console.log(`relu-wasm: built dist/relu.mjs, dist/relu.wasm (scalar), dist/relu-simd.wasm, dist/core-simd.wasm, ${UNITS.length} SIMD units in dist/ops/, dist/relu-mt.wasm, dist/relu-worker.mjs and dist/relu-web-worker.mjs (threads), dist/node.mjs (the Node entry, bundled)`);
