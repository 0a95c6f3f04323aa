// The benchmark's smoke run: every contender of every table runs and gives the right answer
// (bench/run.mjs --quick exits non-zero otherwise), and every table derived from the table of
// ops (bench/specs.mjs) is in the report. It asserts nothing about time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { OPS } from '../js/ops.js';
import { KINDS } from '../js/signature.js';
import { specs } from '../bench/specs.mjs';

test('npm run bench -- --quick: every contender runs and agrees with the reference', () => {
  const r = spawnSync(process.execPath, [new URL('../bench/run.mjs', import.meta.url).pathname, '--quick'], { encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, `bench --quick failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  const tables = specs();
  for (const row of OPS.filter((o) => o.dtypes.includes('f32'))) assert.ok(tables.some((t) => t.row === row), `no table for ${row.name}`);
  for (const t of tables) assert.ok(r.stdout.includes(`\n### ${t.title}\n`), `no table "${t.title}" in the report`);
  assert.ok(!r.stdout.includes('ERROR'), 'a contender failed');
  assert.match(r.stdout, /## Targets/);
});

test('node bench/half.mjs --quick: float16 / bfloat16 / float32 and onnxruntime-web float16 agree, for every op that takes float16', () => {
  const r = spawnSync(process.execPath, [new URL('../bench/half.mjs', import.meta.url).pathname, '--quick'], { encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, `bench/half.mjs --quick failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  for (const row of OPS.filter((o) => KINDS[o.kind].elementwise && o.dtypes.includes('f16'))) assert.match(r.stdout, new RegExp(`\\n\\| ${row.name} \\| 2\\^12 \\|`), `no row for ${row.name}`);
  assert.match(r.stdout, /## Targets/);
});

test('node bench/gated.mjs --quick: every gated op, its activation and the unfused pair agree, both precisions', () => {
  const r = spawnSync(process.execPath, [new URL('../bench/gated.mjs', import.meta.url).pathname, '--quick'], { encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, `bench/gated.mjs --quick failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  for (const row of OPS.filter((o) => o.kind === 'gated')) for (const p of row.smooth ? ['exact', 'fast'] : ['—']) assert.match(r.stdout, new RegExp(`\\n\\| ${row.name} \\| ${p} \\| 2\\^12 \\|`), `no row for ${row.name} ${p}`);
  assert.doesNotMatch(r.stdout, /\n- \w+ (exact|fast|—) n = /, 'a contender disagreed');
  assert.match(r.stdout, /## Targets/);
});
