// The memory model: WasmArrays across memory growth, no leaks, streaming in bounded memory,
// overlapping views, use after free, limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as R from '../js/node.js';
import { OPS } from '../js/ops.js';
import { model } from '../js/signature.js';
import { callMix } from '../scripts/leak-check.mjs';

await R.init();

const ramp = (n, C = Float32Array) => new C(n).map((_, i) => (i % 7) - 3);
// The memory model is the same for every op: the table's first element-wise ops of each arity
// stand in for all (their names only appear in the expected messages).
const unaryRow = OPS.find((r) => r.kind === 'map' && r.dtypes.includes('f32'));
const binaryRow = OPS.find((r) => r.kind === 'map2' && r.dtypes.includes('f32'));
const unary = R[unaryRow.name];
const binary = R[binaryRow.name];
const unaryModel = model(unaryRow, 'f32');
const binaryModel = model(binaryRow, 'f32');
const expectUnary = (a) => Float32Array.from(a, unaryModel);

test('a WasmArray survives memory growth; a view taken before it is documented invalid', () => {
  const w = R.from(ramp(1000));
  const old = w.view;
  const before = R.memoryBytes();
  const big = [];
  while (R.memoryBytes() === before) big.push(R.alloc(1 << 20));
  assert.equal(old.length, 0, 'the old view is detached (docs/api.md: views are valid until memory grows)');
  assert.deepEqual([...w.view], [...ramp(1000)]);
  unary(w, w);
  assert.deepEqual([...w.toArray()], [...expectUnary(ramp(1000))]);
  for (const b of big) b.free();
  w.free();
});

test('every op, JS arrays and WasmArrays, errors included: heap use returns to baseline', () => {
  const mix = callMix(R, 4096);
  const x = ramp(4096);
  const round = () => {
    for (const c of mix.calls) c();
    assert.throws(() => unary(R.from(x), new Float32Array(3)), RangeError); // the from() leaks: on purpose below
  };
  // Warm-up sizes the reusable parameter region; then 200 rounds must not grow the heap,
  // except the one WasmArray per round that round() leaks on purpose (4096 × 4 bytes each).
  round();
  const base = R.heapUsed();
  for (let i = 0; i < 200; i++) round();
  const leaked = R.heapUsed() - base;
  assert.ok(leaked >= 200 * 4096 * 4 && leaked < 200 * (4096 * 4 + 64), `heap grew by ${leaked} bytes`);
  mix.dispose();
});

test('JS arrays larger than the scratch and than wasm memory stream in bounded memory', () => {
  const n = 8 << 20; // 32 MB of float32, far more than wasm memory holds now
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = (i % 11) - 5;
  const mem = R.memoryBytes();
  assert.ok(n * 4 > mem, `wasm memory (${mem} B) should be smaller than the array`);
  const out = unary(x);
  assert.equal(R.memoryBytes(), mem, 'streaming did not grow wasm memory');
  for (let i = 0; i < n; i += 9973) assert.equal(out[i], unaryModel(x[i]));
  assert.equal(out[n - 1], unaryModel(x[n - 1]));
  const g = binary(x, x);
  assert.equal(g[n - 2], binaryModel(x[n - 2], x[n - 2]));
});

test('overlapping out and input views give the non-overlapping result (like memmove)', () => {
  for (const n of [5, 100, 20000]) {
    for (const shift of [-3, -1, 1, 2, 17, 9000]) {
      if (Math.abs(shift) >= n) continue;
      // JS memory and wasm memory (views of one WasmArray) alike.
      for (const where of ['js', 'wasm']) {
        const total = n + Math.abs(shift) + 2;
        const w = where === 'wasm' ? R.alloc(total) : null;
        const buf = where === 'wasm' ? w.view : new Float32Array(total);
        buf.set(ramp(total));
        const x0 = Math.max(0, -shift);
        const x = buf.subarray(x0, x0 + n);
        const out = buf.subarray(x0 + shift, x0 + shift + n);
        const want = expectUnary(x);
        unary(x, out);
        assert.deepEqual([...out], [...want], `${unaryRow.name} n=${n} shift=${shift} ${where}`);
        // Two inputs: out between dy (below) and x (above), or anywhere else.
        buf.set(ramp(total).reverse());
        const dy = buf.subarray(0, n);
        const xs = buf.subarray(total - n, total);
        const o2 = buf.subarray(1, n + 1);
        const want2 = dy.map((d, i) => binaryModel(d, xs[i]));
        binary(dy, xs, o2);
        assert.deepEqual([...o2], [...want2], `${binaryRow.name} n=${n} ${where}`);
        w?.free();
      }
    }
  }
});

test('use after free, double free, wrong dtype, too large: clear errors, module still usable', () => {
  const w = R.from(new Float32Array([1, -1]));
  const v = R.alloc(2, 'float64');
  assert.throws(() => unary(w, v), { name: 'TypeError', message: new RegExp(`${unaryRow.name}: out must have the same dtype as x \\(float32\\), got WasmArray of float64`) });
  assert.throws(() => binary(w, v), { name: 'TypeError', message: /x must have the same dtype as dy/ });
  w.free();
  assert.equal(w.freed, true);
  assert.throws(() => unary(w), { name: 'TypeError', message: new RegExp(`${unaryRow.name}: x is a WasmArray that was already freed`) });
  assert.throws(() => unary(v, w), TypeError);
  assert.throws(() => w.view, { name: 'TypeError', message: /WasmArray.view: this array was already freed/ });
  assert.throws(() => w.free(), { name: 'TypeError', message: /WasmArray.free: this array was already freed/ });
  w[Symbol.dispose](); // `using` after an explicit free() is fine
  v[Symbol.dispose]();
  assert.equal(v.freed, true);
  assert.throws(() => new R.WasmArray(), /create one with alloc\(n, dtype\) or from\(typedArray\)/);
  const heap = R.heapUsed();
  assert.throws(() => R.alloc(2 ** 29, 'float32'), {
    name: 'RangeError',
    message: /alloc: cannot allocate 536870912 × float32 = 2147483648 bytes; wasm memory is limited to 2147483648 bytes/,
  });
  assert.throws(() => R.alloc(2 ** 31, 'float64'), RangeError);
  assert.equal(R.heapUsed(), heap);
  assert.deepEqual([...unary(new Float32Array([-2, 2]))], [...expectUnary([-2, 2])]);
});

test('a WasmArray prints as what it is', async () => {
  const { inspect } = await import('node:util');
  const w = R.alloc(1024, 'int8');
  assert.equal(inspect(w), 'WasmArray(int8, 1024)');
  assert.equal(Object.prototype.toString.call(w), '[object WasmArray]');
  w.free();
  assert.equal(inspect(w), 'WasmArray(int8, 1024, freed)');
});

test('a WasmArray dropped without free() warns once', () => {
  const script = `
    import * as R from ${JSON.stringify(new URL('../js/node.js', import.meta.url).href)};
    await R.init();
    (() => { for (let i = 0; i < 3; i++) R.alloc(16); })();
    for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const warnings = r.stderr.split('\n').filter((l) => l.includes('garbage-collected without free()'));
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0], /a WasmArray \(16 × float32\) was garbage-collected without free\(\); its memory leaked/);
});
