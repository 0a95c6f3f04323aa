// Element-wise ops (kinds map and map2 of js/ops.js): op(x, ...params, out?) and
// op(dy, x, ...params, out?); the trailing argument may also be { out, <option>... }.
import { DTYPES, QUANT } from './table.js';
import { QUANT_KEYS, makeRequant } from './quant.js';
import { declaredDtype, describe, paramSpec, paramValue } from './args.js';
import { signature } from './signature.js';
import { scratchView, streamOp } from './stream.js';
import { typedBuffer, typedLength, typedSet, typedSubarray, typedTag } from './typed.js';

// Calls a kernel with its params spread, without a spread call for the usual counts.
function invoker(two, count) {
  if (two) {
    if (count === 0) return (k, p0, p1, po, n) => k(p0, p1, po, n);
    if (count === 1) return (k, p0, p1, po, n, v) => k(p0, p1, po, n, v[0]);
    if (count === 2) return (k, p0, p1, po, n, v) => k(p0, p1, po, n, v[0], v[1]);
    if (count === 3) return (k, p0, p1, po, n, v) => k(p0, p1, po, n, v[0], v[1], v[2]);
    return (k, p0, p1, po, n, v) => k(p0, p1, po, n, ...v);
  }
  if (count === 0) return (k, p0, p1, po, n) => k(p0, po, n);
  if (count === 1) return (k, p0, p1, po, n, v) => k(p0, po, n, v[0]);
  if (count === 2) return (k, p0, p1, po, n, v) => k(p0, po, n, v[0], v[1]);
  if (count === 3) return (k, p0, p1, po, n, v) => k(p0, po, n, v[0], v[1], v[2]);
  return (k, p0, p1, po, n, v) => k(p0, po, n, ...v);
}

