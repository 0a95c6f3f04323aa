// The element-wise kinds: map, y = f(x; params), called op(x, ...params, out?); map2,
// dx = f(dy, x; params), called op(dy, x, ...params, out?); and gated, out = f(gate)·up, called
// op(gate, up, ...params, out?); the trailing argument may also be { out, <param>... }.
// Activations (rows marked `quantized`) take int8 / uint8 requantized.
//
// A call reads its arguments once into a plan and run() executes it. The guard below reads
// the calls that matter for small arrays (live WasmArrays, or plain JS typed arrays) quietly:
// on any doubt it hands the call to parse() (js/kinds/map-parse.js), which reads everything
// again with errors that name the op and the argument.
import { biasKernels, rowKernels } from '../kernels.js';
import { DTYPES, DTYPE_BY_TAG } from '../dtypes.js';
import { QUANT, QUANT_KEYS, makeRequant } from '../quant.js';
import { paramSpec } from '../args.js';
import { streamJs, streamOp } from '../stream.js';
import { typedBuffer, typedLength, typedTag } from '../typed.js';
import { signature } from './signature.js';
import { makeParse, newPlan } from './map-parse.js';
import { makeBias } from './map-bias.js';
import { makeReadParams } from './map-params.js';
import { PACKING, withPacked } from './gated-packed.js';

