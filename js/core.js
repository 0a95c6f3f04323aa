// Platform-independent part of the package: module start-up, the kernel table and the public
// ops, all built from js/ops.js. js/node.js and js/browser.js differ only in how they fetch
// the wasm (their `platform`). createApi() makes one independent instance; the package's
// exports are one such instance, benchmarks make one per variant.
import createReluModule from '../dist/relu.mjs';
import { CORE, DTYPES, OPS, UNIT_COUNT } from './table.js';
import { CAST_KERNELS, unitKernels } from './kernels.js';
import { simdSupported } from './detect.js';
import { makeHeap, views } from './heap.js';
import { describe, makeChecks } from './args.js';
import { typedBuffer, typedOffset, typedTag } from './typed.js';
import { makeMapOp } from './kind-map.js';
import { makeChannelOp } from './kind-channel.js';
import { makeCountOp } from './kind-count.js';
import { makeCast } from './cast.js';

const MAKERS = { map: makeMapOp, map2: makeMapOp, channel: makeChannelOp, channel2: makeChannelOp, count: makeCountOp };

// Scratch for streaming JS arrays: two buffers, sized so a chunk of input, scratch and output
// stays in L2 (bench/chunk.mjs: sizes from 8 to 256 KB measure the same).
const SCRATCH_BYTES = 32 * 1024;
// -sMAXIMUM_MEMORY's default in Emscripten 3.1.6: 2 GiB.
const MAX_PARAM_BYTES = 2 ** 31;

const WASM_FILES = { simd: 'relu-simd.wasm', scalar: 'relu.wasm' };
const CORE_FILE = 'core-simd.wasm';
const unitFile = (name) => `ops/${name}-simd.wasm`;
// The units' stack, shared: a kernel never calls another module, so they never nest. The size
// of the Embind modules' own stack (CMakeLists.txt -sTOTAL_STACK), which runs the same kernels.
const UNIT_STACK_BYTES = 64 * 1024;
const INIT_OPTIONS = ['simd', 'wasmBinary', 'locateFile'];

