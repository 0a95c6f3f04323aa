// Runs a kernel over operands wherever they live. Operands in wasm memory (WasmArrays, or
// views of the memory) are passed by address: zero copies. JS arrays stream through a fixed
// scratch region in cache-sized chunks, so any length works in bounded wasm memory.
// Partial overlap of out with an input is resolved like memmove: chunks run backwards when
// out starts above the input, so every input chunk is read before it is overwritten.
import { DTYPES } from './ops.js';
import { views } from './heap.js';

// Below this many elements a JS loop beats creating a subarray for TypedArray.set.
const SMALL = 32;

// 0: disjoint or identical (in place); 1: out starts above v; -1: out starts below v.
function overlap(out, v, bytes) {
  if (out.buffer !== v.buffer || out.byteOffset === v.byteOffset) return 0;
  const lo = Math.max(out.byteOffset, v.byteOffset);
  const hi = Math.min(out.byteOffset, v.byteOffset) + bytes;
  return lo >= hi ? 0 : out.byteOffset > v.byteOffset ? 1 : -1;
}

function copyIn(H, v, i, m, at) {
  if (m <= SMALL) for (let j = 0; j < m; j++) H[at + j] = v[i + j];
  else H.set(m === v.length ? v : v.subarray(i, i + m), at);
}

function copyOut(H, at, out, i, m) {
  if (m <= SMALL) for (let j = 0; j < m; j++) out[i + j] = H[at + j];
  else out.set(H.subarray(at, at + m), i);
}

/**
 * out = kernel(x[, y]) over n elements of dtype dt; operands are typed arrays (a WasmArray's
 * view, or JS memory). Kernels take byte addresses:
 * map (x, out, n, a, b) or map2 (x, y, out, n, a, b).
 */
export function streamOp(S, kernel, dt, out, x, y, n, a, b) {
  if (n === 0) return;
  const size = DTYPES[dt].bytes;
  const H = views(S)[dt]; // after any allocation of out, so never stale
  const mem = S.buffer;
  const bytes = n * size;
  const two = y !== undefined;
  let ox = overlap(out, x, bytes);
  let oy = two ? overlap(out, y, bytes) : 0;
  if (ox * oy < 0) {
    // out sits between the inputs: no chunk order is safe for both, so copy the input above.
    if (ox > 0) (x = x.slice()), (ox = 0);
    else (y = y.slice()), (oy = 0);
  }
  const partial = ox !== 0 || oy !== 0;
  const hx = !partial && x.buffer === mem;
  const hy = !partial && (!two || y.buffer === mem);
  const ho = !partial && out.buffer === mem;
  if (hx && hy && ho) {
    if (two) kernel(x.byteOffset, y.byteOffset, out.byteOffset, n, a, b);
    else kernel(x.byteOffset, out.byteOffset, n, a, b);
    return;
  }
  const chunk = S.scratchBytes / size;
  const s0 = S.scratch / size;
  const s1 = s0 + chunk;
  const backward = ox > 0 || oy > 0;
  const last = n - 1 - ((n - 1) % chunk);
  for (let k = 0, i = backward ? last : 0; k <= last; k += chunk, i += backward ? -chunk : chunk) {
    const m = Math.min(chunk, n - i);
    let px = S.scratch;
    let py = S.scratch + S.scratchBytes;
    let po = S.scratch;
    if (hx) px = x.byteOffset + i * size;
    else copyIn(H, x, i, m, s0);
    if (two) {
      if (hy) py = y.byteOffset + i * size;
      else copyIn(H, y, i, m, s1);
    }
    if (ho) po = out.byteOffset + i * size;
    if (two) kernel(px, py, po, m, a, b);
    else kernel(px, po, m, a, b);
    if (!ho) copyOut(H, s0, out, i, m);
  }
}
