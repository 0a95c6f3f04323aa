// The package surface: exports and types derived from the table, init()/ready semantics,
// loading errors, bad input, and the built artefacts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import * as R from '../js/node.js';
import { OPS } from '../js/ops.js';
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';

const root = new URL('../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root));

test('every op of the table is exported by both entries and declared in index.d.ts', () => {
  const dts = read('js/index.d.ts').toString();
  // The browser entry in its own process: an app loads one entry, and each installs its platform.
  const browserKeys = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e',
    `import * as B from ${JSON.stringify(new URL('js/browser.js', root).href)}; console.log(JSON.stringify(Object.keys(B)))`]).toString());
  for (const { name } of OPS) {
    assert.equal(typeof R[name], 'function', `node entry lacks ${name}`);
    assert.ok(browserKeys.includes(name), `browser entry lacks ${name}`);
    assert.match(dts, new RegExp(`export function ${name}\\b`), `index.d.ts lacks ${name}`);
  }
  assert.deepEqual(Object.keys(R).filter((k) => k !== 'nodePlatform').sort(), browserKeys.filter((k) => k !== 'browserPlatform').sort());
  for (const k of browserKeys.filter((k) => k !== 'browserPlatform')) assert.match(dts, new RegExp(`export (function|const|declare class|type) ${k}\\b`), `index.d.ts lacks ${k}`);
});

test('js/public.js and js/index.d.ts are what scripts/gen-api.mjs makes of js/ops.js (not stale)', () => {
  execFileSync(process.execPath, [new URL('scripts/gen-api.mjs', root).pathname, '--check'], { stdio: 'pipe' });
});

