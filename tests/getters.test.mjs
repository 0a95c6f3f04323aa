// What a hostile caller tried after issue 13 (issue 20's leftovers), for every op through the
// argument model, both builds: an options / layout / outputs getter that frees an input
// WasmArray mid-call gets an error naming the op and that input, and leaves nothing allocated;
// a parameter area that one large call needed is released after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { DTYPES, OPS } from '../js/ops.js';
import { KINDS, callArgs, exampleArrays, exampleValues, signature } from '../js/signature.js';

// The key of the object argument a getter can sit on: the layout's layout, the options'
// first output (out; dgate), the count's width by name. (What it returns keeps the call valid.)
const getterKey = (row) => {
  const sig = signature(row);
  if (sig.layout) return ['layout', 'nhwc'];
  return sig.outputs.length ? [sig.outputs[0], undefined] : [sig.positional[0].name, 2];
};

for (const simd of [true, false]) {
  const variant = simd ? 'simd' : 'scalar';
  const R = createApi(nodePlatform);
  await R.init({ simd });

  test(`${variant}: a getter that frees an input mid-call: the op and the input named, nothing left allocated`, () => {
    let n = 0;
    for (const row of OPS) {
      const dt = row.dtypes.includes('f32') ? 'f32' : row.dtypes[0];
      for (const victim of KINDS[row.kind].inputs) {
        const heap = R.heapUsed();
        const held = Object.fromEntries(Object.entries(exampleArrays(row, 16, (k, len) => new DTYPES[dt].Array(len).fill(1), 2)).map(([k, a]) => [k, R.from(a)]));
        const args = callArgs(row, { ...exampleValues(row, dt), ...held });
        const [key, value] = getterKey(row);
        let object = args.at(-1);
        if (object === null || typeof object !== 'object' || object instanceof R.WasmArray) {
          object = {};
          if (row.kind === 'count') args[args.length - 1] = object; // (its width by name instead)
          else args.push(object);
        }
        delete object[key];
        Object.defineProperty(object, key, { enumerable: true, get: () => (held[victim].freed || held[victim].free(), value) });
        assert.throws(() => R[row.name](...args), (e) => e instanceof TypeError && new RegExp(`^${row.name}: ${victim} is a WasmArray that was already freed`).test(e.message),
          `${variant} ${row.name}: freeing ${victim} from a getter`);
        for (const w of Object.values(held)) if (!w.freed) w.free();
        assert.equal(R.heapUsed(), heap, `${variant} ${row.name}: freeing ${victim} from a getter left memory allocated`);
        n++;
      }
    }
    assert.ok(n >= OPS.length);
  });

  test(`${variant}: a large parameter area is released after its call`, () => {
    for (const row of OPS.filter((r) => r.kind === 'channel' || r.kind === 'channel2' || r.kind === 'count')) {
      const heap = R.heapUsed();
      const C = 2 ** 18; // a 1 MB slope, sums or counts: far above what stays cached
      const arrays = exampleArrays(row, C, (k, len) => new Float32Array(len).fill(0.5), C);
      const values = { ...exampleValues(row, 'f32'), ...arrays };
      if (row.kind === 'count') values[row.params[0].name] = C;
      const result = R[row.name](...callArgs(row, values));
      assert.ok(result, row.name);
      assert.ok(R.heapUsed() <= heap, `${variant} ${row.name}: the parameter area of a ${C}-channel call stayed allocated (${R.heapUsed() - heap} bytes)`);
    }
  });
}
