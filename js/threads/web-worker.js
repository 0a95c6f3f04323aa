// A pool worker in a browser (a module Web Worker: its data in the first message). Bundled
// into dist/relu-web-worker.mjs, with no imports left, so bundlers take it as it is.
import { serve } from './serve.js';

globalThis.onmessage = (e) => {
  globalThis.onmessage = null;
  serve(e.data, (m) => globalThis.postMessage(m));
};
