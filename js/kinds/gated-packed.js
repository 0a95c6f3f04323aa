// The gated ops' packed form: gate and up in one array x (the last axis of a
// [rows, 2h] tensor: its halves, or interleaved pairs), out = f(gate)·up of n/2 elements:
//   swiglu(x, ...params?, { packed: 'halves' | 'interleaved', gate?, width?, limit?, upBias?, out?, <param>... })
// The two-input form (gate, up) is js/kinds/map.js's; a call whose second argument is not an
// array is this one. It reads the options first (each value once), then checks the arrays,
// then allocates (freeing what it made if anything fails), then runs one kernel call
// (cpp/drivers.h packed) where x and out are, through temporary WasmArrays for JS memory.
import { DTYPES } from '../dtypes.js';
import { declaredDtype, describe, paramSpec, paramValue } from '../args.js';
import { typedBits, typedSet, typedTag } from '../typed.js';
import { makeReadParams } from './map-params.js';

/** The packed form's options (docs/api.md, "Gated activations"; the types: scripts/gen-types.mjs). */
export const PACKING = [
  { name: 'packed', rule: 'choice', choices: ['halves', 'interleaved'], doc: "where gate and up are: 'halves' (each row of width elements is [gate | up], or [up | gate] with gate: 'second'), 'interleaved' (pairs gate, up: x[2i], x[2i + 1])" },
  { name: 'gate', rule: 'choice', choices: ['first', 'second'], default: 'first', doc: "which of each pair / row's halves is the gate (PyTorch's F.glu(x, -1) is 'second')" },
  { name: 'width', rule: 'count', optional: true, doc: "'halves' only: the length of a row of x (even: h gate and h up elements); default: x's length, one row" },
  { name: 'limit', default: Infinity, doc: "GPT-OSS's clamp: gate ≤ limit and −limit ≤ up ≤ limit (a number > 0, rounded to the dtype; Infinity: none)" },
  { name: 'upBias', rule: 'finite', default: 0, doc: "added to up after the clamp (GPT-OSS's 1), the sum rounded to the dtype as an unfused graph has it" },
];
const spec = /*#__PURE__*/ Object.fromEntries(PACKING.map((p) => [p.name, paramSpec(p)]));

/**
 * A packed call's layout options (a plain copy): the kernels' layout code (2: interleaved,
 * +1: the gate second), limit, upBias, and width(n), the row length checked against x's n.
 */
export function readPacking(options, name) {
  const F64 = DTYPES.f64;
  if (options.packed === undefined) {
    throw new TypeError(`${name}: with one array, options.packed says where gate and up are in it ('halves' or 'interleaved'); for two arrays call ${name}(gate, up, …)`);
  }
  const interleaved = paramValue(spec.packed, options.packed, F64, name, false) === 1;
  const second = paramValue(spec.gate, options.gate, F64, name, false) === 1;
  let limit = Infinity;
  if (options.limit !== undefined) {
    limit = options.limit;
    if (typeof limit !== 'number') throw new TypeError(`${name}: limit must be a number (got ${describe(limit)})`);
    if (!(limit > 0)) throw new RangeError(`${name}: limit must be a number > 0 (Infinity: no clamp), got ${limit}`);
  }
  const upBias = paramValue(spec.upBias, options.upBias, F64, name, false);
  const width = (n) => {
    if (n % 2 !== 0) throw new RangeError(`${name}: x has length ${n}; packed, it holds gate and up, so its length must be even`);
    if (options.width === undefined) return n;
    if (interleaved) throw new TypeError(`${name}: width applies to packed: 'halves' only (interleaved pairs need none)`);
    const w = paramValue(spec.width, options.width, F64, name, false);
    if (w % 2 !== 0 || n % w !== 0) throw new RangeError(`${name}: width must be even and divide x's length ${n} (rows of [gate | up]), got ${w}`);
    return w;
  };
  return { layout: (interleaved ? 2 : 0) + (second ? 1 : 0), limit, upBias, width };
}

/**
 * The op the map kind made (`m`: its op, bind, params and values) with the packed form added:
 * a call whose second argument is not an array is this form's (kernels `${dt}_${name}${suffix}`).
 * (A wrapper, not a hook in the map kind: pages that call no gated op carry none of this.)
 */
