// The package's one API instance, shared by the node and browser entries: js/public.js
// (generated from js/ops.js) adds its ops, each entry makes init() and ready with its platform
// (how it fetches the wasm), passed as an argument.
import { createCore } from './core.js';

export const R = createCore(null);

/** 'simd' or 'scalar' once init() resolved, else null. */
export let variant = null;

/** init() and ready for an entry whose platform is `platform`. */
export function entry(platform) {
  let inner = null;
  let outer = null;
  function init(options) {
    const p = R.init(options, platform);
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
  const ready = {
    then: (ok, fail) => init().then(ok, fail),
    catch: (fail) => init().catch(fail),
    finally: (f) => init().finally(f),
  };
  return { init, ready };
}
