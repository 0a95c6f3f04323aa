// The op suite, run once per variant (ops.simd.test.mjs, ops.scalar.test.mjs), over every row
// of the table: numpy's golden fixtures bit for bit at element offsets 0..3, out of place, in
// place and on WasmArrays; every fixture again in short slices (the element-wise copy path);
// the plain-JS models of the table (smooth ops: each element alone) over every length 0..67
// and past the streaming chunk;
// guard elements around every output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as R from '../js/node.js';
import { DTYPES, OPS } from '../js/ops.js';
import { KINDS, callArgs, exampleValues, model, paramsFor } from '../js/signature.js';
import { loadFixtures } from './fixtures/load.mjs';
import { assertBits, assertGuards, assertOutputs, assertResult, caseValues, expectedOf, outputsOf, placed } from './support.mjs';

export { assertBits } from './support.mjs';

// Output arrays like the expected ones, at `offset` with guards; named like the kind's outputs.
const outputsLike = (want, offset) => Object.fromEntries(Object.entries(want).map(([k, w]) => [k, placed(new w.constructor(w.length), offset)]));
const isElementwise = (row) => KINDS[row.kind].elementwise;
// The other values of a row's init-able params (the smooth family's precision 'fast'): the
// fixtures are made at the defaults; each other value is held to its bound (support.mjs).
const otherInits = (row) => row.params.filter((p) => p.init).flatMap((p) => p.choices.filter((c) => c !== p.default).map((c) => ({ [p.name]: c })));
// The smooth ops have no exact JS model (their JS is a double-precision formula): each element
// on its own (the kernels' scalar tail) is what the vector loop must match, bit for bit.
const oneByOne = (row, values) => (...xs) =>
  R[row.name](...callArgs(row, { ...values, ...Object.fromEntries(KINDS[row.kind].inputs.map((k, i) => [k, new Float32Array([xs[i]])])) }))[0];

