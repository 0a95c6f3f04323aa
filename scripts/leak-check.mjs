// Leak check at scale: 10^6 mixed calls (every op, JS arrays and WasmArrays, failing calls
// included), then wasm heap use and memory size against the start.
//   node scripts/leak-check.mjs [calls]
// Exits 1 if the heap grew. tests/memory.test.mjs runs the same mix with a modest count.
import * as R from '../js/node.js';

const calls = Number(process.argv[2] ?? 1e6);
await R.init();
const n = 1000;
const x = new Float32Array(n).map((_, i) => (i % 7) - 3);
const dy = x.slice().reverse();
const slope = new Float32Array(8).fill(0.25);
const wx = R.from(x);
const wdy = R.from(dy);
const ws = R.from(slope);
const wout = R.alloc(n);
const q = new Int8Array(n).map((_, i) => (i % 11) - 5);
const free = (r) => {
  if (r instanceof R.WasmArray) r.free();
  else if (r?.dx) free(r.dx), free(r.dslope);
};
const mix = [
  () => R.relu(x),
  () => R.relu(wx, wout),
  () => free(R.relu(wx)),
  () => R.relu(q, { zeroPoint: 2 }),
  () => R.reluGrad(x),
  () => R.reluBackward(dy, x),
  () => R.reluBackward(wdy, wx, wout),
  () => R.leakyRelu(x, 0.1),
  () => R.leakyReluBackward(wdy, wx, 0.1, wout),
  () => R.relu6(x),
  () => R.clip(x, -1, 1),
  () => R.clipBackward(dy, x, -1, 1),
  () => R.prelu(x, slope),
  () => R.prelu(wx, ws, wout),
  () => free(R.preluBackward(wdy, wx, ws)),
  () => R.preluBackward(dy, x, slope, { layout: 'nchw', inner: 5 }),
  () => R.activity(x, 8),
  () => R.deadUnits(wx, 8),
  () => {
    try {
      R.clip(x, 2, 1);
    } catch {}
  },
  () => {
    try {
      R.prelu(wx, new Float32Array(3));
    } catch {}
  },
];
for (const f of mix) f(); // sizes the reusable parameter area
const heap0 = R.heapUsed();
const mem0 = R.memoryBytes();
const t = performance.now();
for (let i = 0; i < calls; i++) mix[i % mix.length]();
const secs = (performance.now() - t) / 1000;
const heap1 = R.heapUsed();
const mem1 = R.memoryBytes();
console.log(`${calls} calls in ${secs.toFixed(1)} s: wasm heap in use ${heap0} → ${heap1} bytes, wasm memory ${mem0} → ${mem1} bytes`);
for (const w of [wx, wdy, ws, wout]) w.free();
if (heap1 !== heap0) {
  console.error('leak: the wasm heap grew');
  process.exit(1);
}