test('index.d.ts documents every op and each of its parameters (JSDoc from the table)', () => {
  const dts = read('js/index.d.ts').toString();
  for (const row of OPS) {
    const doc = dts.match(new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\nexport function ${row.name}\\b`))?.[1];
    assert.ok(doc, `no JSDoc on ${row.name}`);
    assert.ok(doc.includes(row.doc) && doc.includes(row.numpy) && doc.includes('@example'), `${row.name}: JSDoc lacks the doc, numpy definition or example`);
    for (const p of row.params) assert.ok(doc.includes(p.doc), `${row.name}: no doc for ${p.name}`);
  }
});

test('calling an op before init() says to await init()', () => {
  assert.throws(() => R.relu(new Float32Array(1)), /called before the module is ready; `await init\(\)` first/);
  assert.throws(() => R.alloc(4), /await init\(\)/);
  assert.equal(R.variant, null);
});

test('a failed init() names the file and can be retried', async () => {
  await assert.rejects(R.init({ locateFile: '/nonexistent/dir/' }), /cannot read the wasm at \/nonexistent\/dir\/relu(-simd)?\.wasm: ENOENT/);
  await assert.rejects(R.init({ simd: 'yes' }), { name: 'TypeError', message: /options.simd must be 'auto', true or false \(got string 'yes'\)/ });
  await assert.rejects(R.init({ wasmBinary: 'x' }), { name: 'TypeError', message: /wasmBinary must be an ArrayBuffer/ });
  await assert.rejects(R.init(42), TypeError);
  await assert.rejects(R.init({ smid: false }), { name: 'TypeError', message: /init: unknown option 'smid'/ });
  await assert.rejects(createApi(nodePlatform).init({ locateFile: () => 42 }), { name: 'TypeError', message: /init: options.locateFile\('relu(-simd)?\.wasm'\) must return a URL or a string \(got number 42\)/ });
  const p = R.init();
  assert.equal(R.init(), p, 'init() is one shared promise');
  const api = await p;
  assert.equal(await R.ready, api);
  assert.equal(api.variant, 'simd');
  assert.equal(R.variant, 'simd');
  // A later call joins the first, or says why it cannot (never a silent other build).
  assert.equal(R.init({ simd: true }), p, 'a later call asking for the loaded build joins it');
  assert.equal(R.init({ simd: 'auto' }), p);
  await assert.rejects(R.init({ simd: false }), /init\(\{ simd: false \}\) asks for the scalar build, but the simd build is loaded/);
  await assert.rejects(R.init({ locateFile: '/elsewhere/' }), /init\(\) was already called with no locateFile; a later init\(\) cannot change it/);
  await assert.rejects(R.init({ smid: false }), { name: 'TypeError', message: /init: unknown option 'smid' \(accepted: simd, wasmBinary, locateFile, threads, precision\)/ });
  await assert.rejects(R.init({ precision: 'fast' }), /init\(\{ precision: 'fast' \}\), but the module is loaded with precision 'exact'; call init\(\) once/);
  assert.equal(await R.init({ precision: 'exact' }), api, "the default precision asked for again joins");
  assert.equal(await R.init(), api, 'and the module is still the one loaded');
});

test('a second init() while the first is still loading is held to the build the first one gets', async () => {
  const a = createApi(nodePlatform);
  const first = a.init();
  const same = a.init({ simd: true });
  const other = a.init({ simd: false });
  assert.equal((await first).variant, 'simd');
  assert.equal((await same).variant, 'simd');
  await assert.rejects(other, /init\(\{ simd: false \}\) asks for the scalar build, but the simd build is loaded/);
});

// The precision each smooth kernel call gets (its last argument: 0 'exact', 1 'fast'), seen by
// wrapping the wasm table's functions while an instance loads (it binds its ops to them).
async function spiedApi(options) {
  const seen = [];
  const get = WebAssembly.Table.prototype.get;
  WebAssembly.Table.prototype.get = function (i) {
    const f = get.call(this, i);
    return typeof f === 'function' ? (...args) => (seen.push(args.at(-1)), f(...args)) : f;
  };
  try {
    const api = createApi(nodePlatform);
    await api.init(options);
    return { api, seen };
  } finally {
    WebAssembly.Table.prototype.get = get;
  }
}

test("init({ precision }) sets the default precision of every op that takes one; a call's own precision overrides it", async () => {
  const x = new Float32Array([-2, -0.5, 0, 0.5, 3]);
  for (const [options, want] of [[{}, 0], [{ precision: 'exact' }, 0], [{ precision: 'fast' }, 1]]) {
    const { api, seen } = await spiedApi(options);
    const w = api.from(x), o = api.alloc(x.length);
    const precisionOf = (call) => {
      seen.length = 0;
      const y = call();
      const last = seen.at(-1); // (the op's kernel is its last wasm call)
      if (y instanceof api.WasmArray && y !== o) y.free();
      return last;
    };
    const calls = {
      'typed array': () => api.silu(x),
      'typed array, a positional param': () => api.swish(x, 1.5),
      'typed array, options': () => api.gelu(x, { approximate: 'tanh' }),
      'WasmArray → out': () => api.silu(w, o),
      'WasmArray, options': () => api.gelu(w, { out: o }),
      'WasmArray, positional params → out': () => api.softplusBackward(w, w, 2, 20, o),
      'a new WasmArray (the parser)': () => api.sigmoid(w),
      'Uint16Array bits': () => api.tanh(new Uint16Array(3), { dtype: 'bfloat16' }),
    };
    for (const [what, call] of Object.entries(calls)) {
      assert.equal(precisionOf(call), want, `init(${JSON.stringify(options)}): ${what}`);
      // A call's own precision wins, either way, on the guard's paths and the parser's.
      for (const [precision, index] of [['exact', 0], ['fast', 1]]) {
        assert.equal(precisionOf(() => api.silu(x, { precision })), index, `init(${JSON.stringify(options)}): silu(x, { precision: '${precision}' })`);
        assert.equal(precisionOf(() => api.geluBackward(w, w, { precision, out: o })), index, `init(${JSON.stringify(options)}): geluBackward on WasmArrays, precision '${precision}'`);
        assert.equal(precisionOf(() => api.elu(w, 0.5, { precision })), index, `init(${JSON.stringify(options)}): elu, a new WasmArray, precision '${precision}'`);
      }
    }
    // Requantized data: exact whatever the precision (tests/quant.test.mjs), with it or without.
    const q = { scale: 0.05, outScale: 1 / 128 };
    assert.deepEqual(api.gelu(new Int8Array([-100, -3, 0, 7, 127]), q), api.gelu(new Int8Array([-100, -3, 0, 7, 127]), { ...q, precision: 'exact' }));
    w.free();
    o.free();
  }
});

test('init({ precision }): a bad value is a TypeError or RangeError naming init and the option; another precision later is an error, as another wasmBinary', async () => {
  await assert.rejects(createApi(nodePlatform).init({ precision: 'quick' }), { name: 'RangeError', message: "init: options.precision must be one of 'exact', 'fast' (got string 'quick')" });
  await assert.rejects(createApi(nodePlatform).init({ precision: 1 }), { name: 'TypeError', message: "init: options.precision must be one of 'exact', 'fast' (got number 1)" });
  await assert.rejects(createApi(nodePlatform).init({ precision: null }), { name: 'TypeError', message: "init: options.precision must be one of 'exact', 'fast' (got null)" });
  await assert.rejects(createApi(nodePlatform).init({ precison: 'fast' }), { name: 'TypeError', message: "init: unknown option 'precison' (accepted: simd, wasmBinary, locateFile, threads, precision)" });
  // The option is read once (a getter is called once).
  let reads = 0;
  const a = createApi(nodePlatform);
  const first = a.init({ get precision() { reads++; return 'fast'; } });
  assert.equal(reads, 1);
  // While it loads and once it has loaded: the same precision (or none) joins, another is an error.
  const same = a.init({ precision: 'fast' });
  const none = a.init();
  const other = a.init({ precision: 'exact' });
  await assert.rejects(other, /relu-wasm: init\(\{ precision: 'exact' \}\), but the module is loading with precision 'fast'; call init\(\) once, with the options you want/);
  const api = await first;
  assert.equal(await same, api);
  assert.equal(await none, api);
  await assert.rejects(a.init({ precision: 'exact' }), /but the module is loaded with precision 'fast'/);
  assert.equal(await a.init({ simd: true, precision: 'fast' }), api);
  // A failed start leaves no precision behind: the next init() may ask for another.
  const b = createApi(nodePlatform);
  await assert.rejects(b.init({ precision: 'fast', locateFile: '/nonexistent/dir/' }), /cannot read the wasm/);
  const { variant } = await b.init({ precision: 'exact' });
  assert.equal(variant, 'simd');
  // A bad per-call precision: the op's own error.
  const x = new Float32Array(4);
  const cases = [
    [() => api.gelu(x, { precision: 'quick' }), RangeError, /^gelu: precision must be one of 'exact', 'fast' \(got string 'quick'\)$/],
    [() => api.siluBackward(x, x, { precision: 0 }), TypeError, /^siluBackward: precision must be one of 'exact', 'fast' \(got number 0\)$/],
    [() => api.swish(api.from(x), 1.5, { precision: 'FAST', out: api.alloc(4) }), RangeError, /^swish: precision must be one of 'exact', 'fast' \(got string 'FAST'\)$/],
    [() => api.sigmoid(new Int8Array(4), { scale: 0.1, outScale: 0.01, precision: true }), TypeError, /^sigmoid: precision must be one of 'exact', 'fast' \(got boolean true\)$/],
    [() => api.relu(x, { precision: 'fast' }), TypeError, /^relu: unknown option 'precision'/],
  ];
  for (const [fn, type, message] of cases) assert.throws(fn, (e) => e instanceof type && message.test(e.message), `${fn}`);
});

test('non-wasm bytes are named with what came back', async () => {
  const a = createApi(nodePlatform);
  const html = new TextEncoder().encode('<!DOCTYPE html><html><body>Not Found</body></html>');
  await assert.rejects(a.init({ wasmBinary: html }), /options.wasmBinary is not a wasm binary \(50 bytes starting "<!DOCTYPE html><html><body>Not Found/);
  // An HTTP server answering HTML with status 200 (an SPA fallback) and 404.
  const server = createServer((req, res) => {
    res.writeHead(req.url.includes('missing') ? 404 : 200, { 'content-type': 'text/html' });
    res.end('<!doctype html><p>app shell</p>');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    await assert.rejects(a.init({ locateFile: (f) => `${base}/assets/${f}` }), new RegExp(`${base}/assets/relu-simd.wasm \\(text/html\\) is not a wasm binary \\(31 bytes starting "<!doctype html><p>app shell`));
    await assert.rejects(a.init({ locateFile: `${base}/missing/` }), new RegExp(`fetching ${base}/missing/relu-simd.wasm gave HTTP 404`));
  } finally {
    server.close();
  }
  // A wasm that is not ours.
  const other = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 7, 1, 1, 120, 1, 121, 0, 0]);
  await assert.rejects(a.init({ wasmBinary: other }), /not a relu-wasm build of this version/);
  await assert.rejects(a.init({ wasmBinary: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 9]) }), /relu-wasm: options.wasmBinary is not valid wasm: .*CompileError|relu-wasm: options.wasmBinary is not valid wasm/);
});

