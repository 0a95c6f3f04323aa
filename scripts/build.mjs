// npm run build (also run by npm start, npm test and npm pack): the generated API files from
// js/ops.js, then both wasm variants into dist/.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { ensurePackages } from './toolchain.mjs';

const root = new URL('..', import.meta.url).pathname;
execFileSync(process.execPath, [`${root}scripts/gen-api.mjs`], { stdio: 'inherit' }); // js/public.js, js/index.d.ts
ensurePackages([['emcc', 'emscripten'], ['cmake', 'cmake']], 'the build');

const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
delete env.EM_CACHE; // Debian's cache is frozen and complete; another one breaks every build
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env });
run('emcmake', ['cmake', '-S', '.', '-B', 'build', '-DCMAKE_BUILD_TYPE=Release', '--log-level=WARNING']);
run('cmake', ['--build', 'build', '-j2']);

// Both variants link the same loader; ship it once (dist/relu.wasm is the name baked into it).
const loader = readFileSync(`${root}build/simd/relu.mjs`);
if (!loader.equals(readFileSync(`${root}build/scalar/relu.mjs`))) {
  throw new Error('build: the simd and scalar loaders differ; they must be interchangeable');
}
mkdirSync(`${root}dist`, { recursive: true });
copyFileSync(`${root}build/simd/relu.mjs`, `${root}dist/relu.mjs`);
copyFileSync(`${root}build/scalar/relu.wasm`, `${root}dist/relu.wasm`);
copyFileSync(`${root}build/simd/relu.wasm`, `${root}dist/relu-simd.wasm`);
// Node's entry as one module: Node's ES module loader spent ~10 ms of a cold start on the
// package's 15 files (node bench/coldstart.mjs: import 21.7 ms from js/node.js, 11.1 ms from
// the bundle). Browsers get js/browser.js: their bundlers do this themselves.
const { build } = await import('rolldown');
await build({ input: `${root}js/node.js`, platform: 'node', logLevel: 'warn', output: { file: `${root}dist/node.mjs`, format: 'esm' } });
console.log('relu-wasm: built dist/relu.mjs, dist/relu.wasm (scalar), dist/relu-simd.wasm, dist/node.mjs (the Node entry, bundled)');
