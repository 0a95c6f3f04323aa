// Loading a build: compiling a wasm, instantiating an Embind module (the whole build or the
// core) and the units that complete the core, the start-up self-test. js/core.js decides what
// to load; the platform (js/node.js, js/browser.js) fetches it.
import createReluModule from '../dist/relu.mjs';
import { CORE } from './kernels.js';
import { simdSupported } from './detect.js';
import { describe } from './args.js';

// Scratch for streaming JS arrays: two buffers, sized so a chunk of input, scratch and output
// stays in L2 (bench/chunk.mjs: sizes from 8 to 256 KB measure the same).
export const SCRATCH_BYTES = 32 * 1024;
// The units' stack, shared: a kernel never calls another module, so they never nest. The size
// of the Embind modules' own stack (CMakeLists.txt -sTOTAL_STACK), which runs the same kernels.
const UNIT_STACK_BYTES = 64 * 1024;

// Up to this size a wasm compiles synchronously: Chromium's asynchronous compile waits for a
// worker, which on a busy machine took 4-26 ms for the 10 KB core that compiles in 1-4 ms on
// the spot (bench/coldstart.mjs); larger ones (the whole build) compile off the main thread.
export const SYNC_COMPILE_BYTES = 64 * 1024;

/** Compiles bytes, naming their source and what they look like when they are not wasm. */
export async function compileBytes(bin, source) {
  const u8 = bin instanceof ArrayBuffer ? new Uint8Array(bin) : new Uint8Array(bin.buffer, bin.byteOffset, bin.byteLength);
  if (!(u8[0] === 0 && u8[1] === 0x61 && u8[2] === 0x73 && u8[3] === 0x6d)) {
    const text = new TextDecoder().decode(u8.subarray(0, 60)).replace(/\s+/g, ' ');
    throw new Error(`relu-wasm: ${source} is not a wasm binary (${u8.length} bytes starting ${JSON.stringify(text)})`);
  }
  try {
    if (u8.length <= SYNC_COMPILE_BYTES) {
      try {
        return new WebAssembly.Module(u8);
      } catch (e) {
        if (e instanceof WebAssembly.CompileError) throw e; // (else an engine's limit on the main thread)
      }
    }
    return await WebAssembly.compile(u8);
  } catch (e) {
    throw new Error(`relu-wasm: ${source} is not valid wasm (${e.message})`);
  }
}

/** An Embind module's kernel names (cpp/bindings.cpp names[]), read from its memory. */
function kernelNames(Module, memory) {
  const bytes = new Uint8Array(memory.buffer);
  return Array.from({ length: Module.count() }, (_, i) => {
    let s = '';
    for (let p = Module.name(i); bytes[p] !== 0; p++) s += String.fromCharCode(bytes[p]);
    return s;
  });
}

/** Instantiates an Embind module: the whole build or the core, by the names it lists. */
export async function instantiate(module) {
  let fail;
  const failed = new Promise((_, reject) => (fail = reject));
  let exports;
  // The loader instantiates the compiled module it is handed (cpp/loader-pre.js): never a
  // fetch of its own, which breaks in Node 18+.
  const Module = await Promise.race([
    failed,
    createReluModule({
      wasm: module,
      instantiated: (instance) => (exports = instance.exports),
      failed: (e) => fail(new Error(`relu-wasm: this wasm is not a relu-wasm build of this version (${e.message})`)),
    }),
  ]);
  const values = Object.values(exports);
  const memory = values.find((v) => v instanceof WebAssembly.Memory);
  const table = values.find((v) => v instanceof WebAssembly.Table);
  // The wasm with every kernel, or the core that units complete (js/kernels.js CORE).
  if (typeof Module.name !== 'function') throw new Error('relu-wasm: this wasm is not a relu-wasm build of this version (it does not name its kernels)');
  const names = kernelNames(Module, memory);
  const core = names.join() === CORE.join();
  const fn = {};
  names.forEach((name, i) => (fn[name] = table.get(Module.kernel(i))));
  const scratch = fn.malloc(2 * SCRATCH_BYTES);
  const variant = Module.simd() ? 'simd' : 'scalar';
  return { variant, memory, fn, core, buffer: null, views: {}, scratch, scratchBytes: SCRATCH_BYTES, paramPtr: 0, paramBytes: 0, paramTag: null, unitStack: 0 };
}

/** The kernels as the ops bind them: one not loaded is a function that says so. */
export const bound = (fn) => new Proxy(fn, { get: (t, k) => (k in t ? t[k] : () => notLoaded(String(k))) });

function notLoaded(kernel) {
  throw new Error(`relu-wasm: the kernel ${kernel} is not loaded: this page's init() loaded the kernels of the ops it imports from 'relu-wasm' (an op reached another way is not among them)`);
}

