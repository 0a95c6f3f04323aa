// init({ threads }) in Node (js/threads/): the shared-memory build and a pool of worker_threads.
// Every element-wise op, dtype and precision gives the one-thread instance's bits with 2 and 4
// threads, on WasmArrays and on JS arrays (which stream through a scratch chunk per thread),
// on lengths that split (random data with the special values); the options' errors; a
// terminated pool; a pool whose workers cannot start; no leaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { DTYPES, OPS } from '../js/ops.js';
import { KINDS, callArgs, exampleValues } from '../js/signature.js';
import { MIN_SPLIT } from '../js/threads/load.js';
import { randomArray } from './support.mjs';
import { rng } from '../scripts/rng.mjs';
import { callMix } from '../scripts/leak-check.mjs';

const one = createApi(nodePlatform);
await one.init();
const bitsOf = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const ELEMENTWISE = OPS.filter((row) => KINDS[row.kind].elementwise || row.kind === 'gated2');
const precisions = (row) => (row.params.some((p) => p.name === 'precision') ? ['exact', 'fast'] : [undefined]);
// long enough to split (the compute class's threshold), not a multiple of anything
const N = 3 * MIN_SPLIT.compute + 37;

for (const threads of [2, 4]) {
  test(`${threads} threads: every element-wise op, dtype and precision gives the one-thread bits (WasmArrays and JS arrays)`, async () => {
    const R = createApi(nodePlatform);
    await R.init({ threads });
    assert.equal(R.threads(), threads);
    const before = R._state().pool.calls;
    const r = rng(threads);
    for (const row of ELEMENTWISE) {
      for (const dt of row.dtypes) {
        const values = exampleValues(row, dt);
        delete values.precision;
        if (DTYPES[dt].half) values.dtype = DTYPES[dt].name;
        const ins = Object.fromEntries(KINDS[row.kind].inputs.map((k) => [k, randomArray(dt, N, r)]));
        for (const precision of precisions(row)) {
          const v = { ...values, ...ins, ...(precision ? { precision } : {}) };
          const want = one[row.name](...callArgs(row, v));
          const got = R[row.name](...callArgs(row, v));
          const what = `${row.name} ${dt} ${precision ?? ''}`;
          for (const k of KINDS[row.kind].outputs.length > 1 ? KINDS[row.kind].outputs : [null]) {
            assert.deepEqual(bitsOf(k ? got[k] : got), bitsOf(k ? want[k] : want), `${what} ${k ?? ''} (JS arrays)`);
          }
          const ws = Object.fromEntries(Object.entries(ins).map(([k, a]) => [k, R.from(a, DTYPES[dt].name)]));
          const gotW = R[row.name](...callArgs(row, { ...v, ...ws }));
          for (const k of KINDS[row.kind].outputs.length > 1 ? KINDS[row.kind].outputs : [null]) {
            const w = k ? gotW[k] : gotW;
            assert.deepEqual(bitsOf(w.view), bitsOf(k ? want[k] : want), `${what} ${k ?? ''} (WasmArrays)`);
            w.free();
          }
          Object.values(ws).forEach((w) => w.free());
        }
      }
    }
    // (calls did split: at least the WasmArray calls of every row)
    assert.ok(R._state().pool.calls - before >= ELEMENTWISE.length, `${R._state().pool.calls - before} threaded calls`);
    R.terminate();
  });
}

test('threads: where the platform has no pool, one thread and one warning that says why', async () => {
  const warnings = [];
  const warn = console.warn;
  console.warn = (m) => warnings.push(m);
  try {
    const R = createApi({ ...nodePlatform, threads: undefined });
    await R.init({ threads: 4 });
    assert.equal(R.threads(), 1);
    assert.equal(R.gelu(new Float32Array([1]))[0], one.gelu(new Float32Array([1]))[0]);
    await createApi({ ...nodePlatform, threads: undefined }).init({ threads: 2 });
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /relu-wasm: init\(\{ threads \}\): this platform has no pool; this instance runs on one thread/);
});

