// The contenders of one table at one size, all derived from the row (js/ops.js) through the
// argument model (js/signature.js) and the kind's conventions (bench/kinds.mjs): relu-wasm on
// WasmArrays (→ out, in place, the raw kernel) and on JS arrays (→ out, new out), plain-JS loops
// over the row's js, the other libraries (bench/libraries.mjs) and the physical references.
import { DTYPES } from '../js/ops.js';
import { KINDS, callArgs, kernelParams, signature } from '../js/signature.js';
import { LOOPS, RAW, arity, arrays, bound, elementFn, fresh, summarize } from './kinds.mjs';
import { addLibraries } from './libraries.mjs';
import { makeInputs, reference } from './specs.mjs';

/** Contenders for table s at size n: { contenders, want, notes, cleanup }. */
export async function buildContenders(ctx, s, n, ortCache) {
  const { R, variant } = ctx;
  const { row, dt } = s;
  const V = variant === 'simd' ? 'SIMD' : 'scalar';
  const main = variant === 'simd'; // the process with every contender; the other: relu-wasm rows only
  const kind = arrays(row.kind);
  const input = makeInputs(s, n);
  const { named, values, C } = input;
  // Smooth ops: relu-wasm's own result is the reference (correctly rounded but for the inputs
  // the accuracy sweep counts); the others must come within their own test tolerance
  // (onnxruntime's: 1e-4 relative + 1e-5), plain double-precision JS within 1e-6.
  // (Several outputs come back as an object by output name; the first is the one verified.)
  const result = KINDS[row.kind].outputs.length > 1 ? (r) => r[kind.outputs[0]] : (r) => r;
  const ref = row.smooth ? { want: result(R[row.name](...callArgs(row, { ...values, ...named }))), selection: false } : reference(s, input);
  const A = DTYPES[dt].Array;
  const dname = DTYPES[dt].name;
  const op = R[row.name];
  const cs = [];
  const frees = [];
  const notes = [];
  const add = (c) => cs.push(c);
  const keep = (w) => (frees.push(w), w);
  const perChannelOut = (a) => Object.fromEntries(kind.perChannelOut.map((k) => [k, a(k)]));
  const layout = signature(row).layout ? { layout: 'nhwc' } : {};
  const publicCall = (arrs) => {
    const args = callArgs(row, { ...values, ...layout, ...arrs });
    return { fn: arity(op, args.length), args, output: result };
  };
  const main0 = kind.inputs[0];
  const outName = kind.outputs[0];

  // relu-wasm, WasmArray API: operands already in wasm memory.
  const heapIn = Object.fromEntries(Object.entries(named).map(([k, a]) => [k, keep(R.from(a))]));
  // Every output given (a second one of n elements too: else each call would make a new one).
  const outsOf = (make) => Object.fromEntries(kind.outputs.map((k) => [k, make()]));
  const heapOut = outName ? { ...outsOf(() => keep(R.alloc(n, dname))), ...perChannelOut(() => keep(R.alloc(C, dname))) } : {};
  add({ key: `wa-${V}`, cls: 'heap', name: `relu-wasm WasmArray (${V})`, ...publicCall({ ...heapIn, ...heapOut }) });
  if (main && outName) {
    const own = keep(R.from(named[main0]));
    add({ key: 'wa-inplace', cls: 'heap', name: `relu-wasm WasmArray in place (${V})`, ...publicCall({ ...heapIn, ...heapOut, [main0]: own, [outName]: own }) });
  }
  if (main) {
    // The raw kernel on heap pointers: the floor of the WasmArray API's cost.
    const kname = `${dt}_${row.name}`;
    const raw = RAW[row.kind];
    const p = Object.fromEntries(Object.entries(heapIn).map(([k, w]) => [k, w.byteOffset]));
    const areas = Object.entries(raw.scratch(C, dt, n)).map(([k, [len, type]]) => [k, keep(R.alloc(len, type))]);
    if (!areas.some(([k]) => k === raw.result)) areas.push([raw.result, keep(R.alloc(n, dname))]);
    for (const [k, w] of areas) (w.view.fill(0), (p[k] = w.byteOffset));
    const out = areas.find(([k]) => k === raw.result)[1];
    const args = raw.args(p, n, kernelParams(row, dt, values), C);
    add({ key: 'raw', cls: 'heap', name: `raw kernel fn.${kname} (${V})`, fn: bound(R._state().fn[kname], args), output: () => out, want: ref.counts });
  }

  // The fast tier, where the row has one (a choice param other than its default: precision
  // 'fast'), on WasmArrays and JS arrays: within 2 ulp of the reference (3 backward), so
  // checked to 1e-6 relative.
  const tier = row.params.find((p) => p.init && p.rule === 'choice');
  const fastValue = tier?.choices.find((c) => c !== tier.default);
  if (fastValue !== undefined) {
    const fastOut = keep(R.alloc(n, dname));
    const fast = { [tier.name]: fastValue };
    add({ key: `wa-${fastValue}`, cls: 'heap', tol: 1e-6, name: `relu-wasm WasmArray, ${tier.name} '${fastValue}' (${V})`, ...publicCall({ ...heapIn, ...heapOut, [outName]: fastOut, ...fast }) });
    if (main) add({ key: `js-${fastValue}`, cls: 'js', tol: 1e-6, name: `relu-wasm JS arrays → out, ${tier.name} '${fastValue}' (${V})`, ...publicCall({ ...named, ...outsOf(() => new A(n)), ...fast }) });
  }

  // relu-wasm, JS-array API: typed arrays in JS memory, streamed through wasm scratch.
  const jsOut = outName ? { ...outsOf(() => new A(n)), ...perChannelOut(() => new A(C)) } : {};
  add({ key: `js-${V}`, cls: 'js', name: `relu-wasm JS arrays${outName ? ' → out' : ''} (${V})`, ...publicCall({ ...named, ...jsOut }) });
  if (main && outName) add({ key: 'js-new', cls: 'js', name: `relu-wasm JS arrays, new out (${V})`, ...publicCall(named) });

  if (main) {
    // Plain JS: loops over the row's js for one element, written like user code.
    const ins = KINDS[row.kind].inputs.map((k) => named[k]); // the element function's order
    const plainTol = row.smooth ? 1e-6 : 0;
    if (row.js) {
      const f = elementFn(row, dt, values, KINDS[row.kind].inputs.length);
      const units = kernelParams(row, dt, values)[0];
      for (const l of LOOPS[row.kind](f, A, row, units)) {
        const args = l.form === 'inPlace' ? [ins[0].slice(), ...ins.slice(1)] : l.form === 'out' ? [...ins, new A(n)] : ins;
        add({ key: `plain:${l.name}`, cls: 'js', plain: true, tol: plainTol, name: l.name, fn: fresh(l.fn, { f, row, units, summarize }), args });
      }
    } else {
      notes.push('plain JS: no double-precision formula in the table (no erf in JS)');
    }
    // The row's other plain-JS formulations (row.bench.plain), element-wise ops only: a loop
    // into out each, on the elements' integer bits where the formulation says so.
    const bitsOf = { 4: Int32Array };
    for (const alt of row.kind === 'map' ? row.bench?.plain ?? [] : []) {
      // Bit formulations are on float representations (an integer dtype is its own bits).
      if (alt.bits && !DTYPES[dt].float) continue;
      const Bits = alt.bits ? bitsOf[DTYPES[dt].bytes] : A;
      if (Bits === undefined) continue;
      const g = elementFn({ ...row, js: alt.js }, dt, values, 1);
      const view = (a) => new Bits(a.buffer, a.byteOffset, a.length);
      const out = new A(n);
      add({ key: `plain:${alt.name}`, cls: 'js', plain: true, tol: plainTol, name: `JS loop (${alt.name}) → out`, fn: fresh(LOOPS.map(g, Bits)[0].fn, { f: g }), args: [view(ins[0]), view(out)], output: () => out });
    }
    const tol = row.smooth ? 1e-4 : DTYPES[dt].float && !ref.selection ? 1e-6 : 0;
    await addLibraries(ctx, s, n, ortCache, { named, values, C, add, frees, notes, tol, abs: row.smooth ? 1e-5 : 0 });
  }

  // Physical references over the same number of bytes (read + written) as the op: copying
  // m float32s reads 4m and writes 4m bytes. Kernels of the SIMD build on raw heap pointers.
  const m = Math.max(1, Math.round(s.bytes(n) / 8));
  const src = Float32Array.from({ length: m }, (_, i) => i);
  const S = ctx.refState;
  const [ps, pd1, pd2] = [S.fn.malloc(4 * m), S.fn.malloc(4 * m), S.fn.malloc(4 * m)];
  if (!ps || !pd1 || !pd2) throw new Error(`cannot allocate 3 × ${4 * m} bytes for the copy references`);
  frees.push({ free: () => [ps, pd1, pd2].forEach((q) => S.fn.free(q)) });
  new Float32Array(S.memory.buffer, ps, m).set(src);
  const heap = (q) => () => new Float32Array(S.memory.buffer, q, m);
  const copy = (k, a, b, len) => k(a, b, len);
  add({ key: 'ref-copy', cls: 'heap', ref: true, name: 'ref: wasm 128-bit copy loop (f32_copy)', fn: copy, args: [S.fn.f32_copy, ps, pd1, m], output: heap(pd1), want: src });
  add({ key: 'ref-memcpy', cls: 'heap', ref: true, name: 'ref: memory.copy (f32_memcpy)', fn: copy, args: [S.fn.f32_memcpy, ps, pd2, m], output: heap(pd2), want: src });
  add({ key: 'ref-set', cls: 'js', ref: true, name: 'ref: JS out.set(x)', fn: (o, x) => (o.set(x), o), args: [new Float32Array(m), src], want: src });

  for (const c of cs) c.tol ??= 0;
  return { contenders: cs, want: ref.want, notes, cleanup: () => frees.forEach((f) => f.free()) };
}
