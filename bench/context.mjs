// What a table's child process measures with: the relu-wasm build under test, the SIMD build's
// physical references, and (SIMD process only) TensorFlow.js and onnxruntime-web, loaded once.
import fs from 'node:fs';
import path from 'node:path';

// A process measures one relu-wasm variant: with a second instance in use, the API's shared
// code sees two WasmArray classes and its call sites turn polymorphic, which would slow the
// instance under test (a user's app has one). The scalar variant's rows therefore come from
// their own process, which also measures the physical references for its ratios.
export async function loadContext(variant) {
  const { createApi } = await import('../js/core.js');
  const { nodePlatform } = await import('../js/node.js');
  const R = createApi(nodePlatform);
  await R.init({ simd: variant === 'simd' });
  if (R.variant !== variant) throw new Error(`asked for the ${variant} build, got ${R.variant}`);
  // The physical references are kernels of the SIMD build, used only through raw pointers.
  let ref = R;
  if (variant !== 'simd') {
    ref = createApi(nodePlatform);
    await ref.init({ simd: true });
  }
  const ctx = { R, variant, refState: ref._state() };
  if (variant !== 'simd') return ctx;

  // TensorFlow.js. In Node, the package's "main" is its CommonJS node build, whose Emscripten
  // loader reads the .wasm next to it with fs.readFileSync (no fetch, no setWasmPaths needed).
  // Record which file it reads to prove the SIMD binary is the one in use.
  const wasmRead = [];
  const readFileSync = fs.readFileSync;
  fs.readFileSync = function (p, ...rest) {
    if (String(p).endsWith('.wasm')) wasmRead.push(path.basename(String(p)));
    return readFileSync.call(this, p, ...rest);
  };
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const tfw = await import('@tensorflow/tfjs-backend-wasm');
  const tfSimd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const tfThreads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  await tf.setBackend('wasm');
  await tf.ready();
  await tf.setBackend('cpu');
  await tf.ready();
  fs.readFileSync = readFileSync;
  const tfInfo = {
    version: tf.version_core,
    simdFlag: tfSimd,
    threadsFlag: tfThreads,
    wasmFile: wasmRead.join(', '),
    threads: tfw.getThreadsCount?.(),
  };
  if (!tfSimd || !wasmRead.includes('tfjs-backend-wasm-simd.wasm') || wasmRead.length !== 1) {
    throw new Error(`TensorFlow.js wasm: expected the SIMD binary, read ${JSON.stringify(wasmRead)} (WASM_HAS_SIMD_SUPPORT = ${tfSimd})`);
  }

  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const ortInfo = { version: ort.env.versions?.web ?? '?', numThreads: ort.env.wasm.numThreads };
  return { ...ctx, tf, tfInfo, ort, ortInfo };
}
