// The demo page in real Chromium (Debian's /usr/bin/chromium via playwright-core): loads
// clean, every op matches numpy's fixtures in the page, the smooth family's view draws every op
// at both precisions within their bounds, the playground learns (and shows dying ReLUs), the
// live benchmark runs (relu, and gelu at both precisions), a phone-sized viewport fits, the
// strict CSP and the forced scalar build work. Writes web/screenshot.png for the README.
// Skips where Chromium is absent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer, STRICT_CSP } from '../scripts/serve.mjs';
import { CHECK_INPUT, CHECK_WANT, launch, openPage, skipReason } from './browser/chromium.mjs';
import { checkFixtures } from './browser/run-fixtures.mjs';
import { OPS, PRECISION_ULPS } from '../js/ops.js';

const SCREENSHOT = fileURLToPath(new URL('../web/screenshot.png', import.meta.url));
// Screenshots of the states the demo checks below (looked at by people, not compared).
const OUTPUT = fileURLToPath(new URL('./output/', import.meta.url));
mkdirSync(OUTPUT, { recursive: true });
const skip = skipReason() ?? false;

let chrome;
let server;
let cspServer;
let demo; // the SIMD demo page, shared by the tests below in order

before(async () => {
  if (skip) return;
  [chrome, server, cspServer] = await Promise.all([launch(), startServer(), startServer({ csp: STRICT_CSP })]);
});

after(async () => {
  await demo?.close();
  await chrome?.close();
  await server?.close();
  await cspServer?.close();
});

/** Opens the demo at base + query, waits for __demo.ready; returns the page wrapper and results. */
async function openDemo(base, query = '', opts) {
  const pg = await openPage(chrome.browser, opts);
  const response = await pg.page.goto(`${base}web/${query}`);
  await pg.page.waitForFunction(() => window.__demo && window.__demo.ready, null, { timeout: 15_000 });
  const results = await pg.page.evaluate(() => window.__demo.ready.then((r) => JSON.parse(JSON.stringify(r))));
  return { ...pg, response, results };
}

// relu of the special values, computed in the page, bits compared here.
const reluBits = (page, input) =>
  page.evaluate((bits) => {
    const x = new Float32Array(new Uint32Array(bits).buffer);
    const y = window.__demo.lib.relu(x);
    return Array.from(new Uint32Array(y.buffer, y.byteOffset, y.length));
  }, input);
const hex = (b) => '0x' + (b >>> 0).toString(16).padStart(8, '0');

