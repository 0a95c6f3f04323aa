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
  return { op: Object.defineProperty(op, 'name', { value: name }), bind };
}
