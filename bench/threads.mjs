// init({ threads }) against one thread (Node, worker_threads): ns per element of each op on
// WasmArrays, float32, with 1 thread (the usual instance) and with the pool, each in a process
// of its own (one instance per process, as an app has), the processes alternating so that the
// machine's drift hits both alike. Prints the speed-up and the targets: compute-bound
// ops at least 1.8x with 2 threads from 2^18; memory-bound ones never slower than one thread
// (their threshold keeps them on the calling thread). The anchor: onnxruntime-web with
// numThreads set to the same count (1 in the one-thread process), session.run on the row's
// one-node model (bench.onnx), where the table gives one.
//   node bench/threads.mjs [--quick] [--threads 2] [--sizes 4096,65536,262144,1048576] [--ops gelu,silu]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { engineInfo, fmtNum, fmtSize, mdTable } from './harness.mjs';

const args = process.argv.slice(2);
const arg = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const quick = args.includes('--quick');

if (args.includes('--child')) {
  // One configuration: time every op at every size, print JSON.
  const { createApi } = await import('../js/core.js');
  const { nodePlatform } = await import('../js/node.js');
  const { OPS } = await import('../js/ops.js');
  const { callArgs, exampleValues, KINDS } = await import('../js/signature.js');
  const R = createApi(nodePlatform);
  const threads = Number(arg('--child', '1'));
  const lib = arg('--lib', 'relu'); // (relu-wasm, or onnxruntime-web: each in processes of its own, whose idle threads spin)
  await R.init(threads > 1 && lib === 'relu' ? { threads } : {});
  const out = [];
  const ort = await import('onnxruntime-web');
  const { oneNodeModel } = await import('../scripts/onnx-model.mjs');
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  for (const spec of arg('--ops').split(',')) {
    const [name, precision] = spec.split(':');
    const row = OPS.find((r) => r.name === name);
    for (const n of arg('--sizes').split(',').map(Number)) {
      const ins = Object.fromEntries(KINDS[row.kind].inputs.map((k, j) => [k, R.from(Float32Array.from({ length: n }, (_, i) => Math.sin(i * (0.37 + j)) * 4))]));
      const outs = Object.fromEntries(KINDS[row.kind].outputs.map((k) => [k, R.alloc(n)]));
      const a = callArgs(row, { ...exampleValues(row, 'f32'), ...(precision ? { precision } : {}), ...ins, ...outs });
      const f = R[name];
      const reps = Math.max(1, Math.round(2e6 / n / (row.smooth ? 8 : 1)));
      const time = () => {
        const t0 = performance.now();
        for (let r = 0; r < reps; r++) f(...a);
        return ((performance.now() - t0) * 1e6) / reps / n;
      };
      const ts = lib === 'relu' ? (Array.from({ length: 3 }, time), Array.from({ length: quick ? 3 : 9 }, time).sort((x, y) => x - y)) : [NaN];
      // onnxruntime-web at the same thread count, end to end through session.run (once per op
      // and n: at the exact tier's spec, or the op's only one)
      let ortNs;
      const onnx = row.bench?.onnx;
      if (lib === 'ort' && onnx && !onnx.inputs && precision !== 'fast' && KINDS[row.kind].inputs.length === 1) {
        const dims = ['n'];
        const model = oneNodeModel({ op: onnx.op, opset: onnx.opset ?? 17, inputs: [{ name: 'x', dtype: 'float32', dims }], outputs: [{ name: 'y', dtype: 'float32', dims }] });
        const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
        const xs = ins.x.toArray();
        const runOrt = async () => {
          const t0 = performance.now();
          for (let r = 0; r < reps; r++) await session.run({ x: new ort.Tensor('float32', xs, [n]) });
          return ((performance.now() - t0) * 1e6) / reps / n;
        };
        for (let w = 0; w < 3; w++) await runOrt();
        const os = [];
        for (let k = 0; k < (quick ? 3 : 9); k++) os.push(await runOrt());
        os.sort((x, y) => x - y);
        ortNs = os[os.length >> 1];
        await session.release();
      }
      out.push({ op: spec, n, ns: ts[ts.length >> 1], ortNs });
      [...Object.values(ins), ...Object.values(outs)].forEach((w) => w.free());
    }
  }
  R.terminate();
  console.log(JSON.stringify(out));
  process.exit(0);
}

