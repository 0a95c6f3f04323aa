// The per-channel kinds: channel, f with a per-channel param, and channel2, its backward pass:
//   prelu(x, slope, layout?, out?)                      → out
//   preluBackward(dy, x, slope, layout?, { dx, dslope }?) → { dx, dslope }
// slope has length 1 or C; layouts: js/kinds/channel-layout.js. A call reads the user's
// objects first (each value once: user code runs only then), then checks the arrays, then
// allocates (freeing what it made if that fails), then runs its plan.
import { DTYPES } from '../dtypes.js';
import { HALF_CASTS, biasKernelsFor } from '../kernels.js';
import { declaredDtype, describe } from '../args.js';
import { streamOp } from '../stream.js';
import { trimParams } from './param-area.js';
import { typedBits, typedBuffer, typedOffset } from '../typed.js';
import { roundSums } from './channel-sums.js';
import { addBias, sumBias } from './map-bias.js';
import { checkLayout, readLayout, tiledLength } from './channel-layout.js';

// A unit's kernels: the op's, and the element-wise op it is per channel (its cname), whose
// kernel runs a slope of length 1; a 16-bit backward pass rounds its sums with the casts
// (and the fused bias's: js/kinds/map-bias.js addBias, sumBias)
const channelKernels = (row) => [...new Set([...row.dtypes.map((dt) => `${dt}_${row.name}`), ...row.dtypes.map((dt) => `${dt}_${row.cname}`),
  ...(row.kind === 'channel2' ? HALF_CASTS : []), ...biasKernelsFor(row.dtypes, row.kind === 'channel2')])];
const record = (name, inputs, outputs, kernels, unroll) => ({
  name, inputs, outputs, layout: true, driver: name, scalarParams: false, unroll, cases: 'channel', kernels, make: makeChannelOp,
});
export const channel = record('channel', ['x', 'slope'], ['out'], channelKernels, 4);
export const channel2 = record('channel2', ['dy', 'x', 'slope'], ['dx', 'dslope'], channelKernels, 1);

