#!/usr/bin/env node
// relu-wasm benchmark CLI (issue 5).
//
//   node bench/run.mjs [--quick] [--out FILE] [--ops ID,ID,...] [--sizes 1,256,...]   (--help lists the IDs)
//   node bench/run.mjs --render bench/results/latest.json   (re-render a saved run)
//
// The tables come from the table of ops (bench/specs.mjs: one per row of js/ops.js, plus the
// integer tables); --ops takes their ids. The parent process spawns one child per table and
// variant (node bench/run.mjs --table ID --variant simd|scalar --json FILE), so the JIT state,
// heap and wasm memory of one table never disturb another; children run one after the other.
// The method lives in bench/harness.mjs (shared with the demo page), the contenders in
// bench/contenders.mjs, the report in bench/report.mjs, the targets in bench/targets.mjs.
// Full run: writes bench/results/latest.md (+ latest.json). --quick: smoke test, small sizes
// and few samples; exits non-zero if any contender throws or gives a wrong result; asserts
// nothing about time; writes a file only with --out.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildContenders } from './contenders.mjs';
import { loadContext } from './context.mjs';
import { engineInfo, fmtSize, measure } from './harness.mjs';
import { mergeVariants, render } from './report.mjs';
import { specs } from './specs.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SELF = fileURLToPath(import.meta.url);

const FULL_SIZES = [1, 256, 4096, 65536, 2 ** 20, 2 ** 24];
const QUICK_SIZES = [1, 256, 4096];
const FULL_OPTS = { samples: 21, minSamples: 5, budgetMs: 600, batchMs: 4, warmupRounds: 3, maxWarmupMs: 2500 };
const QUICK_OPTS = { samples: 3, minSamples: 3, budgetMs: 0, batchMs: 0.5, warmupRounds: 1, maxWarmupMs: 0 };

