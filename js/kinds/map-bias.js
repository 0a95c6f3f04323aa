// The bias fused into an element-wise op (js/kinds/map-parse.js calls it):
//   op(x, ...params, { bias, layout?, inner?, shape?, out? })          → act(x + bias[c])
//   opBackward(dy, x, ...params, { bias?, dbias?, layout?, ... })      → dx, or { dx, dbias }
// x + bias[c] is rounded to the dtype first (cpp/bias.h): what an unfused graph computes, bit
// for bit. Channels as prelu's (js/kinds/channel-layout.js). A block at a time, the sum goes
// to a scratch block that stays in cache and the op's own kernel reads it from there: one pass
// over memory, and no kernel per op. dbias[c] = Σ dx over channel c, summed in double and
// rounded once (as preluBackward's dslope: js/kinds/channel-sums.js).
import { DTYPES } from '../dtypes.js';
import { describe } from '../args.js';
import { streamOp } from '../stream.js';
import { typedBits } from '../typed.js';
import { checkLayout, readLayout } from './channel-layout.js';
import { roundSums } from './channel-sums.js';
import { trimParams } from './param-area.js';

const BLOCK_BYTES = 8192; // the scratch block: in L1 with the op's block of output
const align = (b) => (b + 15) & ~15;

/**
 * For `row` (map2: `backward`): read(options, dt, n, first, quantized) → the call's bias plan or
 * null (no bias option given); alloc(f) and run(p, f, call) once everything is checked.
 */
export function makeBias(ctx, row, backward) {
  const { name, dtypes } = row;
  const { lengthOf, operand, sameDtype, isArray } = ctx.checks;
  const { isWasmArray } = ctx.heap;
  const floats = dtypes.filter((d) => DTYPES[d].float);

  function read(options, dt, n, first, quantized) {
    const { bias, layout, inner, shape } = options;
    const dbias = backward ? options.dbias : undefined;
    if (bias === undefined && dbias === undefined) {
      if (layout !== undefined || inner !== undefined || shape !== undefined) {
        throw new TypeError(`${name}: layout, inner and shape say where bias's channels are; they need a bias${backward ? ' or dbias' : ''}`);
      }
      return null;
    }
    const d = DTYPES[dt];
    if (quantized || !d.float) {
      throw new TypeError(`${name}: bias applies to the float dtypes (${floats.map((k) => DTYPES[k].name).join(', ')}), not ${quantized ? `requantized ${d.name}` : d.name}`);
    }
    let C;
    if (bias !== undefined) {
      if (!isArray(bias)) throw new TypeError(`${name}: bias must be an array of C values (one per channel) of ${first}'s dtype ${d.name}, a typed array or a WasmArray (got ${describe(bias)})`);
      sameDtype(bias, isWasmArray(bias), dt, name, 'bias', first, dtypes);
      C = lengthOf(bias, isWasmArray(bias), name, 'bias');
      if (C === 0) throw new RangeError(`${name}: bias must have at least one value (one per channel), not 0`);
    }
    if (dbias !== undefined && dbias !== true) {
      if (!isArray(dbias)) throw new TypeError(`${name}: dbias must be true (return a new one) or an array of C values of ${d.name} to write (got ${describe(dbias)})`);
      if (C === undefined) {
        sameDtype(dbias, isWasmArray(dbias), dt, name, 'dbias', first, dtypes);
        C = lengthOf(dbias, isWasmArray(dbias), name, 'dbias');
        if (C === 0) throw new RangeError(`${name}: dbias must have at least one value (one per channel), not 0`);
      } else operand(dbias, dt, C, name, 'dbias', 'bias', dtypes);
    } else if (C === undefined) {
      throw new TypeError(`${name}: dbias: true needs the bias (or a dbias array) to say how many channels there are`);
    }
    const l = readLayout(layout === undefined && inner === undefined && shape === undefined ? undefined : { layout, inner, shape }, name);
    return { dt, C, inner: checkLayout(l, n, C, name), bias, dbias, at: ctx.wasmAt(bias), dbiasAt: dbias === true ? -1 : ctx.wasmAt(dbias), base: 0, end: 0 };
  }

  /** Reserves the bias's wasm area and places the bias there (the caller makes dbias when it is `true`). */
  function alloc(f) {
    const acc = f.dbias !== undefined ? f.C * 8 : 0;
    Object.assign(f, placeBias(ctx, f.dt, f.bias, f.at, f.C, BLOCK_BYTES + acc, name));
  }

  /** Runs plan p (js/kinds/map-parse.js) with the bias; call(p, p0, p1, po, m) runs its kernel on a block. */
  function run(p, f, call) {
    const S = ctx.state();
    const { dt, C, inner, base, end: pw } = f; // (the block right after the bias's values)
    const d = DTYPES[dt];
    const H = ctx.views();
    const pacc = pw + BLOCK_BYTES;
    const biased = f.bias !== undefined;
    const sums = f.dbias !== undefined;
    if (sums) H.f64.fill(0, pacc / 8, pacc / 8 + C);
    const add = S.fn[`${dt}_bias_add`], sum = S.fn[`${dt}_bias_sum`];
    const fused = S.fn[`${dt}_${name}_bias`]; // (js/ops.js fusedBias: the sum inside the op's own loop)
    const v = p.values;
    const B = BLOCK_BYTES / d.bytes;
    // Blocks of B: x + bias into the scratch block, the op's kernel from there (dbias without
    // a bias: on x itself), then the block's dx into the sums.
    const chunk = fused !== undefined ? (p0, p1, po, m, i) => fused(p0, base, po, m, C, inner, i, v[0], v[1], v[2]) : (p0, p1, po, m, i) => {
      for (let k = 0, len, o; k < m; k += B) {
        len = m - k < B ? m - k : B, o = k * d.bytes;
        if (biased) add((backward ? p1 : p0) + o, base, pw, len, C, inner, i + k);
        call(p, backward || !biased ? p0 + o : pw, biased ? pw : p1 + o, po + o, len);
        if (sums) sum(po + o, pacc, len, C, inner, i + k);
      }
    };
    if (p.px === -1) streamOp(S, dt, p.out, p.x, p.y, p.n, chunk);
    else chunk(p.px, p.py, p.po, p.n, 0);
    if (sums) roundSums(ctx, dt, pacc, C, isWasmArray(f.dbias) ? f.dbias.view : ctx.again(f.dbias, f.dbiasAt, dt, C));
    trimParams(S);
  }

  return { read, alloc, run };
}

