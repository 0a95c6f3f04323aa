// Requantized int8 / uint8 (js/quant.js): the table lookup against the 128-bit copy loop over
// the same bytes (raw kernels, data in wasm memory), the public call with a cached table, and
// the cost of a call that builds its table, for every activation of the table.
//   node bench/quant.mjs [--scalar] [--sizes 4096,65536,1048576]
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { OPS } from '../js/ops.js';
import { callArgs, exampleValues } from '../js/signature.js';
import { median } from './harness.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--sizes');
const sizes = at >= 0 ? args[at + 1].split(',').map(Number) : [4096, 65536, 1 << 20];
const A = createApi(nodePlatform);
await A.init({ simd: !args.includes('--scalar') });
const { fn } = A._state();
const q = { scale: 0.05, zeroPoint: 0, outScale: 1 / 256, outZeroPoint: -128 };

// ns per call of f: median of 9 samples of a batch sized to ~5 ms.
function time(f) {
  let reps = 1;
  for (let t = 0; t < 5; reps *= 2) {
    const s = performance.now();
    for (let i = 0; i < reps; i++) f();
    t = performance.now() - s;
  }
  const ns = [];
  for (let k = 0; k < 9; k++) {
    const s = performance.now();
    for (let i = 0; i < reps; i++) f();
    ns.push(((performance.now() - s) / reps) * 1e6);
  }
  return median(ns);
}

console.log(`# requantized int8 (${A.variant} build)\n`);
console.log('| n | copy loop | table lookup (lut kernel) | lut / copy speed | public sigmoid, table cached |');
console.log('| --: | --: | --: | --: | --: |');
for (const n of sizes) {
  const x = A.alloc(n, 'int8'), y = A.alloc(n, 'int8');
  x.view.set(Int8Array.from({ length: n }, (_, i) => (i * 37) % 256));
  A.sigmoid(x, { ...q, out: y });
  const tp = A._state().paramPtr; // the table sigmoid just built
  const copy = time(() => fn.f32_copy(x.byteOffset, y.byteOffset, n / 4));
  const lut = time(() => fn.lut(x.byteOffset, y.byteOffset, n, tp));
  const api = time(() => A.sigmoid(x, { ...q, out: y }));
  console.log(`| ${n} | ${(copy / n).toFixed(3)} ns/B | ${(lut / n).toFixed(3)} ns/B | ${(copy / lut).toFixed(2)}× | ${(api / n).toFixed(3)} ns/element |`);
  x.free();
  y.free();
}

console.log('\nA call on 64 elements: building the table (new parameters every call) and reusing it\n');
console.log('| op | builds its table | table cached |');
console.log('| :-- | --: | --: |');
const x = A.alloc(64, 'int8'), y = A.alloc(64, 'int8');
for (const row of OPS.filter((r) => r.quantized)) {
  // As users write it: the op's params by position, then { scale, …, out }.
  const p = exampleValues(row, 'f64');
  let k = 0;
  const build = time(() => A[row.name](...callArgs(row, { ...p, ...q, scale: 0.01 + (k++ % 4093) * 1e-6, x, out: y })));
  const args = callArgs(row, { ...p, ...q, x, out: y });
  const cached = time(() => A[row.name](...args));
  console.log(`| ${row.name} | ${(build / 1000).toFixed(1)} µs | ${(cached / 1000).toFixed(2)} µs |`);
}