const T = Number(arg('--threads', '2'));
const sizes = arg('--sizes', quick ? '65536,1048576' : '4096,65536,262144,1048576');
const ops = arg('--ops', 'gelu:exact,gelu:fast,silu:exact,silu:fast,sigmoid:exact,sigmoid:fast,swiglu:exact,swiglu:fast,geluBackward:exact,relu,clip');
const rounds = quick ? 1 : 3;
const self = fileURLToPath(import.meta.url);
const runs = { relu1: [], [`relu${T}`]: [], ort1: [], [`ort${T}`]: [] };
for (let r = 0; r < rounds; r++) {
  for (const lib of ['relu', 'ort']) {
    for (const t of r % 2 ? [T, 1] : [1, T]) {
      const p = spawnSync(process.execPath, [self, '--child', String(t), '--lib', lib, '--ops', ops, '--sizes', sizes, ...(quick ? ['--quick'] : [])], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(`bench/threads.mjs: the ${lib} ${t}-thread process failed:\n${p.stderr}`);
      runs[`${lib}${t}`].push(JSON.parse(p.stdout.trim().split('\n').pop()));
    }
  }
}
// Each configuration's median over the rounds.
const median = (config, op, n, key = 'ns') => {
  const v = runs[config].map((run) => run.find((x) => x.op === op && x.n === n)[key]).filter((x) => x !== undefined && x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
  return v.length ? v[v.length >> 1] : undefined;
};
const rows = [];
for (const op of ops.split(',')) {
  for (const n of sizes.split(',').map(Number)) {
    const one = median('relu1', op, n), many = median(`relu${T}`, op, n);
    rows.push({ op, n, one, many, x: one / many, ortOne: median('ort1', op, n, 'ortNs'), ortMany: median(`ort${T}`, op, n, 'ortNs') });
  }
}
const e = engineInfo();
console.log(`# Threads: ${T} against 1, float32 WasmArrays (${e.runtime}, V8 ${e.v8}, ${e.platform}, ${e.cpus ?? ''})\n`);
console.log(`ns per element, median of ${rounds} alternating process pairs; an op's precision after the colon\n`);
const fmt = (v) => fmtNum(v, v < 1 ? 3 : 2);
const or = (v) => (v === undefined ? '—' : fmt(v));
console.log(mdTable(['op', 'n', '1 thread', `${T} threads`, 'speed-up', 'ORT 1 thread', `ORT ${T} threads`, `ORT ${T} / ours ${T}`],
  rows.map((r) => [r.op, fmtSize(r.n), fmt(r.one), fmt(r.many), fmtNum(r.x), or(r.ortOne), or(r.ortMany), r.ortMany === undefined ? '—' : fmtNum(r.ortMany / r.many)])));
const compute = rows.filter((r) => !/^(relu|clip)/.test(r.op) && r.n >= 2 ** 18);
const memory = rows.filter((r) => /^(relu|clip)/.test(r.op));
console.log('\n## Targets\n');
console.log(`- compute-bound ops at n >= 2^18, at least 1.8x with ${T} threads: ${compute.filter((r) => r.x >= 1.8).length} of ${compute.length}`);
console.log(`- memory-bound ops never slower than one thread beyond noise (0.8x): ${memory.filter((r) => r.x >= 0.8).length} of ${memory.length}`);
const anchored = rows.filter((r) => r.ortMany !== undefined && r.n >= 4096);
console.log(`- faster than onnxruntime-web with numThreads ${T} at every n >= 4096: ${anchored.filter((r) => r.ortMany > r.many).length} of ${anchored.length}`);
