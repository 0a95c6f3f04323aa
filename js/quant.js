// Requantized int8 / uint8 (QUANT, below): op(q, ...params, { scale, zeroPoint, outScale,
// outZeroPoint, out? }) for every activation row. The op's 256 possible results are one table:
// f at x = scale·(b − zeroPoint) for every byte b, in double (the row's float64 kernel, or the
// smooth family's unrounded evaluation), divided by outScale, rounded half to even, moved by
// outZeroPoint and saturated; the lut kernel then maps bytes through it (cpp/drivers.h). The
// table sits in the op parameter area, tagged with its parameter set, and is rebuilt only when
// the call's parameters differ from the last table's.
import { DTYPES } from './dtypes.js';
import { paramSpec, paramValue } from './args.js';
import { views } from './heap.js';
import * as Q from './rational.js';

// Every row marked `quantized` (the activations) takes int8 or uint8 data with these options,
// the scales and zero points of input and output (ONNX's QLinear activations, XNNPACK's
// qs8/qu8): y = saturate(roundHalfEven(f(scale·(q − zeroPoint)) / outScale) + outZeroPoint),
// f the row's exact real function at its params (as given, as for float64); relu and clip
// without `scale` keep their same-scale integer meaning. (Their docs: js/ops.js.)
export const QUANT = {
  dtypes: ['i8', 'u8'],
  params: [
    { name: 'scale', rule: 'positive' },
    { name: 'zeroPoint', rule: 'element', default: 0 },
    { name: 'outScale', rule: 'positive' },
    { name: 'outZeroPoint', rule: 'element', default: 0 },
  ],
};

const SPECS = QUANT.params.map(paramSpec);
export const QUANT_KEYS = QUANT.params.map((p) => p.name);


/**
 * round(f(x) / os) half to even, from y = f(x) in double: exact unless y / os lies within 2^-30
 * of a tie (m + 1/2); there the row's exact form decides, where f(x) is rational (a tie is
 * only possible there: a transcendental f never equals one).
 */
function roundEven(y, os, x, exact, params) {
  const v = y / os;
  const f = Math.floor(v);
  const d = v - f;
  if (Math.abs(d - 0.5) < 2 ** -30 && exact !== undefined) {
    const e = exact(Q, x, ...params);
    if (e !== null) {
      const c = Q.cmp(e, Q.mul(f + 0.5, os)); // (f + 1/2) os: exact in double
      return c > 0 || (c === 0 && f % 2 !== 0) ? f + 1 : f;
    }
  }
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

export function makeRequant(ctx, row) {
  const evalName = row.smooth ? `${row.name}_eval` : `f64_${row.name}`;

  /**
   * The quantization options of a call, checked (`options` read once by the caller). Invalid:
   * with `quiet` (the guard), undefined; else the TypeError / RangeError naming what is wrong.
   */
  function read(options, dt, name, quiet = false) {
    const d = DTYPES[dt];
    if (options === undefined || (options.scale === undefined && options.outScale === undefined)) {
      if (quiet) return undefined;
      throw new TypeError(`${name}: x is ${d.name} data, which an activation takes requantized: give { scale, outScale } (zeroPoint and outZeroPoint default to 0), or a float array`);
    }
    const [ps, pz, pos, poz] = SPECS;
    const scale = paramValue(ps, options[ps.name], d, name, quiet), zeroPoint = paramValue(pz, options[pz.name], d, name, quiet);
    const outScale = paramValue(pos, options[pos.name], d, name, quiet), outZeroPoint = paramValue(poz, options[poz.name], d, name, quiet);
    if (scale === undefined || zeroPoint === undefined || outScale === undefined || outZeroPoint === undefined) return undefined; // (quiet only)
    const s = Math.fround(scale), os = Math.fround(outScale);
    if (s > 0 && s < Infinity && os > 0 && os < Infinity) return { s, zeroPoint, os, outZeroPoint };
    if (quiet) return undefined;
    const [what, v, r] = s > 0 && s < Infinity ? ['outScale', outScale, os] : ['scale', scale, s];
    throw new RangeError(`${name}: ${what} ${v} is not a positive float32 once rounded to float32 (got ${r})`);
  }

  // The last table built: its parameters, and the tag it left on the parameter area (any other
  // use of the area clears the tag).
  const last = { tag: null, dt: null, values: [], s: 0, zeroPoint: 0, os: 0, outZeroPoint: 0 };
  function same(dt, values, q) {
    if (last.dt !== dt || last.s !== q.s || last.zeroPoint !== q.zeroPoint || last.os !== q.os || last.outZeroPoint !== q.outZeroPoint) return false;
    if (last.values.length !== values.length) return false;
    for (let i = 0; i < values.length; i++) if (!Object.is(last.values[i], values[i])) return false;
    return true;
  }

  /** The table's address for this call's parameters (values: the row's kernel params). */
  function table(S, dt, values, q, name) {
    if (last.tag !== null && S.paramTag === last.tag && same(dt, values, q)) return S.paramPtr;
    const tag = {}; // a fresh identity
    Object.assign(last, { tag, dt, values: [...values], ...q });
    const p = ctx.params(256 + 2 * 256 * 8, name, 'the quantized table', tag);
    const V = views(S);
    const xs = p + 256, ys = xs + 256 * 8;
    const x = V.f64.subarray(xs / 8, xs / 8 + 256);
    for (let b = 0; b < 256; b++) x[b] = q.s * ((dt === 'i8' ? (b << 24) >> 24 : b) - q.zeroPoint); // exact: float32 × 9 bits
    S.fn[evalName](xs, ys, 256, ...values);
    const y = V.f64.subarray(ys / 8, ys / 8 + 256);
    const { min, max } = DTYPES[dt];
    const t = V.u8.subarray(p, p + 256);
    for (let b = 0; b < 256; b++) t[b] = Math.min(max, Math.max(min, roundEven(y[b], q.os, x[b], row.exact, values) + q.outZeroPoint)) & 0xff;
    return p;
  }

  return { read, table };
}
