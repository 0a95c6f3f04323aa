// Runs a kernel over operands wherever they live. Operands in wasm memory (WasmArray views,
// or any view of the memory) are passed by address: zero copies. JS arrays stream through a
// fixed scratch region in cache-sized chunks, so any length works in bounded wasm memory.
// Partial overlap of out with an input is resolved like memmove: chunks run backwards when
// out starts above the input, so every input chunk is read before it is overwritten.
import { views } from './heap.js';

// Below this many elements a JS loop beats creating a subarray for TypedArray.set.
const SMALL = 32;

// 0: disjoint or identical (in place); 1: out starts above v; -1: out starts below v.
function overlap(out, v, bytes) {
  if (out === null || out.buffer !== v.buffer || out.byteOffset === v.byteOffset) return 0;
  const lo = Math.max(out.byteOffset, v.byteOffset);
  const hi = Math.min(out.byteOffset, v.byteOffset) + bytes;
  return lo >= hi ? 0 : out.byteOffset > v.byteOffset ? 1 : -1;
}

// Reading a float element gives a JS number, which quiets a signalling NaN: the short loops
// hand everything from the first NaN on to TypedArray.set, which copies bits.
function copyIn(H, v, i, m, at) {
  if (m <= SMALL) {
    for (let j = 0; j < m; j++) {
      const e = v[i + j];
      if (e !== e) return H.set(v.subarray(i + j, i + m), at + j);
      H[at + j] = e;
    }
  } else H.set(m === v.length ? v : v.subarray(i, i + m), at);
}

function copyOut(H, at, out, i, m) {
  if (m <= SMALL) {
    for (let j = 0; j < m; j++) {
      const e = H[at + j];
      if (e !== e) return out.set(H.subarray(at + j, at + m), i + j);
      out[i + j] = e;
    }
  } else out.set(H.subarray(at, at + m), i);
}

/**
 * Calls call(p0, p1, pOut, m, i) over chunks [i, i + m) of n elements of dtype dt, with byte
 * addresses of input 0, input 1 (if `y` is given) and the output (if `out` is not null).
 * Operands are typed arrays: a WasmArray's view, or JS memory. Views of wasm memory must be
 * taken after any allocation the op made, since growth detaches them.
 */
export function streamOp(S, dt, out, x, y, n, call) {
  if (n === 0) return;
  const H = views(S)[dt];
  const size = H.BYTES_PER_ELEMENT;
  const mem = S.buffer;
  const bytes = n * size;
  const two = y !== undefined;
  let ox = overlap(out, x, bytes);
  let oy = two ? overlap(out, y, bytes) : 0;
  if (ox * oy < 0) {
    // out sits between the inputs: no chunk order suits both, so copy the input above it.
    if (ox > 0) (x = x.slice()), (ox = 0);
    else (y = y.slice()), (oy = 0);
  }
  const partial = ox !== 0 || oy !== 0;
  const hx = !partial && x.buffer === mem;
  const hy = !partial && (!two || y.buffer === mem);
  const ho = out === null || (!partial && out.buffer === mem);
  if (hx && hy && ho) {
    call(x.byteOffset, two ? y.byteOffset : 0, out === null ? 0 : out.byteOffset, n, 0);
    return;
  }
  const chunk = S.scratchBytes / size;
  const s0 = S.scratch / size;
  const backward = ox > 0 || oy > 0;
  const last = n - 1 - ((n - 1) % chunk);
  for (let k = 0, i = backward ? last : 0; k <= last; k += chunk, i += backward ? -chunk : chunk) {
    const m = Math.min(chunk, n - i);
    let px = S.scratch;
    let py = S.scratch + S.scratchBytes;
    if (hx) px = x.byteOffset + i * size;
    else copyIn(H, x, i, m, s0);
    if (two) {
      if (hy) py = y.byteOffset + i * size;
      else copyIn(H, y, i, m, s0 + chunk);
    }
    const po = out === null ? 0 : ho ? out.byteOffset + i * size : S.scratch;
    call(px, py, po, m, i);
    if (!ho) copyOut(H, s0, out, i, m);
  }
}
