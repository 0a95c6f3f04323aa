// The package's one API instance, shared by the node and browser entries (which only supply
// how the wasm is fetched). js/public.js (generated from js/ops.js) exports its ops.
import { createApi } from './core.js';
import { platform } from './platform.js';

export const R = createApi(platform);

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
