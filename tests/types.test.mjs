// The TypeScript declarations, checked the way a TypeScript user meets them: tsc --strict on
// tests/types/usage.ts (correct usage must compile, each @ts-expect-error line must fail),
// under each lib a user may have, with skipLibCheck false (issue 20: a lib without esnext's
// Symbol.dispose, or without dom's URL and WebAssembly, must still compile js/index.d.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const dir = new URL('./types/', import.meta.url);

// tsconfig.json: es2022, dom and esnext.disposable (the usual app); the others extend it with
// one lib each, with and without dom (what they compile besides usage.ts: their "files").
const CONFIGS = ['tsconfig.json'];
for (const lib of ['es2020', 'es2022', 'es2023', 'esnext']) CONFIGS.push(`tsconfig.${lib}.json`, `tsconfig.${lib}-dom.json`);

for (const config of CONFIGS) {
  test(`index.d.ts: typical usage type-checks, wrong usage does not (${config})`, () => {
    const path = new URL(config, dir).pathname;
    assert.ok(existsSync(path), `${config} is missing`);
    const r = spawnSync(process.execPath, [tsc, '-p', path], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
}
