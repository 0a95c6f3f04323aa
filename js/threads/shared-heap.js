// The allocator of a threaded instance (js/threads/load.js): the kernels run on a shared
// WebAssembly.Memory that no Emscripten runtime owns, so malloc and free are here, in JS, on
// the owning thread only (workers never allocate). First fit over a sorted free list,
// neighbours merged on free, 16-byte aligned blocks; the memory grows when nothing fits.
const ALIGN = 16;
const PAGE = 65536;
const up = (v, a) => Math.ceil(v / a) * a;

/** malloc(bytes) → address (0: no room), free(address), heap_used() → bytes in live blocks. */
export function makeSharedHeap(memory, base) {
  const live = new Map(); // address → size
  const spans = [[base, memory.buffer.byteLength - base]]; // free [start, size], by start
  let used = 0;

  function take(i, size) {
    const [start, len] = spans[i];
    if (len === size) spans.splice(i, 1);
    else spans[i] = [start + size, len - size];
    live.set(start, size);
    used += size;
    return start;
  }

  function malloc(bytes) {
    const size = up(Math.max(bytes, 1), ALIGN);
    for (let i = 0; i < spans.length; i++) if (spans[i][1] >= size) return take(i, size);
    // Grow by what is missing past the free span at the end (if any), at least 1/8 more.
    const end = memory.buffer.byteLength;
    const last = spans.length > 0 && spans[spans.length - 1][0] + spans[spans.length - 1][1] === end ? spans[spans.length - 1][1] : 0;
    const pages = Math.max(Math.ceil((size - last) / PAGE), Math.ceil(end / PAGE / 8));
    try {
      memory.grow(pages);
    } catch {
      try {
        memory.grow(Math.ceil((size - last) / PAGE));
      } catch {
        return 0;
      }
    }
    release(end, memory.buffer.byteLength - end);
    return malloc(bytes);
  }

  // A span back into the free list, merged with its neighbours.
  function release(start, size) {
    let i = 0;
    while (i < spans.length && spans[i][0] < start) i++;
    spans.splice(i, 0, [start, size]);
    if (i + 1 < spans.length && start + size === spans[i + 1][0]) spans.splice(i, 2, [start, size + spans[i + 1][1]]);
    if (i > 0 && spans[i - 1][0] + spans[i - 1][1] === start) spans.splice(i - 1, 2, [spans[i - 1][0], spans[i - 1][1] + spans[i][1]]);
  }

  function free(address) {
    if (address === 0) return;
    const size = live.get(address);
    if (size === undefined) throw new Error(`relu-wasm: free(${address}): not a live block of this heap`);
    live.delete(address);
    used -= size;
    release(address, size);
  }

  return { malloc, free, heap_used: () => used };
}
