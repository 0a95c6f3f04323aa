// How the wasm is fetched, set once by the entry module (js/node.js or js/browser.js) before
// any init(). Kept out of the public exports.
let current = null;

export function usePlatform(p) {
  current = p;
}

/** A platform that forwards to the one the entry set. */
export const platform = {
  defaultUrl: (file) => current.defaultUrl(file),
  units: () => current.units?.(),
  resolve: (file, base) => current.resolve(file, base),
  load: (url) => current.load(url),
};
