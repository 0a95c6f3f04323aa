// The accuracy sweep of the smooth family: every float32 input (2^32 bit patterns) through
// both wasm builds, which must agree bit for bit, checked against an independent reference
// (scripts/verify-ref.c: glibc double, then long double, then MPFR where a result is close to
// a rounding boundary). Two tiers, by the ops' precision: 'exact' (bench/results/accuracy.md
// and .json) and 'fast' (bench/results/accuracy-fast.md and .json); docs/accuracy.md.
//
//   npm run verify                     all functions of both tiers, all 2^32 inputs (hours on 2 cores)
//   npm run verify -- --tier fast      one tier's functions (and its summary files)
//   npm run verify -- --only gelu,siluFast --jobs 1
//   node scripts/verify.mjs --sample   2^20 inputs per function (tests/accuracy.test.mjs runs it)
//   node scripts/verify.mjs --render [--tier fast] LOG...   the summary files from the result
//                                      lines of runs' stderr logs (a sweep done in parts: --only
//                                      A,B, then C; a function in a later log replaces its earlier
//                                      result), for each tier the logs hold (or the one named)
//
// A "function" is an op at the parameters below (the backward ops with dy = 1, so f'(x) itself)
// and a precision: its tier.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensurePackages } from './toolchain.mjs';
import { OPS, PRECISION_ULPS } from '../js/ops.js';
import { exampleValues } from '../js/signature.js';
import { createApi } from '../js/core.js';
import { nodePlatform } from '../js/node.js';

const root = fileURLToPath(new URL('..', import.meta.url));

// The functions swept: every smooth op of the table at its example parameters (js/ops.js:
// an example where a default would sweep nothing new, as swish's 1.702), once per value of
// each choice param (gelu's approximate 'none', 'tanh' -> gelu, geluTanh), then per precision
// (the tier: 'exact' as named, 'fast' with 'Fast' added: geluFast, geluTanhFast), and its
// backward pass (geluBackward, geluTanhFastBackward). `params` are those that differ from the
// defaults (what the op is called with); verify-ref gets them all (`all`) and the name of the
// function of the exact tier (`ref`: the same function, which it knows by that name). `bound`:
// the tier's float32 bound in ulps (PRECISION_ULPS).
export const TIERS = Object.keys(PRECISION_ULPS);
const cap = (s) => s[0].toUpperCase() + s.slice(1);
// A row's functions at a tier: [suffix, values] per variant of its choice params (gelu's
// approximate 'none', 'tanh' -> '', 'Tanh'), the values its example ones, and the params of
// those that differ from the defaults (what the op is called with).
function variants(row, tier) {
  let out = [['', { ...exampleValues(row, 'f32'), precision: tier }]];
  for (const choice of row.params.filter((p) => p.rule === 'choice' && !p.init)) {
    out = out.flatMap(([suffix, all]) => choice.choices.map((c) => [suffix + (c === choice.default ? '' : cap(c)), { ...all, [choice.name]: c }]));
  }
  return out.map(([suffix, all]) => ({ suffix, all, params: Object.fromEntries(Object.entries(all).filter(([k, v]) => row.params.find((p) => p.name === k).default !== v)) }));
}
const tierSuffix = (tier) => (tier === 'exact' ? '' : cap(tier));
export const FUNCTIONS = TIERS.flatMap((tier) => OPS.filter((row) => row.smooth && row.kind === 'map').flatMap((row) =>
  variants(row, tier).flatMap(({ suffix, all, params }) => {
    const fn = { op: row.name, params, all, tier, ref: row.name + suffix, bound: PRECISION_ULPS[tier].map };
    return [
      { ...fn, name: row.name + suffix + tierSuffix(tier) },
      { ...fn, name: `${row.name}${suffix}${tierSuffix(tier)}Backward`, op: `${row.name}Backward`, ref: `${row.name}${suffix}Backward`, backward: true, bound: PRECISION_ULPS[tier].map2 },
    ];
  })));

