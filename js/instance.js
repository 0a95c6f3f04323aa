// The package's one API instance, shared by the node and browser entries (which only supply
// how the wasm is fetched). js/public.js (generated from js/ops.js) exports its ops.
import { createCore } from './core.js';
import { platform } from './platform.js';

export const R = createCore(platform);

/**
 * The units (js/kernels.js) of the exports a page imports: js/public.js makes each export
 * with use(), annotated pure, so a bundler drops the call, and with it the op's kind and the
 * unit's wasm, for an export nothing uses. `row` is its row of js/table.js (null: cast), `maker`
 * makes the op (js/kind-*.js, js/cast.js);
 * `url` gives the unit's file's URL (SIMD only: an engine without SIMD loads the whole scalar
 * build).
 */
export const wanted = new Map();
export function use(name, row, maker, url) {
  wanted.set(name, url);
  return R._add(name, row, maker);
}

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
