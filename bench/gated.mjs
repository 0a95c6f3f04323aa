// The gated ops (js/ops.js kind gated: out = f(gate)·up) against their activation alone and
// the unfused pair (the activation into out, then out *= up in a JS loop over the views: what
// a caller without the fused op writes), each tier, on WasmArrays, float32. Prints ns per
// element and the targets: the fused op within 1.15× the activation alone, and at
// least 1.4× faster than the unfused pair.
//   node bench/gated.mjs [--quick] [--sizes 4096,65536]
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';
import { OPS } from '../js/ops.js';
import { callArgs, exampleValues } from '../js/signature.js';
import { engineInfo, fmtNum, fmtSize, mdTable, measure } from './harness.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sizes = (args.includes('--sizes') ? args[args.indexOf('--sizes') + 1].split(',') : quick ? ['4096'] : ['4096', '65536', '1048576']).map(Number);
const options = quick ? { samples: 3, minSamples: 3, batchMs: 1, warmupRounds: 1, maxWarmupMs: 200 } : { samples: 9, batchMs: 4 };

const R = createApi(nodePlatform);
await R.init({ simd: true });
const results = [];
for (const row of OPS.filter((r) => r.kind === 'gated')) {
  const act = OPS.find((r) => r.name === row.gates.fn);
  const rename = row.gates.params ?? {};
  for (const precision of row.params.some((p) => p.name === 'precision') ? ['exact', 'fast'] : ['—']) {
    const values = { ...exampleValues(row, 'f32'), ...(precision === '—' ? {} : { precision }) };
    const actValues = Object.fromEntries(Object.entries(values).map(([k, v]) => [rename[k] ?? k, v]).filter(([k]) => act.params.some((p) => p.name === k)));
    for (const n of sizes) {
      const gate = R.from(Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 6));
      const up = R.from(Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.11)));
      const out = R.alloc(n);
      const fused = callArgs(row, { ...values, gate, up, out });
      const alone = callArgs(act, { ...actValues, x: gate, out });
      const want = R[row.name](...fused).toArray();
      const unfused = () => {
        R[act.name](...alone);
        const o = out.view, u = up.view;
        for (let i = 0; i < n; i++) o[i] *= u[i];
        return out;
      };
      const contenders = [
        { key: 'fused', name: `${row.name} (one call)`, fn: R[row.name], args: fused, output: (w) => w.toArray(), want },
        { key: 'alone', name: `${act.name} alone`, fn: R[act.name], args: alone, output: () => want, want },
        { key: 'unfused', name: `${act.name}, then out *= up`, fn: unfused, args: [], output: (w) => w.toArray(), want, tol: 2.5e-7 },
      ];
      const res = await measure(contenders, want, options);
      const ns = Object.fromEntries(contenders.map((c, i) => [c.key, res[i].error ? NaN : res[i].ns / n]));
      results.push({ op: row.name, act: act.name, precision, n, ns, errors: res.filter((r) => r.error).map((r) => `${r.name}: ${r.error}`) });
      [gate, up, out].forEach((w) => w.free());
    }
  }
}

const e = engineInfo();
console.log(`# Gated ops, float32 (${e.runtime}, V8 ${e.v8}, ${e.platform})\n`);
console.log('ns per element, median, WasmArrays (SIMD build); unfused: the activation into out, then a JS loop multiplying by up\n');
const fmt = (v) => (Number.isFinite(v) ? fmtNum(v, v < 1 ? 3 : 2) : '—');
console.log(mdTable(['op', 'precision', 'n', 'fused', 'activation alone', 'unfused', 'fused / alone', 'unfused / fused'],
  results.map((r) => [r.op, r.precision, fmtSize(r.n), fmt(r.ns.fused), fmt(r.ns.alone), fmt(r.ns.unfused), fmtNum(r.ns.fused / r.ns.alone), fmtNum(r.ns.unfused / r.ns.fused)])));
for (const r of results) for (const x of r.errors) console.log(`- ${r.op} ${r.precision} n = ${r.n}: ${x}`);
const count = (f) => `${results.filter(f).length} of ${results.length}`;
console.log('\n## Targets (n >= 4096)\n');
console.log(`- fused within 1.15x the activation alone: ${count((r) => r.ns.fused / r.ns.alone <= 1.15)} (op, precision, n)`);
console.log(`- fused at least 1.4x faster than the unfused pair: ${count((r) => r.ns.unfused / r.ns.fused >= 1.4)}`);