/** Adds a unit's kernels (cpp/unit.cpp; their names by its kind's rule) to the core's instance S. */
export function addUnit(S, module, unit, source) {
  let exports;
  try {
    exports = new WebAssembly.Instance(module, { env: { memory: S.memory } }).exports; // (small, compiled: no need to wait for a task)
  } catch (e) {
    throw new Error(`relu-wasm: ${source} is not a relu-wasm unit of this version (${e.message})`);
  }
  if (typeof exports.kernel_count !== 'function' || exports.kernel_count() !== unit.kernels.length) {
    throw new Error(`relu-wasm: ${source} is not the ${unit.name} unit of this version (it has ${exports.kernel_count?.() ?? 'no'} kernels, js/ops.js lists ${unit.kernels.length}); dist/ is out of date (npm run build)`);
  }
  if (S.unitStack === 0) S.unitStack = S.fn.malloc(UNIT_STACK_BYTES) + UNIT_STACK_BYTES;
  exports.__stack_pointer.value = S.unitStack;
  unit.kernels.forEach((name, i) => (S.fn[name] = exports.__indirect_function_table.get(exports.kernel_at(i))));
}

export function selfTest(S) {
  const x = new Float32Array([-1, 2, -0, NaN, -Infinity, 1e-40, 3, -4, 5]);
  const p = S.scratch;
  new Float32Array(S.memory.buffer, p, x.length).set(x);
  S.fn.f32_relu(p, p, x.length, 0, 0);
  const u = new Uint32Array(S.memory.buffer, p, x.length);
  const want = [0, 0x40000000, 0, 0x7fc00000, 0, 0x116c2, 0x40400000, 0, 0x40a00000];
  return want.every((w, i) => u[i] === w);
}

const WASM_FILES = { simd: 'relu-simd.wasm', scalar: 'relu.wasm' };
const CORE_FILE = 'core-simd.wasm';
const unitFile = (name) => `ops/${name}-simd.wasm`;

/**
 * Loads and starts a build for init()'s checked options: on a SIMD engine whose page added
 * only some units (`units`: op name → { kernels, url of its unit or undefined }; `split`: fewer
 * than all), the core and those, in parallel; otherwise, and for options.wasmBinary, the one
 * wasm with every kernel.
 */
export async function load({ simd, wasmBinary, locateFile }, platform, units, split) {
  const want = simd === 'auto' ? (simdSupported() ? 'simd' : 'scalar') : simd ? 'simd' : 'scalar';
  // `url`: where the file is when neither locateFile nor wasmBinary says.
  const fetchFile = (file, url) => {
    if (typeof locateFile === 'function') {
      const where = locateFile(file);
      if (typeof where !== 'string' && !(where instanceof URL)) {
        throw new TypeError(`init: options.locateFile('${file}') must return a URL or a string (got ${describe(where)})`);
      }
      return platform.load(where);
    }
    if (locateFile !== undefined) return platform.load(platform.resolve(file, locateFile));
    return platform.load(url());
  };
  const whole = (st, source) => {
    if (st.core) throw new Error(`relu-wasm: ${source} is the core (core-simd.wasm), which needs its units; give the wasm with every kernel (relu.wasm or relu-simd.wasm)`);
    // Every kernel the ops call, or the wasm is of another version.
    for (const [name, { kernels }] of units) {
      for (const k of kernels) if (!(k in st.fn)) throw new Error(`relu-wasm: ${source} has no kernel ${k} for ${name}; dist/ is out of date (npm run build)`);
    }
    return st;
  };
  const open = async (v) => {
    if (wasmBinary instanceof WebAssembly.Module) return whole(await instantiate(wasmBinary), 'options.wasmBinary');
    if (wasmBinary !== undefined) return whole(await instantiate(await compileBytes(wasmBinary, 'options.wasmBinary')), 'options.wasmBinary');
    if (!(v === 'simd' && split)) return whole(await instantiate(await fetchFile(WASM_FILES[v], () => platform.defaultUrl(WASM_FILES[v]))), WASM_FILES[v]);
    const list = [...units].filter(([, u]) => u.url).map(([name, u]) => ({ name, url: u.url, kernels: u.kernels, file: unitFile(name) }));
    const [core, ...modules] = await Promise.all([
      fetchFile(CORE_FILE, () => platform.defaultUrl(CORE_FILE)),
      ...list.map((u) => fetchFile(u.file, u.url)),
    ]);
    const st = await instantiate(core);
    list.forEach((u, i) => addUnit(st, modules[i], u, u.file));
    return st;
  };
  let st = await open(want);
  if (wasmBinary !== undefined && simd !== 'auto' && st.variant !== want) {
    throw new Error(`relu-wasm: options.wasmBinary is the ${st.variant} build but init({ simd: ${simd} }) asked for ${want}`);
  }
  // Engines have shipped broken SIMD before; a known-answer check costs microseconds.
  if (st.variant === 'simd' && !selfTest(st) && simd === 'auto' && wasmBinary === undefined) {
    st = await open('scalar');
  }
  if (!selfTest(st)) throw new Error(`relu-wasm: the ${st.variant} build failed its self-test on this engine`);
  return st;
}
