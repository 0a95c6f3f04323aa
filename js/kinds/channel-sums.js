// Per-channel sums kept in double in wasm memory (preluBackward's dslope, the bias gradient
// dbias) rounded once to the dtype into d. A sum with NaN in it is the canonical NaN: which
// NaN a sum propagates depends on order. 16-bit: each sum rounded once to the format (the
// cast kernel, in place over the sums).
import { DTYPES } from '../dtypes.js';
import { typedBits, typedSet } from '../typed.js';

export function roundSums(ctx, dt, base, C, d) {
  const acc = ctx.views().f64;
  if (!DTYPES[dt].half) {
    for (let c = 0, v; c < C; c++) d[c] = (v = acc[base / 8 + c]) === v ? v : NaN;
    return;
  }
  for (let c = 0, v; c < C; c++) if ((v = acc[base / 8 + c]) !== v) acc[base / 8 + c] = NaN;
  ctx.state().fn[`f64_to_${dt}`](base, base, C);
  typedSet(typedBits(d), ctx.views()[dt].subarray(base / 2, base / 2 + C));
}
