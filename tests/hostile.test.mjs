// Hostile input that used to write outside the memory it was given (issue 13's first finds):
// counts whose parameter area overflows malloc's size_t, typed arrays with a lying own
// `length`, objects that only look like typed arrays. Both builds; after each case the heap
// is where it was, a guard WasmArray is untouched and the next valid call is exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { OPS } from '../js/ops.js';
import { DTYPES } from '../js/ops.js';
import { KINDS, callArgs, exampleArrays, exampleValues, model, signature } from '../js/signature.js';

const count = OPS.filter((r) => r.kind === 'count');
let cases = 0;
const unary = OPS.find((r) => r.kind === 'map' && r.dtypes.includes('f32'));

for (const simd of [true, false]) {
  const variant = simd ? 'simd' : 'scalar';
  const R = createApi(nodePlatform);
  await R.init({ simd });

  // Runs `attempt`, which must throw `type` with a message naming the op; then checks the heap.
  function hostile(what, attempt, type, message) {
    cases++;
    const guard = R.from(new Float32Array(64).fill(7));
    const heap = R.heapUsed();
    assert.throws(attempt, (e) => e instanceof type && message.test(e.message), `${variant}: ${what}`);
    assert.equal(R.heapUsed(), heap, `${variant}: ${what}: heap in use changed`);
    assert.ok(guard.view.every((v) => v === 7), `${variant}: ${what}: wrote over a neighbouring WasmArray`);
    guard.free();
    const x = Float32Array.of(-2, -0, 0.5, 3);
    assert.deepEqual([...R[unary.name](x)], [...Float32Array.from(x, model(unary, 'f32'))], `${variant}: ${what}: the next call is exact`);
  }

  test(`${variant}: a count too large for wasm memory is a RangeError before anything is allocated`, () => {
    for (const row of count) {
      const p = row.params[0].name;
      for (const units of [2 ** 32 + 4, 2 ** 33, 2 ** 31]) {
        hostile(`${row.name} ${p} = ${units}`, () => R[row.name](...callArgs(row, { y: new Float32Array(0), [p]: units })), RangeError, new RegExp(`^${row.name}: ${p} too large`));
      }
    }
  });

  test(`${variant}: an own length property on a typed array does not count (its real length does)`, () => {
    const small = R.alloc(4);
    const view = small.view;
    Object.defineProperty(view, 'length', { value: 4100 });
    const x = new Float32Array(4100).fill(-1);
    hostile('out = a 4-element view claiming 4100', () => R[unary.name](x, view), RangeError, new RegExp(`^${unary.name}: out has length 4 but x has length 4100`));
    small.free();
    const liar = Float32Array.of(-1, 2, -3, 4);
    Object.defineProperty(liar, 'length', { value: 8 });
    const y = R[unary.name](liar);
    assert.equal(y.length, 4, 'the result has the real length');
    assert.deepEqual([...y], [...Float32Array.from([-1, 2, -3, 4], model(unary, 'f32'))]);
  });

  test(`${variant}: every option is read once (a getter that answers differently later cannot change the call)`, () => {
    for (const row of OPS.filter((r) => KINDS[r.kind].elementwise)) { // the kinds that take an options object
      const sig = signature(row);
      const dtypes = [row.dtypes[0], row.dtypes.find((d) => !DTYPES[d].float && sig.options.length > 0)].filter(Boolean);
      for (const dt of dtypes) {
        for (const wasm of [false, true]) {
          const values = exampleValues(row, dt);
          const make = (k, len) => new DTYPES[dt].Array(len).map((_, i) => (k === 'slope' ? 0.25 : (i % 5) - 2));
          const arrays = exampleArrays(row, 8, make, 2);
          const inputs = wasm ? Object.fromEntries(Object.entries(arrays).map(([k, a]) => [k, R.from(a)])) : arrays;
          const out = wasm ? R.alloc(8, DTYPES[dt].name) : new DTYPES[dt].Array(8);
          const reads = {};
          const options = {};
          const given = { out, ...Object.fromEntries(sig.options.filter((p) => values[p.name] !== undefined).map((p) => [p.name, values[p.name]])) };
          for (const [k, v] of Object.entries(given)) {
            reads[k] = 0;
            Object.defineProperty(options, k, { enumerable: true, get: () => (reads[k]++ === 0 ? v : k === 'out' ? new DTYPES[dt].Array(3) : NaN) });
          }
          const args = callArgs(row, { ...values, ...inputs });
          if (sig.options.length > 0 && args.length > sig.after) args.pop(); // the options go in ours
          const r = R[row.name](...args, options);
          for (const [k, n] of Object.entries(reads)) assert.ok(n <= 1, `${variant} ${row.name} ${dt}${wasm ? ' WasmArray' : ''}: option ${k} read ${n} times`);
          assert.equal(r, out, `${row.name}: wrote into the out its getter gave first`);
          for (const w of [...Object.values(inputs), out]) if (w instanceof R.WasmArray) w.free();
        }
      }
    }
  });

  test(`${variant}: inputs that are views of wasm memory survive the memory growth the op itself causes`, async () => {
    const n = 2 ** 19; // 2 MB of float32: the op's result (or its parameter area) grows memory
    for (const row of OPS) {
      const R = createApi(nodePlatform); // a fresh, small memory for each op
      await R.init({ simd });
      const dt = row.dtypes[0];
      const values = exampleValues(row, dt);
      for (const p of row.params) if (p.rule === 'count') values[p.name] = n / 4; // a parameter area of n bytes
      const make = (k, len) => new DTYPES[dt].Array(len).map((_, i) => (k === 'slope' ? 0.25 : ((i * 7) % 13) - 6));
      const arrays = exampleArrays(row, n, make, 8);
      const held = Object.fromEntries(Object.entries(arrays).map(([k, a]) => [k, R.from(a)]));
      // One input as a WasmArray (results then may be WasmArrays, which grows memory), the
      // others as views of their WasmArrays; all as views first (count
      // ops grow memory for their parameter area), then each input in turn.
      let grew = 0;
      for (const first of ['none', ...KINDS[row.kind].inputs.filter((k) => k !== 'slope')]) {
        const given = Object.fromEntries(Object.entries(held).map(([k, w]) => [k, k === first ? w : w.view]));
        // Fill what memory is free now, so the op's own allocation has to grow it.
        const filler = R.alloc(Math.max(0, R.memoryBytes() - R.heapUsed() - 2 ** 17) >> 2);
        const memory = R.memoryBytes();
        const got = R[row.name](...callArgs(row, { ...values, ...given }));
        grew += R.memoryBytes() > memory;
        const want = R[row.name](...callArgs(row, { ...values, ...arrays }));
        const list = (r) => (ArrayBuffer.isView(r) || r instanceof R.WasmArray ? [r] : Object.values(r));
        list(got).forEach((g, i) => {
          const w = list(want)[i];
          assert.deepEqual(g instanceof R.WasmArray ? g.toArray() : g, w, `${variant} ${row.name} (${first} a WasmArray): result ${i}`);
          if (g instanceof R.WasmArray) g.free();
        });
        filler.free();
      }
      assert.ok(grew > 0, `${row.name}: the test meant memory to grow during the op`);
      for (const w of Object.values(held)) w.free();
    }
  });

  test(`${variant}: the wrong kind of argument is a TypeError naming it, a bad value of the right kind a RangeError`, () => {
    const x = new Float32Array(4);
    const freed = R.from(x);
    freed.free();
    for (const row of count) {
      hostile(`${row.name}(y, '2')`, () => R[row.name](x, '2'), TypeError, new RegExp(`^${row.name}: ${row.params[0].name} must be a number \\(got string '2'\\)`));
      hostile(`${row.name}(y, 2.5)`, () => R[row.name](x, 2.5), RangeError, new RegExp(`^${row.name}: ${row.params[0].name} must be a positive integer`));
    }
    const channel = OPS.find((r) => r.kind === 'channel');
    const slope = new Float32Array(2);
    hostile('an nhwc layout with inner', () => R[channel.name](x, slope, { layout: 'nhwc', inner: 2 }), TypeError, new RegExp(`^${channel.name}: layout.inner applies to 'nchw' only`));
    hostile('an nhwc shape that contradicts the slope', () => R[channel.name](x, slope, { layout: 'nhwc', shape: [1, 1, 4] }), RangeError, new RegExp(`^${channel.name}: layout.shape \\[1,1,4\\] has 4 channels \\(last\\) but slope has length 2`));
    hostile('an nhwc shape that contradicts x', () => R[channel.name](x, slope, { layout: 'nhwc', shape: [3, 2] }), RangeError, new RegExp(`^${channel.name}: layout.shape \\[3,2\\] has 6 elements but x has 4`));
    hostile("alloc('3')", () => R.alloc('3'), TypeError, /^alloc: length must be a number \(got string '3'\)/);
    hostile('alloc(2 ** 53)', () => R.alloc(2 ** 53), RangeError, /^alloc: length must be a non-negative integer/);
    hostile('alloc(2 ** 30, float64)', () => R.alloc(2 ** 30, 'float64'), RangeError, /^alloc: cannot allocate 1073741824 × float64/);
    hostile('a freed out', () => R[unary.name](x, freed), TypeError, new RegExp(`^${unary.name}: out is a WasmArray that was already freed`));
    hostile('a freed x', () => R[unary.name](freed), TypeError, new RegExp(`^${unary.name}: x is a WasmArray that was already freed`));
  });

  test(`${variant}: every op: an argument after its last (out or the options object) is a TypeError naming the op, not ignored; out untouched`, () => {
    // (silu(x, out, { precision: 'fast' }) ran exact, its options dropped)
    for (const row of OPS) {
      const dt = row.dtypes.find((d) => !DTYPES[d].half);
      const arrays = exampleArrays(row, 16, (k, n) => new DTYPES[dt].Array(n).fill(1));
      const out = new DTYPES[dt].Array(16).fill(3);
      const outputs = signature(row).outputs;
      const given = callArgs(row, { ...arrays, ...exampleValues(row, dt), ...(outputs.length > 0 && row.kind !== 'count' ? { [outputs[0]]: out } : {}) });
      for (const extra of [{ precision: 'fast' }, new DTYPES[dt].Array(16), 5]) {
        hostile(`${row.name}(…, ${typeof extra})`, () => R[row.name](...given, extra), TypeError, new RegExp(`^${row.name}: `));
      }
      assert.ok(out.every((v) => v === 3), `${variant}: ${row.name}: out written`);
    }
  });

  test(`${variant}: objects that only look like typed arrays are TypeErrors`, () => {
    const fakes = [
      Object.create(Float32Array.prototype),
      { constructor: Float32Array, length: 4, buffer: new ArrayBuffer(16), byteOffset: 0 },
      [1, 2, 3, 4],
      Object.create(R.WasmArray.prototype), // a WasmArray by prototype, not by brand
    ];
    for (const fake of fakes) {
      hostile(`x = ${Object.prototype.toString.call(fake)}`, () => R[unary.name](fake), TypeError, new RegExp(`^${unary.name}: x must be a Float32Array`));
      hostile(`out = ${Object.prototype.toString.call(fake)}`, () => R[unary.name](new Float32Array(4), ...callArgs(unary, { ...exampleValues(unary, 'f32'), out: fake }).slice(1)), TypeError, new RegExp(`^${unary.name}: `));
      hostile(`from(${Object.prototype.toString.call(fake)})`, () => R.from(fake), TypeError, /^from: expected one of Float32Array/);
      hostile(`a channel op's slope = ${Object.prototype.toString.call(fake)}`, () => R[OPS.find((r) => r.kind === 'channel').name](new Float32Array(4), fake), TypeError, /: slope must have the same dtype as x|: slope must be a/);
    }
  });
}

test('hostile cases run', (t) => {
  t.diagnostic(`${cases} hostile calls over both builds, each followed by the heap, guard and next-call checks`);
  assert.ok(cases > 50);
});
