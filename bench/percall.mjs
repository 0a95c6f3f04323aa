// Per-call costs in a plain loop (one call site per line, unlike bench/run.mjs's shared,
// megamorphic one), derived from the table (js/ops.js): at n = 1, every op of kinds map, map2
// and channel through the public API on WasmArrays with out given (callArgs with the params'
// example values; a slope of length 1), and each row with an option param once more with an
// options object on an integer dtype, each after its raw wasm kernel call; then the JS-array
// path of the first map op, split into its parts (copy in, kernel, copy out), against out.set,
// at sizes within the scratch and past it (chunk by chunk).
//   node bench/percall.mjs
// The ops' shared code gets polymorphic as more ops run (as in an app using several), so a
// line is cheapest when it runs first: compare a public call with its raw call, not lines far apart.
import * as R from '../js/node.js';
import { DTYPES, OPS } from '../js/ops.js';
import { KINDS, callArgs, exampleValues, kernelParams } from '../js/signature.js';
import { rng } from '../scripts/rng.mjs';
import { RAW, arrays as kindArrays } from './kinds.mjs';

const api = await R.init();
const { fn, scratch, memory } = api._state();
const line = (name, f, N) => {
  for (let i = 0; i < N / 4; i++) f();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) f();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / N);
  }
  console.log(`${name.padEnd(52)} ${best < 1000 ? `${best.toFixed(1)} ns` : `${(best / 1000).toFixed(2)} µs`}`);
};

// k(...a) as a line of its own: a fresh function (its own source text, so its own call-site
// feedback, as a hand-written \`() => k(a0, a1)\` per line has) with the arguments bound.
const site = (k, a) => {
  const names = a.map((_, i) => `a${i}`).join(', ');
  return new Function('k', 'a', `const [${names}] = a; return () => k(${names});`)(k, a);
};

// An argument as it would be written: arrays by name, options as an object literal.
const show = (v, names) => (names.has(v) ? names.get(v) : typeof v === 'string' ? `'${v}'` : v && typeof v === 'object'
  ? `{ ${Object.entries(v).map(([k, w]) => (names.get(w) === k ? k : `${k}: ${show(w, names)}`)).join(', ')} }` : String(v));

/** The raw kernel call and the public call of `row` on dtype dt at n = 1 with `values`. */
function pair(row, dt, values, tag = '') {
  const arrays = {};
  const { perChannelIn } = kindArrays(row.kind);
  for (const k of [...KINDS[row.kind].inputs, ...KINDS[row.kind].outputs]) arrays[k] = R.from(new DTYPES[dt].Array([perChannelIn.includes(k) ? 0.25 : -1]));
  const kname = `${dt}_${row.name}`;
  const raw = RAW[row.kind];
  const areas = Object.fromEntries(Object.entries(raw.scratch(1, dt)).map(([k, [len, t]]) => [k, R.alloc(len, t)]));
  const all = { ...arrays, ...areas };
  const p = Object.fromEntries(Object.entries(all).map(([k, w]) => [k, w.byteOffset]));
  const kp = kernelParams(row, dt, values);
  const names = Object.fromEntries(Object.keys(all).map((k) => [k, k]));
  line(`raw fn.${kname}(${raw.args(names, 1, kp, 1).join(', ')})`, site(fn[kname], raw.args(p, 1, kp, 1)), 5e6);
  const args = callArgs(row, { ...values, ...arrays, ...(KINDS[row.kind].layout ? { layout: 'nhwc' } : {}) });
  const byArray = new Map(Object.entries(arrays).map(([k, w]) => [w, k]));
  line(`${row.name}(${tag}${args.map((a) => show(a, byArray)).join(', ')})`, site(R[row.name], args), 5e6);
  for (const w of Object.values(all)) w.free();
}

console.log('n = 1, best of 5 loops (WasmArrays, out given)');
const PER_CALL = ['map', 'map2', 'channel'];
for (const row of OPS.filter((r) => PER_CALL.includes(r.kind))) {
  const dt = row.dtypes.includes('f32') ? 'f32' : row.dtypes[0];
  pair(row, dt, exampleValues(row, dt), dt === 'f32' ? '' : `${DTYPES[dt].name} `);
}
for (const row of OPS.filter((r) => PER_CALL.includes(r.kind) && r.params.some((p) => p.option))) {
  const dt = ['i8', 'u8', 'i16', 'i32'].find((d) => row.dtypes.includes(d));
  if (dt) pair(row, dt, exampleValues(row, dt), `${DTYPES[dt].name} `);
}

// The JS-array path of the first map op of the table, on float32.
const first = OPS.find((r) => r.kind === 'map' && r.dtypes.includes('f32'));
const values = exampleValues(first, 'f32');
const kp = kernelParams(first, 'f32', values);
const r = rng(1);
for (const n of [1, 256, 4096]) {
  console.log(`\nJS Float32Arrays, n = ${n} (${first.name})`);
  const x = Float32Array.from({ length: n }, () => r() - 0.5);
  const out = new Float32Array(n);
  const H = new Float32Array(memory.buffer);
  const at = scratch / 4;
  const view = H.subarray(at, at + n);
  const N = Math.max(2e4, Math.round(2e8 / (n + 100)));
  line('out.set(x)', () => out.set(x), N);
  line('part: copy in (H.set(x))', () => H.set(x, at), N);
  line('part: kernel in place on the scratch', site(fn[`f32_${first.name}`], RAW.map.args({ x: scratch, out: scratch }, n, kp)), N);
  line('part: copy out (out.set(view))', () => out.set(view), N);
  line(`${first.name}(x, out)`, site(R[first.name], callArgs(first, { ...values, x, out })), N);
  line(`${first.name}(x) (a new array)`, site(R[first.name], callArgs(first, { ...values, x })), N);
}
// Past the scratch, the op streams chunk by chunk: its parts, each over every chunk.
const c = api._state().scratchBytes / 4;
for (const n of [2 ** 16, 2 ** 20]) {
  console.log(`\nJS Float32Arrays, n = ${n} (${first.name}; chunks of ${c})`);
  const x = Float32Array.from({ length: n }, () => r() - 0.5);
  const out = new Float32Array(n);
  const H = new Float32Array(memory.buffer);
  const at = scratch / 4;
  const view = H.subarray(at, at + c);
  const k = fn[`f32_${first.name}`];
  const args = RAW.map.args({ x: scratch, out: scratch }, c, kp);
  const N = Math.max(20, Math.round(2e7 / n));
  line('out.set(x)', () => out.set(x), N);
  line('parts: copy in and out, every chunk', () => {
    for (let i = 0; i < n; i += c) {
      H.set(x.subarray(i, i + c), at);
      out.set(view, i);
    }
  }, N);
  line('part: the kernel on the scratch, every chunk', () => {
    for (let i = 0; i < n; i += c) k(...args);
  }, N);
  line(`${first.name}(x, out)`, site(R[first.name], callArgs(first, { ...values, x, out })), N);
}
