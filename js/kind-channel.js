// Per-channel ops (kinds channel and channel2 of js/ops.js):
//   prelu(x, slope, layout?, out?)                      → out
//   preluBackward(dy, x, slope, layout?, { dx, dslope }?) → { dx, dslope }
// slope has length 1 or C. layout: 'nhwc' (default; channel = i mod C),
// { layout: 'nchw', inner } (channel = floor(i / inner) mod C) or { layout: 'nchw', shape }.
import { DTYPES } from './ops.js';
import { checkCount, describe } from './args.js';
import { streamOp } from './stream.js';

const LAYOUT_HELP = "'nhwc', { layout: 'nhwc' }, { layout: 'nchw', inner: H*W } or { layout: 'nchw', shape: [N, C, ...] }";

/** Returns the inner size (1 for channels-last) after checking the layout against n and C. */
export function parseLayout(layout, n, C, name) {
  let inner = 1;
  let format = layout;
  if (layout !== undefined && typeof layout === 'object' && layout !== null) {
    for (const k in layout) {
      if (k !== 'layout' && k !== 'inner' && k !== 'shape') throw new TypeError(`${name}: unknown layout key '${k}' (layout is ${LAYOUT_HELP})`);
    }
    format = layout.layout;
    if (format === 'nchw') {
      if ((layout.inner === undefined) === (layout.shape === undefined)) {
        throw new TypeError(`${name}: an nchw layout needs exactly one of inner (H*W) or shape ([N, C, ...])`);
      }
      if (layout.shape !== undefined) {
        const shape = layout.shape;
        if (!Array.isArray(shape) || shape.length < 2 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
          throw new TypeError(`${name}: layout.shape must be an array of at least 2 non-negative integers [N, C, ...] (got ${describe(shape)})`);
        }
        const size = shape.reduce((a, b) => a * b, 1);
        if (size !== n) throw new RangeError(`${name}: layout.shape [${shape}] has ${size} elements but x has ${n}`);
        if (C !== 1 && shape[1] !== C) throw new RangeError(`${name}: layout.shape has ${shape[1]} channels but slope has length ${C}`);
        inner = Math.max(1, shape.slice(2).reduce((a, b) => a * b, 1));
      } else {
        inner = checkCount(layout.inner, name, 'layout.inner');
      }
    } else if (format !== 'nhwc') {
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

export function makeChannelOp(ctx, row) {
  const { name, dtypes } = row;
  const { dtypeOf, lengthOf, operand, sameDtype, isArray } = ctx.checks;
  const { isWasmArray, pointerOf, WasmArray, dtypeKey, rawPointer } = ctx.heap;
  const backward = row.kind === 'channel2';
  const first = backward ? 'dy' : 'x';
  const kernels = {};
  const leaky = {};

  // Places slope (and, backward, C doubles of sums) in wasm memory: [slopePtr, accPtr].
  function stage(S, slope, dt, C) {
    const size = DTYPES[dt].bytes;
    const accBytes = backward ? C * 8 : 0;
    const inHeap = ctx.data(slope).buffer === S.memory.buffer;
    const base = ctx.params(accBytes + (inHeap ? 0 : C * size)); // may grow memory
    const H = ctx.views()[dt];
    const s = ctx.data(slope);
    if (backward) ctx.views().f64.fill(0, base / 8, base / 8 + C);
    if (s.buffer === S.memory.buffer) return [s.byteOffset, base];
    H.set(s, (base + accBytes) / size);
    return [base + accBytes, base];
  }

  // prelu(x, slope, out) or prelu(x, slope, 'nhwc', out) on live WasmArrays of one accepted
  // dtype, whole rows: one wasm call. Anything else takes op(), which checks everything.
  function fast(a0, a1, a2, a3, a4) {
    const out = a2 instanceof WasmArray ? a2 : a3;
    if (backward || !(a0 instanceof WasmArray && a1 instanceof WasmArray && out instanceof WasmArray)) return op(a0, a1, a2, a3, a4);
    if (!(a2 === out ? a3 === undefined : a2 === undefined || a2 === 'nhwc')) return op(a0, a1, a2, a3, a4);
    const dt = dtypeKey(a0);
    const n = a0.length;
    const C = a1.length;
    const px = rawPointer(a0);
    const ps = rawPointer(a1);
    const po = rawPointer(out);
    if (kernels[dt] === undefined || dtypeKey(a1) !== dt || dtypeKey(out) !== dt || out.length !== n) return op(a0, a1, a2, a3, a4);
    if (C === 0 || n % C !== 0 || px === -1 || ps === -1 || po === -1) return op(a0, a1, a2, a3, a4);
    if (C === 1) leaky[dt](px, po, n, ctx.views()[dt][ps / DTYPES[dt].bytes], 0);
    else kernels[dt](px, ps, po, n, C, 1, 0);
    return out;
  }

  function op(a0, a1, a2, a3, a4) {
    const S = ctx.state();
    if (S === null) throw ctx.notReady(name);
    const dy = backward ? a0 : undefined;
    const x = backward ? a1 : a0;
    const slope = backward ? a2 : a1;
    let layout = backward ? a3 : a2;
    let last = backward ? a4 : a3;
    const dt = dtypeOf(a0, name, first, dtypes);
    const n = lengthOf(a0, name, first);
    if (backward) operand(x, dt, n, name, 'x', 'dy', dtypes);
    sameDtype(slope, dt, name, 'slope', first, dtypes);
    const C = lengthOf(slope, name, 'slope');
    if (C === 0) throw new RangeError(`${name}: slope must have length 1 or C (the channel count), not 0`);
    if (isArray(layout) && last === undefined) (last = layout), (layout = undefined);
    const inner = parseLayout(layout, n, C, name);

    let out;
    let dslope;
    if (backward) {
      if (last !== undefined && last !== null && (typeof last !== 'object' || isArray(last))) {
        throw new TypeError(`${name}: the last argument must be { dx?, dslope? } (got ${describe(last)})`);
      }
      for (const k in last ?? {}) if (k !== 'dx' && k !== 'dslope') throw new TypeError(`${name}: unknown option '${k}' (accepted: dx, dslope)`);
      out = last?.dx;
      dslope = last?.dslope;
      if (dslope === undefined) dslope = ctx.newArray(x, dt, C, name);
      else operand(dslope, dt, C, name, 'dslope', 'slope', dtypes);
    } else {
      out = last ?? undefined;
    }
    if (out === undefined) out = ctx.newArray(x, dt, n, name);
    else operand(out, dt, n, name, backward ? 'dx' : 'out', first, dtypes);

    const { data } = ctx;
    if (!backward && isWasmArray(x) && isWasmArray(out) && isWasmArray(slope)) {
      // Everything in wasm memory: no staging, no streaming.
      const ps = pointerOf(slope, name);
      if (C === 1) leaky[dt](pointerOf(x, name), pointerOf(out, name), n, ctx.views()[dt][ps / DTYPES[dt].bytes], 0);
      else kernels[dt](pointerOf(x, name), ps, pointerOf(out, name), n, C, inner, 0);
      return out;
    }
    if (!backward && C === 1) {
      // One slope for every element: leakyRelu's kernel with alpha = slope[0].
      const alpha = data(slope)[0];
      const k = leaky[dt];
      streamOp(S, dt, data(out), data(x), undefined, n, (p0, p1, po, m) => k(p0, po, m, alpha, 0));
      return out;
    }
    const [ps, pacc] = stage(S, slope, dt, C);
    const k = kernels[dt];
    if (!backward) {
      streamOp(S, dt, data(out), data(x), undefined, n, (p0, p1, po, m, i) => k(p0, ps, po, m, C, inner, i));
      return out;
    }
    // One channel: a single run of n elements vectorises best.
    const run = C === 1 ? Math.max(n, 1) : inner;
    streamOp(S, dt, data(out), data(dy), data(x), n, (p0, p1, po, m, i) => k(p0, p1, ps, po, pacc, m, C, run, i));
    const acc = ctx.views().f64;
    const d = data(dslope);
    // A sum with NaN in it is the canonical NaN: which NaN a sum propagates depends on order.
    for (let c = 0, v; c < C; c++) d[c] = (v = acc[pacc / 8 + c]) === v ? v : NaN;
    return { dx: out, dslope };
  }

  const bind = (fn) => {
    for (const dt of dtypes) {
      kernels[dt] = fn[`${dt}_${name}`];
      leaky[dt] = fn[`${dt}_leakyRelu`];
    }
  };
  return { op: Object.defineProperty(backward ? op : fast, 'name', { value: name }), bind };
}
