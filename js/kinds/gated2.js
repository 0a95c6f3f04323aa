// The gated ops' backward passes (kind gated2): two results per element,
//   swigluBackward(dy, gate, up, ...params, { dgate?, dup?, <param>..., dtype? }?) → { dgate, dup }
// dgate = dy·up·f'(gate), dup = dy·f(gate) (cpp/drivers.h gated2). Each output may be one of
// the inputs (in place), not the other output. A call reads the options first (each value
// once), then checks the arrays, then allocates (freeing what it made if anything fails), then
// runs the kernel (run, below).
import { DTYPES } from '../dtypes.js';
import { declaredDtype, describe, paramSpec } from '../args.js';
import { typedBits, typedBuffer, typedOffset, typedSlice } from '../typed.js';
import { views } from '../heap.js';
import { copyIn, copyOut, overlap } from '../stream.js';
import { makeReadParams } from './map-params.js';
import { PACKING } from './gated-packed.js';
import { makePackedBackward } from './gated2-packed.js';

const INPUTS = ['dy', 'gate', 'up'];
export const gated2 = {
  name: 'gated2', inputs: INPUTS, outputs: ['dgate', 'dup'], layout: false,
  driver: 'gated2', scalarParams: true, unroll: 1, cases: 'gated2',
  // (the packed form's, per element type: cpp/drivers.h unpack and pack)
  kernels: (row) => row.dtypes.flatMap((dt) => [`${dt}_${row.name}`, `${dt}_unpack`, `${dt}_pack`]),
  make: makeGated2Op,
  initable: true, // takes init()'s precision (js/init-params.js: params and values below)
  argument: 'gate',
};

