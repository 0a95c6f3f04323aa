// relu-wasm demo. Served from the repository root (npm start → /web/); no CDN, no inline
// script, no eval: it runs under Content-Security-Policy script-src 'self' 'wasm-unsafe-eval'.
//   ?simd=0  forces the scalar build, ?simd=1 the SIMD one (default: detect).
//   window.__demo is a small hook for tests (tests/browser.test.mjs).
import * as lib from '../js/browser.js';
import { setupCurves } from './curves.js';
import { setupSmooth } from './smooth.js';
import { setupSpecials } from './specials.js';
import { setupBench } from './bench.js';
import { setupPlayground } from './playground.js';
import { setupFfn } from './ffn.js';

const $ = (sel) => document.querySelector(sel);
const params = new URLSearchParams(location.search);
const simdParam = params.get('simd');
const simd = simdParam === '0' || simdParam === 'false' ? false : simdParam === '1' || simdParam === 'true' ? true : 'auto';

const results = { version: null, variant: null, simdOption: simd, available: [], missing: [], errors: [] };
const demo = { lib, results, ready: null };
window.__demo = demo;

function fail(where, e) {
  const msg = `${where}: ${e?.message ?? e}`;
  results.errors.push(msg);
  const box = $('#errors');
  box.hidden = false;
  box.append(Object.assign(document.createElement('p'), { textContent: msg }));
}

// A section that fails shows why and leaves the others working.
function section(name, setup) {
  try {
    return setup();
  } catch (e) {
    fail(name, e);
    return null;
  }
}

async function version() {
  try {
    const res = await fetch(new URL('../package.json', import.meta.url));
    if (!res.ok) return '?';
    return (await res.json()).version ?? '?';
  } catch {
    return '?';
  }
}

async function start() {
  const [v] = await Promise.all([version(), lib.init({ simd })]);
  results.version = v;
  results.variant = lib.variant;
  $('#version').textContent = `v${v}`;
  const badge = $('#variant');
  badge.textContent = lib.variant;
  badge.className = `badge ${lib.variant}`;
  const other = $('#switch');
  other.href = lib.variant === 'simd' ? '?simd=0' : '?';
  other.textContent = lib.variant === 'simd' ? 'force scalar' : simd === false ? 'auto-detect' : 'scalar';
  // The table's ops (lib.ops) the page's copy of the package exports, and any it lacks.
  results.available = lib.ops.map((r) => r.name).filter((n) => typeof lib[n] === 'function');
  results.missing = lib.ops.map((r) => r.name).filter((n) => typeof lib[n] !== 'function');

  const curves = section('curves', () => setupCurves(lib, $));
  const smooth = section('smooth family', () => setupSmooth(lib, $));
  const specials = section('semantics table', () => setupSpecials(lib, $));
  const bench = section('benchmark', () => setupBench($));
  const pg = section('playground', () => setupPlayground(lib, $));
  const ffn = section('transformer block', () => setupFfn(lib, $));
  results.curves = curves?.results;
  results.smooth = smooth?.results;
  results.specials = specials;

  Object.assign(demo, {
    runBenchmark: async (opts) => (results.bench = await bench.run(opts)),
    runBlock: async (opts) => (results.ffn = await ffn.run(opts)),
    resetPlayground: (opts) => (pg.pause(), pg.reset(opts)),
    trainSteps: (n) => pg.trainSteps(n),
    playground: pg,
    smooth,
  });
  if (pg && params.get('autorun') !== '0') pg.play();
  document.body.dataset.ready = 'true';
  return results;
}

demo.ready = start().catch((e) => {
  fail('relu-wasm did not start', e);
  $('#variant').textContent = 'failed';
  throw e;
});
demo.ready.catch(() => {}); // shown on the page already; tests await demo.ready themselves
addEventListener('error', (e) => fail('error', e.error ?? e.message));
addEventListener('unhandledrejection', (e) => {
  if (e.reason !== undefined) fail('unhandled rejection', e.reason);
});