export function runSuite(variant) {
  const simd = variant === 'simd';

  test(`${variant}: init picks the ${variant} build`, async () => {
    await R.init({ simd });
    assert.equal(R.variant, variant);
  });

  const fixtures = loadFixtures().filter((c) => !c.name.startsWith('bias-')); // (tests/bias.test.mjs)

  // (The 16-bit formats: all their inputs, in tests/half.test.mjs.)
  test(`${variant}: the fixtures cover every op × dtype of the table`, () => {
    for (const row of OPS) {
      for (const dt of row.dtypes.filter((d) => !DTYPES[d].half)) {
        assert.ok(fixtures.some((c) => c.op === row.name && c.dtype === dt), `no fixture for ${row.name} ${dt}`);
      }
    }
  });

  for (const row of OPS) {
    const inputs = KINDS[row.kind].inputs;
    const { outputs } = KINDS[row.kind];
    const main = inputs.indexOf('x') >= 0 ? inputs.indexOf('x') : 0; // the input errors are reported against
    test(`${variant}: ${row.name} matches numpy bit for bit (every dtype, offsets 0..3, in place, WasmArray)`, async () => {
      await R.init({ simd });
      const fn = R[row.name];
      for (const c of fixtures.filter((f) => f.op === row.name)) {
        const what = `${row.name} ${c.dtype} ${c.name}`;
        const want = expectedOf(row, c);
        const values = caseValues(c);
        const moved = (off) => ({ ...values, ...Object.fromEntries(inputs.map((k) => [k, placed(c.inputs[k], off)])) });
        if (outputs.length === 0) {
          assertOutputs(row, outputsOf(row, fn(...callArgs(row, moved(1)))), want, what, c.inputs[inputs[main]], c.params.precision);
        }
        for (let off = 0; outputs.length > 0 && off < 4; off++) {
          // Out of place: inputs at this offset, outputs at the next, guards around them.
          const given = moved(off);
          const outs = outputsLike(want, (off + 1) % 4);
          const r = outputsOf(row, fn(...callArgs(row, { ...given, ...outs })));
          for (const k of outputs) assert.equal(r[k], outs[k], `${what}: returns the given ${k}`);
          assertOutputs(row, outs, want, `${what} @${off}`, given[inputs[main]], c.params.precision);
          for (const k of outputs) assertGuards(outs[k], `${what} ${k} @${off}`);
          // In place: the first output is each same-length input in turn.
          for (const k of inputs.filter((name) => name !== 'slope')) {
            const ins = moved(off);
            const target = ins[k];
            const got = outputsOf(row, fn(...callArgs(row, { ...ins, [outputs[0]]: target })));
            assert.equal(got[outputs[0]], target);
            assertResult(row, target, want[outputs[0]], `${what} in place on ${k} @${off}`, c.inputs[inputs[main]], c.params.precision);
            assertGuards(target, `${what} in place @${off}`);
          }
        }
        // WasmArrays in, WasmArrays out (count ops: their JS summary), no copies.
        const ws = Object.fromEntries(inputs.map((k) => [k, R.from(c.inputs[k])]));
        const got = outputsOf(row, fn(...callArgs(row, { ...values, ...ws })));
        if (outputs.length > 0) for (const k of outputs) assert.ok(got[k] instanceof R.WasmArray, `${what}: ${k} is a WasmArray`);
        assertOutputs(row, got, want, `${what} WasmArray`, c.inputs[inputs[main]], c.params.precision);
        if (isElementwise(row)) {
          // The same call with out in an options object (the guard's other form).
          const args = callArgs(row, { ...values, ...ws });
          const last = args[args.length - 1];
          const isOptions = last !== null && typeof last === 'object' && !ArrayBuffer.isView(last) && !(last instanceof R.WasmArray);
          const outW = R.alloc(want.out.length, got.out.dtype);
          if (isOptions) args[args.length - 1] = { ...last, out: outW };
          else args.push({ out: outW });
          assert.equal(R[row.name](...args), outW);
          assertResult(row, outW.view, want.out, `${what} WasmArray, out in an options object`, c.inputs[inputs[main]], c.params.precision);
          outW.free();
        }
        for (const k of outputs) got[k].free();
        for (const w of Object.values(ws)) w.free();
        // Every param by name in the options object instead of by position: the same bits.
        if (row.kind !== 'channel' && row.kind !== 'channel2') {
          const named = Object.fromEntries(row.params.filter((p) => c.params[p.name] !== undefined).map((p) => [p.name, c.params[p.name]]));
          const byName = fn(...inputs.map((k) => c.inputs[k]), named);
          assertOutputs(row, outputsOf(row, byName), want, `${what}, params by name`, c.inputs[inputs[main]], c.params.precision);
        }
        // At the other precision: within its bound, on JS arrays and on WasmArrays (the guard's
        // options path), every param by name.
        for (const other of otherInits(row)) {
          const named = { ...Object.fromEntries(row.params.filter((p) => c.params[p.name] !== undefined).map((p) => [p.name, c.params[p.name]])), ...other };
          assertOutputs(row, outputsOf(row, fn(...inputs.map((k) => c.inputs[k]), named)), want, `${what} ${JSON.stringify(other)}`, c.inputs[inputs[main]], other.precision);
          const wins = inputs.map((k) => R.from(c.inputs[k]));
          const outWs = Object.fromEntries(outputs.map((k) => [k, R.alloc(want[k].length, wins[0].dtype)]));
          const r = outputsOf(row, fn(...wins, { ...named, ...outWs }));
          for (const k of outputs) {
            assert.equal(r[k], outWs[k]);
            assertResult(row, outWs[k].view, want[k], `${what} ${JSON.stringify(other)} WasmArray ${k}`, c.inputs[inputs[main]], other.precision);
          }
          [...wins, ...Object.values(outWs)].forEach((w) => w.free());
        }
      }
    });
  }

  // Short arrays copy element-wise, where reading a float as a JS number would quiet a
  // signalling NaN: every element-wise fixture again in slices of 1..40 elements.
  test(`${variant}: every element-wise fixture in short slices (1..40 elements) is still bit-exact`, async () => {
    await R.init({ simd });
    for (const row of OPS.filter(isElementwise)) {
      const { inputs } = KINDS[row.kind];
      for (const c of fixtures.filter((f) => f.op === row.name && f.name.startsWith('special'))) {
        const n = c.expect.out.length;
        for (let m = 1, i = 0; i < n; i += m, m = (m % 40) + 1) {
          const part = (a) => a.subarray(i, Math.min(n, i + m));
          const values = { ...caseValues(c), ...Object.fromEntries(inputs.map((k) => [k, part(c.inputs[k])])) };
          assertResult(row, R[row.name](...callArgs(row, values)), part(c.expect.out), `${row.name} ${c.dtype} ${c.name} [${i}, +${m})`, values.x, values.precision);
        }
      }
    }
  });

  // The tables' plain-JS models (row.js), over every length around the vector widths and past
  // the 32 KB streaming chunk, every offset; special values are the fixtures' job (NaN bits).
  // The smooth ops' other precision against its own one-by-one results, on fewer lengths.
  test(`${variant}: float32 and integer sweeps against the table's JS models, n = 0..67 and past the streaming chunk`, async () => {
    await R.init({ simd });
    const lengths = [...Array(68).keys(), 1000, 8191, 8192, 8193, 20000, 100003];
    for (const row of OPS.filter(isElementwise)) {
      const { inputs } = KINDS[row.kind];
      for (const [dt, values, ns] of row.dtypes.filter((d) => d === 'f32' || !DTYPES[d].float).flatMap((d) => [
        [d, exampleValues(row, d), d === 'f32' ? lengths : lengths.slice(0, 68)],
        ...otherInits(row).map((o) => [d, { ...exampleValues(row, d), ...o }, lengths.slice(0, 68).concat(8193)]),
      ])) {
        const { Array: A, min, max } = DTYPES[dt];
        const f = row.smooth ? oneByOne(row, values) : model(row, dt, values);
        // Values at and around every parameter, so compares are not all decided by sign; and far
        // tails (±100), which the fast tier leaves to the exact one, amid ordinary values.
        const marks = [0, -0, 6, 1, -1, -100, 100, ...paramsFor(row, dt).map((p) => values[p.name]).filter((v) => typeof v === 'number')];
        const what = (n) => `${row.name} ${dt}${values.precision && values.precision !== 'exact' ? ` precision '${values.precision}'` : ''} n=${n}`;
        // (3 of every 7 elements are marks, taken in turn: indexing them by i alone cycled
        // through only three when there were seven.)
        const make = (n, salt) => new A(n).map((_, i) => (i % 7 < 3 ? marks[(3 * Math.floor(i / 7) + (i % 7) + salt) % marks.length] : DTYPES[dt].float ? (Math.random() - 0.5) * 20 : Math.floor(min + Math.random() * (max - min + 1))));
        for (const n of ns) {
          const ins = Object.fromEntries(inputs.map((k, j) => [k, make(n, j)]));
          const want = new A(n).map((_, i) => f(...inputs.map((k) => ins[k][i])));
          for (const off of n > 1000 ? [0, 1] : [0, 1, 2, 3]) {
            const moved = Object.fromEntries(inputs.map((k) => [k, placed(ins[k], off)]));
            const out = placed(new A(n), 3 - off);
            R[row.name](...callArgs(row, { ...values, ...moved, out }));
            assertBits(out, want, `${what(n)} @${off}`, ins.x);
            assertGuards(out, `${what(n)} @${off}`);
          }
          const ws = Object.fromEntries(inputs.map((k) => [k, R.from(ins[k])]));
          R[row.name](...callArgs(row, { ...values, ...ws, out: ws[inputs[0]] }));
          assertBits(ws[inputs[0]].view, want, `${what(n)} WasmArray in place`, ins.x);
          for (const w of Object.values(ws)) w.free();
        }
      }
    }
  });
}