// A new zeroed typed array. From 64 KB, over an ArrayBuffer made first: V8's typed-array
// constructor zeroes large ones slower (node bench/alloc.mjs: 2^20 float32s in 179 µs against
// 307), small ones faster (4096: 1.7 µs against 2.3).
const newTyped = (A, n) => (n * A.BYTES_PER_ELEMENT >= 65536 ? new A(new ArrayBuffer(n * A.BYTES_PER_ELEMENT)) : new A(n));

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
async function instantiate(module) {
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
  // The wasm with every kernel, or the core that units complete (js/ops.js CORE).
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
const bound = (fn) => new Proxy(fn, { get: (t, k) => (k in t ? t[k] : () => notLoaded(String(k))) });

function notLoaded(kernel) {
  throw new Error(`relu-wasm: the kernel ${kernel} is not loaded: this page's init() loaded the kernels of the ops it imports from 'relu-wasm' (an op reached another way is not among them)`);
}

/** Adds a unit's kernels (cpp/unit.cpp; their names from js/kernels.js) to the core's instance S. */
function addUnit(S, module, unit, source) {
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

function selfTest(S) {
  const x = new Float32Array([-1, 2, -0, NaN, -Infinity, 1e-40, 3, -4, 5]);
  const p = S.scratch;
  new Float32Array(S.memory.buffer, p, x.length).set(x);
  S.fn.f32_relu(p, p, x.length, 0, 0);
  const u = new Uint32Array(S.memory.buffer, p, x.length);
  const want = [0, 0x40000000, 0, 0x7fc00000, 0, 0x116c2, 0x40400000, 0, 0x40a00000];
  return want.every((w, i) => u[i] === w);
}

/** A new, independent instance of the whole API; `platform` loads wasm (see js/node.js). */
export function createApi(platform) {
  const api = createCore(platform);
  for (const row of OPS) api._add(row.name, row, MAKERS[row.kind]);
  api._add('cast', null, makeCast);
  return api;
}

/**
 * An instance with no ops yet: _add(name, row, maker) makes one, from its row of js/table.js
 * (the package's exports add theirs one by one, js/public.js, so a bundler keeps only the rows
 * and makers of the ops an app calls).
 */
export function createCore(platform) {
  let S = null; // the running instance once init() resolved
  let pending = null;
  const heap = makeHeap(() => S);

  function notReady(name) {
    return new Error(`relu-wasm: ${name}() called before the module is ready; \`await init()\` first`);
  }

  let first = null; // the options of the init() that started the running (or loaded) instance

  function init(options = {}) {
    if (pending) {
      // A later call joins the first; asking for something else is an error, not a silent
      // other build.
      let later;
      try {
        later = readInitOptions(options);
      } catch (e) {
        return Promise.reject(e);
      }
      const wrong = conflict(later);
      if (wrong !== null) return Promise.reject(wrong);
      // An 'auto' first call still loading: which build it gets is known once it has loaded.
      if (S === null && later.simd !== 'auto') {
        return pending.then((api) => {
          const late = conflict(later);
          if (late !== null) throw late;
          return api;
        });
      }
      return pending;
    }
    pending = start(options).catch((e) => {
      pending = null; // a later init() may retry, e.g. after a network error
      first = null;
      throw e;
    });
    return pending;
  }

  /** The options as plain values (each read once), after checking their keys. */
  function readInitOptions(options) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`init(options): options must be an object or omitted (got ${describe(options)})`);
    }
    for (const k of Object.keys(options)) {
      if (!INIT_OPTIONS.includes(k)) throw new TypeError(`init: unknown option '${k}' (accepted: ${INIT_OPTIONS.join(', ')})`);
    }
    const { simd = 'auto', wasmBinary, locateFile } = options;
    return { simd, wasmBinary, locateFile };
  }

  /** Why a later init(options) cannot join the instance the first call started, or null. */
  function conflict(later) {
    const build = (simd) => (simd === true ? 'simd' : simd === false ? 'scalar' : null);
    const have = S !== null ? S.variant : build(first.simd);
    const want = build(later.simd);
    if (want !== null && have !== null && want !== have) {
      return new Error(`relu-wasm: init({ simd: ${later.simd} }) asks for the ${want} build, but the ${have} build is ${S !== null ? 'loaded' : 'loading'}; call init() once, with the options you want`);
    }
    for (const k of ['wasmBinary', 'locateFile']) {
      if (later[k] !== undefined && later[k] !== first[k]) {
        return new Error(`relu-wasm: init() was already called with ${first[k] === undefined ? `no ${k}` : `another ${k}`}; a later init() cannot change it (call init() once, with the options you want)`);
      }
    }
    return null;
  }

  async function start(options) {
    const { simd, wasmBinary, locateFile } = (first = readInitOptions(options));
    if (simd !== 'auto' && simd !== true && simd !== false) {
      throw new TypeError(`init: options.simd must be 'auto', true or false (got ${describe(simd)})`);
    }
    if (locateFile !== undefined && typeof locateFile !== 'function' && typeof locateFile !== 'string' && !(locateFile instanceof URL)) {
      throw new TypeError(`init: options.locateFile must be a function (file) => url, or a base URL/path string (got ${describe(locateFile)})`);
    }
    if (wasmBinary !== undefined && !(wasmBinary instanceof WebAssembly.Module || wasmBinary instanceof ArrayBuffer || ArrayBuffer.isView(wasmBinary))) {
      throw new TypeError(`init: options.wasmBinary must be an ArrayBuffer, a typed array or a WebAssembly.Module (got ${describe(wasmBinary)})`);
    }
    if (simd === true && !simdSupported()) {
      throw new Error('relu-wasm: init({ simd: true }) but this engine does not support wasm SIMD');
    }
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
    // A SIMD page whose imports need only some units loads the core and those (in parallel);
    // otherwise, and for options.wasmBinary, the one wasm with every kernel.
    const wanted = platform.units?.();
    const split = (v) => v === 'simd' && wasmBinary === undefined && wanted !== undefined && wanted.size < UNIT_COUNT;
    const whole = (st, source) => {
      if (st.core) throw new Error(`relu-wasm: ${source} is the core (core-simd.wasm), which needs its units; give the wasm with every kernel (relu.wasm or relu-simd.wasm)`);
      // Every kernel the ops call, or the wasm is of another version.
      for (const [name, kernels] of needed) {
        for (const k of kernels) if (!(k in st.fn)) throw new Error(`relu-wasm: ${source} has no kernel ${k} for ${name}; dist/ is out of date (npm run build)`);
      }
      return st;
    };
    const open = async (v) => {
      if (wasmBinary instanceof WebAssembly.Module) return whole(await instantiate(wasmBinary), 'options.wasmBinary');
      if (wasmBinary !== undefined) return whole(await instantiate(await compileBytes(wasmBinary, 'options.wasmBinary')), 'options.wasmBinary');
      if (!split(v)) return whole(await instantiate(await fetchFile(WASM_FILES[v], () => platform.defaultUrl(WASM_FILES[v]))), WASM_FILES[v]);
      const units = [...wanted].map(([name, url]) => ({ name, url, kernels: needed.get(name), file: unitFile(name) }));
      const [core, ...modules] = await Promise.all([
        fetchFile(CORE_FILE, () => platform.defaultUrl(CORE_FILE)),
        ...units.map((u) => fetchFile(u.file, u.url)),
      ]);
      const st = await instantiate(core);
      units.forEach((u, i) => addUnit(st, modules[i], u, u.file));
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
    S = st;
    for (const m of made) m.bind(bound(S.fn));
    return api;
  }

  const ctx = {
    state: () => S,
    heap,
    checks: makeChecks(heap),
    notReady,
    views: () => views(S),
    /**
     * Where a typed-array operand sits in wasm memory (its byte offset), or -1 (a JS array, a
     * WasmArray, absent). An op records it before allocating, since growth detaches such views.
     */
    wasmAt: (v) => (v === undefined || heap.isWasmArray(v) || typedBuffer(v) !== S.memory.buffer ? -1 : typedOffset(v)),
    /** The operand again after the op's allocations: a detached wasm view re-made at its place. */
    again: (v, at, dt, n) => (at < 0 || typedBuffer(v) === S.memory.buffer ? v : new DTYPES[dt].Array(S.memory.buffer, at, n)),
    /** A result like `like`: a WasmArray for WasmArray inputs, else a JS typed array. */
    newArray: (like, dt, n, name) => (heap.isWasmArray(like) ? heap.allocKey(n, dt, name)
      : newTyped(DTYPES[dt].half && typedTag(like) === 'Uint16Array' ? Uint16Array : DTYPES[dt].Array, n)), // bits in, bits out
    /**
     * A reusable wasm region of at least `bytes` for op parameters (slopes, sums, counts). The
     * size is checked before malloc, whose size_t would wrap past 2^32 (and then zeroing the
     * region would run over the heap): `what` names the argument that asked for it.
     */
    params(bytes, name, what, tag = null) {
      // `tag` names what the area holds afterwards (a quantized table: js/quant.js reuses it
      // while its tag is unchanged); any other use clears it.
      S.paramTag = null;
      if (bytes > S.paramBytes) {
        if (!(bytes < MAX_PARAM_BYTES)) {
          throw new RangeError(`${name}: ${what} too large: its parameter area would need ${bytes} bytes of wasm memory, which is limited to ${MAX_PARAM_BYTES} bytes`);
        }
        const p = S.fn.malloc(bytes);
        if (p === 0) throw new RangeError(`${name}: ${what} too large: its parameter area needs ${bytes} bytes of wasm memory, more than is free (${S.memory.buffer.byteLength} bytes reserved, ${S.fn.heap_used()} in use)`);
        if (S.paramPtr !== 0) S.fn.free(S.paramPtr);
        S.paramPtr = p;
        S.paramBytes = bytes;
      }
      S.paramTag = tag;
      return S.paramPtr;
    },
  };

  const made = [];
  const needed = new Map(); // op name → the kernels its JS calls (its unit's)
  const api = {
    init,
    get variant() {
      return S === null ? null : S.variant;
    },
    /** Bytes malloc'ed in wasm memory now: WasmArrays, the scratch, the parameter area. */
    heapUsed: () => (S === null ? 0 : S.fn.heap_used()),
    memoryBytes: () => (S === null ? 0 : S.memory.buffer.byteLength),
    ...heap,
  };
  // An op from its row of the table (null for cast) and its kind's maker.
  api._add = (name, row, maker) => {
    const m = maker(ctx, row);
    needed.set(name, row === null ? CAST_KERNELS : unitKernels(row));
    made.push(m);
    if (S !== null) m.bind(bound(S.fn));
    return (api[name] = m.op);
  };
  // For benchmarks: the raw kernels and memory of this instance.
  api._state = () => S;
  return api;
}
