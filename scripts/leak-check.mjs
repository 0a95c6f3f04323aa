// Leak check at scale: 10^6 mixed calls (every op of the table, JS arrays and WasmArrays,
// failing calls included), then wasm heap use and memory size against the start.
//   node scripts/leak-check.mjs [calls]
// Exits 1 if the heap grew. tests/memory.test.mjs runs the same mix (callMix) with a modest count.
import { DTYPES, OPS } from '../js/ops.js';
import { KINDS, callArgs, exampleArrays, exampleValues } from '../js/signature.js';

/**
 * Calls for every op of the table, each a function: on JS arrays (a new result, and into a
 * given out), on WasmArrays (into a given out, and a new result that is freed), with an
 * options object on an integer dtype where the op has options, and one call that must fail
 * (an output of the wrong length). `dispose()` frees the WasmArrays the mix holds.
 */
export function callMix(R, n = 1000) {
  const held = [];
  const ramp = (dt) => (k, len) => new DTYPES[dt].Array(len).map((_, i) => (k === 'slope' ? 0.25 : ((i * (k === 'dy' ? 5 : 1)) % 7) - 3));
  const wasm = (arrays) => Object.fromEntries(Object.entries(arrays).map(([k, a]) => [k, R.from(a)]));
  const free = (r) => {
    if (r instanceof R.WasmArray) r.free();
    else if (r !== null && typeof r === 'object' && !ArrayBuffer.isView(r)) Object.values(r).forEach(free);
  };
  const calls = [];
  for (const row of OPS) {
    const fn = R[row.name];
    const { outputs } = KINDS[row.kind];
    const dtypes = [row.dtypes[0], ...(row.params.some((p) => p.option) ? [row.dtypes.find((d) => !DTYPES[d].float)] : [])];
    for (const dt of dtypes.filter(Boolean)) {
      const values = exampleValues(row, dt);
      const arrays = exampleArrays(row, n, ramp(dt));
      const wasmArrays = wasm(arrays);
      held.push(...Object.values(wasmArrays));
      const outs = (make) => Object.fromEntries(outputs.map((k) => [k, make(k === 'dslope' ? arrays.slope.length : n)]));
      const jsOuts = outs((len) => new DTYPES[dt].Array(len));
      const wasmOuts = outs((len) => R.alloc(len, DTYPES[dt].name));
      held.push(...Object.values(wasmOuts));
      calls.push(
        () => fn(...callArgs(row, { ...values, ...arrays })),
        () => fn(...callArgs(row, { ...values, ...arrays, ...jsOuts })),
        () => fn(...callArgs(row, { ...values, ...wasmArrays, ...wasmOuts })),
        () => free(fn(...callArgs(row, { ...values, ...wasmArrays }))),
      );
    }
    const dt = row.dtypes[0];
    const values = exampleValues(row, dt);
    const arrays = exampleArrays(row, n, ramp(dt));
    const bad = outputs.length > 0 ? { [outputs[0]]: new DTYPES[dt].Array(n - 1) } : Object.fromEntries(row.params.map((p) => [p.name, n + 1]));
    calls.push(() => {
      try {
        fn(...callArgs(row, { ...values, ...arrays, ...bad }));
      } catch (e) {
        if (e instanceof RangeError) return;
        throw e;
      }
      throw new Error(`${row.name}: a call with a wrong-sized argument did not fail`);
    });
  }
  return { calls, dispose: () => held.forEach((w) => w.free()) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const R = await import('../js/node.js');
  const calls = Number(process.argv[2] ?? 1e6);
  await R.init();
  const mix = callMix(R);
  for (const f of mix.calls) f(); // sizes the reusable parameter area
  const heap0 = R.heapUsed();
  const mem0 = R.memoryBytes();
  const t = performance.now();
  for (let i = 0; i < calls; i++) mix.calls[i % mix.calls.length]();
  const secs = (performance.now() - t) / 1000;
  const heap1 = R.heapUsed();
  const mem1 = R.memoryBytes();
  console.log(`${calls} calls (a mix of ${mix.calls.length} over ${OPS.length} ops) in ${secs.toFixed(1)} s: wasm heap in use ${heap0} → ${heap1} bytes, wasm memory ${mem0} → ${mem1} bytes`);
  mix.dispose();
  if (heap1 !== heap0) {
    console.error('leak: the wasm heap grew');
    process.exit(1);
  }
}
