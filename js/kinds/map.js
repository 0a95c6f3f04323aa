// The element-wise kinds: map, y = f(x; params), called op(x, ...params, out?), and map2,
// dx = f(dy, x; params), called op(dy, x, ...params, out?); the trailing argument may also be
// { out, <param>... }. Activations (rows marked `quantized`) take int8 / uint8 requantized.
//
// A call reads its arguments once into a plan and run() executes it. The guard below reads
// the calls that matter for small arrays (live WasmArrays, or plain JS typed arrays) quietly:
// on any doubt it hands the call to parse() (js/kinds/map-parse.js), which reads everything
// again with errors that name the op and the argument.
import { rowKernels } from '../kernels.js';
import { DTYPES, DTYPE_BY_TAG } from '../dtypes.js';
import { QUANT_KEYS, makeRequant } from '../quant.js';
import { describe, paramSpec, paramValue } from '../args.js';
import { streamJs, streamOp } from '../stream.js';
import { typedBuffer, typedLength, typedTag } from '../typed.js';
import { signature } from './signature.js';
import { makeParse, newPlan } from './map-parse.js';

const record = (name, inputs) => ({
  name, inputs, outputs: ['out'], layout: false, // the argument model (js/kinds/signature.js)
  driver: name, scalarParams: true, unroll: 4, // cpp/drivers.h: the loop and what its kernels take
  cases: 'map', // tests/fixtures/gen.py: the case generator
  kernels: rowKernels, // a unit's kernels
  make: makeMapOp,
});
export const map = record('map', ['x']);
export const map2 = record('map2', ['dy', 'x']);

// Calls a kernel with its params spread, without a spread call (a row has at most three:
// js/kinds/index.js checks the table).
const invoker = (two, count) => (two
  ? [(k, p0, p1, po, n) => k(p0, p1, po, n), (k, p0, p1, po, n, v) => k(p0, p1, po, n, v[0]),
    (k, p0, p1, po, n, v) => k(p0, p1, po, n, v[0], v[1]), (k, p0, p1, po, n, v) => k(p0, p1, po, n, v[0], v[1], v[2])]
  : [(k, p0, p1, po, n) => k(p0, po, n), (k, p0, p1, po, n, v) => k(p0, po, n, v[0]),
    (k, p0, p1, po, n, v) => k(p0, po, n, v[0], v[1]), (k, p0, p1, po, n, v) => k(p0, po, n, v[0], v[1], v[2])])[count];

