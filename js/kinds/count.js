// The count kind: dying-ReLU diagnostics on y, a row-major [rows, units] matrix:
//   activity(y, units)  → Float32Array(units): fraction of rows with y > 0, per unit
//   deadUnits(y, units) → Int32Array: the units with y <= 0 (or NaN) in every row
// Both return plain typed arrays (small summaries), whatever y is.
import { declaredDtype, describe, paramSpec, paramValue } from '../args.js';
import { DTYPES } from '../dtypes.js';
import { streamOp } from '../stream.js';
import { trimParams } from './param-area.js';

export const count = {
  name: 'count', inputs: ['y'], outputs: [], layout: false, // the argument model (js/kinds/signature.js)
  driver: 'count', scalarParams: false, unroll: 1, // cpp/drivers.h
  cases: 'count', // tests/fixtures/gen.py
  kernels: (row) => row.dtypes.map((dt) => `${dt}_${row.name}`), // a unit's
  make: makeCountOp,
};

function makeCountOp(ctx, row) {
  const { name, dtypes } = row;
  const { dtypeOf, lengthOf } = ctx.checks;
  const kernels = {};

  const unitsParam = paramSpec(row.params[0]); // the matrix's width: the kind's one parameter

  function op(y, unitsArg, ...more) {
    const S = ctx.state();
    if (S === null) throw ctx.notReady(name);
    while (more.length > 0 && more[more.length - 1] === undefined) more.pop(); // (trailing undefineds: not given)
    if (more.length > 0) throw new TypeError(`${name}: too many arguments (y, then ${unitsParam.name} or an options object { ${unitsParam.name}, dtype? }; got ${describe(more[0])} after them)`);
    // The width by position, or by name in an options object ({ units, dtype? }: dtype says
    // which 16-bit format a Uint16Array's bits hold).
    let declared;
    if (unitsArg !== null && typeof unitsArg === 'object' && !ArrayBuffer.isView(unitsArg) && !ctx.heap.isWasmArray(unitsArg)) {
      const options = ctx.checks.trailing(unitsArg, name, [unitsParam.name, 'dtype'], 'y');
      const { [unitsParam.name]: u, dtype } = options; // each read once
      unitsArg = u;
      declared = declaredDtype(dtype, name, dtypes);
    }
    const wasm = ctx.heap.isWasmArray(y);
    const dt = dtypeOf(y, wasm, name, 'y', dtypes, declared);
    const n = lengthOf(y, wasm, name, 'y');
    const units = paramValue(unitsParam, unitsArg, DTYPES[dt], name, false);
    if (n % units !== 0) throw new RangeError(`${name}: y has ${n} elements, not a whole number of rows of ${units} units`);
    const rows = n / units;
    const at = ctx.wasmAt(y); // y may be a view of wasm memory, which growth detaches
    const base = ctx.params(units * 4, name, 'units'); // may grow memory
    const data = wasm ? y.view : ctx.again(y, at, dt, n);
    const counts = ctx.views().u8.subarray(base, base + units * 4);
    counts.fill(0);
    const k = kernels[dt];
    streamOp(S, dt, null, data, undefined, n, (p0, p1, po, m, i) => k(p0, base, m, units, i));
    const c = new Uint32Array(ctx.state().memory.buffer, base, units);
    const out = summary(c, units, rows);
    trimParams(ctx.state());
    return out;
  }

  function summary(c, units, rows) {
    if (row.summary === 'fraction') {
      const out = new Float32Array(units);
      for (let u = 0; u < units; u++) out[u] = c[u] / rows; // numpy: count / rows in double, then float32
      return out;
    }
    let dead = 0;
    for (let u = 0; u < units; u++) dead += c[u] === 0;
    const out = new Int32Array(dead);
    for (let u = 0, j = 0; u < units; u++) if (c[u] === 0) out[j++] = u;
    return out;
  }

  const bind = (fn) => {
    for (const dt of dtypes) kernels[dt] = fn[`${dt}_${name}`];
  };
  return { op: Object.defineProperty(op, 'name', { value: name }), bind };
}
