// Runs a kernel over operands wherever they live. Operands in wasm memory (WasmArray views,
// or any view of the memory) are passed by address: zero copies. JS arrays stream through a
// fixed scratch region in cache-sized chunks, so any length works in bounded wasm memory.
// Partial overlap of out with an input is resolved like memmove: chunks run backwards when
// out starts above the input, so every input chunk is read before it is overwritten.
import { views } from './heap.js';
import { DTYPES } from './dtypes.js';
import { typedBits, typedBuffer, typedLength, typedOffset, typedSet, typedSlice, typedSubarray } from './typed.js';

// Below this many elements a JS loop beats creating a subarray for TypedArray.set.
const SMALL = 32;

// For views of one buffer: 0 if disjoint or identical (in place); 1 if out starts above v,
// -1 if below.
export function overlap(out, v, bytes) {
  const a = typedOffset(out);
  const b = typedOffset(v);
  if (a === b) return 0;
  return Math.max(a, b) >= Math.min(a, b) + bytes ? 0 : a > b ? 1 : -1;
}

// Reading a float element gives a JS number, which quiets a signalling NaN: the short loops
// hand everything from the first NaN on to TypedArray.set, which copies bits.
export function copyIn(H, v, i, m, at) {
  if (m <= SMALL) {
    for (let j = 0; j < m; j++) {
      const e = v[i + j];
      if (e !== e) return H.set(typedSubarray(v, i + j, i + m), at + j);
      H[at + j] = e;
    }
  } else H.set(m === typedLength(v) ? v : typedSubarray(v, i, i + m), at);
}

export function copyOut(S, dt, H, at, out, i, m) {
  if (m <= SMALL) {
    for (let j = 0; j < m; j++) {
      const e = H[at + j];
      if (e !== e) return typedSet(out, H.subarray(at + j, at + m), i + j);
      out[i + j] = e;
    }
    return;
  }
  typedSet(out, scratchView(S, dt, H, at, m), i);
}

/**
 * A view of the scratch at element `at` with exactly m elements, kept for the next call of the
 * same size (creating one costs more than copying a few hundred bytes; views() drops them on
 * growth).
 */
export function scratchView(S, dt, H, at, m) {
  let v = S.outViews[dt];
  if (v === undefined || v.length !== m || v.byteOffset !== at * H.BYTES_PER_ELEMENT) v = S.outViews[dt] = H.subarray(at, at + m);
  return v;
}

/**
 * Calls call(p0, p1, pOut, m, i) over chunks [i, i + m) of n elements of dtype dt, with byte
 * addresses of input 0, input 1 (if `y` is given) and the output (if `out` is not null).
 * Operands are typed arrays: a WasmArray's view, or JS memory. Views of wasm memory must be
 * taken after any allocation the op made, since growth detaches them.
 */
export function streamOp(S, dt, out, x, y, n, call) {
  if (n === 0) return;
  if (DTYPES[dt].half) {
    // 16-bit floats are copied as bits (a Float16Array's values would be converted).
    x = typedBits(x);
    if (y !== undefined) y = typedBits(y);
    if (out !== null) out = typedBits(out);
  }
  const H = views(S)[dt];
  const size = H.BYTES_PER_ELEMENT;
  const mem = S.buffer;
  const bytes = n * size;
  const two = y !== undefined;
  // Each buffer is a getter call: read each once.
  let bx = typedBuffer(x);
  let by = two ? typedBuffer(y) : null;
  const bo = out === null ? null : typedBuffer(out);
  let ox = bo === bx ? overlap(out, x, bytes) : 0;
  let oy = two && bo === by ? overlap(out, y, bytes) : 0;
  if (ox * oy < 0) {
    // out sits between the inputs: no chunk order suits both, so copy the input above it.
    if (ox > 0) (x = typedSlice(x)), (bx = typedBuffer(x)), (ox = 0);
    else (y = typedSlice(y)), (by = typedBuffer(y)), (oy = 0);
  }
  const partial = ox !== 0 || oy !== 0;
  const hx = !partial && bx === mem;
  const hy = !partial && (!two || by === mem);
  const ho = out === null || (!partial && bo === mem);
  if (hx && hy && ho) {
    call(typedOffset(x), two ? typedOffset(y) : 0, out === null ? 0 : typedOffset(out), n, 0);
    return;
  }
  if (!partial && !hx && !hy && !ho && !DTYPES[dt].half) return streamJs(S, dt, out, x, y, n, call);
  const chunk = S.scratchBytes / size;
  const s0 = S.scratch / size;
  const backward = ox > 0 || oy > 0;
  const last = n - 1 - ((n - 1) % chunk);
  for (let k = 0, i = backward ? last : 0; k <= last; k += chunk, i += backward ? -chunk : chunk) {
    const m = Math.min(chunk, n - i);
    let px = S.scratch;
    let py = S.scratch + S.scratchBytes;
    if (hx) px = typedOffset(x) + i * size;
    else copyIn(H, x, i, m, s0);
    if (two) {
      if (hy) py = typedOffset(y) + i * size;
      else copyIn(H, y, i, m, s0 + chunk);
    }
    const po = out === null ? 0 : ho ? typedOffset(out) + i * size : S.scratch;
    call(px, py, po, m, i);
    if (!ho) copyOut(S, dt, H, s0, out, i, m);
  }
}

/**
 * streamOp for JS arrays all outside wasm memory, of a dtype held by its own array type (not
 * 16-bit bits), out the same array as an input or in another buffer (so no chunk overwrites
 * unread input): the typed-array call's path (js/kinds/map.js), without the general checks.
 */
export function streamJs(S, dt, out, x, y, n, call) {
  const H = views(S)[dt];
  const size = H.BYTES_PER_ELEMENT;
  const chunk = S.scratchBytes / size;
  const s0 = S.scratch / size, p1 = S.scratch + S.scratchBytes;
  for (let i = 0; i < n; i += chunk) {
    const m = n - i < chunk ? n - i : chunk;
    const whole = m === n;
    // H is ours (its own set); out is the user's (the built-in one). set copies bits: NaN payloads kept.
    H.set(whole ? x : typedSubarray(x, i, i + m), s0);
    if (y !== undefined) H.set(whole ? y : typedSubarray(y, i, i + m), s0 + chunk);
    call(S.scratch, p1, S.scratch, m, i);
    typedSet(out, scratchView(S, dt, H, s0, m), i);
  }
}
