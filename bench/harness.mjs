// Benchmark method shared by the CLI (bench/run.mjs) and the demo page's live benchmark.
// No Node imports here: it runs in browsers as is.
//
// A contender is { name, fn, args, output?, enter?, async?, tol?, abs? }:
//   fn(...args)   one call, written like user code. The harness calls it through one shared,
//                 megamorphic call site with its operands as arguments, so the JIT can neither
//                 inline a contender into the timing loop nor constant-fold its arrays.
//   output(ret, ...args)  the result to verify (a typed array, or anything with .view); default: ret.
//   enter()       optional (may be async), run before each batch of this contender, e.g. to
//                 switch the TensorFlow.js backend; not timed.
//   async         fn returns a promise; each call is awaited (awaiting is part of its cost).
//
// Method: verify every contender against the reference once; calibrate a batch size per
// contender (≥ batchMs per batch); warm up in round-robin rounds until every contender's
// time per call has settled (JIT and wasm tier-up done); then take `samples` round-robin
// rounds, rotating the start so drift and neighbour effects hit all contenders alike.
// Reported: median ns per call and the spread, half the interquartile range.

let sink; // results of timed calls end here, so no call is dead code

// One call site for all contenders (made megamorphic below before any timing), with up to
// MAX_ARGS arguments (the table's widest call: dy, x, three params, out): more is an error,
// not a call without its last ones (which would time an allocating call).
const MAX_ARGS = 6;
function batch(f, reps, a0, a1, a2, a3, a4, a5) {
  let r;
  for (let i = 0; i < reps; i++) r = f(a0, a1, a2, a3, a4, a5);
  sink = r;
}

async function batchAsync(f, reps, a0, a1, a2, a3, a4, a5) {
  let r;
  for (let i = 0; i < reps; i++) r = await f(a0, a1, a2, a3, a4, a5);
  sink = r;
}

// Six distinct targets make batch()'s call site megamorphic from the start.
{
  const a = new Float32Array(4);
  const fs = [(x) => x[0], (x) => x[1], (x) => x[2], (x) => x[3], (x) => x.length, (x) => x.byteOffset];
  for (let k = 0; k < 50; k++) for (const f of fs) batch(f, 4, a);
}

export const now = () => performance.now();

export function median(xs) {
  return quantile(xs, 0.5);
}

export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const p = (s.length - 1) * q;
  const lo = Math.floor(p);
  const hi = Math.ceil(p);
  return s[lo] + (s[hi] - s[lo]) * (p - lo);
}

/** Half the interquartile range. */
export function halfIqr(xs) {
  return (quantile(xs, 0.75) - quantile(xs, 0.25)) / 2;
}

const asArray = (v) => (v && typeof v === 'object' && 'view' in v && !ArrayBuffer.isView(v) ? v.view : v);

/**
 * Compares got with want element by element. tol: relative tolerance for floats (0 = exact,
 * where -0 equals 0), plus abs, an absolute one. Returns null when they match, else a message.
 */
export function compare(got, want, tol = 0, abs = 0) {
  got = asArray(got);
  if (!ArrayBuffer.isView(got)) return `returned ${got === null ? 'null' : typeof got} instead of an array`;
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (g === w || (g !== g && w !== w)) continue;
    if (tol > 0 && Math.abs(g - w) <= tol * Math.abs(w) + abs) continue;
    return `wrong result at [${i}]: got ${g}, expected ${w}`;
  }
  return null;
}

async function callOnce(c) {
  if ((c.args?.length ?? 0) > MAX_ARGS) throw new RangeError(`${c.name}: ${c.args.length} arguments; the harness passes at most ${MAX_ARGS}`);
  await c.enter?.();
  const [a0, a1, a2, a3, a4, a5] = c.args ?? [];
  return c.fn(a0, a1, a2, a3, a4, a5);
}

async function timeBatch(c, reps) {
  await c.enter?.();
  const [a0, a1, a2, a3, a4, a5] = c.args ?? [];
  const t0 = now();
  if (c.async) await batchAsync(c.fn, reps, a0, a1, a2, a3, a4, a5);
  else batch(c.fn, reps, a0, a1, a2, a3, a4, a5);
  return (now() - t0) / reps; // ms per call
}

const yieldToEventLoop = () => new Promise((r) => setTimeout(r, 0));

/**
 * Measures contenders on one problem. want: the reference result (typed array).
 * options: samples (rounds), batchMs (minimum batch duration), warmupRounds (min),
 *   maxWarmupMs, stableTol (relative spread of the last 3 warm-up batches), longBatchMs,
 *   minSamples and budgetMs (per-contender sampling budget, see step 4), onProgress(text),
 *   yieldEvery (browser: let the page breathe between batches).
 * Returns [{ name, ns, spread, samples: [ns...], reps, error? }] in the input order.
 */