test('demo loads with no console errors or failed requests, every op present', { skip }, async (t) => {
  const t0 = performance.now();
  demo = await openDemo(server.url);
  const r = demo.results;
  t.diagnostic(`ready in ${Math.round(performance.now() - t0)} ms: relu-wasm ${r.version}, ${r.variant}`);
  assert.equal(r.variant, 'simd');
  assert.match(r.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.missing, [], 'ops the demo expects but the package does not export');
  assert.deepEqual(r.curves.errors, []);
  assert.deepEqual(r.curves.drawn, ['relu', "relu'", 'leaky', "leaky'", 'prelu', "prelu'", 'relu6', "relu6'"]);
  // The smooth family's view: every smooth op of the table in its menu, drawn with its
  // backward pass in each format of the dtype menu at each precision tier, and the error plot's
  // numbers within each tier's bounds (PRECISION_ULPS, float32; the 16-bit formats correctly
  // rounded at both tiers).
  const smooth = await demo.page.evaluate(() => {
    const menu = [...document.querySelectorAll('#smooth-op option')].map((o) => o.value);
    const formats = [...document.querySelectorAll('#smooth-dtype option')].map((o) => o.value);
    const tiers = [...document.querySelectorAll('#smooth-tier option')].map((o) => o.value);
    const seen = [];
    for (const dtype of formats) {
      for (const name of menu) {
        for (const tier of tiers) {
          document.querySelector('#smooth-op').value = name;
          document.querySelector('#smooth-dtype').value = dtype;
          document.querySelector('#smooth-tier').value = tier;
          window.__demo.smooth.draw();
          const r = window.__demo.smooth.results;
          seen.push(`${r.drawn.join(' ')} ${dtype} ${r.tier}`);
        }
      }
    }
    const rows = window.__demo.lib.ops.filter((o) => o.smooth && o.kind === 'map');
    const want = rows.map((o) => o.name);
    const all = formats.flatMap((dtype) => rows.map((o) => `${o.name} ${dtype}`));
    const withJs = formats.flatMap((dtype) => rows.filter((o) => o.js).map((o) => `${o.name} ${dtype}`));
    const wantDrawn = formats.flatMap((dtype) => want.flatMap((name) => tiers.map((tier) => `${name} ${name}Backward ${dtype} ${tier}`)));
    const choices = rows[0].params.find((p) => p.name === 'precision').choices;
    return { menu, want, tiers, choices, seen, wantDrawn, all, withJs, ...JSON.parse(JSON.stringify(window.__demo.smooth.results)) };
  });
  assert.deepEqual(smooth.menu, smooth.want);
  assert.deepEqual(smooth.tiers, smooth.choices);
  assert.deepEqual(smooth.seen, smooth.wantDrawn);
  const f32 = (key) => key.endsWith(' float32');
  const { exact: E, fast: F } = PRECISION_ULPS;
  for (const tier of smooth.tiers) {
    // Bits against the table's double-precision JS formula rounded to the format (1 ulp: its
    // own rounding): the exact tier 1 ulp as before, the fast tier its bound plus that 1.
    assert.deepEqual(Object.keys(smooth.maxUlp[tier]), smooth.withJs, tier);
    for (const [key, u] of Object.entries(smooth.maxUlp[tier])) {
      const bound = tier === 'fast' && f32(key) ? F.map + 1 : E.map;
      assert.ok(u <= bound, `${key} '${tier}': ${u} ulp from the JS formula (bound ${bound})`);
    }
    // The error plot (real ulps from the reference: the JS formula in double, or the exact tier).
    assert.deepEqual(Object.keys(smooth.maxErr[tier]), smooth.all, tier);
    for (const [key, u] of Object.entries(smooth.maxErr[tier])) {
      const js = smooth.reference[key] === 'js';
      const bound = !f32(key) ? (js ? 0.5 + 1e-6 : 0) : tier === 'exact' ? (js ? E.map : 0) : js ? F.map + 1 : F.map;
      assert.ok(Number.isFinite(u) && u <= bound, `${key} '${tier}': the error plot reaches ${u} ulp (bound ${bound})`);
    }
  }
  assert.deepEqual(Object.keys(smooth.fastVsExact), smooth.all);
  for (const [key, u] of Object.entries(smooth.fastVsExact)) assert.ok(u <= (f32(key) ? F.map : 0), `${key}: 'fast' ${u} ulp from 'exact'`);
  assert.deepEqual(Object.keys(smooth.reference).filter((k) => smooth.reference[k] === 'js'), smooth.withJs);
  assert.equal(await demo.page.textContent('#variant'), 'simd');
  assert.equal(await demo.page.textContent('#version'), `v${r.version}`);
  assert.deepEqual(demo.problems, []);
});

test('in the page, relu of NaN, −NaN, −0, ±inf, subnormals is bit-exact', { skip }, async () => {
  assert.deepEqual((await reluBits(demo.page, CHECK_INPUT)).map(hex), CHECK_WANT.map(hex));
});

test('in the page, relu keeps signalling NaNs bit for bit on short JS arrays', { skip }, async () => {
  const sNaN = [0x7fa00001, 0xffa00001, 0x7f800001, 0x3f800000];
  assert.deepEqual((await reluBits(demo.page, sNaN)).map(hex), sNaN.map(hex));
});

test('in the page, every op × dtype matches the numpy fixtures bit for bit (SIMD)', { skip }, async (t) => {
  const t0 = performance.now();
  const { cases, ops } = await checkFixtures(demo.page, 'simd');
  t.diagnostic(`${cases} cases over ${ops.length} ops in ${Math.round(performance.now() - t0)} ms`);
  assert.deepEqual(OPS.map((r) => r.name).filter((op) => !ops.includes(op)), [], 'ops the fixtures do not cover');
});

