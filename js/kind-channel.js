// Per-channel ops (kinds channel and channel2 of js/ops.js):
//   prelu(x, slope, layout?, out?)                      → out
//   preluBackward(dy, x, slope, layout?, { dx, dslope }?) → { dx, dslope }
// slope has length 1 or C. layout: 'nhwc' (default; channel = i mod C),
// { layout: 'nchw', inner } (channel = floor(i / inner) mod C) or { layout: 'nchw', shape }.
import { DTYPES } from './table.js';
import { checkCount, declaredDtype, describe } from './args.js';
import { streamOp } from './stream.js';
import { typedBits, typedBuffer, typedOffset, typedSet } from './typed.js';

const LAYOUT_HELP = "'nhwc', { layout: 'nhwc', shape?: [N, ..., C] }, { layout: 'nchw', inner: H*W } or { layout: 'nchw', shape: [N, C, ...] }";

/** Returns the inner size (1 for channels-last) after checking the layout against n and C. */
export function parseLayout(layout, n, C, name) {
  let inner = 1;
  let format = layout;
  if (layout !== undefined && typeof layout === 'object' && layout !== null) {
    for (const k in layout) {
      if (k !== 'layout' && k !== 'inner' && k !== 'shape' && k !== 'dtype') throw new TypeError(`${name}: unknown layout key '${k}' (layout is ${LAYOUT_HELP})`);
    }
    const { layout: given, inner: innerGiven, shape: shapeGiven } = layout; // each read once
    format = given ?? (innerGiven === undefined && shapeGiven === undefined ? 'nhwc' : given); // { dtype } alone: nhwc
    // The dims, read once each (a shape may be any array-like the user made).
    const shape = shapeGiven === undefined ? undefined : Array.isArray(shapeGiven) ? Array.from(shapeGiven) : shapeGiven;
    if (shape !== undefined && (!Array.isArray(shape) || shape.length < 2 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))) {
      throw new TypeError(`${name}: layout.shape must be an array of at least 2 non-negative integers (got ${describe(shapeGiven)})`);
    }
    const size = shape?.reduce((a, b) => a * b, 1);
    if (shape !== undefined && size !== n) throw new RangeError(`${name}: layout.shape [${shape}] has ${size} elements but x has ${n}`);
    if (format === 'nchw') {
      if ((innerGiven === undefined) === (shape === undefined)) {
        throw new TypeError(`${name}: an nchw layout needs exactly one of inner (H*W) or shape ([N, C, ...])`);
      }
      if (shape !== undefined) {
        if (C !== 1 && shape[1] !== C) throw new RangeError(`${name}: layout.shape has ${shape[1]} channels but slope has length ${C}`);
        inner = Math.max(1, shape.slice(2).reduce((a, b) => a * b, 1));
      } else {
        inner = checkCount(innerGiven, name, 'layout.inner');
      }
    } else if (format === 'nhwc') {
      // Channels last: a shape is checked against x and the slope, never ignored.
      if (innerGiven !== undefined) throw new TypeError(`${name}: layout.inner applies to 'nchw' only (an nhwc layout's channel is i mod C)`);
      if (shape !== undefined && C !== 1 && shape[shape.length - 1] !== C) {
        throw new RangeError(`${name}: layout.shape [${shape}] has ${shape[shape.length - 1]} channels (last) but slope has length ${C}`);
      }
    } else {
      throw new TypeError(`${name}: layout.layout must be 'nhwc' or 'nchw' (got ${describe(format)})`);
    }
  } else if (format === 'nchw') {
    throw new TypeError(`${name}: 'nchw' needs the inner size: { layout: 'nchw', inner: H*W } or { layout: 'nchw', shape: [N, C, H, W] }`);
  } else if (format !== undefined && format !== 'nhwc') {
    throw new TypeError(`${name}: layout must be ${LAYOUT_HELP} (got ${describe(layout)})`);
  }
  if (n % (C * inner) !== 0) {
    throw new RangeError(`${name}: x has ${n} elements, not a whole number of ${inner > 1 ? `${C} channels × inner ${inner}` : `rows of ${C} channels`}`);
  }
  return inner;
}

// Elements of prelu's tiled slope (cpp/drivers.h, channel): C repeated to a whole number of
// 4-vector steps, lcm(C, 64 bytes / element size).
export function tiledLength(C, bytes) {
  const step = 64 / bytes;
  let period = C;
  while (period % step !== 0) period += C;
  return period;
}