function makeChannelOp(ctx, row) {
  const { name, dtypes } = row;
  const { dtypeOf, lengthOf, operand, sameDtype, isArray } = ctx.checks;
  const { isWasmArray, pointerOf, WasmArray, dtypeKey, rawPointer } = ctx.heap;
  const backward = row.kind === 'channel2';
  const first = backward ? 'dy' : 'x';
  const kernels = {};
  const elementwise = {}; // one slope for every element: the element-wise kernel of the op

  // prelu(x, slope, out) or prelu(x, slope, 'nhwc', out) on live WasmArrays of one accepted
  // dtype, whole rows: one wasm call. Anything else is parsed.
  function guarded(x, slope, layout, last) {
    if (arguments.length > 4) return parse(...arguments);
    const out = layout instanceof WasmArray ? layout : last;
    if (x instanceof WasmArray && slope instanceof WasmArray && out instanceof WasmArray &&
      (layout === out ? last === undefined : layout === undefined || layout === 'nhwc')) {
      const dt = dtypeKey(x);
      const px = rawPointer(x), ps = rawPointer(slope), po = rawPointer(out);
      // A look-alike has no dtype and no address: parse() names it.
      if (kernels[dt] !== undefined && dtypeKey(slope) === dt && dtypeKey(out) === dt && px !== -1 && ps !== -1 && po !== -1 &&
        out.length === x.length && slope.length !== 0 && x.length % slope.length === 0) {
        const n = x.length, C = slope.length, size = DTYPES[dt].bytes;
        if (C === 1 && !DTYPES[dt].half) elementwise[dt](px, po, n, ctx.views()[dt][ps / size]);
        else kernels[dt](px, ps, ctx.params(tiledLength(C, size) * size, name, 'slope'), po, n, C, 1, 0), trimParams(ctx.state());
        return out;
      }
    }
    return parse(x, slope, layout, last);
  }

  // The call's objects as plain values: the layout, the outputs, the dtype they name.
  function readObjects(layout, last) {
    if (isArray(layout) && last === undefined) (last = layout), (layout = undefined);
    const l = readLayout(layout, name);
    if (!backward) return { l, out: last ?? undefined, dslope: undefined, dtype: l.dtype };
    if (last !== undefined && last !== null && (typeof last !== 'object' || isArray(last))) {
      throw new TypeError(`${name}: the last argument must be { dx?, dslope? } (got ${describe(last)})`);
    }
    for (const k in last ?? {}) if (k !== 'dx' && k !== 'dslope' && k !== 'dbias' && k !== 'dtype') throw new TypeError(`${name}: unknown option '${k}' (accepted: dx, dslope, dbias, dtype)`);
    const { dx, dslope, dbias, dtype } = last ?? {}; // each read once
    return { l, out: dx, dslope, dbias, dtype };
  }

  function parse(...args) {
    const S = ctx.state();
    if (S === null) throw ctx.notReady(name);
    const [dy, x, slope] = backward ? args : [undefined, ...args];
    const max = backward ? 5 : 4;
    while (args.length > max && args[args.length - 1] === undefined) args.pop(); // (trailing undefineds: not given)
    if (args.length > max) {
      throw new TypeError(`${name}: too many arguments (${backward ? 'dy, x, slope, layout?, { dx?, dslope? }?' : 'x, slope, layout?, out?'}; got ${describe(args[max])} after them)`);
    }
    const { l, out: outGiven, dslope: dslopeGiven, dbias: dbiasGiven, dtype } = readObjects(args[backward ? 3 : 2], args[backward ? 4 : 3]);
    // A Uint16Array says its 16-bit format in the layout object (prelu) or the outputs' (preluBackward).
    const dt = dtypeOf(args[0], isWasmArray(args[0]), name, first, dtypes, declaredDtype(dtype, name, dtypes));
    const n = lengthOf(args[0], isWasmArray(args[0]), name, first);
    if (backward) operand(x, dt, n, name, 'x', 'dy', dtypes);
    const slopeWasm = isWasmArray(slope);
    sameDtype(slope, slopeWasm, dt, name, 'slope', first, dtypes);
    const C = lengthOf(slope, slopeWasm, name, 'slope');
    if (C === 0) throw new RangeError(`${name}: slope must have length 1 or C (the channel count), not 0`);
    const inner = checkLayout(l, n, C, name);
    if (dslopeGiven !== undefined) operand(dslopeGiven, dt, C, name, 'dslope', 'slope', dtypes);
    if (outGiven !== undefined) operand(outGiven, dt, n, name, backward ? 'dx' : 'out', first, dtypes);
    // The fused bias (in the layout object: C values added to x first, rounded to the dtype;
    // js/kinds/map-bias.js) and, backward, its gradient: the channels are the bias's.
    const bias = l.bias;
    let CB = C, innerB = inner;
    if (bias !== undefined || dbiasGiven !== undefined) {
      if (bias !== undefined) {
        if (!isArray(bias)) throw new TypeError(`${name}: layout.bias must be an array of C values (one per channel) of ${first}'s dtype (got ${describe(bias)})`);
        sameDtype(bias, isWasmArray(bias), dt, name, 'bias', first, dtypes);
        CB = lengthOf(bias, isWasmArray(bias), name, 'bias');
        if (CB === 0) throw new RangeError(`${name}: bias must have at least one value (one per channel), not 0`);
      } else if (dbiasGiven !== true) CB = lengthOf(dbiasGiven, isWasmArray(dbiasGiven), name, 'dbias');
      if (C !== 1 && CB !== C) throw new RangeError(`${name}: ${bias !== undefined ? 'bias' : 'dbias'} has length ${CB} but slope has length ${C} (one per channel, or a slope of length 1)`);
      innerB = checkLayout(l, n, CB, name);
      if (dbiasGiven !== undefined && dbiasGiven !== true) operand(dbiasGiven, dt, CB, name, 'dbias', 'bias', dtypes);
    }

    // Everything is checked: allocate. Growth detaches views of wasm memory, so those
    // operands are re-made at their place afterwards.
    const at = [x, dy, slope, outGiven, dslopeGiven, dbiasGiven === true ? undefined : dbiasGiven, bias].map(ctx.wasmAt);
    // x + bias into a temporary first (its own pass; the slope's area comes after it)
    let xin = x, temp = null;
    if (bias !== undefined) {
      temp = ctx.heap.allocKey(n, dt, name);
      try {
        addBias(ctx, dt, isWasmArray(x) ? x.view : ctx.again(x, at[0], dt, n), bias, at[6], CB, innerB, n, temp.view, name);
      } catch (e) {
        temp.free();
        throw e;
      }
      xin = temp;
    }
    // (16-bit floats: the channel kernel even for one slope; the elementwise one takes a number.)
    const oneSlope = !backward && C === 1 && !DTYPES[dt].half;
    const size = DTYPES[dt].bytes;
    // The op's wasm region: C doubles of sums (backward), room for the slope when it is not
    // in wasm memory, and for the tiled slope (forward).
    const accBytes = backward ? C * 8 : 0;
    const slopeBytes = slopeWasm || at[2] >= 0 ? 0 : C * size;
    const base = oneSlope ? 0 : ctx.params(accBytes + slopeBytes + (backward ? 0 : tiledLength(C, size) * size), name, 'slope');
    const made = [];
    const make = (len) => {
      const a = ctx.newArray(args[0], dt, len, name); // (new results are like the first input, as for every kind)
      if (isWasmArray(a)) made.push(a);
      return a;
    };
    let out, dslope, dbias;
    try {
      dslope = backward ? dslopeGiven ?? make(C) : undefined;
      dbias = dbiasGiven === true ? make(CB) : dbiasGiven;
      out = outGiven ?? make(n);
    } catch (e) {
      for (const a of made) a.free();
      temp?.free();
      throw e;
    }
    try {
      const current = (v, k, len) => (isWasmArray(v) ? v.view : ctx.again(v, at[k], dt, len));
      const plan = { dt, n, C, inner, base, accBytes, x: current(xin, 0, n), dy: backward ? current(dy, 1, n) : undefined, slope: current(slope, 2, C), out: current(out, 3, n) };
      if (oneSlope) {
        const k = elementwise[dt];
        const alpha = plan.slope[0];
        if (isWasmArray(xin) && isWasmArray(out)) k(pointerOf(xin, name), pointerOf(out, name), n, alpha);
        else streamOp(S, dt, plan.out, plan.x, undefined, n, (p0, p1, po, m) => k(p0, po, m, alpha));
        return out;
      }
      run(S, plan);
      if (backward) roundSums(ctx, dt, base, C, current(dslope, 4, C));
      trimParams(ctx.state());
      if (dbias !== undefined) sumBias(ctx, dt, current(out, 3, n), CB, innerB, n, current(dbias, 5, CB), name);
      return backward ? (dbias === undefined ? { dx: out, dslope } : { dx: out, dslope, dbias }) : out;
    } finally {
      temp?.free();
    }
  }

  // Places the slope (when not in wasm memory), zeroes the sums and streams the kernel.
  function run(S, { dt, n, C, inner, base, accBytes, x, dy, slope, out }) {
    const size = DTYPES[dt].bytes;
    if (backward) ctx.views().f64.fill(0, base / 8, base / 8 + C);
    const inHeap = typedBuffer(slope) === S.memory.buffer;
    const ps = inHeap ? typedOffset(slope) : base + accBytes;
    if (!inHeap) ctx.views()[dt].set(DTYPES[dt].half ? typedBits(slope) : slope, ps / size); // (16-bit floats as bits)
    const k = kernels[dt];
    if (!backward) {
      const ptiled = base + accBytes + (inHeap ? 0 : C * size);
      streamOp(S, dt, out, x, undefined, n, (p0, p1, po, m, i) => k(p0, ps, ptiled, po, m, C, inner, i));
      return;
    }
    const run = C === 1 ? Math.max(n, 1) : inner; // one channel: a single run of n elements vectorises best
    streamOp(S, dt, out, dy, x, n, (p0, p1, po, m, i) => k(p0, p1, ps, po, base, m, C, run, i));
  }

  const bind = (fn) => {
    for (const dt of dtypes) {
      kernels[dt] = fn[`${dt}_${name}`];
      elementwise[dt] = fn[`${dt}_${row.cname}`];
    }
  };
  return { op: Object.defineProperty(backward ? parse : guarded, 'name', { value: name }), bind };
}
