// relu-wasm as its users get it: `npm pack` the repository, install the tarball into fresh
// temporary apps, and run each one — Node ESM, Node CommonJS, a plain <script type="module">
// page, a module Web Worker, Vite (build + preview, and the dev server) and webpack 5 — the
// browser ones in Chromium. Zero configuration in every app: the bundlers run through their
// Node APIs with the app as root and nothing else set (what `vite build` / `webpack` with no
// config file do). Also checks what the tarball holds and how big it is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile as execFileCb } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { startServer, STRICT_CSP } from '../scripts/serve.mjs';
import { CHECK_INPUT, CHECK_SOURCE, CHECK_WANT, launch, openPage, skipReason } from './browser/chromium.mjs';

const execFile = promisify(execFileCb);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const GZ_BUDGET = 25 * 1024; // JS + both .wasm, gzipped (issue #6)
const APP_BUDGET = 20 * 1024; // what a page of a Vite production app calling one op fetches, gzipped (issue #12)
const noChromium = skipReason();

let tmp; // everything lives here and is removed at the end
let tarball; // path of the .tgz
let packed; // npm pack --json output for it
const installLog = {}; // app → npm's stderr
let chrome = null; // { browser, close }
const cleanups = [];

const hex = (b) => '0x' + (b >>> 0).toString(16).padStart(8, '0');
function assertCheck(result, where) {
  assert.ok(result && typeof result === 'object', `${where}: no result`);
  assert.ok(!result.error, `${where}: the app failed: ${result.error}`);
  assert.deepEqual(result.bits.map(hex), CHECK_WANT.map(hex), `${where}: relu bits differ from np.maximum(x, 0)`);
}

