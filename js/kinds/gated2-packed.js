// The gated backward passes' packed form (js/kinds/gated2.js hands it every call whose second
// argument is not an array):
//   swigluBackward(dy, x, ...params?, { packed, gate?, width?, limit?, upBias?, dx?, <param>..., dtype? }) → dx
// x holds gate and up as the forward pass's packed form has them (js/kinds/gated-packed.js); dx
// has x's layout, dgate and dup at gate's and up's places (the gradient of x, as PyTorch's
// autograd of F.glu(x, -1) or of a packed projection gives it), 0 where GPT-OSS's clamp held
// the input. A block at a time (cpp/drivers.h): unpack gate and up (clamped and biased as the
// forward pass reads them), the op's two-input kernel, pack into dx. x, dy and dx in wasm
// memory run where they are (dx may be x itself: each block reads its places before writing
// them); JS arrays go through temporary WasmArrays.
import { DTYPES } from '../dtypes.js';
import { declaredDtype } from '../args.js';
import { typedBits, typedSet, typedTag } from '../typed.js';
import { readPacking } from './gated-packed.js';
import { trimParams } from './param-area.js';

const BLOCK = 1024; // elements of each of the four blocks (gate, up, dgate, dup): in L1

export function makePackedBackward(ctx, row, { kernels, readParams, positional, keys }) {
  const { name, dtypes } = row;
  const { dtypeOf, lengthOf, operand, trailing } = ctx.checks;
  const { isWasmArray, pointerOf, allocKey } = ctx.heap;
  const copy = (to, from) => (typedTag(to) === typedTag(from) ? typedSet(to, from) : typedSet(typedBits(to), typedBits(from)));

  /** args: dy, x and the positional params; last: the options object. */
  return function packed(args, last) {
    const S = ctx.state();
    const given = trailing(last, name, keys, 'dy, x');
    const options = {};
    for (const k in given) options[k] = given[k]; // every value read once, here
    const { layout, limit, upBias, width: widthOf } = readPacking(options, name);
    const npos = args.length - 2;
    if (npos > positional.length) {
      throw new TypeError(`${name}: too many arguments before the options object (dy, x, then at most ${positional.map((p) => p.name).join(', ') || 'nothing'})`);
    }
    const [dy, x] = args;
    const dyWasm = isWasmArray(dy);
    const dt = dtypeOf(dy, dyWasm, name, 'dy', dtypes, declaredDtype(options.dtype, name, dtypes));
    const n = lengthOf(dy, dyWasm, name, 'dy');
    const xWasm = operand(x, dt, lengthOf(x, isWasmArray(x), name, 'x'), name, 'x', 'dy', dtypes);
    const n2 = lengthOf(x, xWasm, name, 'x');
    const width = widthOf(n2);
    if (n2 !== 2 * n) throw new RangeError(`${name}: dy has length ${n}; packed, x of length ${n2} holds ${n2 / 2} gates and ups, so dy needs ${n2 / 2}`);
    const vals = new Array(row.params.length);
    readParams(vals, DTYPES[dt], npos > 0 ? args[2] : undefined, npos > 1 ? args[3] : undefined, npos > 2 ? args[4] : undefined, options, false, false);
    let dx = options.dx ?? undefined;
    if (dx !== undefined) operand(dx, dt, n2, name, 'dx', 'x', dtypes);

    // Everything is checked: allocate (growth detaches views of wasm memory: re-made after).
    const size = DTYPES[dt].bytes;
    const at = [dy, x, dx].map((v) => (v === undefined ? -1 : isWasmArray(v) ? pointerOf(v, name) : ctx.wasmAt(v)));
    // dx may be x itself, not another view into dy or x.
    const apart = (a, la, b, lb) => a < 0 || b < 0 || a + la * size <= b || b + lb * size <= a;
    const dxOwn = at[2] >= 0 && (at[2] === at[1] || apart(at[2], n2, at[1], n2)) && apart(at[2], n2, at[0], n);
    const made = [];
    try {
      if (dx === undefined) dx = ctx.newArray(dy, dt, n2, name);
      const temp = (len) => (made.push(allocKey(len, dt, name)), made[made.length - 1]);
      const td = at[0] >= 0 ? null : temp(n), tx = at[1] >= 0 ? null : temp(n2);
      const to = isWasmArray(dx) || dxOwn ? null : temp(n2);
      if (td !== null) copy(td.view, ctx.again(dy, at[0], dt, n));
      if (tx !== null) copy(tx.view, ctx.again(x, at[1], dt, n2));
      const pdy = td !== null ? pointerOf(td, name) : at[0], px = tx !== null ? pointerOf(tx, name) : at[1];
      const pdx = to !== null ? pointerOf(to, name) : isWasmArray(dx) ? pointerOf(dx, name) : at[2];
      const base = ctx.params(4 * BLOCK * size, name, 'x');
      const [pg, pu, pdg, pdu] = [0, 1, 2, 3].map((k) => base + k * BLOCK * size);
      const unpack = S.fn[`${dt}_unpack`], pack = S.fn[`${dt}_pack`], k = kernels[dt];
      for (let i = 0, m; i < n; i += m) {
        m = n - i < BLOCK ? n - i : BLOCK;
        unpack(px, pg, pu, i, m, width, layout, limit, upBias);
        k(pdy + i * size, pg, pu, pdg, pdu, m, ...vals);
        pack(pdg, pdu, px, pdx, i, m, width, layout, limit);
      }
      trimParams(S);
      if (to !== null) copy(ctx.again(dx, at[2], dt, n2), to.view);
    } finally {
      for (const a of made) a.free();
    }
    return dx;
  };
}