// The gated ops (js/ops.js kind gated), f(gate)·up: checked as f's reference at dy = up
// (verify-ref multiplies and rounds once), `ref` f's name (with the choice's suffix: gegluTanh
// is geluTanh), `all` the op's params as f's (row.gates.params renames). Sampled, never swept:
// 2^64 pairs; `up` is the check's dy.
// Their backward passes (kind gated2), each output a function of its own: dgate (f's backward
// reference at dy = dy·up: the check's dy times UP_FACTOR, the up it runs with) and dup (f's at
// dy). The check's dy is the value each op multiplies f or f' by: up, or dy.
export const UP_FACTOR = -0.75; // (a value of every format: dy·up stays exact)
export const GATED = TIERS.flatMap((tier) => OPS.filter((row) => row.kind === 'gated' && row.smooth).flatMap((row) =>
  variants(row, tier).flatMap(({ suffix, all, params }) => {
    const fn = {
      op: row.name, name: row.name + suffix + tierSuffix(tier), tier, gated: true, bound: PRECISION_ULPS[tier].gated, ref: row.gates.fn + suffix, params,
      all: Object.fromEntries(Object.entries(all).map(([k, v]) => [row.gates.params?.[k] ?? k, v])),
    };
    const back = { ...fn, op: `${row.name}Backward`, gated: false, bound: PRECISION_ULPS[tier].gated2 };
    return [fn, { ...back, name: `${fn.name}BackwardDgate`, gated2: 'dgate', ref: `${fn.ref}Backward` }, { ...back, name: `${fn.name}BackwardDup`, gated2: 'dup', bound: fn.bound }];
  })));

/** The summary files of a tier: bench/results/accuracy.{md,json}, accuracy-<tier>.{md,json} for the others. */
export const summaryFile = (tier, ext) => `${root}bench/results/accuracy${tier === 'exact' ? '' : `-${tier}`}.${ext}`;

const BLOCK = 1 << 20;

/** The sample tests use: every 4096th bit pattern plus dense runs around the interesting points. */
export function sampleInputs() {
  const set = [];
  for (let b = 0; b < 2 ** 32; b += 4096) set.push(b + ((b >>> 12) * 2654435761 % 4096));
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const around = (v, k) => {
    f[0] = v;
    for (let d = -k; d <= k; d++) set.push((u[0] + d) >>> 0);
  };
  // Branch points, saturation thresholds, derivative zeros, binade edges of small numbers.
  for (const v of [0, -0, 1, -1, 20, -20, 30, -30, 16, -16, 200, -200, 708, -708, 0.5, -0.5, 88.7, -87.3, -103.9, -0.7517915, -2.3993573, -1.1915, 17, -17, 9, -9, 2 ** -126, -(2 ** -126), 2 ** -149]) around(v, 512);
  for (let e = -149; e < 128; e++) around(2 ** e, 8), around(-(2 ** e), 8);
  // ±inf, and NaNs of both signs with payloads (quiet, signalling).
  set.push(0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff812345, 0x7fbfffff, 0x7fc54321);
  return Uint32Array.from(set);
}

// The 16-bit formats: all 65,536 inputs (dy = 1 is 0x3c00 in float16, 0x3f80 in bfloat16).
export const FORMATS = { f16: { dtype: 'float16', one: 0x3c00 }, bf16: { dtype: 'bfloat16', one: 0x3f80 } };

/** x near 0, where a backward pass's f'(0) can make dy f'(x) a tie for a subnormal dy: 64 patterns of every binade below 2^-6, both signs, and ±0. */
export function nearZeroInputs() {
  const set = [0, 0x80000000];
  for (let e = 0; e < 121; e++) for (let k = 0; k < 64; k++) for (const s of [0, 0x80000000]) set.push((s | (e << 23) | ((k * 0x20821) & 0x7fffff) | (k & 1)) >>> 0);
  return Uint32Array.from(set);
}

