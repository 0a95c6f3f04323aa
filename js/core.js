// An instance of the API: init() (js/load.js loads the build), the context the ops are made
// with (js/kinds/), and add(), which makes an op from its row and its kind's record. The
// package's exports are one instance (js/instance.js); createApi() makes an independent one
// with every op, for tests and benchmarks.
import { DTYPES, MAX_WASM_BYTES } from './dtypes.js';
import { OPS } from './ops.js';
import { KINDS } from './kinds/index.js';
import { cast } from './cast.js';
import { makeHeap, views } from './heap.js';
import { describe, makeChecks } from './args.js';
import { typedBuffer, typedOffset, typedTag } from './typed.js';
import { SCRATCH_BYTES, bound, load, selfTest } from './load.js';
import { simdSupported } from './detect.js';
import { initParams } from './init-params.js';

// init()'s own options; the table's init-able params (js/ops.js `init: true`) are options too
// where an instance has ops that take them (js/init-params.js).
export const INIT_OPTIONS = ['simd', 'wasmBinary', 'locateFile', 'threads'];
// (threads: the most a pool may have, as a sanity bound on the option)
const MAX_THREADS = 64;

// A new zeroed typed array. From 64 KB, over an ArrayBuffer made first: V8's typed-array
// constructor zeroes large ones slower (node bench/alloc.mjs: 2^20 float32s in 179 µs against
// 307), small ones faster (4096: 1.7 µs against 2.3).
const newTyped = (A, n) => (n * A.BYTES_PER_ELEMENT >= 65536 ? new A(new ArrayBuffer(n * A.BYTES_PER_ELEMENT)) : new A(n));

/**
 * A new, independent instance with every op; `platform` loads wasm (js/node.js nodePlatform,
 * js/browser.js browserPlatform); `unitUrl(name)`, where a platform loads units, gives the URL
 * of the units to load (a function, as js/public.js gives them), or undefined.
 */
export function createApi(platform, unitUrl = () => undefined) {
  const api = createCore(platform);
  for (const row of OPS) {
    const kind = row.params.some((p) => p.init) ? initParams(api, KINDS[row.kind]) : KINDS[row.kind];
    api.add(row.name, row, kind, unitUrl(row.name), OPS.length + 1);
  }
  api.add('cast', null, cast, unitUrl('cast'), OPS.length + 1);
  return api;
}

/** The options of init() as plain values (each read once), checked. */
export function readInitOptions(options) {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`init(options): options must be an object or omitted (got ${describe(options)})`);
  }
  for (const k of Object.keys(options)) {
    if (!INIT_OPTIONS.includes(k)) throw new TypeError(`init: unknown option '${k}' (accepted: ${INIT_OPTIONS.join(', ')})`);
  }
  const { simd = 'auto', wasmBinary, locateFile, threads } = options;
  if (threads !== undefined && threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)) {
    throw new TypeError(`init: options.threads must be 'auto' or an integer from 1 to ${MAX_THREADS} (got ${describe(threads)})`);
  }
  if (threads !== undefined && threads !== 1 && (simd === false || wasmBinary !== undefined)) {
    throw new TypeError(`init: options.threads runs the SIMD build for shared memory (dist/relu-mt.wasm); it cannot be combined with ${simd === false ? 'simd: false' : 'wasmBinary'}`);
  }
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
  return { simd, wasmBinary, locateFile, threads };
}

let warned = false;
/** Why this engine / page gets one thread for init({ threads }), said once; null if it may have more. */
function noThreads(via) {
  const why = !via.threads ? 'this platform has no pool; this instance runs on one thread'
    : via.threads.why?.() ?? (typeof SharedArrayBuffer !== 'function' ? 'this engine has no SharedArrayBuffer; this instance runs on one thread' : null);
  if (why !== null && !warned) {
    warned = true;
    console.warn(`relu-wasm: init({ threads }): ${why}`);
  }
  return why;
}

/**
 * An instance with no ops yet: add(name, row, kind, url?, count?) makes one from its row of the
 * table and its kind's record (the package's exports add theirs one by one, js/public.js, so a
 * bundler keeps only the rows and kinds of the ops an app calls; `url` is its unit's wasm and
 * `count` how many units there are: a page that added them all loads the whole build).
 */
