// Element-wise ops (kinds map and map2 of js/ops.js): op(x, ...params, out?) and
// op(dy, x, ...params, out?); the trailing argument may also be { out, <option> }.
import { DTYPES } from './ops.js';
import { checkParam } from './args.js';
import { streamOp } from './stream.js';

export function makeMapOp(ctx, row) {
  const { name, dtypes, fixed } = row;
  const { dtypeOf, lengthOf, operand, trailing } = ctx.checks;
  const { isWasmArray, pointerOf } = ctx.heap;
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
  const { WasmArray, dtypeKey, rawPointer } = ctx.heap;
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

  // The per-call cost that matters for small arrays: every operand a live WasmArray of the
  // right dtype and length, valid parameters. Anything else (or any doubt) takes op().
  function fast(a0, a1, a2, a3, a4) {
    let out = pick(lastAt, a1, a2, a3, a4);
    let optValue;
    if (!(out instanceof WasmArray)) {
      // { out, zeroPoint }: only known keys, else the checking path says which is wrong.
      if (option === undefined || out === undefined || out === null || out.constructor !== Object) return op(a0, a1, a2, a3, a4);
      for (const k in out) if (k !== 'out' && k !== option.name) return op(a0, a1, a2, a3, a4);
      optValue = out[option.name];
      out = out.out;
      if (!(out instanceof WasmArray)) return op(a0, a1, a2, a3, a4);
    }
    if (!(a0 instanceof WasmArray)) return op(a0, a1, a2, a3, a4);
    const dt = dtypeKey(a0);
    const n = a0.length;
    const px = rawPointer(a0);
    const po = rawPointer(out);
    if (accepts[dt] !== true || dtypeKey(out) !== dt || out.length !== n || px === -1 || po === -1) return op(a0, a1, a2, a3, a4);
    let pa = defaultA;
    let pb = defaultB;
    if (optValue !== undefined) {
      const d = DTYPES[dt];
      pa = d.float === true ? undefined : quickParam(option, optValue, d);
      if (pa === undefined) return op(a0, a1, a2, a3, a4);
    }
    if (nParams !== 0) {
      const d = DTYPES[dt];
      pa = quickParam(positional[0], two ? a2 : a1, d);
      if (nParams === 2) pb = quickParam(positional[1], two ? a3 : a2, d);
      if (pa === undefined || pb === undefined || (row.check !== undefined && !(pa <= pb))) return op(a0, a1, a2, a3, a4);
    }
    if (two) {
      if (!(a1 instanceof WasmArray) || dtypeKey(a1) !== dt || a1.length !== n || rawPointer(a1) === -1) return op(a0, a1, a2, a3, a4);
      kernels[dt](px, rawPointer(a1), po, n, pa, pb);
    } else {
      kernels[dt](px, po, n, pa, pb);
    }
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
    const [given, opts] = trailing(pick(at + positional.length, a1, a2, a3, a4), name, accepted, after);
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
    if (two) streamOp(S, dt, data(out), data(x), data(y), n, (p0, p1, po, m) => kernel(p0, p1, po, m, pa, pb));
    else streamOp(S, dt, data(out), data(x), undefined, n, (p0, p1, po, m) => kernel(p0, po, m, pa, pb));
    return out;
  }

  const bind = (fn) => {
    for (const dt of dtypes) kernels[dt] = fn[`${dt}_${name}`];
  };
  return { op: Object.defineProperty(fast, 'name', { value: name }), bind };
}