async function worker(fn, inputs, format, dyValue) {
  const simd = createApi(nodePlatform);
  const scalar = createApi(nodePlatform);
  await simd.init({ simd: true });
  await scalar.init({ simd: false });
  const F = format && FORMATS[format];
  const dyBits = dyValue === undefined ? undefined : F ? simd.cast(Float64Array.of(dyValue), F.dtype)[0] : new Uint32Array(Float32Array.of(dyValue).buffer)[0];
  const Bits = F ? Uint16Array : Uint32Array;
  const bits = (w, m) => new Bits(w.view.buffer, w.view.byteOffset, m);
  const apis = [simd, scalar].map((R) => {
    const x = R.alloc(BLOCK, F ? F.dtype : 'float32');
    const dy = R.alloc(BLOCK, F ? F.dtype : 'float32');
    bits(dy, BLOCK).fill(dyBits ?? (F ? F.one : 0x3f800000));
    const out = R.alloc(BLOCK, F ? F.dtype : 'float32');
    // (gated2: up, and the output not checked)
    const up = R.alloc(BLOCK, F ? F.dtype : 'float32'), other = R.alloc(BLOCK, F ? F.dtype : 'float32');
    bits(up, BLOCK).fill(F ? simd.cast(Float64Array.of(UP_FACTOR), F.dtype)[0] : new Uint32Array(Float32Array.of(UP_FACTOR).buffer)[0]);
    return { R, x, dy, out, up, other };
  });
  if (F) inputs = Uint32Array.from({ length: 65536 }, (_, i) => i);
  const total = inputs ? inputs.length : 2 ** 32;
  let diff = 0;
  // One block's bytes: count, inputs, results (pipe writes are synchronous on Linux, so the
  // buffer is free again when write returns).
  const block = new Uint32Array(1 + 2 * BLOCK);
  const t0 = Date.now();
  for (let start = 0; start < total; start += BLOCK) {
    const m = Math.min(BLOCK, total - start);
    const xin = block.subarray(1, 1 + m);
    if (inputs) xin.set(inputs.subarray(start, start + m));
    else for (let i = 0; i < m; i++) xin[i] = start + i;
    const res = apis.map(({ R, x, dy, out, up, other }) => {
      bits(x, m).set(xin);
      const xs = x.view.subarray(0, m);
      const o = out.view.subarray(0, m);
      const dtype = F ? { dtype: F.dtype } : {}; // (a Uint16Array view says its format)
      if (fn.backward) R[fn.op](dy.view.subarray(0, m), xs, { ...fn.params, ...dtype, out: o });
      else if (fn.gated) R[fn.op](xs, dy.view.subarray(0, m), { ...fn.params, ...dtype, out: o });
      else if (fn.gated2) R[fn.op](dy.view.subarray(0, m), xs, up.view.subarray(0, m), { ...fn.params, ...dtype, [fn.gated2]: o, [fn.gated2 === 'dgate' ? 'dup' : 'dgate']: other.view.subarray(0, m) });
      else R[fn.op](xs, { ...fn.params, ...dtype, out: o });
      return Uint32Array.from(bits(out, m));
    });
    const [a, b] = res;
    for (let i = 0; i < m; i++) if (a[i] !== b[i]) diff++;
    block[0] = m;
    block.set(a, 1 + m);
    const bytes = Buffer.from(block.buffer, 0, 4 * (1 + 2 * m));
    if (!process.stdout.write(bytes)) await new Promise((ok) => process.stdout.once('drain', ok));
    if (!inputs && (start / BLOCK) % 256 === 255) {
      const done = (start + m) / total;
      const s = (Date.now() - t0) / 1000;
      process.stderr.write(JSON.stringify({ progress: fn.name, done, eta: Math.round(s / done - s) }) + '\n');
    }
  }
  process.stderr.write(JSON.stringify({ builds: fn.name, differ: diff }) + '\n');
}

/** Builds the reference checker (needs gcc and libmpfr-dev) and returns its path. */
export function buildReference() {
  ensurePackages([['gcc', 'gcc'], ['/usr/include/mpfr.h', 'libmpfr-dev']], 'the accuracy reference');
  mkdirSync(`${root}build`, { recursive: true });
  const exe = `${root}build/verify-ref`;
  execFileSync('gcc', ['-O2', '-o', exe, `${root}scripts/verify-ref.c`, '-lmpfr', '-lm']);
  return exe;
}

/**
 * Runs one function through both builds and the reference: its summary. `sample`: true (the
 * sample above) or 'near-zero' (nearZeroInputs); `dy`: a backward pass's dy, a value of the
 * format (float32, or the 16-bit one; default 1).
 */
