// cast(x, dtype, out?) and cast(x, dtype, { out, from }): conversions between the float
// formats (js/kernels.js, CAST_DTYPES), one correct rounding each (cpp/cast.h). `from` names the
// format of a Uint16Array's bits. WasmArrays convert in place in wasm memory; JS arrays stream
// through the scratch in chunks, as the ops do.
import { DTYPES, DTYPE_BY_NAME, DTYPE_BY_TAG } from './dtypes.js';
import { CAST_DTYPES, CAST_KERNELS } from './kernels.js';
import { describe, holders, tagFits } from './args.js';
import { views } from './heap.js';
import { typedBits, typedBuffer, typedLength, typedOffset, typedSet, typedSlice, typedSubarray, typedTag } from './typed.js';

const NAMES = CAST_DTYPES.map((d) => `'${DTYPES[d].name}'`).join(', ');
// The JS arrays that hold a cast format as numbers (not bits), in words.
const ARRAYS = CAST_DTYPES.filter((d) => !DTYPES[d].bits).map((d) => DTYPES[d].Array.name).join(', ');
// 16-bit data is copied as bits: a Float16Array's values would be converted.
const bitsOf = (v, d) => (d.half ? typedBits(v) : v);

/** cast's record, as a kind's (js/kinds/): its unit's kernels and its maker. */
export const cast = { name: 'cast', kernels: () => CAST_KERNELS, make: makeCast };

function makeCast(ctx) {
  const { isWasmArray, pointerOf, dtypeKey } = ctx.heap;
  const { lengthOf } = ctx.checks;
  let fn = null;

  const format = (v, what) => {
    const dt = typeof v === 'string' ? DTYPE_BY_NAME[v] : undefined;
    if (dt === undefined || !CAST_DTYPES.includes(dt)) {
      const msg = `cast: ${what} must be one of ${NAMES} (got ${describe(v)})`;
      throw typeof v === 'string' ? new RangeError(msg) : new TypeError(msg);
    }
    return dt;
  };

  // x's format: a WasmArray's own, a JS array's (a Uint16Array needs `from`).
  function source(x, wasm, from) {
    if (wasm) {
      const dt = dtypeKey(x);
      if (!CAST_DTYPES.includes(dt)) throw new TypeError(`cast: x must hold one of ${NAMES} (got a WasmArray of ${DTYPES[dt]?.name ?? 'no dtype'})`);
      if (from !== undefined && from !== dt) throw new TypeError(`cast: options.from is '${DTYPES[from].name}' but x is a WasmArray of ${DTYPES[dt].name}`);
      return dt;
    }
    const tag = ArrayBuffer.isView(x) ? typedTag(x) : undefined;
    if (from !== undefined) {
      if (!tagFits(tag, from)) throw new TypeError(`cast: options.from is '${DTYPES[from].name}' but x is ${describe(x)} (${holders(from)} can hold it)`);
      return from;
    }
    const dt = DTYPE_BY_TAG[tag];
    if (CAST_DTYPES.includes(dt)) return dt;
    if (tag === 'Uint16Array') throw new TypeError("cast: x is a Uint16Array; say which format its bits hold with { from: 'float16' } or { from: 'bfloat16' }");
    throw new TypeError(`cast: x must be a ${ARRAYS}, a Uint16Array of float16 or bfloat16 bits (with { from }) or a WasmArray of those (got ${describe(x)})`);
  }

  function cast(x, dtype, last) {
    const S = ctx.state();
    if (S === null) throw ctx.notReady('cast');
    const to = format(dtype, 'dtype');
    let out = last;
    let from;
    if (last !== undefined && last !== null && !ArrayBuffer.isView(last) && !isWasmArray(last)) {
      if (typeof last !== 'object' || (Object.getPrototypeOf(last) !== Object.prototype && Object.getPrototypeOf(last) !== null)) {
        throw new TypeError(`cast: the argument after dtype must be an output array or an options object { out, from } (got ${describe(last)})`);
      }
      for (const k in last) if (k !== 'out' && k !== 'from') throw new TypeError(`cast: unknown option '${k}' (accepted: out, from)`);
      const { out: o, from: f } = last; // each read once
      out = o;
      if (f !== undefined) from = format(f, 'options.from');
    }
    out = out ?? undefined;
    const xWasm = isWasmArray(x);
    const src = source(x, xWasm, from);
    const n = lengthOf(x, xWasm, 'cast', 'x');
    const outWasm = out === undefined ? xWasm : isWasmArray(out);
    if (out !== undefined) {
      const ok = outWasm ? dtypeKey(out) === to : ArrayBuffer.isView(out) && tagFits(typedTag(out), to);
      if (!ok) throw new TypeError(`cast: out must be ${holders(to)} or a WasmArray of ${DTYPES[to].name} (got ${describe(out)})`);
      const m = lengthOf(out, outWasm, 'cast', 'out');
      if (m !== n) throw new RangeError(`cast: out has length ${m} but x has length ${n}`);
    } else {
      out = xWasm ? ctx.heap.allocKey(n, to, 'cast') : new DTYPES[to].Array(n);
    }
    if (src === to) {
      // The same format: a copy (of the bits).
      const a = bitsOf(xWasm ? x.view : x, DTYPES[src]);
      typedSet(bitsOf(outWasm ? out.view : out, DTYPES[to]), a);
      return out;
    }
    const kernel = fn[`${src}_to_${to}`];
    if (xWasm && outWasm) {
      kernel(pointerOf(x, 'cast'), pointerOf(out, 'cast'), n);
      return out;
    }
    let xs = bitsOf(xWasm ? x.view : x, DTYPES[src]);
    const os = bitsOf(outWasm ? out.view : out, DTYPES[to]);
    // An output that overlaps the input in one buffer would overwrite input not yet read.
    const bx = typedBuffer(xs);
    if (bx === typedBuffer(os)) {
      const a = typedOffset(xs), b = typedOffset(os);
      if (a < b + typedLength(os) * DTYPES[to].bytes && b < a + n * DTYPES[src].bytes) xs = typedSlice(xs);
    }
    const V = views(S);
    const hin = V[src], hout = V[to];
    const size = Math.max(DTYPES[src].bytes, DTYPES[to].bytes);
    const chunk = S.scratchBytes / size;
    const pin = S.scratch, pout = S.scratch + S.scratchBytes;
    for (let i = 0; i < n; i += chunk) {
      const m = Math.min(chunk, n - i);
      hin.set(typedSubarray(xs, i, i + m), pin / DTYPES[src].bytes);
      kernel(pin, pout, m);
      typedSet(os, hout.subarray(pout / DTYPES[to].bytes, pout / DTYPES[to].bytes + m), i);
    }
    return out;
  }

  return { op: cast, bind: (f) => (fn = f) };
}
