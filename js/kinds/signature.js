// How a row of js/ops.js is called, from its kind's argument model (its record's inputs,
// layout, outputs) and its params. The ops parse their arguments by it; js/signature.js
// builds the tests', benchmarks' and demo's calls with it.
import { DTYPES } from '../dtypes.js';
import { QUANT } from '../quant.js';

// The fused bias's options: its values and where their channels are (prelu's layouts), and
// the backward passes' bias gradient.
const biasKeys = (row, kind) => (kind.bias?.(row) ? ['bias', 'layout', 'inner', 'shape', ...(kind.inputs.length === 2 ? ['dbias'] : [])] : []);

/**
 * How `row`'s op is called: op(...inputs, ...positional, layout?, trailing?), where trailing
 * is an output array or an options object with the keys `optionKeys`.
 */
export function signature(row, kind) {
  const positional = row.params.filter((p) => !p.option);
  const options = row.params.filter((p) => p.option);
  return {
    inputs: kind.inputs,
    positional,
    options,
    layout: kind.layout,
    outputs: kind.outputs,
    // Every param may also be given by name in the options object (option ones only there);
    // `dtype` says which 16-bit format a Uint16Array's bits hold; the quantization options
    // requantize int8 / uint8 (QUANT).
    optionKeys: [...new Set([...kind.outputs, ...row.params.map((p) => p.name), ...(row.dtypes.some((d) => DTYPES[d].half) ? ['dtype'] : []),
      ...(row.quantized ? QUANT.params.map((p) => p.name) : []), ...biasKeys(row, kind)])],
    /** Whether the op takes a fused bias (js/kinds/map-bias.js). */
    bias: kind.bias?.(row) === true,
    /** Index of the argument after the positional params (the layout, or the trailing one). */
    after: kind.inputs.length + positional.length,
  };
}