export function check(fn, { sample = false, format, exe, dy, onProgress = () => {} } = {}) {
  return new Promise((resolve, reject) => {
    // dy as the format holds it: float32's rounding; a 16-bit format's value must be exact.
    if (dy !== undefined) {
      const f = Math.fround(dy), low = new Uint32Array(Float32Array.of(f).buffer)[0] & (format === 'bf16' ? 0xffff : 0x1fff);
      if (format ? f !== dy || low !== 0 || (format === 'f16' && Math.abs(dy) > 65504) : false) throw new RangeError(`check: dy = ${dy} is not a ${format} value`);
      dy = f;
    }
    const dyArgs = dy === undefined ? [] : ['--dy', String(dy)];
    const sampleArgs = sample === 'near-zero' ? ['--near-zero'] : sample ? ['--sample'] : [];
    const w = spawn(process.execPath, [fileURLToPath(import.meta.url), '--worker', fn.name, '--params', JSON.stringify(fn.params), ...sampleArgs, ...dyArgs, ...(format ? ['--format', format] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    // (verify-ref takes the numeric params; the choices are in the function's name.)
    const numeric = Object.entries(fn.all).filter(([, v]) => typeof v === 'number');
    // (dgate is f' times dy·up: the reference's dy is that exact product)
    const refDy = fn.gated2 === 'dgate' ? (dy ?? 1) * UP_FACTOR : dy;
    const ref = spawn(exe, [fn.ref, ...numeric.map(([k, v]) => `${k}=${v}`), ...(refDy === undefined ? [] : [`dy=${refDy}`]), ...(format ? [`format=${format}`] : [])], { stdio: [w.stdout, 'pipe', 'inherit'] });
    let differ = null;
    let text = '';
    let err = '';
    w.stderr.on('data', (d) => {
      for (const line of String(d).split('\n').filter(Boolean)) {
        try {
          const m = JSON.parse(line);
          if (m.builds) differ = m.differ;
          else onProgress(m);
        } catch {
          err += line + '\n';
        }
      }
    });
    ref.stdout.on('data', (d) => (text += d));
    // (The worker's stdout went to the reference: its 'exit', not 'close', says it is done.)
    const ended = (p, event) => new Promise((ok) => p.on(event, ok));
    Promise.all([ended(ref, 'close'), ended(w, 'exit')]).then(([code]) => {
      if (code !== 0 || differ === null) return reject(new Error(`verify ${fn.name}: reference exit ${code}, worker: ${err}`));
      resolve({ ...JSON.parse(text), op: fn.name, tier: fn.tier, params: fn.params, buildsDiffer: differ });
    });
    ref.on('exit', (code) => code !== 0 && w.kill()); // (else the worker waits forever to write to it)
  });
}

// The init-able params (precision) are the tier's: not listed with each function.
const INIT_PARAMS = new Set(OPS.flatMap((row) => row.params.filter((p) => p.init).map((p) => p.name)));

function table(results, sample) {
  const rows = results.map((r) => {
    const p = Object.entries(r.params).filter(([k]) => !INIT_PARAMS.has(k)).map(([k, v]) => `${k} = ${typeof v === 'string' ? `'${v}'` : v}`).join(', ');
    return `| ${r.op}${p ? ` (${p})` : ''} | ${r.checked.toLocaleString('en')} | ${r.maxUlp === 0 ? '0' : r.maxUlp.toFixed(3)} | ${r.misrounded.toLocaleString('en')} | ${r.buildsDiffer === 0 ? 'identical' : `${r.buildsDiffer} differ`} |`;
  });
  return [
    `| function | inputs checked | max error (ulp) | not correctly rounded | simd vs scalar |`,
    `| --- | --: | --: | --: | --- |`,
    ...rows,
  ].join('\n') + (sample ? '\n\n(sampled run)' : '');
}

const option = (args, k) => (args.includes(k) ? args[args.indexOf(k) + 1] : undefined);
function tierOption(args) {
  const tier = option(args, '--tier');
  if (tier !== undefined && !TIERS.includes(tier)) throw new Error(`verify: --tier must be one of ${TIERS.join(', ')} (got ${tier})`);
  return tier;
}
const tierOf = (r) => r.tier ?? FUNCTIONS.find((f) => f.name === r.op)?.tier; // (logs from before the tiers: the exact one's)

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--worker') {
    // (the params given: a function of the list at other parameter values, as tests check)
    const fn = { ...[...FUNCTIONS, ...GATED].find((f) => f.name === args[1]), params: JSON.parse(option(args, '--params')) };
    const inputs = args.includes('--sample') ? sampleInputs() : args.includes('--near-zero') ? nearZeroInputs() : null;
    const dy = option(args, '--dy');
    return worker(fn, inputs, option(args, '--format'), dy === undefined ? undefined : Number(dy));
  }
  if (args[0] === '--render') return render(args.slice(1));
  if (args[0] === '--gated') return gatedRun(tierOption(args), option(args, '--only')?.split(',') ?? null);
  const sample = args.includes('--sample');
  const only = option(args, '--only')?.split(',') ?? null;
  const tier = tierOption(args);
  const jobs = Number(option(args, '--jobs') ?? 2);
  const fns = FUNCTIONS.filter((f) => (!only || only.includes(f.name)) && (!tier || f.tier === tier));
  const exe = buildReference();
  const results = [];
  const t0 = Date.now();
  const queue = [...fns];
  const state = {};
  const line = () => process.stderr.write(`\rverify: ${results.length}/${fns.length} done; ${Object.entries(state).map(([k, v]) => `${k} ${(100 * v.done).toFixed(1)}% eta ${v.eta}s`).join(', ')}   `);
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (queue.length) {
      const fn = queue.shift();
      state[fn.name] = { done: 0, eta: '?' };
      const r = await check(fn, { sample, exe, onProgress: (m) => ((state[fn.name] = m), line()) });
      delete state[fn.name];
      results.push(r);
      line();
      process.stderr.write(`\n${JSON.stringify(r)}\n`);
    }
  }));
  const minutes = ((Date.now() - t0) / 60000).toFixed(1);
  const how = `${minutes} min for the ${fns.length} functions of this run (node scripts/verify.mjs${sample ? ' --sample' : ''}${tier ? ` --tier ${tier}` : ''}, ${new Date().toISOString().slice(0, 10)})`;
  // One summary per tier; saved where the run swept all of that tier's functions.
  for (const t of TIERS) {
    const mine = results.filter((r) => r.tier === t);
    if (mine.length === 0) continue;
    const md = summary(t, mine, sample, how);
    console.log(md);
    if (!sample && !only) save(t, mine, md);
  }
  return results;
}