export function withPacked(ctx, row, m, suffix) {
  const { name, dtypes } = row;
  const { dtypeOf, lengthOf, sameDtype, isArray, trailing } = ctx.checks;
  const { isWasmArray, pointerOf, WasmArray, allocKey } = ctx.heap;
  const kernels = {};
  const params = m.params; // (whose defaults init() sets: js/init-params.js)
  const two = m.op;
  const positional = row.params.filter((p) => !p.option);
  const readParams = makeReadParams(row, params, false);
  const keys = [...PACKING.map((p) => p.name), 'out', ...row.params.map((p) => p.name), ...(dtypes.some((d) => DTYPES[d].half) ? ['dtype'] : [])];
  // (16-bit formats as bits: a Float16Array and a Uint16Array of bits are the same data)
  const copy = (to, from) => (typedTag(to) === typedTag(from) ? typedSet(to, from) : typedSet(typedBits(to), typedBits(from)));

  function op(a0, a1) {
    if (a1 instanceof WasmArray || ArrayBuffer.isView(a1)) return two.apply(undefined, arguments);
    return packed(Array.prototype.slice.call(arguments));
  }

  function packed(args) {
    const S = ctx.state();
    if (S === null) throw ctx.notReady(name);
    while (args.length > 2 && args[args.length - 1] === undefined) args.pop(); // (trailing undefineds: not given)
    const last = args[args.length - 1];
    if (args.length < 2 || last === null || typeof last !== 'object' || isArray(last)) {
      throw new TypeError(`${name}: up is missing: call ${name}(gate, up, …) with two arrays, or ${name}(x, { packed: 'halves' | 'interleaved', … }) with both in x (got ${describe(args[1])} after gate)`);
    }
    const given = trailing(last, name, keys, 'x');
    const options = {};
    for (const k in given) options[k] = given[k]; // every value read once, here
    const { layout, limit, upBias, width: widthOf } = readPacking(options, name);
    if (args.length - 2 > positional.length) {
      throw new TypeError(`${name}: too many arguments before the options object (x, then at most ${positional.map((p) => p.name).join(', ') || 'nothing'})`);
    }
    const x = args[0];
    const xWasm = isWasmArray(x);
    const dt = dtypeOf(x, xWasm, name, 'x', dtypes, declaredDtype(options.dtype, name, dtypes));
    const values = new Array(params.length);
    readParams(values, DTYPES[dt], args.length > 2 ? args[1] : undefined, args.length > 3 ? args[2] : undefined, args.length > 4 ? args[3] : undefined, options, false, false);
    const n = lengthOf(x, xWasm, name, 'x');
    const width = widthOf(n);
    const m2 = n / 2;
    let out = options.out ?? undefined;
    const outWasm = out !== undefined && isWasmArray(out);
    if (out !== undefined) {
      sameDtype(out, outWasm, dt, name, 'out', 'x', dtypes);
      const len = lengthOf(out, outWasm, name, 'out');
      if (len !== m2) throw new RangeError(`${name}: out has length ${len}; packed, x of length ${n} gives ${m2} results`);
    }

    // Everything is checked: allocate (growth detaches views of wasm memory: re-made after).
    // x and out in wasm memory (WasmArrays, views of it) run where they are; a typed array in
    // JS memory, or an out that overlaps x, goes through a temporary WasmArray.
    const at = [xWasm ? pointerOf(x, name) : ctx.wasmAt(x), out === undefined ? -1 : outWasm ? pointerOf(out, name) : ctx.wasmAt(out)];
    const size = DTYPES[dt].bytes;
    const overlaps = at[0] >= 0 && at[1] >= 0 && at[1] < at[0] + n * size && at[0] < at[1] + m2 * size;
    const made = [];
    try {
      if (out === undefined) out = ctx.newArray(x, dt, m2, name);
      const temp = (len) => (made.push(allocKey(len, dt, name)), made[made.length - 1]);
      const tx = at[0] >= 0 ? null : temp(n);
      const to = isWasmArray(out) ? null : at[1] >= 0 && !overlaps ? null : temp(m2);
      if (tx !== null) copy(tx.view, ctx.again(x, at[0], dt, n));
      const px = tx !== null ? pointerOf(tx, name) : at[0];
      const po = to !== null ? pointerOf(to, name) : isWasmArray(out) ? pointerOf(out, name) : at[1];
      kernels[dt](px, po, m2, width, layout, limit, upBias, ...values);
      if (to !== null) copy(ctx.again(out, at[1], dt, m2), to.view);
    } finally {
      for (const a of made) a.free();
    }
    return out;
  }

  const bind = (fn) => {
    m.bind(fn);
    for (const dt of dtypes) kernels[dt] = fn[`${dt}_${name}${suffix}`];
  };
  return { op: Object.defineProperty(op, 'name', { value: name }), bind, params, values: m.values };
}
