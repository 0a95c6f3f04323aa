// Per-call costs in a plain loop (one call site per line, unlike bench/run.mjs's shared,
// megamorphic one): the public API on WasmArrays at n = 1 against a bare wasm call, and the
// JS-array path split into its parts (copy in, kernel, copy out) against out.set.
//   node bench/percall.mjs
import * as R from '../js/node.js';

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
  console.log(`${name.padEnd(44)} ${best < 1000 ? `${best.toFixed(1)} ns` : `${(best / 1000).toFixed(2)} µs`}`);
};

console.log('n = 1, best of 5 loops');
const w = R.alloc(1);
const o = R.alloc(1);
const s1 = R.from(new Float32Array([0.25]));
const q = R.alloc(1, 'int8');
const qo = R.alloc(1, 'int8');
const opts = { zeroPoint: 3, out: qo };
line('raw wasm call fn.f32_relu(p, q, 1)', () => fn.f32_relu(w.byteOffset, o.byteOffset, 1, 0, 0), 5e6);
line('relu(w, o)', () => R.relu(w, o), 5e6);
line('leakyRelu(w, 0.1, o)', () => R.leakyRelu(w, 0.1, o), 5e6);
line('clip(w, -1, 1, o)', () => R.clip(w, -1, 1, o), 5e6);
line('reluBackward(w, w, o)', () => R.reluBackward(w, w, o), 5e6);
line('prelu(w, slope, o)', () => R.prelu(w, s1, o), 5e6);
line('relu(int8 q, { zeroPoint, out })', () => R.relu(q, opts), 5e6);

for (const n of [1, 256, 4096]) {
  console.log(`\nJS Float32Arrays, n = ${n}`);
  const x = new Float32Array(n).map(() => Math.random() - 0.5);
  const out = new Float32Array(n);
  const H = new Float32Array(memory.buffer);
  const at = scratch / 4;
  const view = H.subarray(at, at + n);
  const N = Math.max(2e4, Math.round(2e8 / (n + 100)));
  line('out.set(x)', () => out.set(x), N);
  line('part: copy in (H.set(x))', () => H.set(x, at), N);
  line('part: kernel in place on the scratch', () => fn.f32_relu(scratch, scratch, n, 0, 0), N);
  line('part: copy out (out.set(view))', () => out.set(view), N);
  line('relu(x, out)', () => R.relu(x, out), N);
  line('relu(x) (a new array)', () => R.relu(x), N);
}