async function writeFiles(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = netServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// Entry code as an app would write it: named imports from the package, a module worker.
const MAIN = (spec, workerUrl) => `import { init, relu } from '${spec}';
import { run } from './check.js';
const fail = (e) => ({ error: String(e && (e.stack || e.message) || e) });
const inWorker = ${workerUrl ? `new Promise((resolve) => {
  const w = new Worker(new URL('${workerUrl}', import.meta.url), { type: 'module' });
  w.onmessage = (e) => resolve(e.data);
  w.onerror = (e) => resolve({ error: 'worker error: ' + e.message });
})` : 'null'};
Promise.all([run({ init, relu }).catch(fail), inWorker]).then(([main, worker]) => {
  window.__result = { main, worker };
});
`;
const WORKER = (spec) => `import { init, relu } from '${spec}';
import { run } from './check.js';
run({ init, relu }).then((r) => postMessage(r), (e) => postMessage({ error: String(e && (e.stack || e.message)) }));
`;
const HTML = (head) => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">${head}</head><body>relu-wasm consumer</body></html>\n`;

// The temporary apps: files, and whether relu-wasm is installed into them.
const APPS = {
  'node-esm': {
    'package.json': JSON.stringify({ name: 'node-esm', private: true, type: 'module' }),
    'check.js': CHECK_SOURCE,
    'index.js': `import { init, relu } from 'relu-wasm';\nimport { run } from './check.js';\nconsole.log(JSON.stringify(await run({ init, relu })));\n`,
  },
  'node-cjs': {
    'package.json': JSON.stringify({ name: 'node-cjs', private: true }),
    'index.js': `const { init, relu } = require('relu-wasm');
init().then((api) => {
  const x = new Float32Array(new Uint32Array(${JSON.stringify(CHECK_INPUT)}).buffer);
  console.log(JSON.stringify({ variant: api.variant, bits: Array.from(new Uint32Array(relu(x).buffer)) }));
});
`,
  },
  // No bundler: an import map names the package's browser entry; a module worker imports it by path.
  plain: {
    'package.json': JSON.stringify({ name: 'plain', private: true, type: 'module' }),
    'check.js': CHECK_SOURCE,
    'index.html': HTML(`<script type="importmap">{ "imports": { "relu-wasm": "./node_modules/relu-wasm/js/browser.js" } }</script>
<script type="module" src="./main.js"></script>`),
    'main.js': MAIN('relu-wasm', null),
    'worker.html': HTML('<script type="module" src="./worker-main.js"></script>'),
    'worker-main.js': `const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
w.onmessage = (e) => (window.__result = { worker: e.data });
w.onerror = (e) => (window.__result = { worker: { error: 'worker error: ' + e.message } });
`,
    'worker.js': WORKER('./node_modules/relu-wasm/js/browser.js'),
  },
  vite: {
    'package.json': JSON.stringify({ name: 'vite-app', private: true, type: 'module' }),
    'check.js': CHECK_SOURCE,
    'index.html': HTML('<script type="module" src="/main.js"></script>'),
    'main.js': MAIN('relu-wasm', './worker.js'),
    'worker.js': WORKER('relu-wasm'),
  },
  webpack: {
    'package.json': JSON.stringify({ name: 'webpack-app', private: true, type: 'module' }),
    'src/check.js': CHECK_SOURCE,
    'src/index.js': MAIN('relu-wasm', './worker.js'),
    'src/worker.js': WORKER('relu-wasm'),
  },
};

before(async () => {
  for (const f of ['dist/relu.mjs', 'dist/relu.wasm', 'dist/relu-simd.wasm']) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  tmp = await mkdtemp(join(tmpdir(), 'relu-wasm-consumers-'));
  // --ignore-scripts: pack the build that is there (npm test's pretest just built it).
  const { stdout } = await execFile(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT });
  [packed] = JSON.parse(stdout);
  tarball = join(tmp, packed.filename);
  await Promise.all(
    Object.entries(APPS).map(async ([name, files]) => {
      const dir = join(tmp, name);
      await writeFiles(dir, files);
      const { stderr } = await execFile(NPM, ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=warn', tarball], { cwd: dir });
      installLog[name] = stderr.trim();
    }),
  );
});

after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await chrome?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function browser() {
  chrome ??= await launch();
  return chrome.browser;
}

/** Opens url in Chromium, waits for window.__result, asserts no errors; returns the result. */
async function loadInChromium(url, where) {
  const pg = await openPage(await browser());
  try {
    await pg.page.goto(url);
    const handle = await pg.page.waitForFunction(() => window.__result, null, { timeout: 20_000 }).catch((e) => {
      throw new Error(`${where}: no result in 20 s (${e.message.split('\n')[0]}); page said: ${[...pg.problems, ...pg.log].join(' | ') || 'nothing'}`);
    });
    const result = await handle.jsonValue();
    assert.deepEqual(pg.problems, [], `${where}: console errors or failed requests`);
    Object.defineProperty(result, 'requested', { value: pg.requested });
    return result;
  } finally {
    await pg.close();
  }
}

// ---------------------------------------------------------------------------------------
// The tarball

/** Relative specifiers a packed file refers to: imports, re-exports, new URL(…, import.meta.url). */
function references(text) {
  const out = new Set();
  const res = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /new\s+URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
    /\/\/\/\s*<reference\s+path=['"]([^'"]+)['"]/g,
  ];
  for (const re of res) for (const m of text.matchAll(re)) if (m[1].startsWith('.')) out.add(m[1]);
  return out;
}