// The gated ops' sampled check: the 2^20 sampled gates (sampleInputs) at each of 16 values of
// up (signs, binades from subnormal to near overflow, products that land on midpoints): 2^24
// pairs per function, into bench/results/accuracy-gated.{md,json}.
export const UP_SPREAD = [1, -1, 3.5, -0.75, 0.1, 7 / 3, -1e-30, 1e-20, 2 ** -126, -7 * 2 ** -149, 1e10, -3e20, 1e30, -0.001, 65504, 1.5 * 2 ** 100];
async function gatedRun(tier, only) {
  const exe = buildReference();
  const t0 = Date.now();
  // (--only: those functions run, the others' rows kept from the saved summary)
  const saved = only ? JSON.parse(readFileSync(`${root}bench/results/accuracy-gated.json`, 'utf8')) : [];
  const rows = [];
  for (const fn of GATED.filter((f) => (!tier || f.tier === tier) && (!only || only.includes(f.name)))) {
    const sum = { op: fn.name, tier: fn.tier, bound: fn.bound, pairs: 0, ups: UP_SPREAD.length, maxUlp: 0, misrounded: 0, buildsDiffer: 0, misroundedAt: [] };
    for (const up of UP_SPREAD) {
      const r = await check(fn, { sample: true, dy: up, exe });
      sum.pairs += r.checked;
      sum.maxUlp = Math.max(sum.maxUlp, r.maxUlp);
      sum.misrounded += r.misrounded;
      sum.buildsDiffer += r.buildsDiffer;
      if (fn.tier === 'exact') sum.misroundedAt.push(...r.misroundedAt.slice(0, 16).map(([x, got]) => [x, Math.fround(up), got]));
      process.stderr.write(`${fn.name} up = ${up}: ${r.misrounded} misrounded, max ${r.maxUlp} ulp\n`);
    }
    rows.push(sum);
  }
  for (const r of saved) if (!rows.some((m) => m.op === r.op)) rows.push(r);
  rows.sort((a, b) => GATED.findIndex((f) => f.name === a.op) - GATED.findIndex((f) => f.name === b.op));
  const how = `${((Date.now() - t0) / 60000).toFixed(1)} min (node scripts/verify.mjs --gated${tier ? ` --tier ${tier}` : ''}${only ? ` --only ${only.join(',')}` : ''}, ${new Date().toISOString().slice(0, 10)})`;
  const md = `# Accuracy of the gated ops, f(gate)·up, and their backward passes (float32, sampled)\n\nThe 2^20 sampled gates of the smooth family's test (every 4096th bit pattern, dense runs at the branch points, ±inf, NaNs) × ${UP_SPREAD.length} values v (${UP_SPREAD.map((u) => Math.fround(u)).join(', ')}), both builds, against scripts/verify-ref.c, each result rounded once: the ops at up = v (f's reference times up); their backward passes at dy = v, up = ${UP_FACTOR}: dgate (f′'s reference times dy·up) and dup (f's times dy); ${how}. The bound: exact ${PRECISION_ULPS.exact.gated} ulp (the aim: correctly rounded), fast ${PRECISION_ULPS.fast.gated} ulp (the backward passes' dgate: ${PRECISION_ULPS.fast.gated2}).\n\n` +
    `| function | pairs checked | max error (ulp) | not correctly rounded | simd vs scalar |\n| --- | --: | --: | --: | --- |\n` +
    rows.map((r) => `| ${r.op} | ${r.pairs.toLocaleString('en')} | ${r.maxUlp === 0 ? '0' : r.maxUlp.toFixed(3)} | ${r.misrounded.toLocaleString('en')} | ${r.buildsDiffer === 0 ? 'identical' : `${r.buildsDiffer} differ`} |`).join('\n') + '\n';
  if (!tier) {
    writeFileSync(`${root}bench/results/accuracy-gated.md`, md);
    writeFileSync(`${root}bench/results/accuracy-gated.json`, JSON.stringify(rows, null, 1) + '\n');
  }
  console.log(md);
  return rows;
}

