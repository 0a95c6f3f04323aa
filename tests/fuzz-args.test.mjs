// Fuzzes the argument checking of every op of the table, in both builds: random argument
// lists built from the op's signature (js/signature.js) out of valid, wrong and hostile values
// (other dtypes and lengths, freed WasmArrays, detached and out-of-bounds views, views lying
// about their length, look-alike objects, options with getters and unknown keys, bad numbers).
// Every call must either give exactly what the same call gives on clean copies of its
// arguments, or throw a TypeError / RangeError whose message names the op; after it the heap
// is where it was and a guard WasmArray is untouched. New rows are fuzzed with no edit here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { DTYPES, OPS } from '../js/ops.js';
import { KINDS, exampleValues, signature } from '../js/signature.js';
import { rng } from '../scripts/rng.mjs';

const CALLS_PER_OP = 250;
// What each options object's getters answer first (the clean call's values), by object.
const firstReads = new WeakMap();
const TypedArrayProto = Object.getPrototypeOf(Int8Array.prototype);
const isTyped = (v) => Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get.call(v) !== undefined;

for (const simd of [true, false]) {
  const variant = simd ? 'simd' : 'scalar';
  const R = createApi(nodePlatform);
  await R.init({ simd });

  // A random value for an argument slot of `row` on dtype dt and length n; `kind` says what the
  // slot expects ('array', 'slope', 'param', 'layout', 'trailing').
  function value(r, kind, row, dt, n, C, held) {
    const pick = (xs) => xs[Math.floor(r() * xs.length)];
    const A = DTYPES[dt].Array;
    const odt = pick(Object.keys(DTYPES));
    const other = DTYPES[odt].Array;
    const len = kind === 'slope' ? C : n;
    const filled = (Ctor, m) => new Ctor(m).map((_, i) => ((i * 7) % 11) - 5);
    // (A Uint16Array of 16-bit float bits needs its dtype named.)
    const wasm = (Ctor, m) => {
      const w = R.from(filled(Ctor, m), Ctor === A ? DTYPES[dt].name : Ctor === other ? DTYPES[odt].name : undefined);
      held.push(w);
      return w;
    };
    const menu = {
      good: () => filled(A, len),
      goodWasm: () => wasm(A, len),
      otherDtype: () => filled(other, len),
      otherLength: () => filled(A, Math.max(0, len + pick([-1, 1, 3]))),
      freed: () => {
        const w = R.from(filled(A, len), DTYPES[dt].name);
        w.free();
        return w;
      },
      detached: () => {
        const a = filled(A, len);
        structuredClone(a.buffer, { transfer: [a.buffer] });
        return a;
      },
      outOfBounds: () => {
        const rab = new ArrayBuffer((len + 2) * A.BYTES_PER_ELEMENT, { maxByteLength: 4096 * 8 });
        const a = new A(rab, A.BYTES_PER_ELEMENT, len);
        rab.resize(0);
        return a;
      },
      lyingLength: () => {
        const a = filled(A, Math.max(1, len >> 1));
        Object.defineProperty(a, 'length', { value: len });
        return a;
      },
      lookAlike: () => pick([Object.create(A.prototype), { constructor: A, length: len }, Array.from(filled(A, len)), Object.create(R.WasmArray.prototype)]),
      number: () => pick([0, 1, -1, 0.5, NaN, Infinity, -Infinity, 2 ** 33, -0, 127, 255, -129]),
      other: () => pick([undefined, null, 'x', true, () => 1, Symbol('s')]),
      options: () => {
        const o = {};
        const first = {};
        firstReads.set(o, first);
        for (const k of [...signature(row).optionKeys, 'bogus']) {
          if (r() < 0.4) continue;
          // (A choice param, as gelu's approximate or the smooth family's precision: its strings, mostly.)
          const choices = row.params.find((p) => p.name === k)?.choices;
          const v = k === 'out' || k === 'dx' || k === 'dslope' ? menu[pick(['good', 'goodWasm', 'otherLength'])]()
            : k === 'dtype' ? pick([DTYPES[dt].name, DTYPES[dt].name, DTYPES[odt].name, 'float8', 16])
            : choices ? pick([...choices, ...choices, 'bogus', 1]) : menu.number();
          const later = menu.number();
          let reads = 0;
          first[k] = v;
          // A getter that answers differently after its first read: an op that reads an
          // option twice (or after checking it) gives a different answer than the clean call.
          if (r() < 0.15) Object.defineProperty(o, k, { enumerable: true, get: () => (reads++ === 0 ? v : later) });
          else if (r() < 0.15) Object.defineProperty(o, k, { enumerable: true, get: () => v });
          else o[k] = v;
        }
        return o;
      },
      layout: () => pick([undefined, 'nhwc', 'nchw', { layout: 'nchw', inner: pick([1, 2, 3, 0, -1, 1.5]) }, { layout: 'nhwc' }, { layout: 'nchw', shape: [1, C, n / C] }, 'chw', 5]),
    };
    const likely = {
      array: ['good', 'good', 'goodWasm', 'goodWasm', 'otherDtype', 'otherLength', 'freed', 'detached', 'outOfBounds', 'lyingLength', 'lookAlike', 'other'],
      slope: ['good', 'goodWasm', 'otherLength', 'lyingLength', 'lookAlike', 'number'],
      param: ['number', 'number', 'number', 'other', 'options'],
      layout: ['layout', 'layout', 'other'],
      trailing: ['good', 'goodWasm', 'otherLength', 'otherDtype', 'options', 'options', 'other', 'lyingLength', 'freed'],
    };
    return menu[pick(likely[kind])]();
  }

  // The same argument list with every array copied to a clean one (real contents, no own
  // properties) and every options object read once into a plain object.
  function clean(args) {
    const fresh = [];
    const copy = (v) => {
      if (v instanceof R.WasmArray) return v; // ours: nothing to lie with
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype) {
        const first = firstReads.get(v) ?? v;
        return Object.fromEntries(Object.keys(v).map((k) => [k, copy(first[k])]));
      }
      if (typeof v === 'object' && v !== null && isTyped(v)) {
        const c = TypedArrayProto.slice.call(v);
        fresh.push([v, c]);
        return c;
      }
      return v;
    };
    return { args: args.map(copy), fresh };
  }

  const results = (r) => (r === undefined || r === null ? [] : ArrayBuffer.isView(r) || r instanceof R.WasmArray ? [r] : Object.values(r));
  const view = (v) => (v instanceof R.WasmArray ? v.toArray() : v);
  const bits = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

  for (const row of OPS) {
    test(`${variant}: ${row.name}: ${CALLS_PER_OP} random argument lists give the clean answer or a TypeError/RangeError naming the op; heap intact`, () => {
      const sig = signature(row);
      const counts = { ok: 0, TypeError: 0, RangeError: 0 };
      const start = R.heapUsed();
      const startParams = R._state().paramBytes;
      for (let seed = 1; seed <= CALLS_PER_OP; seed++) {
        const r = rng(seed * 104729 + row.name.length);
        const dt = row.dtypes[Math.floor(r() * row.dtypes.length)];
        const C = [1, 2, 4][Math.floor(r() * 3)];
        const n = C * [0, 1, 3, 8][Math.floor(r() * 4)];
        const heap0 = R.heapUsed();
        const params0 = R._state().paramBytes;
        const held = [];
        const args = sig.inputs.map((k) => value(r, k === 'slope' ? 'slope' : 'array', row, dt, n, C, held));
        const examples = exampleValues(row, dt);
        for (const p of sig.positional) args.push(r() < 0.6 ? (p.rule === 'count' ? C : examples[p.name]) : value(r, 'param', row, dt, n, C, held));
        if (sig.layout && r() < 0.7) args.push(value(r, 'layout', row, dt, n, C, held));
        if (r() < 0.7) args.push(value(r, 'trailing', row, dt, n, C, held));
        while (r() < 0.1) args.push(value(r, 'trailing', row, dt, n, C, held));

        const guard = R.from(new Float32Array(16).fill(7));
        const what = `${variant} ${row.name} seed ${seed} (${dt}, n = ${n})`;
        let got;
        let error;
        try {
          got = R[row.name](...args);
        } catch (e) {
          error = e;
        }
        if (error !== undefined) {
          assert.ok(error instanceof TypeError || error instanceof RangeError, `${what}: threw ${error?.constructor?.name}: ${error?.message}`);
          assert.ok(error.message.startsWith(`${row.name}: `), `${what}: the message does not name the op: ${error.message}`);
          assert.ok(error.message.length > row.name.length + 12, `${what}: says too little: ${error.message}`);
          // It names the argument it is about (docs/api.md, "Errors").
          const names = [...sig.inputs, ...sig.optionKeys, ...row.params.map((p) => p.name), ...sig.outputs, 'layout', 'option', 'argument'];
          assert.ok(names.some((k) => error.message.slice(row.name.length + 2).includes(k)), `${what}: names no argument: ${error.message}`);
          counts[error.constructor.name]++;
        } else {
          // The clean call must succeed and agree bit for bit (the outputs it wrote included).
          const c = clean(args);
          const want = R[row.name](...c.args);
          const g = results(got).map(view);
          const w = results(want).map(view);
          assert.equal(g.length, w.length, `${what}: result shape`);
          g.forEach((a, i) => assert.deepEqual(bits(a), bits(w[i]), `${what}: result ${i} differs from the clean call's`));
          for (const x of results(want)) if (x instanceof R.WasmArray && !results(got).includes(x)) x.free();
          for (const x of results(got)) if (x instanceof R.WasmArray && !held.includes(x)) x.free();
          counts.ok++;
        }
        for (const w of held) if (!w.freed) w.free();
        assert.ok(guard.view.every((v) => v === 7), `${what}: wrote over a neighbouring WasmArray`);
        guard.free();
        // The op's reusable parameter area may grow (to the largest size seen); nothing else
        // may stay. emmalloc's count of bytes in use moves by a few header bytes when a freed
        // block is reused at another size, so each call is held to 8 bytes and the whole run
        // to its start (below).
        if (R._state().paramBytes === params0) assert.ok(Math.abs(R.heapUsed() - heap0) <= 8, `${what}: heap in use changed by ${R.heapUsed() - heap0} bytes`);
      }
      const grown = R._state().paramBytes - startParams;
      assert.ok(R.heapUsed() - start <= grown + 64, `${row.name}: after ${CALLS_PER_OP} calls the heap grew by ${R.heapUsed() - start} bytes (parameter area: ${grown})`);
      // Every outcome class happens, so the fuzzer is not just exercising one path.
      assert.ok(counts.ok > 0 && counts.TypeError > 0, `${row.name}: outcomes ${JSON.stringify(counts)}`);
    });
  }
}
