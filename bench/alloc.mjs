// What allocating a new zeroed Float32Array costs, by size, the ways JS can: new Float32Array(n),
// over a new ArrayBuffer, a slice of an existing one, a copy: the fastest decides js/core.js's
// newTyped (the result of an op called without out).   node bench/alloc.mjs
const med = (a) => a.sort((p, q) => p - q)[a.length >> 1];
function time(f) { let reps = 1; for (let t = 0; t < 5; reps *= 2) { const s = performance.now(); for (let i = 0; i < reps; i++) f(); t = performance.now() - s; } const xs = []; for (let k = 0; k < 9; k++) { const s = performance.now(); for (let i = 0; i < reps; i++) f(); xs.push((performance.now() - s) / reps * 1e6); } return med(xs); }
for (const n of [16, 4096, 65536, 1 << 20]) {
  const x = new Float32Array(n).fill(1);
  let sink;
  console.log(n, 'new', time(() => (sink = new Float32Array(n))).toFixed(0), 'slice', time(() => (sink = x.slice())).toFixed(0), 'new(buf)', time(() => (sink = new Float32Array(new ArrayBuffer(n * 4)))).toFixed(0), 'from', n < 70000 ? time(() => (sink = new Float32Array(x))).toFixed(0) : '-');
}