test('the tarball holds exactly the files the package needs; sizes', async (t) => {
  const files = new Map(packed.files.map((f) => [f.path, f.size]));
  t.diagnostic(`tarball ${packed.filename}: ${packed.size} bytes (.tgz), ${packed.unpackedSize} bytes unpacked, ${files.size} files: ${[...files.keys()].join(', ')}`);
  const pkgDir = join(tmp, 'node-esm', 'node_modules', 'relu-wasm');

  // Walk from the entry points (exports map + types) through every relative reference.
  const entries = new Set();
  const walkExports = (v) => (typeof v === 'string' ? entries.add(posix.normalize(v)) : v && Object.values(v).forEach(walkExports));
  walkExports(PKG.exports);
  if (PKG.types) entries.add(posix.normalize(PKG.types));
  if (PKG.main) entries.add(posix.normalize(PKG.main));
  const needed = new Set();
  const missing = [];
  const queue = [...entries];
  while (queue.length) {
    const f = queue.shift();
    if (needed.has(f)) continue;
    needed.add(f);
    if (!files.has(f)) {
      missing.push(f);
      continue;
    }
    if (!/\.(m?js|d\.ts)$/.test(f)) continue;
    const text = await readFile(join(pkgDir, f), 'utf8');
    for (const ref of references(text)) {
      let target = posix.join(posix.dirname(f), ref);
      if (f.endsWith('.d.ts') && !/\.(d\.ts|js)$/.test(target)) target += '.d.ts';
      if (f.endsWith('.d.ts')) target = target.replace(/\.js$/, '.d.ts');
      queue.push(target);
    }
  }
  const always = (f) => f === 'package.json' || /^(README|LICENSE|LICENCE)(\.|$)/i.test(f);
  const extra = [...files.keys()].filter((f) => !needed.has(f) && !always(f));
  const typesMissing = missing.filter((f) => f.endsWith('.d.ts'));
  const otherMissing = missing.filter((f) => !f.endsWith('.d.ts'));
  assert.deepEqual(otherMissing, [], 'files the package refers to but the tarball lacks');
  assert.deepEqual(extra, [], 'files in the tarball that nothing refers to');
  for (const f of ['dist/relu.wasm', 'dist/relu-simd.wasm', 'dist/relu.mjs']) assert.ok(files.has(f), `${f} is not in the tarball`);

  await t.test('types named by package.json are packed', { todo: typesMissing.length ? `${typesMissing.join(', ')} is not in the repository yet` : false }, () => {
    assert.deepEqual(typesMissing, [], 'type declarations named by package.json are missing from the tarball');
  });

  // Size: JS + both wasm, each gzipped (-9) as a server would send them; and what a browser
  // actually fetches (browser entry + its modules + one wasm).
  let raw = 0;
  let gz = 0;
  const per = {};
  for (const f of [...files.keys()].filter((f) => /\.(m?js|wasm)$/.test(f))) {
    const bytes = await readFile(join(pkgDir, f));
    per[f] = [bytes.length, gzipSync(bytes, { level: 9 }).length];
    raw += per[f][0];
    gz += per[f][1];
  }
  // An unbundled page (every export imported) fetches the browser entry's modules and the one SIMD wasm.
  const browserFiles = [...needed].filter((f) => per[f] && /^js\/|^dist\/relu(\.mjs|-simd\.wasm)$/.test(f) && f !== 'js/node.js');
  const browserGz = browserFiles.reduce((s, f) => s + per[f][1], 0);
  t.diagnostic(`JS + both wasm: ${raw} bytes raw, ${gz} bytes gzipped (target ${GZ_BUDGET}); a browser on the SIMD build fetches ${browserGz} bytes gzipped`);
  t.diagnostic(`per file, raw/gzipped: ${Object.entries(per).map(([f, [r, z]]) => `${f} ${r}/${z}`).join(', ')}`);
  await t.test(`JS + both wasm within ${GZ_BUDGET} bytes gzipped`, { todo: gz > GZ_BUDGET ? `${gz} bytes gzipped: over the issue's target` : false }, () => {
    assert.ok(gz <= GZ_BUDGET, `JS + wasm gzipped is ${gz} bytes, over the ${GZ_BUDGET}-byte target`);
  });
});

test('npm install of the tarball prints no warnings', { todo: PKG.scripts?.prepare ? 'npm 11 warns "install scripts not yet covered by allowScripts: relu-wasm (prepare: …)"; rename the "prepare" script to "prepack"' : false }, () => {
  for (const [app, log] of Object.entries(installLog)) assert.equal(log, '', `npm install in the ${app} app`);
});

