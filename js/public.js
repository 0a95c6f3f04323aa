// The package's exports, shared by the node and browser entries (which only supply how the
// wasm is fetched). Op functions come from the table in js/ops.js; tests/api.test.mjs checks
// that every table op is exported here and declared in index.d.ts.
import { createApi } from './core.js';
import { platform } from './platform.js';

const R = createApi(platform);

/** 'simd' or 'scalar' once init() resolved, else null. */
export let variant = null;

let inner = null;
let outer = null;
export function init(options) {
  const p = R.init(options);
  if (p !== inner) {
    inner = p; // a new attempt (the first, or a retry after a failure)
    outer = p.then((api) => {
      variant = api.variant;
      return api;
    });
  }
  return outer;
}

/** A thenable: awaiting it starts init() with default options, or joins the running one. */
export const ready = {
  then: (ok, fail) => init().then(ok, fail),
  catch: (fail) => init().catch(fail),
  finally: (f) => init().finally(f),
};

export const {
  relu,
  reluGrad,
  reluBackward,
  leakyRelu,
  leakyReluBackward,
  relu6,
  clip,
  clipBackward,
  prelu,
  preluBackward,
  activity,
  deadUnits,
} = R;
export const { alloc, from, WasmArray, heapUsed, memoryBytes } = R;
export { OPS as ops } from './ops.js';