function parseArgs(argv) {
  const a = { quick: false, out: null, ops: null, sizes: null, table: null, json: null, variant: null, render: null };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${k} needs a value`);
      return argv[++i];
    };
    if (k === '--quick') a.quick = true;
    else if (k === '--out') a.out = val();
    else if (k === '--ops') a.ops = val().split(',');
    else if (k === '--sizes') a.sizes = val().split(',').map((s) => (s.startsWith('2^') ? 2 ** +s.slice(2) : +s));
    else if (k === '--table') a.table = val();
    else if (k === '--json') a.json = val();
    else if (k === '--variant') a.variant = val();
    else if (k === '--render') a.render = val();
    else if (k === '--help' || k === '-h') {
      console.log(`usage: node bench/run.mjs [--quick] [--out FILE] [--ops a,b] [--sizes 1,256,2^20] [--render FILE.json]\ntables (--ops): ${specs().map((s) => s.id).join(', ')}`);
      process.exit(0);
    } else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

const specById = (id) => {
  const s = specs().find((t) => t.id === id);
  if (!s) throw new Error(`unknown table ${id} (known: ${specs().map((t) => t.id).join(', ')})`);
  return s;
};

// -----------------------------------------------------------------------------------------
// Child: one table, one variant.

async function child(args) {
  const spec = specById(args.table);
  const sizes = args.sizes ?? (args.quick ? QUICK_SIZES : FULL_SIZES);
  const opts = args.quick ? QUICK_OPTS : FULL_OPTS;
  const variant = args.variant ?? 'simd';
  const tag = `${spec.id}${variant === 'simd' ? '' : ' ' + variant}`;
  const bytes = Object.fromEntries(sizes.map((n) => [n, spec.bytes(n)]));
  const result = { table: spec.id, variant, title: spec.title, bytesDesc: spec.bytesDesc, bytes, sizes, rows: [], notes: [], errors: [] };
  const ctx = await loadContext(variant);
  result.tf = ctx.tfInfo;
  result.ort = ctx.ortInfo;
  const ortCache = new Map();
  const rows = new Map();
  for (const n of sizes) {
    const t0 = performance.now();
    const { contenders, want, notes, cleanup } = await buildContenders(ctx, spec, n, ortCache);
    for (const note of notes) if (!result.notes.includes(note)) result.notes.push(note);
    const res = await measure(contenders, want, { ...opts, onProgress: (s) => console.error(`[${tag} n=${fmtSize(n)}] ${s}`) });
    const refNs = (key) => res[contenders.findIndex((c) => c.key === key)]?.ns;
    const refs = { copy: refNs('ref-copy'), memcpy: refNs('ref-memcpy'), set: refNs('ref-set') };
    res.forEach((r, i) => {
      const c = contenders[i];
      if (!rows.has(c.key)) rows.set(c.key, { key: c.key, name: c.name, cls: c.cls, plain: !!c.plain, ref: !!c.ref, variant, bySize: {} });
      rows.get(c.key).bySize[n] = { ns: r.ns, spread: r.spread, samples: r.samples.length, reps: r.reps, error: r.error, refs };
      if (r.error) {
        result.errors.push(`${c.name} at n = ${n}: ${r.error}`);
        console.error(`[${tag} n=${fmtSize(n)}] ERROR ${c.name}: ${r.error}`);
      }
    });
    cleanup();
    await ctx.tf?.setBackend('wasm');
    globalThis.gc?.();
    console.error(`[${tag} n=${fmtSize(n)}] ${contenders.length} contenders, ${Math.round(performance.now() - t0)} ms`);
  }
  result.rows = [...rows.values()];
  fs.writeFileSync(args.json, JSON.stringify(result));
}

// -----------------------------------------------------------------------------------------
// Parent: run the tables, format them, judge the targets.

function machineInfo() {
  let cpu = 'unknown';
  try {
    cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpu;
  } catch {
    cpu = os.cpus()[0]?.model ?? cpu;
  }
  const e = engineInfo();
  return {
    cpu,
    cores: os.cpus().length,
    memGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: e.runtime,
    v8: e.v8,
    load: os.loadavg().map((v) => v.toFixed(2)).join(' '),
  };
}

async function parent(args) {
  const t0 = performance.now();
  const todo = args.ops ? args.ops.map(specById) : specs();
  const info = machineInfo();
  console.error(`machine: ${info.cpu}, ${info.cores} cores; ${info.node}, V8 ${info.v8}; load ${info.load}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-wasm-bench-'));
  const tables = [];
  let failed = false;
  for (const spec of todo) {
    const parts = [];
    for (const variant of ['simd', 'scalar']) {
      const json = path.join(tmp, `${spec.id}-${variant}.json`);
      const childArgs = ['--expose-gc', SELF, '--table', spec.id, '--variant', variant, '--json', json];
      if (args.quick) childArgs.push('--quick');
      if (args.sizes) childArgs.push('--sizes', args.sizes.join(','));
      const r = spawnSync(process.execPath, childArgs, { stdio: ['ignore', process.stderr, process.stderr] });
      if (r.status !== 0 || !fs.existsSync(json)) {
        failed = true;
        console.error(`[${spec.id} ${variant}] child failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''})`);
        parts.push({ table: spec.id, title: spec.title, skipped: `the ${variant} process failed (exit ${r.status})`, rows: [], notes: [], errors: [`${variant} process failed`] });
        break;
      }
      parts.push(JSON.parse(fs.readFileSync(json, 'utf8')));
    }
    const t = mergeVariants(parts);
    if (t.errors.length) failed = true;
    tables.push(t);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  const desc = (args.quick ? ' --quick' : '') + (args.ops ? ` --ops ${args.ops.join(',')}` : '') + (args.sizes ? ` --sizes ${args.sizes.join(',')}` : '');
  const date = new Date().toISOString();
  const md = render(tables, info, desc, performance.now() - t0, date);
  console.log(md);
  const outFile = args.out ?? (args.quick || args.ops || args.sizes ? null : path.join(HERE, 'results', 'latest.md'));
  if (outFile) {
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, md + '\n');
    fs.writeFileSync(outFile.replace(/\.md$/, '') + '.json', JSON.stringify({ info, tables, argsDesc: desc, elapsed: performance.now() - t0, date }, null, 1));
    console.error(`written: ${outFile}`);
  }
  const errs = tables.flatMap((t) => t.errors.map((e) => `${t.table}: ${e}`));
  if (failed) {
    console.error(`FAILED: ${errs.length} contender error(s)${errs.length ? ':\n  ' + errs.join('\n  ') : ''}`);
    process.exit(1);
  }
  console.error(`ok (${Math.round((performance.now() - t0) / 1000)} s)`);
}

const args = parseArgs(process.argv.slice(2));
const main = args.render
  ? async () => {
    // Re-render a saved run (its .json) without measuring, e.g. after a formatting change.
    const { info, tables, argsDesc = '', elapsed = 0, date } = JSON.parse(fs.readFileSync(args.render, 'utf8'));
    console.log(render(tables, info, argsDesc, elapsed, date));
  }
  : args.table ? child : parent;
main(args).catch((e) => {
  console.error(e);
  process.exit(1);
});