const record = (name, inputs, more) => ({
  name, inputs, outputs: ['out'], layout: false, // the argument model (js/kinds/signature.js)
  driver: name, scalarParams: true, unroll: 4, // cpp/drivers.h: the loop and what its kernels take
  cases: 'map', // tests/fixtures/gen.py: the case generator
  kernels: rowKernels, // a unit's kernels
  make: makeMapOp,
  elementwise: true, // one output element per input element, at the same index
  argument: 'x', // the input the function is evaluated at (the other, dy, multiplies)
  ...more,
});
// (/*#__PURE__*/: a page that calls no gated op drops the gated record, and with it the
// packed form's code, js/kinds/gated-packed.js; the map kinds' own code must not grow for it:
// a page calling relu has 2 bytes of issue 12's 20 KiB left)
// Both take a fused bias (js/kinds/map-bias.js): the activations (the rows that take
// requantized data), and every backward pass, which may return its gradient.
export const map = /*#__PURE__*/ record('map', ['x'], { bias: (row) => row.quantized === true, kernels: (row) => biasKernels(row, row.quantized === true, false) });
export const map2 = /*#__PURE__*/ record('map2', ['dy', 'x'], { bias: () => true, kernels: (row) => biasKernels(row, true, true) });
// out = f(gate)·up: the map2 loop, its kernel taking the gate first; and the packed form,
// gate and up in one array (js/kinds/gated-packed.js), a kernel per dtype run by the packed
// driver (`extra`: more kernels per dtype, `${dt}_${name}${suffix}`, each with its driver).
const packed = { suffix: '_packed', driver: 'packed' };
export const gated = /*#__PURE__*/ record('gated', ['gate', 'up'], {
  driver: 'map2', argument: 'gate', extra: [packed], packing: PACKING, bias: null,
  kernels: (row) => [...rowKernels(row), ...row.dtypes.map((dt) => `${dt}_${row.name}${packed.suffix}`)],
  make: (ctx, row, kind) => withPacked(ctx, row, makeMapOp(ctx, row, kind), packed.suffix),
});

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
  // The dtypes it takes (activations: requantized int8 / uint8 too).
  const accepted = requant !== null ? [...new Set([...dtypes, ...QUANT.dtypes])] : dtypes;
  // The options a guarded call may give: the option params, and the quantization options.
  const snapNames = [...new Set([...sig.options.map((p) => p.name), ...(requant ? QUANT_KEYS : [])])];

  // Whether a call on dtype dt with these options is requantized: int8 / uint8 that the op
  // does not take natively, or given a scale or an output zero point.
  const requantizes = (dt, options) => requant !== null && (dt === 'i8' || dt === 'u8') &&
    (!dtypes.includes(dt) || options.scale !== undefined || options.outScale !== undefined || options.outZeroPoint !== undefined);

  const readParams = makeReadParams(row, params, requant !== null);

  // The guard's param values: without options, the option params stay at their defaults (a
  // call with options fills its own copy), so an op with no positional param reads none.
  const values = new Float64Array(fixed ?? params.map((p) => p.default ?? 0));
  const optionValues = values.slice();
  const positional = !fixed && sig.positional.length > 0;
  // The guard's plans, one per dtype and per source of params, made by bind() and reused
  // (nothing the guard calls runs user code): a call fills in its operands, so the kernel and
  // the values stay put. parse() makes its own.
  const plans = {};
  const optionPlans = {};

  /** Executes a plan: one kernel (or lookup) call on wasm addresses, or streamed through the scratch. */
  let active = null; // the plan whose chunks stream
  const chunk = (p0, p1, po, m) => invoke(active.kernel, p0, p1, po, m, active.values);
  const lutChunk = (p0, p1, po, m) => ctx.state().fn.lut(p0, po, m, active.table);
  function run(p) {
    if (p.px === -1) stream(p);
    else if (p.table === 0) invoke(p.kernel, p.px, p.py, p.po, p.n, p.values);
    else ctx.state().fn.lut(p.px, p.po, p.n, p.table);
  }
  function stream(p) {
    active = p;
    (p.js ? streamJs : streamOp)(ctx.state(), p.dt, p.out, p.x, p.y, p.n, p.table !== 0 ? lutChunk : chunk);
    p.x = p.y = p.out = null; // (a reused plan must not keep the caller's arrays alive)
  }

  // A plain copy of a guarded call's options object, each value read once (getters included),
  // or undefined if it has a key the guard does not take (parse() then says what is wrong).
  function snapshot(options) {
    for (const key in options) if (key !== 'out' && !snapNames.includes(key)) return undefined;
    const copy = { out: options.out };
    for (let i = 0; i < snapNames.length; i++) copy[snapNames[i]] = options[snapNames[i]];
    return copy;
  }

  // Live WasmArrays x (x2: the second input) and out of one dtype and length → the dtype's
  // plan in `set`, its operands filled in; else null.
  function readWasm(set, x, x2, out) {
    const dt = dtypeKey(x);
    // (A look-alike of a WasmArray has no dtype: checked first, as its length getter throws.)
    const p = dt === undefined ? undefined : set[dt];
    if (p === undefined || dtypeKey(out) !== dt) return null;
    const n = x.length;
    const px = rawPointer(x), po = rawPointer(out);
    if (out.length !== n || px === -1 || po === -1) return null;
    if (two && !(x2 instanceof WasmArray && dtypeKey(x2) === dt && x2.length === n && rawPointer(x2) !== -1)) return null;
    p.n = n, p.px = px, p.py = rawPointer(x2), p.po = po;
    return p;
  }

  // A call's options (a snapshot) on the plan: its params, and requantized, the table; else false.
  function readOptions(p, a0, a1, a2, options) {
    const quantized = requantizes(p.dt, options);
    if ((p.kernel === null && !quantized) || (!fixed && !readParams(optionValues, quantized ? DTYPES.f64 : p.d, a0, a1, a2, options, true, quantized))) return false;
    p.table = 0;
    if (quantized) {
      const q = requant.read(options, p.dt, name, true);
      if (q === undefined) return false;
      p.table = requant.table(ctx.state(), p.dt, fixed ?? optionValues, q, name);
    }
    return true;
  }

  // JS typed arrays of one dtype held by its own array type (not 16-bit bits, not
  // requantized), outside wasm memory, out the same array as an input or in another buffer
  // (so chunks cannot overwrite unread input), valid params → the plan; else false.
  function readTyped(x, x2, out, a0, a1, a2) {
    const S = ctx.state();
    const tag = typedTag(x);
    const p = plans[DTYPE_BY_TAG[tag]]; // (a Float16Array is streamed as bits: streamOp's)
    if (p === undefined || p.d.half || (positional && !readParams(values, p.d, a0, a1, a2, undefined, true, false))) return null;
    const n = typedLength(x);
    ctx.views(); // (and S.buffer current: Memory's buffer getter costs ~30 ns)
    const mem = S.buffer;
    const bx = n === 0 ? mem : typedBuffer(x);
    if (bx === mem) return null;
    if (two && !(typedTag(x2) === tag && typedLength(x2) === n && typedBuffer(x2) !== mem)) return null;
    if (out !== undefined) {
      const bo = typedBuffer(out);
      if (typedTag(out) !== tag || typedLength(out) !== n || bo === mem || (bx === bo && x !== out) || (two && x2 !== out && typedBuffer(x2) === bo)) return null;
    } else out = ctx.newArray(x, p.dt, n, name);
    p.n = n, p.px = -1, p.x = x, p.y = two ? x2 : undefined, p.out = out, p.js = true;
    return p;
  }

  function guarded(...args) {
    const x = args[0];
    const x2 = two ? args[1] : x;
    const last = args[after];
    const a0 = args[nInputs], a1 = args[nInputs + 1], a2 = args[nInputs + 2];
    let p;
    if (x instanceof WasmArray && args.length === after + 1) {
      if (last instanceof WasmArray) {
        if ((p = readWasm(plans, x, x2, last)) !== null && (!positional || readParams(values, p.d, a0, a1, a2, undefined, true, false))) return (run(p), last);
      } else if (last !== null && typeof last === 'object' && last.constructor === Object) {
        return withOptions(args, x, x2, last, a0, a1, a2);
      }
    } else if (args.length === after + 1 ? ArrayBuffer.isView(last) : args.length === after && ArrayBuffer.isView(x)) {
      if ((p = readTyped(x, x2, last, a0, a1, a2)) !== null) {
        const out = p.out;
        run(p);
        return out;
      }
    }
    return parse(args, undefined);
  }

  // op(..., { out, <option>... }) on WasmArrays: on a snapshot of the options, which parse()
  // gets too if the guard declines, so no option is read twice.
  function withOptions(args, x, x2, given, a0, a1, a2) {
    const options = snapshot(given);
    let p;
    if (options !== undefined && options.out instanceof WasmArray && (p = readWasm(optionPlans, x, x2, options.out)) !== null &&
      readOptions(p, a0, a1, a2, options)) return (run(p), options.out);
    return parse(args, options);
  }

  const bias = sig.bias ? makeBias(ctx, row, two) : null;
  const call = (p, p0, p1, po, m) => invoke(p.kernel, p0, p1, po, m, p.values);
  const parse = makeParse(ctx, row, { sig, kernels, params, accepted, requant, requantizes, readParams, run, bias, call });
  const bind = (fn) => {
    for (const dt of dtypes) kernels[dt] = fn[`${dt}_${name}`];
    for (const dt of accepted) {
      if (kernels[dt] !== undefined) plans[dt] = newPlan(kernels[dt], values, dt);
      optionPlans[dt] = newPlan(kernels[dt] ?? null, optionValues, dt);
    }
  };
  // (params and values: an init-able param's default is set in both when the op is bound, js/init-params.js.)
  return { op: Object.defineProperty(guarded, 'name', { value: name }), bind, params, values };
}