test('the semantics table on the page shows the library results', { skip }, async () => {
  const s = demo.results.specials;
  assert.ok(Object.keys(s.results).length >= 7, `rows: ${Object.keys(s.results)}`);
  // every row computed (a call the table builds wrongly shows its error in the row instead)
  assert.deepEqual(await demo.page.locator('#specials td.missing').allTextContents(), []);
  // relu row: x <= 0 → +0, NaNs and positives kept (the signalling NaN column: see the todo above)
  const quiet = (b) => (((b >>> 23) & 0xff) === 0xff && b & 0x7fffff ? (b | 0x400000) >>> 0 : b);
  const want = s.input.map((b) => {
    const v = new Float32Array(Uint32Array.of(b).buffer)[0];
    return v !== v ? b : v <= 0 ? 0 : b;
  });
  assert.deepEqual(s.results['relu(x)'].map(quiet).map(hex), want.map(quiet).map(hex));
});

test('playground: ReLUs die with a bias of −2, Leaky ReLU recovers, default training learns', { skip }, async (t) => {
  const { page } = demo;
  const run = (opts, n) =>
    page.evaluate(
      async ([o, k]) => {
        window.__demo.resetPlayground(o);
        const losses = await window.__demo.trainSteps(k);
        const s = window.__demo.playground.state;
        const note = document.querySelector('#pg-flat');
        return { first: losses[0], last: losses.at(-1), dead: s.dead.map((d) => d.length), accuracy: s.accuracy, flat: s.flat, note: note.hidden ? null : note.textContent };
      },
      [opts, n],
    );
  const base = { seed: 1, data: 'moons', hidden: 16, lr: 0.1, init: 'he', bias: 0 };
  const dying = await run({ ...base, act: 'relu', bias: -2 }, 150);
  await page.locator('#playground').screenshot({ path: `${OUTPUT}demo-dead-network.png` });
  const leaky = await run({ ...base, act: 'leaky', alpha: 0.1, bias: -2 }, 300);
  const t0 = performance.now();
  const good = await run({ ...base, act: 'relu' }, 300);
  const ms = performance.now() - t0;
  t.diagnostic(`ReLU, bias −2, 150 steps: loss ${dying.first.toFixed(3)} → ${dying.last.toFixed(3)}, dead ${dying.dead}`);
  t.diagnostic(`Leaky, bias −2, 300 steps: loss ${leaky.first.toFixed(3)} → ${leaky.last.toFixed(3)}, dead ${leaky.dead}`);
  t.diagnostic(`ReLU, bias 0, 300 steps (${Math.round(ms)} ms): loss ${good.first.toFixed(3)} → ${good.last.toFixed(3)}, accuracy ${good.accuracy}, dead ${good.dead}`);
  assert.ok(dying.dead[0] + dying.dead[1] >= 8, 'a bias of −2 should kill many ReLU units');
  assert.ok(Math.abs(dying.last - dying.first) < 0.01, 'with its units dead the ReLU net should not learn');
  assert.ok(leaky.last < 0.6 * leaky.first, 'Leaky ReLU should learn from the same start');
  assert.ok(good.last < 0.5 * good.first, `loss should fall over 300 steps (${good.first} → ${good.last})`);
  assert.ok(good.accuracy > 0.9);
  assert.equal(await page.textContent('#pg-steps'), '300');
  // The data fits the plane drawn, with a margin (the moons used to touch its edges).
  const fit = await page.evaluate(() => window.__demo.playground.state);
  assert.ok(fit.extent * 1.05 < fit.span, `points reach ${fit.extent} of a plane of ±${fit.span}`);
  // A dead network is not a blank canvas: the page says it outputs one constant.
  assert.equal(dying.flat, true, 'the dying network should output one constant');
  assert.match(dying.note, /^The network outputs p = 0\.\d\d everywhere: no boundary/);
  assert.equal(good.flat, false);
  assert.equal(good.note, null);
  // Changing the dataset trains the new network, as the first load does.
  const running = await page.evaluate(async () => {
    const sel = document.querySelector('#pg-data');
    sel.value = sel.value === 'moons' ? 'spirals' : 'moons';
    sel.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, 300));
    const s = window.__demo.playground.state;
    window.__demo.playground.pause();
    return { running: s.running, steps: s.steps };
  });
  assert.ok(running.running && running.steps > 0, `after a dataset change the playground should train (${JSON.stringify(running)})`);
});