// The channel kinds' bias (prelu, preluBackward: js/kinds/channel.js), a pass of its own before
// their kernel, and dbias's sums after it.

// The bias's wasm area, `extra` bytes more after `end`: its values (widened for the 16-bit
// formats: float32, with the raw bits after them). No bias: the room only.
function placeBias(ctx, dt, bias, at, C, extra, name) {
  const d = DTYPES[dt];
  const wide = align(C * (d.half ? 4 : d.bytes));
  const base = ctx.params(wide + (d.half ? align(C * 2) : 0) + extra, name, 'bias');
  if (bias !== undefined) {
    const b = ctx.heap.isWasmArray(bias) ? bias.view : ctx.again(bias, at, dt, C);
    const p = d.half ? base + wide : base;
    ctx.views()[dt].set(d.half ? typedBits(b) : b, p / d.bytes);
    if (d.half) ctx.state().fn[`${dt}_to_f32`](p, base, C);
  }
  return { base, end: base + wide + (d.half ? align(C * 2) : 0) };
}

/** out (a typed array in wasm memory) = x + bias[c] over n elements, rounded to the dtype. */
export function addBias(ctx, dt, x, bias, at, C, inner, n, out, name) {
  const S = ctx.state();
  const { base } = placeBias(ctx, dt, bias, at, C, 0, name);
  const add = S.fn[`${dt}_bias_add`];
  streamOp(S, dt, out, x, undefined, n, (p0, p1, po, m, i) => add(p0, base, po, m, C, inner, i));
}

/** d (C values) = Σ of dx (a typed array) over each channel, in double, rounded once. */
export function sumBias(ctx, dt, dx, C, inner, n, d, name) {
  const S = ctx.state();
  const { end } = placeBias(ctx, dt, undefined, -1, C, C * 8 + 8, name);
  const acc = (end + 7) & ~7;
  ctx.views().f64.fill(0, acc / 8, acc / 8 + C);
  const sum = S.fn[`${dt}_bias_sum`];
  streamOp(S, dt, null, dx, undefined, n, (p0, p1, po, m, i) => sum(p0, acc, m, C, inner, i));
  roundSums(ctx, dt, acc, C, d);
  trimParams(S);
}
