// The benchmark's smoke run: every contender of every table runs and gives the right answer
// (bench/run.mjs --quick exits non-zero otherwise). It asserts nothing about time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('npm run bench -- --quick: every contender runs and agrees with the reference', () => {
  const r = spawnSync(process.execPath, [new URL('../bench/run.mjs', import.meta.url).pathname, '--quick'], { encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, `bench --quick failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  assert.match(r.stdout, /relu, float32/);
});