test('live benchmark runs: SIMD, scalar, JS arrays, plain JS and TensorFlow.js wasm, in GB/s', { skip }, async (t) => {
  assert.equal(await demo.page.getAttribute('#bench-chart', 'data-empty'), 'true', 'before a run the chart says what it will show');
  const menu = await demo.page.evaluate(() => [...document.querySelectorAll('#bench-op option')].map((o) => o.value));
  assert.deepEqual(menu, ['relu', 'gelu', 'silu']);
  const t0 = performance.now();
  const rows = await demo.page.evaluate(() => window.__demo.runBenchmark({ op: 'relu', sizes: [1 << 12, 1 << 16, 1 << 20], samples: 5 }));
  t.diagnostic(`${Math.round(performance.now() - t0)} ms; GB/s (n: simd / scalar / simd on JS arrays / plain JS / TensorFlow.js wasm):`);
  for (const r of rows) t.diagnostic(`  ${r.n}: ${[r.simd, r.scalar, r.stream, r.js, r.tfjs].map((v) => v.toFixed(1)).join(' / ')}`);
  for (const r of rows) {
    assert.equal(r.op, 'relu');
    assert.equal(r.unit, 'GB/s');
    assert.deepEqual(r.err, {}, `n = ${r.n}: a contender failed verification`);
    for (const k of ['simd', 'scalar', 'stream', 'js', 'tfjs']) assert.ok(Number.isFinite(r[k]) && r[k] > 0, `n = ${r.n}: ${k}`);
  }
  assert.equal(await demo.page.locator('#bench-table tbody tr').count(), 3);
  const columns = await demo.page.locator('#bench-table thead th').count();
  assert.equal(await demo.page.locator('#bench-table tbody tr:first-child > *').count(), columns, 'every row has a cell under each heading');
  assert.deepEqual(demo.problems, []);
});

test("live benchmark of gelu: both precision tiers, TensorFlow.js's gelu and relu, in ns per element", { skip }, async (t) => {
  const t0 = performance.now();
  const rows = await demo.page.evaluate(() => window.__demo.runBenchmark({ op: 'gelu', sizes: [1 << 12, 1 << 16], samples: 5 }));
  t.diagnostic(`${Math.round(performance.now() - t0)} ms; ns per element (n: 'exact' / 'fast' / TensorFlow.js wasm / relu):`);
  for (const r of rows) t.diagnostic(`  ${r.n}: ${[r.exact, r.fast, r.tfjs, r.relu].map((v) => v.toFixed(2)).join(' / ')}`);
  assert.deepEqual(rows.map((r) => r.n), [1 << 12, 1 << 16]);
  for (const r of rows) {
    assert.equal(r.op, 'gelu');
    assert.equal(r.unit, 'ns per element');
    assert.deepEqual(r.err, {}, `n = ${r.n}: a contender failed verification`);
    for (const k of ['exact', 'fast', 'tfjs', 'relu']) assert.ok(Number.isFinite(r[k]) && r[k] > 0, `n = ${r.n}: ${k}`);
  }
  assert.equal(await demo.page.getAttribute('#bench-chart', 'data-op'), 'gelu');
  assert.equal(await demo.page.getAttribute('#bench-chart', 'data-empty'), 'false');
  const head = await demo.page.locator('#bench-table thead th').allTextContents();
  assert.deepEqual(head.slice(0, 5), ['n', "'exact'", "'fast'", 'TF.js wasm', 'relu']);
  assert.equal(await demo.page.locator('#bench-table tbody tr').count(), 2);
  assert.equal(await demo.page.locator('#bench-table tbody tr:first-child > *').count(), head.length, 'every row has a cell under each heading');
  assert.deepEqual(demo.problems, []);
});

