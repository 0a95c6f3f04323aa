// The argument model: how each row of js/ops.js is called, derived from its kind's record
// (js/kinds/) and its params, as the ops read their arguments (js/kinds/signature.js). Tests,
// benchmarks, the leak check and the demo build their calls with it, so none keeps a per-op
// argument list.
import { DTYPES } from './dtypes.js';
import { QUANT } from './quant.js';
import { KINDS } from './kinds/index.js';
import { signature as sig } from './kinds/signature.js';

export { KINDS };

/** How `row`'s op is called (js/kinds/signature.js, by its kind's record). */
export const signature = (row) => sig(row, KINDS[row.kind]);

/** The params that apply to dtype dt (integer-only ones drop out for floats). */
export const paramsFor = (row, dt) => row.params.filter((p) => !p.ints || !DTYPES[dt].float);

/** A typical value of every param for dtype dt: its example, else its default (within an integer dtype's range). */
export function exampleValues(row, dt) {
  const { min = -Infinity, max = Infinity } = DTYPES[dt];
  const inRange = (p, v) => ((p.rule ?? 'element') === 'element' ? Math.min(max, Math.max(min, v)) : v);
  return Object.fromEntries(paramsFor(row, dt).map((p) => [p.name, inRange(p, p.example ?? p.default)]));
}

/**
 * The arguments that call `row`'s op with the named `values`: arrays by input name (x, dy,
 * slope, y), params by name (absent: the default), `layout` ('nhwc', 'nchw' with `inner`, or
 * a layout object), outputs by name (out; dx, dslope).
 */
export function callArgs(row, values) {
  const sig = signature(row);
  const args = sig.inputs.map((k) => values[k]);
  // `dtype` (a Uint16Array's 16-bit format) goes where each kind takes it: the layout object
  // (channel), the outputs object (channel2), the units' options object (count), else the options.
  const dtype = values.dtype;
  if (row.kind === 'count') {
    const p = sig.positional[0];
    args.push(dtype === undefined ? values[p.name] : { [p.name]: values[p.name], dtype });
    return args;
  }
  for (const p of sig.positional) args.push(values[p.name]);
  if (sig.layout) {
    const layout = values.layout === 'nchw' && values.inner !== undefined ? { layout: 'nchw', inner: values.inner } : values.layout;
    args.push(row.kind === 'channel' && dtype !== undefined ? { ...(typeof layout === 'object' ? layout : { layout: layout ?? 'nhwc' }), dtype } : layout);
  }
  const options = {};
  let any = false;
  // Params by position, as the table lists them; the options object for outputs and option params.
  const keys = [...sig.outputs, ...sig.options.map((p) => p.name), ...(row.quantized ? QUANT.params.map((p) => p.name) : [])];
  if (row.kind !== 'channel') keys.push('dtype');
  for (const k of new Set(keys)) {
    if (values[k] !== undefined) (options[k] = values[k]), (any = true);
  }
  if (any) args.push(sig.outputs.length === 1 && Object.keys(options).length === 1 && options.out !== undefined ? options.out : options);
  while (args.length > sig.inputs.length && args[args.length - 1] === undefined) args.pop();
  return args;
}

/**
 * Named example arrays for a call of `row` on n elements: make(name, length) for each input,
 * slope with C channels (n must be a whole number of them, and of the example units).
 */
export function exampleArrays(row, n, make, C = 8) {
  return Object.fromEntries(KINDS[row.kind].inputs.map((k) => [k, make(k, k === 'slope' ? C : n)]));
}

/** Kernel parameter values (in the kernel's order) for named values, rounded as the API does. */
export function kernelParams(row, dt, values = {}) {
  if (row.fixed) return row.fixed;
  return row.params.map((p) => {
    const v = p.ints && DTYPES[dt].float ? p.default : values[p.name] ?? p.default ?? p.example;
    return p.rule === 'choice' ? p.choices.indexOf(v) : v; // as js/args.js passes a choice
  });
}

/**
 * Plain-JS model of one element for dtype dt with the named param values: row.js with the
 * params rounded to the dtype (as the API rounds them), taking the op's per-element inputs.
 */
export function model(row, dt, values = {}) {
  const round = dt === 'f32' ? Math.fround : (v) => v;
  const ps = kernelParams(row, dt, values).map(round);
  // Exactly one argument per input, so it can be handed to map() and Array.from().
  const k = KINDS[row.kind].inputs.length;
  if (k === 1) return (a) => row.js(a, ...ps);
  if (k === 2) return (a, b) => row.js(a, b, ...ps);
  return (a, b, c) => row.js(a, b, c, ...ps);
}