// ---------------------------------------------------------------------------------------
// Node

test('Node ESM: import', async () => {
  const { stdout, stderr } = await execFile(process.execPath, ['index.js'], { cwd: join(tmp, 'node-esm') });
  assert.equal(stderr, '');
  const r = JSON.parse(stdout);
  assertCheck(r, 'node ESM');
  assert.equal(r.variant, 'simd');
});

test('Node CommonJS: require (require(esm), no flags)', async (t) => {
  const { stdout, stderr } = await execFile(process.execPath, ['index.js'], { cwd: join(tmp, 'node-cjs') });
  if (stderr) t.diagnostic(`stderr: ${stderr.trim()}`);
  assert.doesNotMatch(stderr, /ERR_REQUIRE|Error/, 'require() of the package failed');
  assertCheck(JSON.parse(stdout), 'node CJS');
});

// ---------------------------------------------------------------------------------------
// Browsers

test('plain <script type="module"> page with an import map, no bundler', { skip: noChromium ?? false }, async () => {
  const srv = await startServer({ root: join(tmp, 'plain') });
  cleanups.push(srv.close);
  const r = await loadInChromium(`${srv.url}index.html`, 'plain page');
  assertCheck(r.main, 'plain page');
  assert.equal(r.main.variant, 'simd');
});

test('module Web Worker, no bundler, under the strict CSP', { skip: noChromium ?? false }, async () => {
  const srv = await startServer({ root: join(tmp, 'plain'), csp: STRICT_CSP });
  cleanups.push(srv.close);
  const r = await loadInChromium(`${srv.url}worker.html`, 'worker page');
  assertCheck(r.worker, 'module worker');
});

let vite;
const quietLogger = (sink) => ({
  info() {},
  warn: (m) => sink.push(m),
  warnOnce: (m) => sink.push(m),
  error: (m) => sink.push(m),
  clearScreen() {},
  hasErrorLogged: () => false,
  hasWarned: false,
});