test("transformer block: every gated op in one call, packed and unfused, in ns per activation; packed gives the one call's bits", { skip }, async (t) => {
  const rows = await demo.page.evaluate(() => window.__demo.runBlock({ T: 16, d: 64, h: 176, rounds: 3, ms: 5, precision: 'fast' }));
  t.diagnostic(`ns per activation (one call / packed / unfused): ${rows.map((r) => `${r.op} ${[r.fused, r.packed, r.unfused].map((v) => v.toFixed(2)).join(' / ')}`).join('; ')}`);
  assert.deepEqual(rows.map((r) => r.op), OPS.filter((r) => r.kind === 'gated').map((r) => r.name)); // swiglu, geglu, reglu, glu
  for (const r of rows) {
    for (const k of ['fused', 'packed', 'unfused']) assert.ok(Number.isFinite(r[k]) && r[k] > 0, `${r.op}: ${k}`);
    assert.ok(r.packedSame, `${r.op}: the packed call's bits differ from the one call's`);
    assert.ok(r.worst < 1e-6, `${r.op}: the unfused pair is ${r.worst} off (relative)`);
  }
  assert.equal(await demo.page.locator('#ffn-table tbody tr').count(), rows.length);
  assert.equal(await demo.page.locator('#ffn-table tbody tr:first-child > *').count(), await demo.page.locator('#ffn-table thead th').count());
  assert.deepEqual(demo.problems, []);
});

test('screenshot of the demo written to web/screenshot.png', { skip }, async () => {
  // The smooth family's view on an op with both tiers' error lines (float32, 'fast').
  await demo.page.evaluate(() => {
    for (const [sel, v] of [['#smooth-op', 'silu'], ['#smooth-dtype', 'float32'], ['#smooth-tier', 'fast']]) document.querySelector(sel).value = v;
    window.__demo.smooth.draw();
    window.scrollTo(0, 0);
  });
  await demo.page.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.deepEqual(demo.problems, []);
});

test('phone-sized viewport: nothing wider than the screen', { skip }, async () => {
  const phone = await openDemo(server.url, '?autorun=0', { viewport: { width: 375, height: 740 } });
  try {
    const { scroll, wide } = await phone.page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      wide: [...document.querySelectorAll('body *')]
        .filter((e) => !e.closest('.scroll') && e.getBoundingClientRect().right > window.innerWidth + 1)
        .map((e) => e.id || e.tagName),
    }));
    assert.ok(scroll <= 375, `page is ${scroll}px wide: ${wide.join(', ')}`);
    assert.equal(await phone.page.isVisible('#specials-hint'), true, 'on a phone the special-values table says it scrolls');
    await phone.page.screenshot({ path: `${OUTPUT}demo-phone.png`, fullPage: true });
    assert.equal(await demo.page.isVisible('#specials-hint'), false, 'on a wide screen it fits and says nothing');
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.close();
  }
});

test('strict CSP (script-src \'self\' \'wasm-unsafe-eval\', no unsafe-eval): the demo works', { skip }, async () => {
  const page = await openDemo(cspServer.url);
  try {
    assert.equal(page.response.headers()['content-security-policy'], STRICT_CSP);
    assert.doesNotMatch(STRICT_CSP, /'unsafe-eval'/);
    assert.equal(page.results.variant, 'simd');
    assert.deepEqual(page.results.errors, []);
    assert.deepEqual((await reluBits(page.page, CHECK_INPUT)).map(hex), CHECK_WANT.map(hex));
    const losses = await page.page.evaluate(() => window.__demo.trainSteps(20));
    assert.ok(losses.every(Number.isFinite));
    assert.deepEqual(page.problems, [], 'CSP violations or other errors');
  } finally {
    await page.close();
  }
});

test('scalar build forced with ?simd=0: runs, and matches the fixtures', { skip }, async (t) => {
  const page = await openDemo(server.url, '?simd=0&autorun=0');
  try {
    assert.equal(page.results.variant, 'scalar');
    assert.equal(await page.page.textContent('#variant'), 'scalar');
    assert.deepEqual((await reluBits(page.page, CHECK_INPUT)).map(hex), CHECK_WANT.map(hex));
    const { cases } = await checkFixtures(page.page, 'scalar');
    t.diagnostic(`${cases} fixture cases in the scalar build`);
    const losses = await page.page.evaluate(() => window.__demo.trainSteps(50));
    assert.ok(losses.at(-1) < losses[0]);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.close();
  }
});