function makeGated2Op(ctx, row) {
  const { name, dtypes } = row;
  const { dtypeOf, lengthOf, operand, isArray, trailing } = ctx.checks;
  const { isWasmArray, pointerOf } = ctx.heap;
  const params = row.params.map(paramSpec);
  const values = params.map((p) => p.default); // (js/init-params.js sets an init-able default here and in params)
  const readParams = makeReadParams(row, params, false);
  const positional = row.params.filter((p) => !p.option);
  const keys = ['dgate', 'dup', ...row.params.map((p) => p.name), ...(dtypes.some((d) => DTYPES[d].half) ? ['dtype'] : [])];
  const kernels = {};
  const packed = makePackedBackward(ctx, row, {
    kernels, readParams, positional, keys: [...PACKING.map((p) => p.name), 'dx', ...row.params.map((p) => p.name), ...(dtypes.some((d) => DTYPES[d].half) ? ['dtype'] : [])],
  });
  // Whether two arrays of `bytes` share memory (WasmArrays are in wasm memory at their address).
  const place = (v) => (isWasmArray(v) ? [ctx.state().memory.buffer, pointerOf(v, name)] : [typedBuffer(v), typedOffset(v)]);
  function overlap(a, b, bytes) {
    const [ba, oa] = place(a), [bb, ob] = place(b);
    return bytes > 0 && ba === bb && oa < ob + bytes && ob < oa + bytes;
  }

  function op(...args) {
    const S = ctx.state();
    if (S === null) throw ctx.notReady(name);
    while (args.length > 3 && args[args.length - 1] === undefined) args.pop(); // (trailing undefineds: not given)
    const last = args[args.length - 1];
    if (!isArray(args[2])) {
      // (dy, x, ...params, { packed, … }): gate and up in x
      if (args.length < 3 || last === null || typeof last !== 'object' || isArray(last)) {
        throw new TypeError(`${name}: up is missing: call ${name}(dy, gate, up, …) with three arrays, or ${name}(dy, x, { packed: 'halves' | 'interleaved', … }) with gate and up in x (got ${describe(args[2])} after gate)`);
      }
      return packed(args.slice(0, -1), last);
    }
    const hasOptions = args.length > 3 && last !== null && typeof last === 'object' && !isArray(last);
    const given = hasOptions ? trailing(last, name, keys, [...INPUTS, ...positional.map((p) => p.name)].slice(0, args.length - 1).join(', ')) : {};
    const options = {};
    for (const k in given) options[k] = given[k]; // every value read once, here
    const npos = args.length - 3 - (hasOptions ? 1 : 0);
    if (npos > positional.length) {
      throw new TypeError(`${name}: too many arguments (dy, gate, up${positional.map((p) => `, ${p.name}`).join('')}, then an options object { dgate?, dup?, … }; got ${describe(args[3 + positional.length])} after them)`);
    }

    const [dy, gate, up] = args;
    const dyWasm = isWasmArray(dy);
    const dt = dtypeOf(dy, dyWasm, name, 'dy', dtypes, declaredDtype(options.dtype, name, dtypes));
    const n = lengthOf(dy, dyWasm, name, 'dy');
    const wasm = [dyWasm, operand(gate, dt, n, name, 'gate', 'dy', dtypes), operand(up, dt, n, name, 'up', 'dy', dtypes)];
    const vals = new Array(params.length);
    readParams(vals, DTYPES[dt], npos > 0 ? args[3] : undefined, npos > 1 ? args[4] : undefined, npos > 2 ? args[5] : undefined, options, false, false);
    let { dgate, dup } = options;
    dgate ??= undefined;
    dup ??= undefined;
    if (dgate !== undefined) operand(dgate, dt, n, name, 'dgate', 'dy', dtypes);
    if (dup !== undefined) operand(dup, dt, n, name, 'dup', 'dy', dtypes);
    if (dgate !== undefined && dup !== undefined && overlap(dgate, dup, n * DTYPES[dt].bytes)) {
      throw new TypeError(`${name}: dgate and dup ${dgate === dup ? 'are the same array' : 'overlap'}; each result needs memory of its own (either may be an input)`);
    }

    // Everything is checked: allocate the new results (growth detaches views of wasm memory:
    // every operand is re-made at its place after), then run.
    const operands = [dy, gate, up, dgate, dup];
    const at = operands.map(ctx.wasmAt);
    const results = [];
    try {
      if (dgate === undefined) results.push((operands[3] = dgate = ctx.newArray(dy, dt, n, name)));
      if (dup === undefined) results.push((operands[4] = dup = ctx.newArray(dy, dt, n, name)));
    } catch (e) {
      for (const a of results) if (isWasmArray(a)) a.free();
      throw e;
    }
    run(ctx.state(), dt, operands.map((v, k) => (isWasmArray(v) ? v.view : ctx.again(v, at[k], dt, n))), n, vals);
    return { dgate, dup };
  }

  // The kernel over typed arrays (WasmArrays' views among them) wherever they live: views of
  // wasm memory by address, JS arrays through the scratch in chunks (three input regions; an
  // output there overwrites its input's chunk: the kernel reads an element's inputs before it
  // writes its results). An output that partly overlaps an input gets a copy of that input
  // first, as memmove would read it.
  function run(S, dt, ops, n, vals) {
    if (n === 0) return;
    if (DTYPES[dt].half) ops = ops.map(typedBits); // (bits: a Float16Array's values would be converted)
    const size = DTYPES[dt].bytes, bytes = n * size;
    for (let k = 3; k < 5; k++) {
      for (let j = 0; j < 3; j++) {
        if (typedBuffer(ops[k]) === typedBuffer(ops[j]) && overlap(ops[k], ops[j], bytes) !== 0) ops[j] = typedSlice(ops[j]);
      }
    }
    const mem = S.buffer;
    const inWasm = ops.map((a) => typedBuffer(a) === mem);
    const k = kernels[dt];
    if (inWasm.every(Boolean)) return void k(...ops.map(typedOffset), n, ...vals);
    const H = views(S)[dt];
    const chunk = Math.floor((2 * S.scratchBytes) / 3 / 16) * 16 / size; // (16-byte aligned regions)
    const region = (r) => S.scratch + r * chunk * size;
    const outRegion = [0, 1]; // dgate over dy's chunk, dup over gate's
    for (let i = 0; i < n; i += chunk) {
      const m = Math.min(chunk, n - i);
      const p = ops.map((a, j) => {
        if (inWasm[j]) return typedOffset(a) + i * size;
        if (j < 3) copyIn(H, a, i, m, region(j) / size);
        return region(j < 3 ? j : outRegion[j - 3]);
      });
      k(p[0], p[1], p[2], p[3], p[4], m, ...vals);
      for (let j = 3; j < 5; j++) if (!inWasm[j]) copyOut(S, dt, H, p[j] / size, ops[j], i, m);
    }
  }

  const bind = (fn) => {
    for (const dt of dtypes) kernels[dt] = fn[`${dt}_${name}`];
  };
  return { op: Object.defineProperty(op, 'name', { value: name }), bind, params, values };
}