test('wasmBinary takes bytes or a compiled module and reports its variant', async () => {
  const scalar = read('dist/relu.wasm');
  const a = createApi(nodePlatform);
  await assert.rejects(a.init({ wasmBinary: scalar, simd: true }), /wasmBinary is the scalar build but init\(\{ simd: true \}\) asked for simd/);
  assert.equal((await a.init({ wasmBinary: scalar })).variant, 'scalar');
  const b = createApi(nodePlatform);
  const mod = await WebAssembly.compile(read('dist/relu-simd.wasm'));
  assert.equal((await b.init({ wasmBinary: mod })).variant, 'simd');
  assert.deepEqual([...b.relu(new Float32Array([-1, 2]))], [0, 2]);
  const c = createApi(nodePlatform);
  assert.equal((await c.init({ locateFile: new URL('dist/', root), simd: false })).variant, 'scalar');
});

test('bad input: a TypeError or RangeError that says what is accepted, module still usable', async () => {
  await R.init();
  const x = new Float32Array(8);
  const detached = new Float32Array(4);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  const cases = [
    [() => R.relu([1, 2]), TypeError, /relu: x must be a Float32Array, Float64Array, (Float16Array, )?Int32Array, Int16Array, Int8Array, Uint8Array, a Uint16Array of float16 or bfloat16 bits \(with \{ dtype \}\) or a WasmArray of those \(got Array\)/],
    [() => R.relu(), TypeError, /relu: x must be .* \(got undefined\)/],
    [() => R.relu(new Uint16Array(2)), TypeError, /relu: x is a Uint16Array; say which format its bits hold with \{ dtype: 'float16' or 'bfloat16' \} \(a Uint16Array is never guessed to be a float\)/],
    [() => R.relu(new Uint16Array(2), { dtype: 'float8' }), RangeError, /relu: options.dtype must be one of 'float32', 'float64', 'float16', 'bfloat16', 'int32'.* \(got string 'float8'\)/],
    [() => R.relu(new Uint16Array(2), { dtype: 16 }), TypeError, /relu: options.dtype must be one of .* \(got number 16\)/],
    [() => R.relu(x, { dtype: 'bfloat16' }), TypeError, /relu: options.dtype is 'bfloat16' but x is a Float32Array, which cannot hold it \(a Uint16Array of its bits can\)/],
    [() => R.relu(new Uint16Array(2), { dtype: 'bfloat16', out: new Float32Array(2) }), TypeError, /relu: out must have the same dtype as x \(bfloat16\), got Float32Array/],
    [() => R.gelu(new Int16Array(2)), TypeError, /gelu: x must be a Float32Array, (Float16Array, )?Int8Array, Uint8Array, a Uint16Array of float16 or bfloat16 bits .*\(got Int16Array\)/],
    [() => R.gelu(new Int8Array(2)), TypeError, /gelu: x is int8 data, which an activation takes requantized: give \{ scale, outScale \}/],
    [() => R.leakyRelu(new Int16Array(2)), TypeError, /leakyRelu: x must be a Float32Array, Float64Array, .*\(got Int16Array\)/],
    [() => R.relu(x, new Float32Array(7)), RangeError, /relu: out has length 7 but x has length 8/],
    [() => R.relu(x, new Float64Array(8)), TypeError, /relu: out must have the same dtype as x \(float32\), got Float64Array/],
    [() => R.relu(x, 5), TypeError, /relu: the argument after x must be an output array or an options object \(got number 5\)/],
    [() => R.relu(x, { outt: x }), TypeError, /relu: unknown option 'outt' \(accepted: out, zeroPoint, dtype, scale, outScale, outZeroPoint, bias, layout, inner, shape\)/],
    [() => R.relu(detached), TypeError, /relu: x is a view of a detached ArrayBuffer/],
    [() => R.relu(x, detached), TypeError, /relu: out is a view of a detached ArrayBuffer/],
    [() => R.relu(x, { zeroPoint: 1 }), TypeError, /zeroPoint applies to integer \(quantized\) dtypes only, not float32/],
    [() => R.relu(new Uint8Array(2), { zeroPoint: 256 }), RangeError, /zeroPoint must be an integer in \[0, 255\] for uint8 \(got 256\)/],
    [() => R.relu(new Int8Array(2), { zeroPoint: 1.5 }), RangeError, /integer in \[-128, 127\]/],
    [() => R.leakyRelu(x, NaN), RangeError, /leakyRelu: alpha must not be NaN/],
    [() => R.leakyRelu(x, '0.1'), TypeError, /alpha must be a number \(got string '0.1'\)/],
    [() => R.clip(x, 1), TypeError, /clip: hi is required/],
    [() => R.clip(x, NaN, 1), RangeError, /lo must not be NaN/],
    // The smooth family's rules: a choice, finite and positive parameters; float32 only.
    [() => R.gelu(x, { approximate: 'erf' }), RangeError, /gelu: approximate must be one of 'none', 'tanh' \(got string 'erf'\)/],
    [() => R.gelu(x, { approximate: 1 }), TypeError, /gelu: approximate must be one of 'none', 'tanh' \(got number 1\)/],
    [() => R.gelu(x, { precision: 'approximate' }), RangeError, /gelu: precision must be one of 'exact', 'fast' \(got string 'approximate'\)/],
    [() => R.tanhBackward(x, x, { precision: 1 }), TypeError, /tanhBackward: precision must be one of 'exact', 'fast' \(got number 1\)/],
    [() => R.swish(x, 0), RangeError, /swish: beta must be a finite number > 0 \(got 0\)/],
    [() => R.softplus(x, -1), RangeError, /softplus: beta must be a finite number > 0 \(got -1\)/],
    [() => R.celu(x, Infinity), RangeError, /celu: alpha must be a finite number > 0 \(got Infinity\)/],
    [() => R.elu(x, -Infinity), RangeError, /elu: alpha must be a finite number \(got -Infinity\)/],
    [() => R.softplus(x, 1, NaN), RangeError, /softplus: threshold must not be NaN/],
    [() => R.sigmoid(new Float64Array(2)), TypeError, /sigmoid: x must be a Float32Array, (Float16Array, )?Int8Array, Uint8Array, a Uint16Array of float16 or bfloat16 bits \(with \{ dtype \}\) or a WasmArray of those \(got Float64Array\)/],
    [() => R.clip(new Int16Array(2), -40000, 1), RangeError, /lo must be an integer in \[-32768, 32767\] for int16/],
    [() => R.reluBackward(x, new Float32Array(3)), RangeError, /reluBackward: x has length 3 but dy has length 8/],
    [() => R.reluBackward(x, new Float64Array(8)), TypeError, /x must have the same dtype as dy \(float32\)/],
    [() => R.prelu(x, new Float32Array(3)), RangeError, /prelu: x has 8 elements, not a whole number of rows of 3 channels/],
    [() => R.prelu(x, new Float32Array(0)), RangeError, /slope must have length 1 or C/],
    [() => R.prelu(x, new Float64Array(2)), TypeError, /slope must have the same dtype as x \(float32\)/],
    [() => R.prelu(x, new Float32Array(2), 'nchw'), TypeError, /'nchw' needs the inner size/],
    [() => R.prelu(x, new Float32Array(2), { layout: 'nchw', inner: 3 }), RangeError, /not a whole number of 2 channels × inner 3/],
    [() => R.prelu(x, new Float32Array(2), { layout: 'nchw', shape: [2, 3, 2] }), RangeError, /shape \[2,3,2\] has 12 elements but x has 8/],
    [() => R.prelu(x, new Float32Array(2), { layout: 'nchw', shape: [1, 4, 2] }), RangeError, /shape has 4 channels but slope has length 2/],
    [() => R.prelu(x, new Float32Array(2), { layout: 'NCHW', inner: 2 }), TypeError, /layout.layout must be 'nhwc' or 'nchw'/],
    [() => R.prelu(x, new Float32Array(2), 'chw'), TypeError, /layout must be 'nhwc'/],
    [() => R.preluBackward(x, x, new Float32Array(2), 'nhwc', { dslope: new Float32Array(3) }), RangeError, /dslope has length 3 but slope has length 2/],
    [() => R.activity(x, 3), RangeError, /activity: y has 8 elements, not a whole number of rows of 3 units/],
    [() => R.activity(x, 0), RangeError, /units must be a positive integer \(got number 0\)/],
    [() => R.deadUnits(x), RangeError, /units must be a positive integer \(got undefined\)/],
    [() => R.alloc(-1), RangeError, /alloc: length must be a non-negative integer \(got -1\)/],
    [() => R.alloc(4, 'float8'), TypeError, /alloc: dtype must be one of 'float32', 'float64', 'int32', 'int16', 'int8', 'uint8', 'float16', 'bfloat16' \(got 'float8'\)/],
    [() => R.from(new Uint16Array(2)), TypeError, /from: expected one of .* \(got Uint16Array\); a Uint16Array of 16-bit float bits needs its dtype: from\(u16, 'float16' or 'bfloat16'\)/],
    [() => R.from(new Float32Array(2), 'bfloat16'), TypeError, /from: a bfloat16 WasmArray is made from a Uint16Array of its bits \(got Float32Array\)/],
    [() => R.from([1, 2]), TypeError, /from: expected one of Float32Array/],
  ];
  const before = R.heapUsed();
  for (const [fn, type, message] of cases) assert.throws(fn, (e) => e instanceof type && message.test(e.message), `${fn}`);
  assert.equal(R.heapUsed(), before, 'failed calls allocate nothing that stays');
  assert.deepEqual([...R.relu(new Float32Array([-1, 1]))], [0, 1], 'still usable');
});

test('clip with lo > hi is hi everywhere but NaN (numpy, PyTorch, ONNX), and its gradient 0', async () => {
  await R.init();
  const x = Float32Array.of(-5, 0, 1.5, 5, NaN);
  assert.deepEqual([...R.clip(x, 2, 1)], [1, 1, 1, 1, NaN]);
  assert.deepEqual([...R.clipBackward(new Float32Array(5).fill(1), x, 2, 1)], [0, 0, 0, 0, 0]);
  assert.deepEqual([...R.clip(Int8Array.of(-128, 0, 127), 6, 0)], [0, 0, 0]);
});

test('dist: the SIMD wasm has v128 instructions and the scalar one has none', () => {
  const dis = (f) => execFileSync('wasm-dis', [new URL(f, root).pathname], { maxBuffer: 64 << 20 }).toString();
  assert.match(dis('dist/relu-simd.wasm'), /v128\.load/);
  assert.doesNotMatch(dis('dist/relu.wasm'), /v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2/);
  // No eval anywhere in what ships: it must run under a strict CSP.
  const loader = read('dist/relu.mjs').toString();
  assert.doesNotMatch(loader, /new Function|\beval\(/);
});
