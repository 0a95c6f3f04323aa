// Cold start in Node: import → init() → the first correct result, each in a fresh process (the
// median of 9): what issue 12's 5 ms target measures, split into the parts that take the time.
//   node bench/coldstart.mjs
//   node bench/coldstart.mjs [FILE]   (default: the package's Node entry, package.json exports)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const entry = resolve(process.argv[2] ?? resolve(root, pkg.exports['.'].node));
const probe = `const t0 = performance.now();
const R = await import(${JSON.stringify(entry)});
const t1 = performance.now();
await R.init();
const t2 = performance.now();
const y = R.relu(new Float32Array([-1, 2]));
const t3 = performance.now();
if (y[0] !== 0 || y[1] !== 2) throw new Error('wrong result');
console.log(JSON.stringify([t1 - t0, t2 - t1, t3 - t2, t3 - t0]));`;
const runs = Array.from({ length: 9 }, () => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' })));
const med = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[4];
const [imp, init, first, total] = [0, 1, 2, 3].map(med);
console.log(`Cold start of ${entry.slice(root.length)} (Node ${process.versions.node}, median of 9 fresh processes): import ${imp.toFixed(1)} ms + init ${init.toFixed(1)} ms (compile and instantiate the SIMD wasm) + first call ${first.toFixed(2)} ms = ${total.toFixed(1)} ms; target 5 ms: ${total <= 5 ? 'met' : 'not met'}`);
