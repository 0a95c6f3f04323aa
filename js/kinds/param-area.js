// The op parameter area (js/core.js ctx.params) after a call of a kind whose area grows with
// its arguments (slopes, sums, counts): one huge call must not keep its memory.
const PARAM_KEEP_BYTES = 64 * 1024; // (a quantized table, 4.3 KB, stays cached)

/** Frees the instance S's parameter area if it is larger than PARAM_KEEP_BYTES. */
export function trimParams(S) {
  if (S.paramBytes <= PARAM_KEEP_BYTES) return;
  S.fn.free(S.paramPtr);
  S.paramPtr = 0;
  S.paramBytes = 0;
  S.paramTag = null;
}