export function makeChannelOp(ctx, row) {
  const { name, dtypes } = row;
  const { dtypeOf, lengthOf, operand, sameDtype, isArray } = ctx.checks;
  const { isWasmArray, pointerOf, WasmArray, dtypeKey, rawPointer } = ctx.heap;
  const backward = row.kind === 'channel2';
  const first = backward ? 'dy' : 'x';
  const kernels = {};
  // One slope for every element: the element-wise kernel of the op applied per channel.
  const elementwise = {};

  // The op's wasm region (ctx.params): C doubles of sums (backward), room for the slope when
  // it is not in wasm memory, and for the tiled slope (forward). May grow memory.
  function region(dt, C, slopeInHeap) {
    const size = DTYPES[dt].bytes;
    const accBytes = backward ? C * 8 : 0;
    const slopeBytes = slopeInHeap ? 0 : C * size;
    const base = ctx.params(accBytes + slopeBytes + (backward ? 0 : tiledLength(C, size) * size), name, 'slope');
    return { base, accBytes };
  }

  // Zeroes the sums and places the slope (s: a typed array, current after any growth):
  // [slope address, sums address, tiled address].
  function stage(s, dt, C, { base, accBytes }) {
    const size = DTYPES[dt].bytes;
    if (backward) ctx.views().f64.fill(0, base / 8, base / 8 + C);
    const S = ctx.state();
    if (typedBuffer(s) === S.memory.buffer) return [typedOffset(s), base, base + accBytes];
    // (16-bit floats as bits: a Float16Array's values would be converted.)
    ctx.views()[dt].set(DTYPES[dt].half ? typedBits(s) : s, (base + accBytes) / size);
    return [base + accBytes, base, base + accBytes + C * size];
  }

  // prelu(x, slope, out) or prelu(x, slope, 'nhwc', out) on live WasmArrays of one accepted
  // dtype, whole rows: one wasm call. Anything else takes checked().
  function guarded(x, slope, layout, last) {
    const out = layout instanceof WasmArray ? layout : last;
    if (x instanceof WasmArray && slope instanceof WasmArray && out instanceof WasmArray &&
      (layout === out ? last === undefined : layout === undefined || layout === 'nhwc')) {
      const dt = dtypeKey(x);
      const px = rawPointer(x);
      const ps = rawPointer(slope);
      const po = rawPointer(out);
      // A look-alike has no dtype and no address: checked() names it.
      if (kernels[dt] !== undefined && dtypeKey(slope) === dt && dtypeKey(out) === dt && px !== -1 && ps !== -1 && po !== -1 &&
        out.length === x.length && slope.length !== 0 && x.length % slope.length === 0) {
        const n = x.length;
        const C = slope.length;
        if (C === 1 && !DTYPES[dt].half) elementwise[dt](px, po, n, ctx.views()[dt][ps / DTYPES[dt].bytes]);
        else kernels[dt](px, ps, ctx.params(tiledLength(C, DTYPES[dt].bytes) * DTYPES[dt].bytes, name, 'slope'), po, n, C, 1, 0);
        return out;
      }
    }
    return checked(x, slope, layout, last);
  }

  function checked(...args) {
    const S = ctx.state();
    if (S === null) throw ctx.notReady(name);
    const dy = backward ? args[0] : undefined;
    const x = backward ? args[1] : args[0];
    const slope = backward ? args[2] : args[1];
    let layout = backward ? args[3] : args[2];
    let last = backward ? args[4] : args[3];
    const firstWasm = isWasmArray(args[0]);
    // A Uint16Array says its 16-bit format in the layout object (prelu) or the outputs' (preluBackward).
    const holder = backward ? args[4] : args[2];
    let declared;
    if (holder !== null && typeof holder === 'object' && !isArray(holder)) {
      const v = holder.dtype; // read once here; parseLayout and the outputs ignore it
      declared = declaredDtype(v, name, dtypes);
    }
    const dt = dtypeOf(args[0], firstWasm, name, first, dtypes, declared);
    const n = lengthOf(args[0], firstWasm, name, first);
    if (backward) operand(x, dt, n, name, 'x', 'dy', dtypes);
    const slopeWasm = isWasmArray(slope);
    sameDtype(slope, slopeWasm, dt, name, 'slope', first, dtypes);
    const C = lengthOf(slope, slopeWasm, name, 'slope');
    if (C === 0) throw new RangeError(`${name}: slope must have length 1 or C (the channel count), not 0`);
    if (isArray(layout) && last === undefined) (last = layout), (layout = undefined);
    const inner = parseLayout(layout, n, C, name);

    let out;
    let dslope;
    if (backward) {
      if (last !== undefined && last !== null && (typeof last !== 'object' || isArray(last))) {
        throw new TypeError(`${name}: the last argument must be { dx?, dslope? } (got ${describe(last)})`);
      }
      for (const k in last ?? {}) if (k !== 'dx' && k !== 'dslope' && k !== 'dtype') throw new TypeError(`${name}: unknown option '${k}' (accepted: dx, dslope, dtype)`);
      out = last?.dx; // each read once
      dslope = last?.dslope;
      if (dslope !== undefined) operand(dslope, dt, C, name, 'dslope', 'slope', dtypes);
    } else {
      out = last ?? undefined;
    }
    if (out !== undefined) operand(out, dt, n, name, backward ? 'dx' : 'out', first, dtypes);

    // Everything is checked: allocate. Growth detaches views of wasm memory, so those
    // operands are re-made at their place afterwards.
    const at = [ctx.wasmAt(x), ctx.wasmAt(dy), ctx.wasmAt(slope), ctx.wasmAt(out), ctx.wasmAt(dslope)];
    if (backward && dslope === undefined) dslope = ctx.newArray(x, dt, C, name);
    if (out === undefined) out = ctx.newArray(x, dt, n, name);
    // (16-bit floats: the channel kernel even for one slope; the elementwise one takes a number.)
    const oneSlope = !backward && C === 1 && !DTYPES[dt].half;
    const place = oneSlope ? null : region(dt, C, slopeWasm || at[2] >= 0);
    const current = (v, k, len) => (isWasmArray(v) ? v.view : ctx.again(v, at[k], dt, len));
    const xs = current(x, 0, n);
    const dys = backward ? current(dy, 1, n) : undefined;
    const slopes = current(slope, 2, C);
    const outs = current(out, 3, n);

    if (oneSlope) {
      // One slope for every element.
      const alpha = slopes[0];
      const k = elementwise[dt];
      if (isWasmArray(x) && isWasmArray(out)) k(pointerOf(x, name), pointerOf(out, name), n, alpha);
      else streamOp(S, dt, outs, xs, undefined, n, (p0, p1, po, m) => k(p0, po, m, alpha));
      return out;
    }
    const [ps, pacc, ptiled] = stage(slopes, dt, C, place);
    const k = kernels[dt];
    if (!backward) {
      streamOp(S, dt, outs, xs, undefined, n, (p0, p1, po, m, i) => k(p0, ps, ptiled, po, m, C, inner, i));
      return out;
    }
    // One channel: a single run of n elements vectorises best.
    const run = C === 1 ? Math.max(n, 1) : inner;
    streamOp(S, dt, outs, dys, xs, n, (p0, p1, po, m, i) => k(p0, p1, ps, po, pacc, m, C, run, i));
    const acc = ctx.views().f64;
    const d = current(dslope, 4, C);
    // A sum with NaN in it is the canonical NaN: which NaN a sum propagates depends on order.
    if (!DTYPES[dt].half) {
      for (let c = 0, v; c < C; c++) d[c] = (v = acc[pacc / 8 + c]) === v ? v : NaN;
      return { dx: out, dslope };
    }
    // 16-bit: each sum rounded once to the format (the cast kernel, in place over the sums).
    for (let c = 0, v; c < C; c++) if ((v = acc[pacc / 8 + c]) !== v) acc[pacc / 8 + c] = NaN;
    S.fn[`f64_to_${dt}`](pacc, pacc, C);
    typedSet(typedBits(d), ctx.views()[dt].subarray(pacc / 2, pacc / 2 + C));
    return { dx: out, dslope };
  }

  const bind = (fn) => {
    for (const dt of dtypes) {
      kernels[dt] = fn[`${dt}_${name}`];
      elementwise[dt] = fn[`${dt}_${row.cname}`];
    }
  };
  return { op: Object.defineProperty(backward ? checked : guarded, 'name', { value: name }), bind };
}
