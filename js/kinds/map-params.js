// The element-wise kinds' one parameter resolver (js/kinds/map.js): the guard calls it quietly,
// parse() (js/kinds/map-parse.js) loudly, so both read a call's params by the same rules.
import { describe, paramValue } from '../args.js';
import { QUANT_KEYS } from '../quant.js';

/** readParams for `row` (params: its paramSpecs; `quantizable`: it takes requantized data). */
export function makeReadParams(row, params, quantizable) {
  const { name } = row;
  // Positional params (call order) by their index in kernel order (-1: option params).
  const slot = params.map((p, i) => (p.option ? -1 : params.slice(0, i).filter((q) => !q.option).length));
  // On data that is not requantized, a quantization option that is not also a param of the
  // row (relu's zeroPoint is) is an error.
  const stray = quantizable ? QUANT_KEYS.filter((k) => !params.some((p) => p.name === k)) : [];

  /**
   * The row's params for dtype d into `values` (kernel order): the positional ones from a0..a2
   * (undefined: not given there), any from `options` (a plain copy) by name, else defaults.
   * `quantized`: the params of the real function (float64's rules); the zero point is the
   * table's. Invalid: with `quiet`, false; else the error naming the op and the param.
   */
  return function readParams(values, d, a0, a1, a2, options, quiet, quantized) {
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      const s = slot[i];
      const pos = s === 0 ? a0 : s === 1 ? a1 : s === 2 ? a2 : undefined;
      const byName = options === undefined ? undefined : options[p.name];
      if (pos !== undefined && byName !== undefined) {
        if (quiet) return false;
        throw new TypeError(`${name}: ${p.name} is given twice, by position (${describe(pos)}) and in the options object (${describe(byName)})`);
      }
      if (quantized && p.ints) {
        values[i] = p.default;
        continue;
      }
      if (p.ints && d.float && byName !== undefined) {
        if (quiet) return false;
        throw new TypeError(`${name}: ${p.name} applies to integer (quantized) dtypes only, not ${d.name}`);
      }
      const v = paramValue(p, pos ?? byName, d, name, quiet);
      if (v === undefined) return false;
      values[i] = v;
    }
    for (let i = 0; !quantized && options !== undefined && i < stray.length; i++) {
      if (options[stray[i]] === undefined) continue;
      if (quiet) return false;
      throw new TypeError(`${name}: ${stray[i]} applies to requantized int8 / uint8 data only, not ${d.name}`);
    }
    return true;
  };
}
