// The TypeScript declarations, checked the way a TypeScript user meets them: tsc --strict on
// tests/types/usage.ts (correct usage must compile, each @ts-expect-error line must fail).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

test('index.d.ts: typical usage type-checks, wrong usage does not', () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', new URL('./types/tsconfig.json', import.meta.url).pathname], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
