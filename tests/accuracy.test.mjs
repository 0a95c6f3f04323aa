// The smooth family's accuracy on a sample of 2^20 inputs per function (scripts/verify.mjs
// --sample: a spread over every bit pattern, dense runs at the branch points, saturation
// thresholds and derivative zeros, every binade's edges, ±inf, NaNs), in both builds, against
// the independent reference (scripts/verify-ref.c, native glibc + MPFR, built here). The full
// 2^32 sweep is `npm run verify`; its summary, bench/results/accuracy.json, is committed, and
// this test holds the kernels to it: never worse than 1 ulp, the builds identical, and no
// input misrounded that the exhaustive sweep did not list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FUNCTIONS, buildReference, check } from '../scripts/verify.mjs';

const exhaustive = JSON.parse(readFileSync(new URL('../bench/results/accuracy.json', import.meta.url), 'utf8'));
const exe = buildReference();

test('the exhaustive summary covers every smooth function of the sweep, all 2^32 inputs each', () => {
  for (const fn of FUNCTIONS) {
    const r = exhaustive.find((e) => e.op === fn.name);
    assert.ok(r, `bench/results/accuracy.json has no ${fn.name}: run npm run verify`);
    assert.equal(r.checked, 2 ** 32, fn.name);
    assert.ok(r.maxUlp <= 1, `${fn.name}: max error ${r.maxUlp} ulp`);
    assert.equal(r.buildsDiffer, 0, `${fn.name}: builds differ`);
  }
});

for (const fn of FUNCTIONS) {
  test(`${fn.name}: 2^20 sampled inputs, both builds identical, ≤ 1 ulp, misrounded only where the exhaustive sweep says`, async () => {
    const r = await check(fn, { sample: true, exe });
    assert.ok(r.checked >= 2 ** 20, `${fn.name}: ${r.checked} inputs`);
    assert.equal(r.buildsDiffer, 0, `${fn.name}: the simd and scalar builds differ on ${r.buildsDiffer} inputs`);
    assert.ok(r.maxUlp <= 1, `${fn.name}: max error ${r.maxUlp} ulp at ${r.maxAt}`);
    const known = exhaustive.find((e) => e.op === fn.name);
    const listed = new Set(known.misroundedAt.map(([x, y]) => `${x}:${y}`));
    // The list is complete when it holds every misrounded input (verify-ref keeps 4096).
    if (known.misroundedAt.length === known.misrounded) {
      for (const [x, y] of r.misroundedAt) assert.ok(listed.has(`${x}:${y}`), `${fn.name}: input ${x} gives ${y}, not correctly rounded and not in the exhaustive sweep's list`);
    } else {
      assert.ok(r.misrounded <= known.misrounded, `${fn.name}: ${r.misrounded} misrounded in the sample`);
    }
  });
}
