// The element-wise kinds' full argument reader (js/kinds/map.js): every call the guard did
// not take. It reads the options first (each value once: user code runs only then), then
// checks the arrays, then allocates, so a getter cannot free an array after its check and a
// failed call leaves nothing allocated. Errors name the op, the argument, what it got and
// what is accepted (docs/api.md, "Errors").
import { DTYPES } from '../dtypes.js';
import { declaredDtype, describe } from '../args.js';

/**
 * A call's plan: the kernel (null: the requantized table's lookup at `table`) and its param
 * values, the dtype (`d`: its DTYPES entry) and length; the operands' wasm addresses (px, py,
 * po; px -1: streamed), else the typed arrays to stream (x, y, out; `js`: all outside wasm
 * memory and disjoint).
 */
export const newPlan = (kernel, values, dt) => ({ kernel, values, dt, d: DTYPES[dt], n: 0, table: 0, px: -1, py: 0, po: 0, x: null, y: undefined, out: null, js: false });

export function makeParse(ctx, row, { sig, kernels, params, accepted, requant, requantizes, readParams, run, bias, call }) {
  const { name, dtypes, fixed } = row;
  const { dtypeOf, lengthOf, operand, trailing, isArray } = ctx.checks;
  const { isWasmArray, pointerOf } = ctx.heap;
  const two = sig.inputs.length === 2;
  const nInputs = sig.inputs.length;
  const after = sig.after;
  const afterWhat = [...sig.inputs, ...sig.positional.map((p) => p.name)].join(', ');
  const EMPTY = {};

  /** `options`: the guard's snapshot of the trailing options object, when it made one. */
  return function parse(args, options) {
    const S = ctx.state();
    if (S === null) throw ctx.notReady(name);
    // The options object may come right after the inputs or any positional param: params
    // before it are positional, the others may be given in it by name (docs/api.md, "Ops").
    let at = after;
    for (let j = nInputs; options === undefined && j < after; j++) {
      const a = args[j];
      if (a !== null && typeof a === 'object' && !isArray(a)) {
        at = j;
        break;
      }
    }
    let end = args.length;
    while (end > at + 1 && args[end - 1] === undefined) end--; // (trailing undefineds: not given)
    if (end > at + 1) {
      if (at < after) throw new TypeError(`${name}: the options object must be the last argument (got ${end - at - 1} more after it)`);
      // (op(x, out, { precision }) would otherwise run without its options)
      throw new TypeError(`${name}: too many arguments (${afterWhat}, then out or an options object { out?, … }; got ${describe(args[at + 1])} after them)`);
    }
    const last = options ?? args[at];
    if (options === undefined && !(last === undefined || last === null || isArray(last))) {
      const given = trailing(last, name, sig.optionKeys, at === after ? afterWhat : sig.inputs.concat(sig.positional.slice(0, at - nInputs).map((p) => p.name)).join(', '));
      options = {};
      for (const k in given) options[k] = given[k]; // every value read once, here
    }

    const x = args[0];
    const xWasm = isWasmArray(x);
    const dt = dtypeOf(x, xWasm, name, sig.inputs[0], accepted, options === undefined ? undefined : declaredDtype(options.dtype, name, accepted));
    const n = lengthOf(x, xWasm, name, sig.inputs[0]);
    const quantized = requantizes(dt, options ?? EMPTY);
    const y = two ? args[1] : undefined;
    const yWasm = two ? operand(y, dt, n, name, sig.inputs[1], sig.inputs[0], accepted) : true;
    const values = fixed ?? new Array(params.length);
    const pos = (k) => (nInputs + k < at ? args[nInputs + k] : undefined);
    // Requantized, the op's params are those of its real function: float64's rules.
    if (!fixed) readParams(values, quantized ? DTYPES.f64 : DTYPES[dt], pos(0), pos(1), pos(2), options, false, quantized);
    const q = quantized ? requant.read(options, dt, name) : null;
    let out = options !== undefined ? options.out ?? undefined : last ?? undefined;
    const outWasm = out === undefined ? xWasm : operand(out, dt, n, name, 'out', sig.inputs[0], accepted);
    const fused = bias !== null && options !== undefined ? bias.read(options, dt, n, sig.inputs[0], quantized) : null;

    // Everything is checked: the table, then the output (each may grow memory, detaching
    // operands that are views of it: re-made at their place).
    const at3 = [ctx.wasmAt(x), ctx.wasmAt(y), ctx.wasmAt(out)];
    const table = quantized ? requant.table(S, dt, values, q, name) : 0;
    if (fused !== null) bias.alloc(fused);
    const made = out === undefined;
    if (made) out = ctx.newArray(x, dt, n, name);
    if (fused?.dbias === true) {
      try {
        fused.dbias = ctx.newArray(x, dt, fused.C, name);
      } catch (e) {
        if (made && isWasmArray(out)) out.free();
        throw e;
      }
    }
    const p = newPlan(quantized ? null : kernels[dt], values, dt);
    p.n = n, p.table = table;
    // WasmArrays never partly overlap (separate allocations): the kernel on their addresses.
    if (xWasm && outWasm && yWasm) {
      p.px = pointerOf(x, name);
      p.py = two ? pointerOf(y, name) : 0;
      p.po = pointerOf(out, name);
    } else {
      p.x = xWasm ? x.view : ctx.again(x, at3[0], dt, n);
      if (two) p.y = yWasm ? y.view : ctx.again(y, at3[1], dt, n);
      p.out = outWasm ? out.view : ctx.again(out, at3[2], dt, n);
    }
    if (fused === null) return (run(p), out);
    bias.run(p, fused, call);
    return fused.dbias === undefined ? out : { dx: out, dbias: fused.dbias };
  };
}
