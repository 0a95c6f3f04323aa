// init({ threads }) in Chromium: on a cross-origin isolated page (COOP same-origin, COEP
// require-corp: what npm start serves), a pool of module Web Workers; parallel(op, ...) gives
// the bits of the same op run on the page's main thread (which never blocks, so its synchronous
// calls stay on one thread). On a page that is not isolated: one thread and one warning that
// names the headers. Skips where Chromium is absent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ISOLATION_HEADERS } from '../scripts/serve.mjs';
import { launch, openPage, skipReason } from './browser/chromium.mjs';

const skip = skipReason() ?? false;
let chrome, isolated, plain;

before(async () => {
  if (skip) return;
  [chrome, isolated, plain] = await Promise.all([launch(), startServer({ headers: ISOLATION_HEADERS }), startServer()]);
});
after(async () => {
  await chrome?.close();
  await isolated?.close();
  await plain?.close();
});

async function open(server, opts) {
  const pg = await openPage(chrome.browser, opts);
  await pg.page.goto(`${server.url}tests/browser/threads.html`);
  await pg.page.waitForFunction(() => window.__lib !== undefined, null, { timeout: 15_000 });
  return pg;
}

test('an isolated page: init({ threads: 2 }) starts Web Workers; parallel() gives the main thread\'s bits', { skip }, async (t) => {
  const pg = await open(isolated);
  try {
    const r = await pg.page.evaluate(async () => {
      const R = window.__lib;
      await R.init({ threads: 2 });
      const n = 3 * 16384 + 37;
      const x = R.from(new Float32Array(n).map((_, i) => Math.sin(i * 0.7) * 6));
      const out = R.alloc(n);
      const res = {};
      for (const [op, extra] of [['gelu', {}], ['silu', { precision: 'fast' }], ['sigmoid', {}]]) {
        const one = R[op](x, extra); // (the page's main thread: one thread)
        await R.parallel(R[op], x, { out, ...extra });
        // (a rough timing, warm, for the log: the benchmark is bench/threads.mjs in Node)
        const t0 = performance.now();
        for (let k = 0; k < 10; k++) await R.parallel(R[op], x, { out, ...extra });
        const t1 = performance.now();
        for (let k = 0; k < 10; k++) R[op](x, { ...extra, out: one });
        const t2 = performance.now();
        const a = new Uint32Array(out.view.buffer, out.view.byteOffset, n), b = new Uint32Array(one.view.buffer, one.view.byteOffset, n);
        res[op] = { equal: a.every((v, i) => v === b[i]), parallelMs: (t1 - t0) / 10, oneMs: (t2 - t1) / 10 };
        one.free();
      }
      return { isolated: crossOriginIsolated, threads: R.threads(), res };
    });
    assert.equal(r.isolated, true);
    assert.equal(r.threads, 2);
    for (const [op, v] of Object.entries(r.res)) {
      assert.ok(v.equal, `${op}: parallel() and the main thread's call differ`);
      t.diagnostic(`${op}, n = 49189: parallel() ${v.parallelMs.toFixed(2)} ms, the main thread alone ${v.oneMs.toFixed(2)} ms`);
    }
    assert.deepEqual(pg.problems, [], pg.requested.join('\n'));
  } finally {
    await pg.close();
  }
});

test('a page that is not isolated: one thread, and one warning naming the headers', { skip }, async () => {
  const pg = await open(plain, { ignore: [/not cross-origin isolated/] });
  try {
    const r = await pg.page.evaluate(async () => {
      const R = window.__lib;
      await R.init({ threads: 2 });
      const w = R.from(new Float32Array([-1, 2]));
      const y = await R.parallel(R.relu, w);
      return { isolated: crossOriginIsolated, threads: R.threads(), y: Array.from(y.view) };
    });
    assert.equal(r.isolated, false);
    assert.equal(r.threads, 1);
    assert.deepEqual(r.y, [0, 2]);
    const warnings = pg.log.filter((l) => /relu-wasm: init\(\{ threads \}\)/.test(l));
    assert.equal(warnings.length, 1, pg.log.join('\n'));
    assert.match(warnings[0], /this page is not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp/);
  } finally {
    await pg.close();
  }
});

test("the demo loads clean when cross-origin isolated (npm start's headers); its live benchmark runs gelu on 2 threads with the same bits", { skip }, async (t) => {
  const pg = await openPage(chrome.browser);
  try {
    await pg.page.goto(`${isolated.url}web/`);
    await pg.page.waitForFunction(() => window.__demo && window.__demo.ready, null, { timeout: 15_000 });
    await pg.page.evaluate(() => window.__demo.ready);
    assert.equal(await pg.page.evaluate(() => crossOriginIsolated), true);
    const rows = await pg.page.evaluate(() => window.__demo.runBenchmark({ op: 'gelu', sizes: [1 << 16, 1 << 18], samples: 3, threads: 2 }));
    for (const r of rows) {
      assert.ok(Number.isFinite(r.exactT) && Number.isFinite(r.fastT), `gelu n = ${r.n} on 2 threads: ${JSON.stringify(r.err)}`);
      t.diagnostic(`demo, gelu n = ${r.n}: 'exact' ${r.exact.toFixed(2)} → ${r.exactT.toFixed(2)} ns on 2 threads, 'fast' ${r.fast.toFixed(2)} → ${r.fastT.toFixed(2)}`);
    }
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
