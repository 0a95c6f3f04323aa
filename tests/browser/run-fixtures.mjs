// Runs numpy fixture cases (tests/fixtures) through the demo page's copy of relu-wasm in
// Chromium and compares the results in Node, bit for bit (the calls travel as tests/wire.mjs
// says).
import { OPS } from '../../js/ops.js';
import { loadFixtures } from '../fixtures/load.mjs';
import { assertOutputs, expectedOf } from '../support.mjs';
import { callCases, outputsOf, payload } from '../wire.mjs';

/**
 * Runs every fixture case in the page; returns { cases, ops } after asserting every result.
 * `page` has the demo loaded (window.__demo ready).
 */
export async function checkFixtures(page, what) {
  const fixtures = loadFixtures().filter((c) => !c.name.startsWith('bias-')); // (the fused bias: tests/bias.test.mjs)
  const rows = Object.fromEntries(OPS.map((r) => [r.name, r]));
  // Playwright carries -0, ±Infinity and NaN across, and runs callCases through the DevTools
  // protocol (no eval in the page: fine under CSP).
  const results = await page.evaluate(callCases, payload(fixtures));
  fixtures.forEach((c, i) => {
    const name = `${what}: ${c.op} ${c.dtype} ${c.name}`;
    assertOutputs(rows[c.op], outputsOf(c, results[i], name), expectedOf(rows[c.op], c), name, c.inputs.x ?? c.inputs.y, c.params.precision);
  });
  return { cases: fixtures.length, ops: [...new Set(fixtures.map((c) => c.op))] };
}