export async function measure(contenders, want, options = {}) {
  const {
    samples = 11,
    minSamples = 5,
    batchMs = 5,
    warmupRounds = 3,
    maxWarmupMs = 4000,
    longBatchMs = 25,
    stableTol = 0.1,
    budgetMs = Infinity,
    onProgress = () => {},
    yieldEvery = false,
  } = options;
  const res = contenders.map((c) => ({ name: c.name, ns: NaN, spread: NaN, samples: [], reps: 0, error: null }));
  const live = [];

  // 1. Verify, before any timing.
  for (let i = 0; i < contenders.length; i++) {
    const c = contenders[i];
    try {
      const ret = await callOnce(c);
      const got = c.output ? c.output(ret, ...(c.args ?? [])) : ret;
      const msg = compare(got, c.want ?? want, c.tol ?? 0, c.abs ?? 0);
      if (msg) res[i].error = msg;
      else live.push(i);
    } catch (e) {
      res[i].error = `threw ${e?.name ?? ''}: ${e?.message ?? e}`;
    }
  }

  // 2. Calibrate: reps so that one batch takes at least batchMs (refined during warm-up).
  const repsFor = (msPerCall) => Math.max(1, Math.min(1 << 26, Math.ceil(batchMs / Math.max(msPerCall, 1e-7))));
  for (const i of live) {
    const c = contenders[i];
    let reps = 1;
    for (;;) {
      const ms = (await timeBatch(c, reps)) * reps;
      if (ms >= batchMs || reps >= 1 << 26) break;
      reps = Math.min(reps * 16, Math.max(reps * 2, repsFor(ms / reps)));
    }
    res[i].reps = reps;
  }

  // 3. Warm up round-robin until every contender has settled: its last three batches agree
  // within stableTol, or they are no faster than the three before (JIT and wasm tier-up done;
  // what remains is noise). The batch size follows the current time per call.
  const hist = new Map(live.map((i) => [i, []]));
  const settled = (h) => {
    if (h.length < 3) return false;
    const last = h.slice(-3);
    const m = median(last);
    if ((Math.max(...last) - Math.min(...last)) / m <= stableTol) return true;
    return h.length >= 6 && m >= 0.97 * median(h.slice(-6, -3));
  };
  // A contender whose batches take ≥ longBatchMs runs its JIT tiers within its first call:
  // two batches of warm-up suffice.
  const done = (i) => {
    const h = hist.get(i);
    return settled(h) || (h.length >= 2 && h[h.length - 1] * res[i].reps >= longBatchMs);
  };
  const t0 = now();
  for (let round = 0; ; round++) {
    for (const i of live) {
      const h = hist.get(i);
      if (round >= warmupRounds && done(i)) continue;
      h.push(await timeBatch(contenders[i], res[i].reps));
      res[i].reps = repsFor(median(h.slice(-3)));
      if (yieldEvery) await yieldToEventLoop();
    }
    if (round + 1 >= warmupRounds && (live.every(done) || now() - t0 > maxWarmupMs)) break;
  }
  const unsettled = live.filter((i) => !done(i)).map((i) => contenders[i].name);
  onProgress(`warm-up ${Math.round(now() - t0)} ms${unsettled.length ? ` (still getting faster: ${unsettled.join(', ')})` : ''}`);

  // 4. Samples, round-robin with a rotating start. A contender leaves the rotation once it has
  // minSamples and has used budgetMs of sampling time (slow contenders of huge sizes), so the
  // fast ones get all `samples` rounds in bounded time.
  const spent = new Map(live.map((i) => [i, 0]));
  for (let s = 0; s < samples; s++) {
    let ran = 0;
    for (let k = 0; k < live.length; k++) {
      const i = live[(k + s) % live.length];
      if (res[i].samples.length >= minSamples && spent.get(i) >= budgetMs) continue;
      const t = now();
      res[i].samples.push((await timeBatch(contenders[i], res[i].reps)) * 1e6);
      spent.set(i, spent.get(i) + now() - t);
      ran++;
      if (yieldEvery) await yieldToEventLoop();
    }
    if (ran === 0) break;
  }
  for (const i of live) {
    res[i].ns = median(res[i].samples);
    res[i].spread = halfIqr(res[i].samples);
  }
  return res;
}

/** Engine description available without platform imports (Node or browser). */
export function engineInfo() {
  const p = globalThis.process;
  if (p?.versions?.node) return { runtime: `Node ${p.versions.node}`, v8: p.versions.v8, platform: `${p.platform} ${p.arch}` };
  const nav = globalThis.navigator;
  return { runtime: nav?.userAgent ?? 'unknown', cores: nav?.hardwareConcurrency };
}

// ---------------------------------------------------------------------------------------
// Formatting (markdown), shared with the demo page.

/** A duration in ns with its unit: '8.97 ns', '61.6 µs', '13.2 ms'. */
export function fmtNs(ns) {
  if (!Number.isFinite(ns)) return '–';
  const [v, u] = ns < 1e3 ? [ns, 'ns'] : ns < 1e6 ? [ns / 1e3, 'µs'] : ns < 1e9 ? [ns / 1e6, 'ms'] : [ns / 1e9, 's'];
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${u}`;
}

/** Median with the spread as a percentage of it: '216 ns ±3 %'. */
export function fmtNsSpread(ns, spread) {
  if (!Number.isFinite(ns)) return '–';
  const p = (100 * spread) / ns;
  return `${fmtNs(ns)} ±${p < 10 ? p.toFixed(1) : p.toFixed(0)}%`;
}

export function fmtNum(v, digits = 2) {
  if (!Number.isFinite(v)) return '–';
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(digits);
}

export const fmtSize = (n) => (n >= 1024 && (n & (n - 1)) === 0 ? `2^${Math.log2(n)}` : String(n));

/** rows: [[cell...]], header: [cell...]; first column left-aligned, the rest right. */
export function mdTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? ':--' : '--:'))), ...rows.map(line)].join('\n');
}
