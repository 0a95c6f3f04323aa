// The split a SIMD page loads (js/kinds/index.js UNITS): the core plus the units of the exports it
// imports. Here in Node, through a platform that names the units as js/browser.js does. Each
// unit alone must give the bits of the one wasm with every kernel, for every dtype and option
// of its op; what a page did not load must fail clearly and leave the instance usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createApi, createCore } from '../js/core.js';
import { map } from '../js/kinds/map.js';
import { nodePlatform } from '../js/node.js';
import { CASTS, DTYPES, OPS, QUANT } from '../js/ops.js';
import { UNITS } from '../js/kinds/index.js';
import { callArgs, exampleValues } from '../js/signature.js';
import { assertBits, randomArray, randomValues } from './support.mjs';
import { rng } from '../scripts/rng.mjs';

const dist = new URL('../dist/', import.meta.url);
// As js/public.js adds them: the named ops' units, each with a function giving its URL.
const unitsOf = (names, url = (n) => new URL(`ops/${n}-simd.wasm`, dist)) => (n) => (names.includes(n) ? () => url(n) : undefined);
const splitApi = (names, platform = nodePlatform) => createApi({ ...platform, units: true }, unitsOf(names));

const whole = createApi(nodePlatform);
await whole.init({ simd: true });
const result = (r) => (ArrayBuffer.isView(r) ? [r] : Object.values(r));
const QUANT_SETS = [
  { scale: 0.05, zeroPoint: 3, outScale: 0.04, outZeroPoint: 1 },
  { scale: 0.125, outScale: 0.125 },
];

for (const unit of UNITS) {
  test(`unit ${unit.name} alone, with the core, gives the whole build's bits`, async () => {
    const A = splitApi([unit.name]);
    await A.init();
    assert.equal(A.variant, 'simd');
    assert.equal(A._state().core, true, 'the split path loaded the core');
    if (unit.name === 'cast') {
      const r = rng(7);
      for (const [a, b] of CASTS) {
        const x = randomArray(a, 300, r);
        const opts = DTYPES[a].bits ? { from: DTYPES[a].name } : undefined;
        assertBits(A.cast(x, DTYPES[b].name, opts), whole.cast(x, DTYPES[b].name, opts), `cast ${a} → ${b}`, x);
      }
      return;
    }
    const row = OPS.find((o) => o.name === unit.name);
    for (const dt of row.dtypes) {
      for (let seed = 1; seed <= 8; seed++) {
        const r = rng(seed * 104729 + dt.length);
        const args = callArgs(row, randomValues(row, dt, 1 + Math.floor(r() * 200), r));
        const a = result(A[row.name](...args));
        const b = result(whole[row.name](...args));
        for (let i = 0; i < a.length; i++) assertBits(a[i], b[i], `${row.name} ${dt} seed ${seed} output ${i}`, args[0]);
      }
      if (row.quantized && QUANT.dtypes.includes(dt)) {
        for (const q of QUANT_SETS) {
          const x = randomArray(dt, 256, rng(11));
          const args = callArgs(row, { ...exampleValues(row, dt), x, ...q });
          assertBits(A[row.name](...args), whole[row.name](...args), `${row.name} ${dt} requantized ${JSON.stringify(q)}`, x);
        }
      }
    }
  });
}

test('an op whose unit the page did not load throws, naming the kernel, and writes nothing', async () => {
  const A = splitApi(['relu']);
  await A.init();
  const x = new Float32Array([-1, 2]);
  const out = new Float32Array([7, 7]);
  assert.throws(() => A.gelu(x, out), { message: /the kernel f32_gelu is not loaded: .*imports from 'relu-wasm'/ });
  assert.throws(() => A.cast(x, 'float16'), { message: /the kernel f32_to_f16 is not loaded/ });
  assert.deepEqual([...out], [7, 7]);
  assert.deepEqual([...A.relu(x)], [0, 2], 'the instance stays usable');
});

test('a page importing every export loads the one wasm; a core as wasmBinary is refused', async () => {
  const all = splitApi(UNITS.map((u) => u.name));
  await all.init();
  assert.equal(all._state().core, false);
  const scalar = splitApi(['relu']);
  await scalar.init({ simd: false }); // no scalar units: the whole scalar build
  assert.equal(scalar.variant, 'scalar');
  assert.equal(scalar._state().core, false);
  const core = readFileSync(new URL('core-simd.wasm', dist));
  await assert.rejects(createApi(nodePlatform).init({ wasmBinary: core }), /options.wasmBinary is the core .*give the wasm with every kernel/);
});

test('a unit that is missing, of another version or not a unit is named', async () => {
  const missing = createApi({ ...nodePlatform, units: true }, unitsOf(['relu'], () => new URL('ops/nope-simd.wasm', dist)));
  await assert.rejects(missing.init(), /cannot read the wasm at .*nope-simd\.wasm/);
  const wrong = createApi({ ...nodePlatform, units: true }, unitsOf(['relu'], () => new URL('ops/gelu-simd.wasm', dist)));
  await assert.rejects(wrong.init(), /ops\/relu-simd\.wasm is not the relu unit of this version \(it has \d+ kernels, js\/ops.js lists \d+\)/);
  const notUnit = createApi({ ...nodePlatform, units: true }, unitsOf(['relu'], () => new URL('relu-simd.wasm', dist)));
  await assert.rejects(notUnit.init(), /ops\/relu-simd\.wasm is not a relu-wasm unit of this version/);
});

test('a whole build without a kernel an op of the instance calls is named out of date, and init() may retry', async () => {
  const A = createCore(nodePlatform);
  A.add('nope', { name: 'nope', kind: 'map', dtypes: ['f32'], params: [] }, map);
  await assert.rejects(A.init(), /relu-simd\.wasm has no kernel f32_nope for nope; dist\/ is out of date \(npm run build\)/);
  await assert.rejects(A.init(), /has no kernel f32_nope/);
});