test('Vite: vite build + vite preview (page and worker)', { skip: noChromium ?? false }, async (t) => {
  vite ??= await import('vite');
  const root = join(tmp, 'vite');
  const warnings = [];
  const t0 = performance.now();
  await vite.build({ root, configFile: false, logLevel: 'warn', customLogger: quietLogger(warnings) });
  t.diagnostic(`vite ${vite.version} build: ${Math.round(performance.now() - t0)} ms${warnings.length ? `; warnings: ${warnings.join(' | ')}` : ''}`);
  const assets = (await import('node:fs')).readdirSync(join(root, 'dist', 'assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `no .wasm emitted (assets: ${assets.join(', ')})`);
  const port = await freePort();
  const server = await vite.preview({ root, configFile: false, customLogger: quietLogger(warnings), preview: { port, strictPort: true, host: '127.0.0.1' } });
  cleanups.push(() => new Promise((r) => server.httpServer.close(r)));
  const r = await loadInChromium(`http://127.0.0.1:${port}/`, 'vite preview');
  assertCheck(r.main, 'vite preview page');
  assertCheck(r.worker, 'vite preview worker');
  // What the page (not its worker's script) fetched on this SIMD engine, each file gzipped
  // (-9) and brotli-compressed (quality 11) as a server would send it.
  const fetched = [...new Set(r.requested.map((u) => new URL(u).pathname).filter((p) => p.startsWith('/assets/')))]
    .map((p) => p.slice('/assets/'.length))
    .filter((f) => !f.startsWith('worker'));
  assert.ok(fetched.some((f) => f.endsWith('.wasm')) && fetched.some((f) => f.endsWith('.js')), `the page fetched ${fetched.join(', ')}`);
  const sizes = fetched.map((f) => {
    const b = readFileSync(join(root, 'dist', 'assets', f));
    return { f, raw: b.length, gz: gzipSync(b, { level: 9 }).length, br: brotliCompressSync(b, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length };
  });
  const sum = (k) => sizes.reduce((a, x) => a + x[k], 0);
  t.diagnostic(`a Vite page calling relu fetches ${sum('gz')} bytes gzipped, ${sum('br')} brotli (${sum('raw')} raw; target ${APP_BUDGET} gzipped): ${sizes.map((x) => `${x.f} ${x.raw}/${x.gz}/${x.br}`).join(', ')} (raw/gzip/brotli)`);
  // Only the core and relu's unit: a page pays for the ops it imports.
  // (Vite inlines a wasm under 4 KB into the JS as a data: URL.)
  const asset = (f) => readFileSync(join(root, 'dist', 'assets', f));
  const wasm = fetched.filter((f) => f.endsWith('.wasm'));
  const js = fetched.filter((f) => f.endsWith('.js')).map((f) => asset(f).toString('latin1')).join('\n');
  const packed = (f) => readFileSync(join(ROOT, f));
  const got = (f) => wasm.some((w) => asset(w).equals(packed(f))) || js.includes(packed(f).toString('base64'));
  const mine = (w) => ['dist/core-simd.wasm', 'dist/ops/relu-simd.wasm'].some((f) => asset(w).equals(packed(f)));
  assert.ok(got('dist/core-simd.wasm') && got('dist/ops/relu-simd.wasm') && wasm.every(mine),
    `the page fetched ${fetched.join(', ')}: not the core and relu's unit alone`);
  await t.test(`a Vite page calling one op fetches at most ${APP_BUDGET} bytes gzipped`, { todo: sum('gz') > APP_BUDGET ? `${sum('gz')} bytes gzipped: over issue 12's target` : false }, () => {
    assert.ok(sum('gz') <= APP_BUDGET);
  });
});

test('Vite: dev server (page and worker)', { skip: noChromium ?? false }, async (t) => {
  vite ??= await import('vite');
  const root = join(tmp, 'vite');
  const warnings = [];
  const port = await freePort();
  const server = await vite.createServer({ root, configFile: false, customLogger: quietLogger(warnings), server: { port, strictPort: true, host: '127.0.0.1' } });
  await server.listen();
  cleanups.push(() => server.close());
  const r = await loadInChromium(`http://127.0.0.1:${port}/`, 'vite dev');
  if (warnings.length) t.diagnostic(`vite dev warnings: ${warnings.join(' | ')}`);
  assertCheck(r.main, 'vite dev page');
  assertCheck(r.worker, 'vite dev worker');
});

test('webpack 5: production build (page and worker)', { skip: noChromium ?? false }, async (t) => {
  const { default: webpack } = await import('webpack');
  const root = join(tmp, 'webpack');
  // Exactly what `webpack` does with no config file: entry ./src/index.js → dist/main.js.
  const config = { mode: 'production', context: root, entry: './src/index.js', output: { path: join(root, 'dist') } };
  const t0 = performance.now();
  const stats = await new Promise((resolve, reject) => webpack(config, (err, s) => (err ? reject(err) : resolve(s))));
  const info = stats.toJson({ all: false, errors: true, warnings: true, assets: true });
  t.diagnostic(`webpack ${webpack.version} build: ${Math.round(performance.now() - t0)} ms; assets: ${info.assets.map((a) => `${a.name} ${a.size}`).join(', ')}`);
  assert.deepEqual(info.errors.map((e) => e.message), [], 'webpack errors');
  assert.deepEqual(info.warnings.map((e) => e.message), [], 'webpack warnings');
  assert.ok(info.assets.some((a) => a.name.endsWith('.wasm')), 'no .wasm emitted');
  await writeFile(join(root, 'dist', 'index.html'), HTML('<script src="main.js"></script>'));
  const srv = await startServer({ root: join(root, 'dist') });
  cleanups.push(srv.close);
  const r = await loadInChromium(`${srv.url}index.html`, 'webpack');
  assertCheck(r.main, 'webpack page');
  assertCheck(r.worker, 'webpack worker');
});