export function makeMapOp(ctx, row) {
  const { name, dtypes, fixed } = row;
  const params = row.params.map(paramSpec);
  const { dtypeOf, lengthOf, operand, trailing, isArray } = ctx.checks;
  const { isWasmArray, pointerOf, WasmArray, dtypeKey, rawPointer } = ctx.heap;
  const sig = signature(row);
  const two = sig.inputs.length === 2;
  const after = sig.after; // index of the output / options argument
  const afterWhat = [...sig.inputs, ...sig.positional.map((p) => p.name)].join(', ');
  const invoke = invoker(two, fixed ? fixed.length : params.length);
  const kernels = {}; // dtype → wasm function, filled by bind()
  // The dtype of a JS typed array by its tag, for jsCall: this op's dtypes but the 16-bit ones
  // (a Float16Array is copied as bits, by streamOp).
  const DTYPE_BY_TAG = Object.fromEntries(dtypes.filter((d) => !DTYPES[d].half).map((d) => [DTYPES[d].Array.name, d]));
  const requant = row.quantized ? makeRequant(ctx, row) : null;
  const accepted = row.quantized ? [...new Set([...dtypes, ...QUANT.dtypes])] : dtypes;
  // Param values in kernel order for the guard (reused: the guard runs no user code): option
  // params at their defaults (fixed ones at their constants), and a copy for calls that give
  // options. The streaming callback reads the kernel and values of the call under way from
  // `call`.
  const guardValues = new Float64Array(fixed ?? params.map((p) => p.default ?? 0));
  const optionValues = guardValues.slice();
  const call = { kernel: null, values: null };
  const chunk = (p0, p1, po, m) => invoke(call.kernel, p0, p1, po, m, call.values);
  const nInputs = sig.inputs.length;
  const optionNames = sig.options.map((p) => p.name);
  // The snapshot's keys: the option params, and for activations the quantization options.
  const snapNames = row.quantized ? [...new Set([...optionNames, ...QUANT_KEYS])] : optionNames;
  // The quantization options that are not also a param of the row (relu's zeroPoint is): an
  // error on data that is not requantized.
  const strayQuantKeys = row.quantized ? QUANT_KEYS.filter((k) => !params.some((p) => p.name === k)) : [];
  // Positional params (call order) and their index in kernel order. The guard takes calls
  // with up to three (every op so far): it reads them as plain arguments, since handing `args`
  // to a helper makes V8 allocate it (+6 ns a call at n = 1); more go through checked().
  const slots = fixed ? [] : params.flatMap((p, i) => (p.option ? [] : [i]));
  const [s0, s1, s2] = slots;
  const [p0, p1, p2] = slots.map((i) => params[i]);

  // A plain copy of an options object, each of its values read once (getters included), or
  // undefined if it has a key the op does not take (checked() then says which, having read
  // no value). The guard works on the copy and hands it on, so no option is read twice.
  function snapshot(options) {
    for (const key in options) if (key !== 'out' && !snapNames.includes(key)) return undefined;
    const copy = { out: options.out };
    for (let i = 0; i < snapNames.length; i++) copy[snapNames[i]] = options[snapNames[i]];
    return copy;
  }

  // Option params from a snapshot of the options into `values` (positional ones follow);
  // false on any doubt.
  // (Requantized, `quantized`: an integer-only param, the zero point, is the table's; the
  // others follow float64's rules.)
  function quietOptions(d, options, values, quantized = false) {
    for (let i = 0; !fixed && i < params.length; i++) {
      const p = params[i];
      if (!p.option) continue;
      if (quantized && p.ints) {
        values[i] = p.default;
        continue;
      }
      const given = options[p.name];
      if (p.ints && d.float === true && given !== undefined) return false;
      const v = paramValue(p, given, d, name, true);
      if (v === undefined) return false;
      values[i] = v;
    }
    return true;
  }

  // The call that matters for small arrays: live WasmArrays of one accepted dtype and length,
  // out given (alone, or in a plain options object: withOptions), valid params: one wasm
  // call. Anything else takes checked().
  function guarded(...args) {
    const x = args[0];
    const last = args[after];
    if (x instanceof WasmArray && args.length === after + 1) {
      if (last instanceof WasmArray) {
        if (wasmCall(x, two ? args[1] : x, last, args[nInputs], args[nInputs + 1], args[nInputs + 2], undefined, guardValues)) return last;
      } else if (last !== null && typeof last === 'object' && last.constructor === Object) {
        return withOptions(args, x, last);
      }
    } else if (args.length === after + 1 ? ArrayBuffer.isView(last) : args.length === after && ArrayBuffer.isView(x)) {
      const r = jsCall(x, two ? args[1] : x, last, args[nInputs], args[nInputs + 1], args[nInputs + 2]);
      if (r !== null) return r;
    }
    return checked(args, undefined);
  }

  // The other common call: JS typed arrays of one dtype (its own array type: not 16-bit bits,
  // not requantized), x → out (or a new array), outside wasm memory, out the same array as an
  // input or in another buffer (so chunks cannot overwrite unread input), valid params: copied
  // through the scratch in chunks, without checked()'s and streamOp's general handling (which
  // cost ~200 ns a call). The result, or null: then checked() takes the call.
  function jsCall(x, x2, out, first, second, third) {
    const S = ctx.state();
    if (S === null) return null;
    const tag = typedTag(x);
    const dt = DTYPE_BY_TAG[tag];
    const k = kernels[dt];
    const n = k === undefined ? 0 : typedLength(x);
    const H = ctx.views()[dt]; // (and S.buffer current: Memory's buffer getter costs ~30 ns)
    const mem = S.buffer;
    const bx = n === 0 ? mem : typedBuffer(x);
    if (bx === mem) return null;
    if (two && !(typedTag(x2) === tag && typedLength(x2) === n && typedBuffer(x2) !== mem)) return null;
    if (out !== undefined) {
      const bo = typedBuffer(out);
      if (typedTag(out) !== tag || typedLength(out) !== n || bo === mem || (bx === bo && x !== out) || (two && x2 !== out && typedBuffer(x2) === bo)) return null;
    }
    if (slots.length !== 0 && !(slots.length <= 3 && quietPositional(DTYPES[dt], first, second, third, guardValues))) return null;
    if (out === undefined) out = ctx.newArray(x, dt, n, name);
    const size = DTYPES[dt].bytes;
    const chunk = S.scratchBytes / size;
    const s0 = S.scratch / size, p1 = S.scratch + S.scratchBytes;
    for (let i = 0; i < n; i += chunk) {
      const m = n - i < chunk ? n - i : chunk;
      const whole = m === n;
      // H is ours (its own set); out is the user's (the built-in one). set copies bits: NaN payloads kept.
      H.set(whole ? x : typedSubarray(x, i, i + m), s0);
      if (two) H.set(whole ? x2 : typedSubarray(x2, i, i + m), s0 + chunk);
      invoke(k, S.scratch, p1, S.scratch, m, guardValues);
      typedSet(out, scratchView(S, dt, H, s0, m), i);
    }
    return out;
  }

  // The guard for op(..., { out, <option>... }): on a snapshot of the options, which checked()
  // gets too if the guard declines, so no option is read twice.
  function withOptions(args, x, given) {
    const options = snapshot(given);
    if (options !== undefined && options.out instanceof WasmArray) {
      if (requant !== null && requantizes(dtypeKey(x), options)) {
        if (quantCall(x, options.out, args[nInputs], args[nInputs + 1], args[nInputs + 2], options)) return options.out;
      } else if (wasmCall(x, two ? args[1] : x, options.out, args[nInputs], args[nInputs + 1], args[nInputs + 2], options, optionValues)) {
        return options.out;
      }
    }
    return checked(args, options);
  }

  // Whether a call on dtype dt with these options is requantized: int8 / uint8 that the op
  // does not take natively, or given a scale or an output zero point.
  const requantizes = (dt, options) => QUANT.dtypes.includes(dt) &&
    (!dtypes.includes(dt) || options.scale !== undefined || options.outScale !== undefined || options.outZeroPoint !== undefined);

  // The requantized call on live WasmArrays x and out with every parameter valid: the cached
  // table (js/quant.js) and one lut call; else false (checked() then reports or runs it).
  function quantCall(x, out, first, second, third, options) {
    const S = ctx.state();
    const dt = dtypeKey(x);
    const n = x.length;
    const px = rawPointer(x), po = rawPointer(out);
    if (S === null || dtypeKey(out) !== dt || out.length !== n || px === -1 || po === -1) return false;
    const f64 = DTYPES.f64;
    if (!quietOptions(f64, options, optionValues, true)) return false;
    if (slots.length !== 0 && !(slots.length <= 3 && quietPositional(f64, first, second, third, optionValues))) return false;
    const q = requant.read(options, dt, name, true);
    if (q === undefined) return false;
    S.fn.lut(px, po, n, requant.table(S, dt, fixed ?? optionValues, q, name));
    return true;
  }

  // The kernel call on live WasmArrays x (x2: the second input) and out, if they and the
  // params (the first three positional ones given directly: see slots) pass; else false.
  function wasmCall(x, x2, out, first, second, third, options, values) {
    const dt = dtypeKey(x);
    const k = kernels[dt];
    if (k === undefined || dtypeKey(out) !== dt) return false; // (look-alikes have no dtype)
    const n = x.length;
    const px = rawPointer(x);
    const po = rawPointer(out);
    if (out.length !== n || px === -1 || po === -1) return false;
    if (two && !(x2 instanceof WasmArray && dtypeKey(x2) === dt && x2.length === n && rawPointer(x2) !== -1)) return false;
    if (options !== undefined && !quietOptions(DTYPES[dt], options, values)) return false;
    if (slots.length !== 0 && !(slots.length <= 3 && quietPositional(DTYPES[dt], first, second, third, values))) return false;
    invoke(k, px, rawPointer(x2), po, n, values);
    return true;
  }

  // The positional params (the first three given directly) valid for dtype d into `values`.
  function quietPositional(d, first, second, third, values) {
    const v0 = paramValue(p0, first, d, name, true);
    if (v0 === undefined) return false;
    values[s0] = v0;
    if (slots.length === 1) return true;
    const v1 = paramValue(p1, second, d, name, true);
    if (v1 === undefined) return false;
    values[s1] = v1;
    if (slots.length === 2) return true;
    const v2 = paramValue(p2, third, d, name, true);
    if (v2 === undefined) return false;
    values[s2] = v2;
    return slots.length === 3;
  }

  // Resolves and checks every argument, reading each once (`options`: the guard's snapshot of
  // the trailing options object, when it made one), then runs the kernel directly (all in
  // wasm memory) or streams.
  function checked(args, options) {
    const S = ctx.state();
    if (S === null) throw ctx.notReady(name);
    const x = args[0];
    const xWasm = isWasmArray(x);
    // The options object may come right after the inputs or any positional param: params
    // before it are positional, the others may be given in it by name (README, "Ops").
    let at = after;
    for (let j = nInputs; options === undefined && j < after; j++) {
      const a = args[j];
      if (a !== null && typeof a === 'object' && !isArray(a)) {
        at = j;
        break;
      }
    }
    if (at < after && args.length > at + 1) {
      throw new TypeError(`${name}: the options object must be the last argument (got ${args.length - at - 1} more after it)`);
    }
    const last = options ?? args[at];
    if (options === undefined && !(last === undefined || last === null || isArray(last))) options = trailing(last, name, sig.optionKeys, at === after ? afterWhat : sig.inputs.concat(sig.positional.slice(0, at - nInputs).map((p) => p.name)).join(', '));
    // Activations also take int8 / uint8 requantized (js/quant.js): every option read once.
    if (requant !== null && options !== undefined) {
      const copy = {};
      for (const k in options) copy[k] = options[k];
      options = copy;
    }
    const dt = dtypeOf(x, xWasm, name, sig.inputs[0], accepted, options === undefined ? undefined : declaredDtype(options.dtype, name, accepted));
    const n = lengthOf(x, xWasm, name, sig.inputs[0]);
    const quantized = requant !== null && requantizes(dt, options ?? {});
    // Requantized, the op's params are those of its real function: float64's rules.
    const d = quantized ? DTYPES.f64 : DTYPES[dt];
    const y = two ? args[1] : undefined;
    const yWasm = two ? operand(y, dt, n, name, sig.inputs[1], sig.inputs[0], accepted) : true;
    const given = options !== undefined ? options.out ?? undefined : last ?? undefined;
    const values = fixed ? fixed : new Array(params.length);
    for (let i = 0, j = nInputs; !fixed && i < params.length; i++) {
      const p = params[i];
      const positional = !p.option && j < at;
      const byName = options === undefined ? undefined : options[p.name];
      if (positional) {
        const v = args[j++];
        if (byName !== undefined) throw new TypeError(`${name}: ${p.name} is given twice, by position (${describe(v)}) and in the options object (${describe(byName)})`);
        values[i] = paramValue(p, v, d, name, false);
        continue;
      }
      if (!p.option) j++;
      if ((byName === undefined && p.default !== undefined) || (quantized && p.ints)) {
        values[i] = p.default; // (requantized: an integer-only param, the zero point, is the table's)
        continue;
      }
      if (p.ints && d.float && byName !== undefined) throw new TypeError(`${name}: ${p.name} applies to integer (quantized) dtypes only, not ${d.name}`);
      values[i] = paramValue(p, byName, d, name, false);
    }
    const q = quantized ? requant.read(options, dt, name) : null;
    if (!quantized && options !== undefined) {
      for (const k of strayQuantKeys) if (options[k] !== undefined) throw new TypeError(`${name}: ${k} applies to requantized int8 / uint8 data only, not ${DTYPES[dt].name}`);
    }
    let out = given;
    const outWasm = out === undefined ? xWasm : operand(out, dt, n, name, 'out', sig.inputs[0], accepted);
    let y2 = y;
    if (out === undefined) {
      // A new WasmArray may grow memory, detaching a second input that is a view of it.
      const at = two && xWasm && !yWasm ? ctx.wasmAt(y) : -1;
      out = ctx.newArray(x, dt, n, name);
      y2 = ctx.again(y, at, dt, n);
    }
    if (quantized) {
      const tp = requant.table(S, dt, values, q, name);
      if (xWasm && outWasm) S.fn.lut(pointerOf(x, name), pointerOf(out, name), n, tp);
      else streamOp(S, dt, outWasm ? out.view : out, xWasm ? x.view : x, undefined, n, (p0, p1, po, m) => S.fn.lut(p0, po, m, tp));
      return out;
    }
    const kernel = kernels[dt];
    // WasmArrays never partly overlap (separate allocations): call the kernel directly.
    if (xWasm && outWasm && yWasm) {
      invoke(kernel, pointerOf(x, name), two ? pointerOf(y, name) : 0, pointerOf(out, name), n, values);
      return out;
    }
    call.kernel = kernel;
    call.values = values;
    streamOp(S, dt, outWasm ? out.view : out, xWasm ? x.view : x, two ? (yWasm ? y.view : y2) : undefined, n, chunk);
    return out;
  }

  const bind = (fn) => {
    for (const dt of dtypes) kernels[dt] = fn[`${dt}_${name}`];
  };
  return { op: Object.defineProperty(guarded, 'name', { value: name }), bind };
}