export function createCore(platform) {
  let S = null; // the running instance once init() resolved
  let pending = null;
  let first = null; // the options of the init() that started the running (or loading) instance
  let unitCount = Infinity;
  const heap = makeHeap(() => S);
  const made = [];
  const units = new Map(); // op name → { kernels its JS calls (its unit's), url of its unit }

  const notReady = (name) => new Error(`relu-wasm: ${name}() called before the module is ready; \`await init()\` first`);

  /** Starts the instance (`via`: the platform, if not the instance's), or joins the start under way. */
  function init(options = {}, via = platform) {
    let given;
    try {
      given = readInitOptions(options);
    } catch (e) {
      return Promise.reject(e);
    }
    if (pending) {
      // A later call joins the first; asking for something else is an error, not a silent other build.
      const wrong = conflict(given);
      if (wrong !== null) return Promise.reject(wrong);
      // An 'auto' first call still loading: which build it gets is known once it has loaded.
      if (S === null && given.simd !== 'auto') {
        return pending.then((api) => {
          const late = conflict(given);
          if (late !== null) throw late;
          return api;
        });
      }
      return pending;
    }
    first = given;
    const split = via.units === true && given.wasmBinary === undefined && [...units.values()].filter((u) => u.url).length < unitCount;
    const threads = given.threads === 'auto' ? via.threads?.auto() ?? 1 : given.threads ?? 1;
    const threaded = threads > 1 && noThreads(via) === null;
    pending = (threaded ? via.threads.load(via, threads, { scratchBytes: SCRATCH_BYTES, selfTest }) : load(given, via, units, split)).then((st) => {
      S = st;
      for (const m of made) m.bind(bound(S.fn));
      return api;
    }, (e) => {
      pending = null; // a later init() may retry, e.g. after a network error
      first = null;
      throw e;
    });
    return pending;
  }

  /** Why a later init(options) cannot join the instance the first call started, or null. */
  function conflict(later) {
    const build = (simd) => (simd === true ? 'simd' : simd === false ? 'scalar' : null);
    const have = S !== null ? S.variant : build(first.simd);
    const want = build(later.simd);
    if (want !== null && have !== null && want !== have) {
      return new Error(`relu-wasm: init({ simd: ${later.simd} }) asks for the ${want} build, but the ${have} build is ${S !== null ? 'loaded' : 'loading'}; call init() once, with the options you want`);
    }
    if (later.threads !== undefined && later.threads !== (first.threads ?? 1)) {
      return new Error(`relu-wasm: init({ threads: ${later.threads} }) asks for another pool than the first init()'s (threads: ${first.threads}); call init() once, with the options you want`);
    }
    for (const k of ['wasmBinary', 'locateFile']) {
      if (later[k] !== undefined && later[k] !== first[k]) {
        return new Error(`relu-wasm: init() was already called with ${first[k] === undefined ? `no ${k}` : `another ${k}`}; a later init() cannot change it (call init() once, with the options you want)`);
      }
    }
    return null;
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
        if (!(bytes < MAX_WASM_BYTES)) {
          throw new RangeError(`${name}: ${what} too large: its parameter area would need ${bytes} bytes of wasm memory, which is limited to ${MAX_WASM_BYTES} bytes`);
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

  const api = {
    init,
    get variant() {
      return S === null ? null : S.variant;
    },
    /**
     * op(...args) with its slices on the pool, without blocking the calling thread: a promise of
     * the op's result (a page's main thread may not wait for workers; elsewhere too). The arrays
     * must live in wasm memory (WasmArrays, which cannot be freed until it resolves); without a
     * pool, the op runs now.
     */
    async parallel(op, ...args) {
      if (S === null) throw notReady('parallel');
      if (typeof op !== 'function' || !made.some((m) => m.op === op)) throw new TypeError(`parallel(op, ...args): op must be one of this module's ops (got ${describe(op)})`);
      const arrays = args.flatMap((a) => (a !== null && typeof a === 'object' && !ArrayBuffer.isView(a) && !heap.isWasmArray(a) ? Object.values(a) : [a]));
      const js = arrays.find((a) => ArrayBuffer.isView(a) && typedBuffer(a) !== S.memory.buffer);
      if (js !== undefined) throw new TypeError(`parallel(${op.name}, …): pass WasmArrays (got a ${typedTag(js)} outside wasm memory: such arrays stream through a scratch in chunks, which a call whose slices run later cannot)`);
      if (!S.pool) return op(...args);
      const held = arrays.filter((a) => heap.isWasmArray(a) && !heap.busy.has(a));
      S.mode.recording = [];
      let result, jobs;
      try {
        result = op(...args);
      } finally {
        jobs = S.mode.recording;
        S.mode.recording = null;
      }
      held.forEach((a) => heap.busy.add(a));
      try {
        for (const j of jobs) await S.pool.runAsync(j.k, j.kernel, j.jobs);
      } finally {
        held.forEach((a) => heap.busy.delete(a));
      }
      return result;
    },
    /** Threads a long call may run on: 1 without a pool (or before init() resolved). */
    threads: () => S?.threads ?? 1,
    /** Ends the pool's workers; later calls long enough to split are errors (the rest run here). */
    terminate: () => S?.pool?.terminate(),
    /** Bytes malloc'ed in wasm memory now: WasmArrays, the scratch, the parameter area. */
    heapUsed: () => (S === null ? 0 : S.fn.heap_used()),
    memoryBytes: () => (S === null ? 0 : S.memory.buffer.byteLength),
    ...heap,
    /** Makes the op `name` from its row (null for cast) and its kind's record; returns it. No `url`: its unit is not loaded. */
    add(name, row, kind, url, count = Infinity) {
      const m = kind.make(ctx, row, kind);
      units.set(name, { kernels: kind.kernels(row), url });
      unitCount = count;
      made.push(m);
      if (S !== null) m.bind(bound(S.fn));
      return (api[name] = m.op);
    },
    // For benchmarks: the raw kernels and memory of this instance.
    _state: () => S,
  };
  return api;
}