// Beyond the exact tier most results are not correctly rounded: its JSON keeps the first few.
const KEEP_MISROUNDED = 64;

function summary(tier, results, sample, how) {
  results.sort((a, b) => FUNCTIONS.findIndex((f) => f.name === a.op) - FUNCTIONS.findIndex((f) => f.name === b.op));
  const scope = `${sample ? 'Sampled' : 'Exhaustive'}: ${sample ? '2^20 inputs per function' : 'all 2^32 float32 inputs'}, both builds, against scripts/verify-ref.c`;
  if (tier === 'exact') return `# Accuracy of the smooth family (float32)\n\n${scope}; ${how}.\n\n${table(results, sample)}\n`;
  const { map, map2 } = PRECISION_ULPS[tier];
  return `# Accuracy of the smooth family, precision '${tier}' (float32)\n\n${scope} (the exact function correctly rounded: the error is against it); ` +
    `the bound: ${map} ulp for the ops, ${map2} ulp for their backward passes (js/ops.js PRECISION_ULPS); ${how}.\n\n${table(results, sample)}\n\n` +
    `(The JSON lists the first ${KEEP_MISROUNDED} inputs not correctly rounded of each function.)\n`;
}

function save(tier, results, md) {
  const kept = tier === 'exact' ? results : results.map((r) => ({ ...r, misroundedAt: r.misroundedAt.slice(0, KEEP_MISROUNDED) }));
  writeFileSync(summaryFile(tier, 'md'), md);
  writeFileSync(summaryFile(tier, 'json'), JSON.stringify(kept, null, 1) + '\n');
}

// The result lines ({"op": ...}) of verify runs' stderr logs, one summary per tier they hold
// (or the tier --tier names), each of all of its functions.
function render(args) {
  const tier = tierOption(args);
  const logs = args.filter((a, i) => a !== '--tier' && args[i - 1] !== '--tier');
  // A function run again in a later log (after a fix) takes the later result.
  const byOp = new Map();
  for (const f of logs) for (const l of readFileSync(f, 'utf8').split(/[\r\n]+/)) if (l.startsWith('{"op"')) byOp.set(JSON.parse(l).op, JSON.parse(l));
  const results = [...byOp.values()];
  const tiers = tier ? [tier] : TIERS.filter((t) => results.some((r) => tierOf(r) === t));
  if (tiers.length === 0) throw new Error(`verify --render: no result lines in ${logs.join(', ')}`);
  for (const t of tiers) {
    const mine = results.filter((r) => tierOf(r) === t);
    const missing = FUNCTIONS.filter((f) => f.tier === t && !mine.some((r) => r.op === f.name)).map((f) => f.name);
    if (missing.length) throw new Error(`verify --render: no result for ${missing.join(', ')}`);
    const md = summary(t, mine, false, `run in parts (node scripts/verify.mjs --only …; --render ${logs.map((f) => f.split('/').pop()).join(' ')})`);
    save(t, mine, md);
    console.log(md);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