function makeMapOp(ctx, row, kind) {
  const { name, dtypes, fixed } = row;
  const params = row.params.map(paramSpec);
  const { WasmArray, dtypeKey, rawPointer } = ctx.heap;
  const sig = signature(row, kind);
  const two = sig.inputs.length === 2;
  const nInputs = sig.inputs.length;
  const after = sig.after; // index of the output / options argument
  const invoke = invoker(two, fixed ? fixed.length : params.length);
  const kernels = {}; // dtype → wasm function, filled by bind()
  const requant = row.quantized ? makeRequant(ctx, row) : null;
  // Positional params (call order) by their index in kernel order.
  const slot = params.map((p, i) => (p.option ? -1 : params.slice(0, i).filter((q) => !q.option).length));
  // The options a guarded call may give: the option params, and the quantization options.
  const snapNames = [...new Set([...sig.options.map((p) => p.name), ...(requant ? QUANT_KEYS : [])])];
  // The quantization options that are not also a param of the row (relu's zeroPoint is): on
  // data that is not requantized, parse() names them.
  const strayQuantKeys = requant ? QUANT_KEYS.filter((k) => !params.some((p) => p.name === k)) : [];

  // Whether a call on dtype dt with these options is requantized: int8 / uint8 that the op
  // does not take natively, or given a scale or an output zero point.
  const requantizes = (dt, options) => requant !== null && (dt === 'i8' || dt === 'u8') &&
    (!dtypes.includes(dt) || options.scale !== undefined || options.outScale !== undefined || options.outZeroPoint !== undefined);

  /**
   * The row's params for dtype d into `values` (kernel order): the positional ones from a0..a2
   * (undefined: not given there), any from `options` (a plain copy) by name, else defaults.
   * `quantized`: the params of the real function (float64's rules); the zero point is the table's.
   * Invalid: with `quiet`, false; else the error naming the op and the param.
   */
  function readParams(values, d, a0, a1, a2, options, quiet, quantized) {
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      const s = slot[i];
      const pos = s === 0 ? a0 : s === 1 ? a1 : s === 2 ? a2 : undefined;
      const byName = options === undefined ? undefined : options[p.name];
      if (pos !== undefined && byName !== undefined) {
        if (quiet) return false;
        throw new TypeError(`${name}: ${p.name} is given twice, by position (${describe(pos)}) and in the options object (${describe(byName)})`);
      }
      if (quantized && p.ints) {
        values[i] = p.default;
        continue;
      }
      if (p.ints && d.float && byName !== undefined) {
        if (quiet) return false;
        throw new TypeError(`${name}: ${p.name} applies to integer (quantized) dtypes only, not ${d.name}`);
      }
      const v = paramValue(p, pos ?? byName, d, name, quiet);
      if (v === undefined) return false;
      values[i] = v;
    }
    if (!quantized && options !== undefined) {
      for (const k of strayQuantKeys) {
        if (options[k] === undefined) continue;
        if (quiet) return false;
        throw new TypeError(`${name}: ${k} applies to requantized int8 / uint8 data only, not ${d.name}`);
      }
    }
    return true;
  }

  // The guard's plan, reused (nothing the guard calls runs user code); parse() makes its own.
  const values = new Float64Array(fixed ?? params.length);
  const plan = newPlan(values);

  /** Executes a plan: one kernel (or lookup) call on wasm addresses, or streamed through the scratch. */
  let active = plan; // the plan whose chunks stream
  const chunk = (p0, p1, po, m) => invoke(active.kernel, p0, p1, po, m, active.values);
  const lutChunk = (p0, p1, po, m) => ctx.state().fn.lut(p0, po, m, active.table);
  function run(p) {
    if (p.px !== -1) {
      if (p.table !== 0) ctx.state().fn.lut(p.px, p.po, p.n, p.table);
      else invoke(p.kernel, p.px, p.py, p.po, p.n, p.values);
    } else {
      active = p;
      (p.js ? streamJs : streamOp)(ctx.state(), p.dt, p.out, p.x, p.y, p.n, p.table !== 0 ? lutChunk : chunk);
    }
    return p.result;
  }

  // A plain copy of a guarded call's options object, each value read once (getters included),
  // or undefined if it has a key the guard does not take (parse() then says what is wrong).
  function snapshot(options) {
    for (const key in options) if (key !== 'out' && !snapNames.includes(key)) return undefined;
    const copy = { out: options.out };
    for (let i = 0; i < snapNames.length; i++) copy[snapNames[i]] = options[snapNames[i]];
    return copy;
  }

  // Live WasmArrays x (x2: the second input) and out of one dtype and length, valid params
  // (requantized: a valid table) → the plan; else false.
  function readWasm(x, x2, out, a0, a1, a2, options) {
    const dt = dtypeKey(x);
    // (A look-alike of a WasmArray has no dtype: checked first, as its length getter throws.)
    if (dt === undefined || dtypeKey(out) !== dt || ctx.state() === null) return false;
    const n = x.length;
    const px = rawPointer(x), po = rawPointer(out);
    if (out.length !== n || px === -1 || po === -1) return false;
    if (two && !(x2 instanceof WasmArray && dtypeKey(x2) === dt && x2.length === n && rawPointer(x2) !== -1)) return false;
    const quantized = options !== undefined && requantizes(dt, options);
    const k = kernels[dt];
    if ((k === undefined && !quantized) || (!fixed && !readParams(values, quantized ? DTYPES.f64 : DTYPES[dt], a0, a1, a2, options, true, quantized))) return false;
    let table = 0;
    if (quantized) {
      const q = requant.read(options, dt, name, true);
      if (q === undefined) return false;
      table = requant.table(ctx.state(), dt, fixed ?? values, q, name);
    }
    plan.kernel = k, plan.dt = dt, plan.n = n, plan.table = table, plan.px = px, plan.py = rawPointer(x2), plan.po = po, plan.result = out;
    return true;
  }

  // JS typed arrays of one dtype held by its own array type (not 16-bit bits, not
  // requantized), outside wasm memory, out the same array as an input or in another buffer
  // (so chunks cannot overwrite unread input), valid params → the plan; else false.
  function readTyped(x, x2, out, a0, a1, a2) {
    const S = ctx.state();
    if (S === null) return false;
    const tag = typedTag(x);
    const dt = DTYPE_BY_TAG[tag];
    const k = kernels[dt];
    if (k === undefined || (!fixed && !readParams(values, DTYPES[dt], a0, a1, a2, undefined, true, false))) return false;
    const n = typedLength(x);
    ctx.views(); // (and S.buffer current: Memory's buffer getter costs ~30 ns)
    const mem = S.buffer;
    const bx = n === 0 ? mem : typedBuffer(x);
    if (bx === mem) return false;
    if (two && !(typedTag(x2) === tag && typedLength(x2) === n && typedBuffer(x2) !== mem)) return false;
    if (out !== undefined) {
      const bo = typedBuffer(out);
      if (typedTag(out) !== tag || typedLength(out) !== n || bo === mem || (bx === bo && x !== out) || (two && x2 !== out && typedBuffer(x2) === bo)) return false;
    } else out = ctx.newArray(x, dt, n, name);
    plan.kernel = k, plan.dt = dt, plan.n = n, plan.table = 0, plan.px = -1, plan.x = x, plan.y = two ? x2 : undefined, plan.out = plan.result = out, plan.js = true;
    return true;
  }

  function guarded(...args) {
    const x = args[0];
    const last = args[after];
    const x2 = two ? args[1] : x;
    if (x instanceof WasmArray && args.length === after + 1) {
      if (last instanceof WasmArray) {
        if (readWasm(x, x2, last, args[nInputs], args[nInputs + 1], args[nInputs + 2], undefined)) return run(plan);
      } else if (last !== null && typeof last === 'object' && last.constructor === Object) {
        const options = snapshot(last);
        if (options !== undefined && options.out instanceof WasmArray && readWasm(x, x2, options.out, args[nInputs], args[nInputs + 1], args[nInputs + 2], options)) return run(plan);
        return parse(args, options);
      }
    } else if (args.length === after + 1 ? ArrayBuffer.isView(last) : args.length === after && ArrayBuffer.isView(x)) {
      if (readTyped(x, x2, last, args[nInputs], args[nInputs + 1], args[nInputs + 2])) return run(plan);
    }
    return parse(args, undefined);
  }

  const parse = makeParse(ctx, row, { sig, kernels, params, requant, requantizes, readParams, run });
  const bind = (fn) => {
    for (const dt of dtypes) kernels[dt] = fn[`${dt}_${name}`];
  };
  return { op: Object.defineProperty(guarded, 'name', { value: name }), bind };
}