test('threads: options are checked; a later init() must ask for the same pool', async () => {
  const R = createApi(nodePlatform);
  await assert.rejects(R.init({ threads: 0 }), { name: 'TypeError', message: "init: options.threads must be 'auto' or an integer from 1 to 64 (got number 0)" });
  await assert.rejects(R.init({ threads: 2.5 }), /options.threads must be 'auto' or an integer/);
  await assert.rejects(R.init({ threads: 2, simd: false }), { name: 'TypeError', message: /cannot be combined with simd: false/ });
  await assert.rejects(R.init({ threads: 2, wasmBinary: new Uint8Array(8) }), { name: 'TypeError', message: /cannot be combined with wasmBinary/ });
  await R.init({ threads: 2 });
  await R.init(); // (no threads option: joins)
  await assert.rejects(R.init({ threads: 3 }), /asks for another pool than the first init\(\)'s \(threads: 2\)/);
  const auto = createApi(nodePlatform);
  await auto.init({ threads: 'auto' });
  assert.ok(auto.threads() >= 1);
  auto.terminate();
  R.terminate();
});

test('threads: after terminate() a call long enough to split is an error, shorter ones still run; nothing leaks', async () => {
  const R = createApi(nodePlatform);
  await R.init({ threads: 2 });
  const x = R.from(new Float32Array(N).map((_, i) => Math.sin(i)));
  const y = R.alloc(N);
  R.gelu(x, y);
  const used = R.heapUsed();
  for (let k = 0; k < 20; k++) R.silu(x, y), R.sigmoid(new Float32Array(N));
  assert.equal(R.heapUsed(), used);
  R.terminate();
  assert.throws(() => R.gelu(x, y), /relu-wasm: the thread pool has ended \(terminate\(\) was called\)/);
  assert.equal(R.gelu(new Float32Array([1, 2])).length, 2);
  x.free(), y.free();
});

test('threads: a pool whose workers cannot start rejects init() with the reason', async () => {
  const bad = { ...nodePlatform, threads: { ...nodePlatform.threads, spawn: () => Promise.reject(new Error('no such worker')) } };
  const R = createApi(bad);
  await assert.rejects(R.init({ threads: 2 }), /relu-wasm: pool worker 1 failed to start: no such worker/);
});

test('parallel(op, ...args): a promise of the op on WasmArrays, the one-thread bits; the arrays cannot be freed until it resolves', async () => {
  const R = createApi(nodePlatform);
  await R.init({ threads: 2 });
  const x = new Float32Array(N).map((_, i) => Math.sin(i * 0.7) * 6);
  const wx = R.from(x), out = R.alloc(N);
  const before = R._state().pool.calls;
  const p = R.parallel(R.gelu, wx, { out, precision: 'fast' });
  assert.throws(() => out.free(), /relu-wasm: free\(\): a parallel\(\) call is still running on this WasmArray; await it first/);
  assert.equal(await p, out);
  assert.equal(R._state().pool.calls, before + 1);
  assert.deepEqual(bitsOf(out.view), bitsOf(one.gelu(x, { precision: 'fast' })));
  const d = await R.parallel(R.swigluBackward, wx, wx, wx);
  const want = one.swigluBackward(x, x, x);
  assert.deepEqual(bitsOf(d.dgate.view), bitsOf(want.dgate));
  d.dgate.free(), d.dup.free();
  await assert.rejects(R.parallel(R.gelu, x), { name: 'TypeError', message: /parallel\(gelu, …\): pass WasmArrays \(got a Float32Array outside wasm memory/ });
  await assert.rejects(R.parallel(Math.max, wx), { name: 'TypeError', message: /op must be one of this module's ops/ });
  assert.equal(await R.parallel(R.relu, R.from(new Float32Array([-1, 2]))).then((w) => w.view[1]), 2);
  wx.free(), out.free();
  R.terminate();
});

test('parallel() keeps Node running while it waits (a script whose last work is awaited parallel() calls exits 0, having finished)', async () => {
  const { execFile } = await import('node:child_process');
  const script = `import { createApi } from ${JSON.stringify(new URL('../js/core.js', import.meta.url).href)};
import { nodePlatform } from ${JSON.stringify(new URL('../js/node.js', import.meta.url).href)};
const R = createApi(nodePlatform);
await R.init({ threads: 2 });
const x = R.from(Float32Array.from({ length: 1 << 20 }, (_, i) => Math.sin(i * 0.7) * 6));
for (let k = 0; k < 20; k++) await R.parallel(R.gelu, x);
console.log('done');`;
  const r = await new Promise((resolve) => execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 120_000 }, (e, stdout, stderr) => resolve({ code: e?.code ?? 0, stdout, stderr })));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'done');
});

// A platform whose workers the test can end as if they died: spawn(data) as the platform's,
// each worker's handle kept; `fake` makes the first worker one that never runs its jobs.
function mortal({ fake = false } = {}) {
  const handles = [];
  let first = fake;
  const spawn = (data) => {
    if (first) {
      first = false;
      const h = { ends: [], terminate() {}, onEnd: (f) => h.ends.push(f), onError() {}, die: () => h.ends.forEach((f) => f()) };
      handles.push(h);
      return Promise.resolve(h);
    }
    return nodePlatform.threads.spawn(data).then((w) => {
      const h = { ...w, die: () => w.terminate() };
      handles.push(h);
      return h;
    });
  };
  return { platform: { ...nodePlatform, threads: { ...nodePlatform.threads, spawn } }, handles };
}
const until = async (ok) => {
  for (let t = 0; !ok(); t++) {
    if (t > 1000) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

test('threads: a worker that dies during a call fails that call (and only it) with a clear error; the pool replaces the worker, which does not rerun the lost job', async () => {
  const { platform, handles } = mortal({ fake: true });
  const R = createApi(platform);
  await R.init({ threads: 2 });
  const pool = R._state().pool;
  const x = new Float32Array(N).map((_, i) => Math.sin(i * 0.7) * 6);
  const want = bitsOf(one.gelu(x));
  const wx = R.from(x), out = R.alloc(N);
  const p = R.parallel(R.gelu, wx, { out });
  handles[0].die();
  await assert.rejects(p, /^Error: relu-wasm: a threaded call lost its worker 1 \(worker 1 exited\): its output is incomplete; the pool starts a new worker, later calls run$/);
  assert.doesNotThrow(() => out.free()); // (the arrays are released)
  const out2 = R.alloc(N);
  out2.view.fill(7);
  await until(() => pool.live === 1);
  const posts = pool.posts;
  // (the replacement has the lost job's slot: it must not run that job, into the freed out)
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(out2.view.every((v) => v === 7));
  R.gelu(wx, out2);
  assert.deepEqual(bitsOf(out2.view), want);
  assert.equal(pool.posts, posts + 1);
  wx.free(), out2.free();
  R.terminate();
});

test('threads: once a worker has died, calls run its slices on the calling thread (the one-thread bits) until its replacement is ready', async () => {
  const { platform, handles } = mortal();
  const R = createApi(platform);
  await R.init({ threads: 2 });
  const pool = R._state().pool;
  const x = new Float32Array(N).map((_, i) => Math.cos(i * 0.3) * 9);
  const wx = R.from(x), out = R.alloc(N);
  handles[0].die();
  await until(() => pool.live === 0);
  const posts = pool.posts;
  R.silu(wx, { out, precision: 'fast' });
  assert.deepEqual(bitsOf(out.view), bitsOf(one.silu(x, { precision: 'fast' })));
  await R.parallel(R.sigmoid, wx, { out });
  assert.deepEqual(bitsOf(out.view), bitsOf(one.sigmoid(x)));
  assert.equal(pool.posts, posts); // (no worker: both on this thread)
  await until(() => pool.live === 1);
  R.gelu(wx, out);
  assert.deepEqual(bitsOf(out.view), bitsOf(one.gelu(x)));
  assert.equal(pool.posts, posts + 1);
  assert.equal(handles.length, 2);
  wx.free(), out.free();
  R.terminate();
});

test('threads: a call made while a parallel() call is in flight runs the busy workers\' slices itself; both give the one-thread bits', async () => {
  const R = createApi(nodePlatform);
  await R.init({ threads: 4 });
  const x = new Float32Array(1 << 18).map((_, i) => Math.sin(i * 0.1) * 5);
  const wx = R.from(x), a = R.alloc(x.length), b = R.alloc(x.length);
  const calls = [];
  for (let k = 0; k < 4; k++) calls.push(R.parallel(R.gelu, wx, { out: a }), R.parallel(R.silu, wx, { out: b }));
  const c = R.tanh(wx);
  await Promise.all(calls);
  assert.deepEqual(bitsOf(a.view), bitsOf(one.gelu(x)));
  assert.deepEqual(bitsOf(b.view), bitsOf(one.silu(x)));
  assert.deepEqual(bitsOf(c.view), bitsOf(one.tanh(x)));
  wx.free(), a.free(), b.free(), c.free();
  R.terminate();
});

test('threads: the leak and hostile-input checks on the pool: every op\'s call mix at a length that splits (JS arrays, WasmArrays, wrong sizes) returns heap use to baseline; bad calls write nothing and leave the pool usable', async () => {
  const R = createApi(nodePlatform);
  await R.init({ threads: 2 });
  const M = 3 * MIN_SPLIT.compute + 64; // (whole rows of the channel ops' 8 channels)
  const mix = callMix(R, M);
  for (const c of mix.calls) c(); // (sizes the reusable parameter area)
  const calls = R._state().pool.calls;
  const base = R.heapUsed();
  for (let k = 0; k < 3; k++) for (const c of mix.calls) c();
  assert.equal(R.heapUsed(), base, 'heap in use after 3 rounds of every op');
  assert.ok(R._state().pool.calls > calls, 'the mix split across the pool');
  const x = R.from(new Float32Array(N).map((_, i) => Math.sin(i)));
  const guard = R.from(new Float32Array(64).fill(7));
  const freed = R.alloc(N);
  freed.free();
  const heap = R.heapUsed();
  const bad = [
    [() => R.gelu(x, R.alloc(N - 1)), RangeError],
    [() => R.gelu(x, freed), TypeError],
    [() => R.gelu(x, { out: new Float32Array(N), precision: 'faster' }), RangeError],
    [() => R.silu(x, new Float32Array(N), { precision: 'fast' }), TypeError],
    [() => R.swiglu(x, new Float32Array(N + 1)), RangeError],
  ];
  for (const [call, type] of bad) assert.throws(call, type);
  assert.ok(R.heapUsed() <= heap + N * 4 + 64, `heap grew by ${R.heapUsed() - heap}`); // (the alloc(N - 1) of the first case, not freed by the test)
  assert.ok(guard.view.every((v) => v === 7), 'a bad call wrote over a neighbouring WasmArray');
  const y = R.gelu(x);
  assert.deepEqual(bitsOf(y.view), bitsOf(one.gelu(x.toArray())));
  x.free(), guard.free(), y.free();
  mix.dispose();
  R.terminate();
});
