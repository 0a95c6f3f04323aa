// Element-wise ops (kinds map and map2 of js/ops.js): op(x, ...params, out?) and
// op(dy, x, ...params, out?); the trailing argument may also be { out, <option> }.
import { DTYPES } from './ops.js';
import { checkParam } from './args.js';
import { streamOp } from './stream.js';

export function makeMapOp(ctx, row) {
  const { name, dtypes, fixed } = row;
  const { dtypeOf, lengthOf, operand, trailing, isArray } = ctx.checks;
  const { isWasmArray, pointerOf, WasmArray, dtypeKey, rawPointer } = ctx.heap;
  const two = row.kind === 'map2';
  const inputs = two ? ['dy', 'x'] : ['x'];
  const positional = row.params.filter((p) => !p.option);
  const option = row.params.find((p) => p.option); // the table has at most one
  const accepted = option ? ['out', option.name] : ['out'];
  const after = [...inputs, ...positional.map((p) => p.name)].join(', ');
  const at = inputs.length; // index of the first positional parameter
  const kernels = {}; // dtype → wasm function, filled by bind()
  const pick = (i, a1, a2, a3, a4) => (i === 1 ? a1 : i === 2 ? a2 : i === 3 ? a3 : a4);
  const accepts = Object.fromEntries(dtypes.map((d) => [d, true]));
  const nParams = positional.length;
  const lastAt = at + nParams;
  const defaultA = fixed?.[0] ?? option?.default ?? 0;
  const defaultB = fixed?.[1] ?? 0;

  // A valid parameter value, or undefined to leave the call to the checking path.
  function quickParam(p, v, d) {
    if (v === undefined) return p.default;
    if (typeof v !== 'number') return undefined;
    if (d.float === true) return v === v ? v : undefined;
    return Number.isInteger(v) && v >= d.min && v <= d.max ? v : undefined;
  }

  // Parameters of a call into pp.a, pp.b; false (leave it to op()) if any is doubtful.
  const pp = { a: 0, b: 0 };
  function quickParams(dt, a1, a2, a3, optValue) {
    const d = DTYPES[dt];
    pp.a = defaultA;
    pp.b = defaultB;
    if (optValue !== undefined) {
      pp.a = d.float === true ? undefined : quickParam(option, optValue, d);
      if (pp.a === undefined) return false;
    }
    if (nParams !== 0) {
      pp.a = quickParam(positional[0], two ? a2 : a1, d);
      if (nParams === 2) pp.b = quickParam(positional[1], two ? a3 : a2, d);
      if (pp.a === undefined || pp.b === undefined || (row.check !== undefined && !(pp.a <= pp.b))) return false;
    }
    return true;
  }

  // The per-call cost that matters for small arrays: all operands live WasmArrays of the
  // right dtype and length, with valid parameters: one wasm call.
  function fast(a0, a1, a2, a3, a4) {
    const out = pick(lastAt, a1, a2, a3, a4);
    if (!(a0 instanceof WasmArray && out instanceof WasmArray)) return quick(a0, a1, a2, a3, a4, out);
    const dt = dtypeKey(a0);
    const n = a0.length;
    const px = rawPointer(a0);
    const po = rawPointer(out);
    if (accepts[dt] !== true || dtypeKey(out) !== dt || out.length !== n || px === -1 || po === -1) return op(a0, a1, a2, a3, a4);
    if (!quickParams(dt, a1, a2, a3, undefined)) return op(a0, a1, a2, a3, a4);
    if (two) {
      if (!(a1 instanceof WasmArray) || dtypeKey(a1) !== dt || a1.length !== n || rawPointer(a1) === -1) return op(a0, a1, a2, a3, a4);
      kernels[dt](px, rawPointer(a1), po, n, pp.a, pp.b);
    } else {
      kernels[dt](px, po, n, pp.a, pp.b);
    }
    return out;
  }

  // Next cheapest: an options object ({ out, zeroPoint }) and/or plain typed arrays of the
  // right dtype and length (streamed). Anything else, or any doubt, takes op(), which checks
  // everything and says what is wrong.
  function quick(a0, a1, a2, a3, a4, out) {
    let optValue;
    if (out !== undefined && out !== null && out.constructor === Object) {
      if (option === undefined) return op(a0, a1, a2, a3, a4);
      for (const k in out) if (k !== 'out' && k !== option.name) return op(a0, a1, a2, a3, a4);
      optValue = out[option.name];
      out = out.out;
    }
    const S = ctx.state();
    if (S === null || a0 === undefined || a0 === null) return op(a0, a1, a2, a3, a4);
    let dt;
    const wasm = a0 instanceof WasmArray;
    if (wasm) {
      dt = dtypeKey(a0);
      if (accepts[dt] !== true || !(out instanceof WasmArray) || dtypeKey(out) !== dt || rawPointer(a0) === -1 || rawPointer(out) === -1) return op(a0, a1, a2, a3, a4);
      if (two && (!(a1 instanceof WasmArray) || dtypeKey(a1) !== dt || rawPointer(a1) === -1)) return op(a0, a1, a2, a3, a4);
    } else {
      if (a0.length === 0) return op(a0, a1, a2, a3, a4); // maybe detached: op() tells
      const c = a0.constructor;
      for (let i = 0; i < dtypes.length; i++) {
        if (DTYPES[dtypes[i]].Array === c) {
          dt = dtypes[i];
          break;
        }
      }
      if (dt === undefined || (out !== undefined && (out === null || out.constructor !== c))) return op(a0, a1, a2, a3, a4);
      if (two && (a1 === undefined || a1 === null || a1.constructor !== c)) return op(a0, a1, a2, a3, a4);
    }
    const n = a0.length;
    if ((out !== undefined && out.length !== n) || (two && a1.length !== n)) return op(a0, a1, a2, a3, a4);
    if (!quickParams(dt, a1, a2, a3, optValue)) return op(a0, a1, a2, a3, a4);
    const kernel = kernels[dt];
    if (wasm) {
      if (two) kernel(rawPointer(a0), rawPointer(a1), rawPointer(out), n, pp.a, pp.b);
      else kernel(rawPointer(a0), rawPointer(out), n, pp.a, pp.b);
      return out;
    }
    if (out === undefined) out = new DTYPES[dt].Array(n);
    (cur.k = kernel), (cur.a = pp.a), (cur.b = pp.b);
    streamOp(S, dt, out, a0, two ? a1 : undefined, n, two ? call2 : call1);
    return out;
  }

  function op(a0, a1, a2, a3, a4) {
    const S = ctx.state();
    if (S === null) throw ctx.notReady(name);
    const x = a0;
    const dt = dtypeOf(x, name, inputs[0], dtypes);
    const n = lengthOf(x, name, inputs[0]);
    const y = two ? a1 : undefined;
    if (two) operand(y, dt, n, name, 'x', 'dy', dtypes);
    let pa = 0;
    let pb = 0;
    if (fixed !== undefined) (pa = fixed[0]), (pb = fixed[1]);
    for (let i = 0; i < positional.length; i++) {
      const v = checkParam(positional[i], pick(at + i, a1, a2, a3, a4), dt, name);
      if (i === 0) pa = v;
      else pb = v;
    }
    const last = trailing(pick(at + positional.length, a1, a2, a3, a4), name, accepted, after);
    const opts = last !== undefined && !isArray(last) ? last : undefined;
    const given = opts !== undefined ? opts.out ?? undefined : last;
    if (option !== undefined) {
      const v = opts?.[option.name];
      if (v !== undefined && option.ints && DTYPES[dt].float) {
        throw new TypeError(`${name}: ${option.name} applies to integer (quantized) dtypes only, not ${DTYPES[dt].name}`);
      }
      pa = checkParam(option, v, dt, name);
    }
    row.check?.(pa, pb, name);
    let out = given;
    if (out === undefined) out = ctx.newArray(x, dt, n, name);
    else operand(out, dt, n, name, 'out', inputs[0], dtypes);
    const kernel = kernels[dt];
    // WasmArrays never partly overlap (separate allocations): call the kernel directly.
    if (isWasmArray(x) && isWasmArray(out) && (!two || isWasmArray(y))) {
      if (two) kernel(pointerOf(x, name), pointerOf(y, name), pointerOf(out, name), n, pa, pb);
      else kernel(pointerOf(x, name), pointerOf(out, name), n, pa, pb);
      return out;
    }
    const { data } = ctx;
    // The chunk callbacks read the call's kernel and parameters from here: no closure per call
    // (streamOp never re-enters an op).
    (cur.k = kernel), (cur.a = pa), (cur.b = pb);
    streamOp(S, dt, data(out), data(x), two ? data(y) : undefined, n, two ? call2 : call1);
    return out;
  }

  const cur = { k: null, a: 0, b: 0 };
  const call1 = (p0, p1, po, m) => cur.k(p0, po, m, cur.a, cur.b);
  const call2 = (p0, p1, po, m) => cur.k(p0, p1, po, m, cur.a, cur.b);

  const bind = (fn) => {
    for (const dt of dtypes) kernels[dt] = fn[`${dt}_${name}`];
  };
  return { op: Object.defineProperty(fast, 'name', { value: name }), bind };
}
