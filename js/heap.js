// WasmArray: an array that lives in wasm memory, so ops on it copy nothing. One class per
// module instance (an array belongs to the memory it was allocated in).
import { DTYPES, DTYPE_BY_NAME, DTYPE_BY_TAG, MAX_WASM_BYTES } from './dtypes.js';
import { typedBits, typedLength, typedTag } from './typed.js';
import { describe, holders } from './args.js';


let warned = false;
const leakWarning = (what) => {
  if (warned) return;
  warned = true;
  console.warn(`relu-wasm: a WasmArray (${what}) was garbage-collected without free(); its memory leaked. Call free() or use \`using\`.`);
};

/**
 * Typed arrays over all of wasm memory, re-created when memory growth detached the old ones
 * (a detached view has length 0: cheaper to test than the Memory's buffer getter).
 * S.buffer is the current buffer afterwards.
 */
export function views(S) {
  if (S.views.u8 === undefined || S.views.u8.length === 0) {
    S.buffer = S.memory.buffer;
    // 16-bit floats stream as bits (js/stream.js): a Float16Array would convert values.
    for (const dt in DTYPES) S.views[dt] = new (DTYPES[dt].half ? Uint16Array : DTYPES[dt].Array)(S.buffer);
    S.views.u8 = new Uint8Array(S.buffer);
    S.outViews = {};
  }
  return S.views;
}

const dtypeNames = () => Object.values(DTYPES).map((d) => `'${d.name}'`).join(', ');

export function makeHeap(getState) {
  const leaks = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(leakWarning) : null;
  let ptrOf, keyOf, brand;
  const busy = new Set(); // WasmArrays a parallel() call still runs on (js/core.js)

  function ready(caller) {
    const S = getState();
    if (S === null) throw new Error(`relu-wasm: ${caller}() called before the module is ready; \`await init()\` first`);
    return S;
  }

  class WasmArray {
    #ptr;
    #length;
    #dtype;
    #view = null;

    constructor(token, ptr, length, dtype) {
      if (token !== WasmArray) throw new TypeError('WasmArray: create one with alloc(n, dtype) or from(typedArray)');
      this.#ptr = ptr;
      this.#length = length;
      this.#dtype = dtype;
      leaks?.register(this, `${length} × ${DTYPES[dtype].name}`, this);
    }

    // By brand, not prototype: an object made with Object.create(WasmArray.prototype) has no
    // address (-1, as if freed) and no dtype, so every check on it fails cleanly.
    static {
      ptrOf = (w) => (#ptr in w ? w.#ptr : -1);
      keyOf = (w) => (#dtype in w ? w.#dtype : undefined);
      brand = (v) => v instanceof WasmArray && #ptr in v;
    }

    get length() {
      return this.#length;
    }
    /** numpy's name of the element type: 'float32', 'int8', … */
    get dtype() {
      return DTYPES[this.#dtype].name;
    }
    get byteOffset() {
      return this.#live('byteOffset');
    }
    get freed() {
      return this.#ptr === -1;
    }

    /** A typed array over the data, valid until wasm memory grows (an alloc may grow it). */
    get view() {
      const p = this.#live('view');
      const buffer = getState().memory.buffer;
      if (this.#view === null || this.#view.buffer !== buffer) this.#view = new DTYPES[this.#dtype].Array(buffer, p, this.#length);
      return this.#view;
    }

    toArray() {
      return this.view.slice();
    }

    free() {
      if (busy.has(this)) throw new Error('relu-wasm: free(): a parallel() call is still running on this WasmArray; await it first');
      const p = this.#live('free');
      this.#ptr = -1;
      this.#view = null;
      leaks?.unregister(this);
      getState().fn.free(p);
    }

    /** 'WasmArray': Object.prototype.toString gives [object WasmArray]. */
    get [Symbol.toStringTag]() {
      return 'WasmArray';
    }

    /** What Node's console.log and util.inspect show: WasmArray(float32, 1024), or … freed. */
    [Symbol.for('nodejs.util.inspect.custom')]() {
      return this.#ptr === -1 ? `WasmArray(${DTYPES[this.#dtype].name}, ${this.#length}, freed)` : `WasmArray(${DTYPES[this.#dtype].name}, ${this.#length})`;
    }

    // `using a = alloc(…)` frees at scope exit; also fine after an explicit free().
    [Symbol.dispose ?? Symbol.for('Symbol.dispose')]() {
      if (this.#ptr !== -1) this.free();
    }

    #live(what) {
      if (this.#ptr === -1) throw new TypeError(`WasmArray.${what}: this array was already freed`);
      return this.#ptr;
    }
  }

  function allocKey(n, dt, caller) {
    const S = ready(caller);
    const d = DTYPES[dt];
    if (typeof n !== 'number') throw new TypeError(`${caller}: length must be a number (got ${describe(n)})`);
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${caller}: length must be a non-negative integer (got ${n})`);
    const bytes = n * d.bytes;
    const ptr = bytes < MAX_WASM_BYTES ? S.fn.malloc(Math.max(bytes, 1)) : 0;
    if (ptr === 0) {
      throw new RangeError(
        `${caller}: cannot allocate ${n} × ${d.name} = ${bytes} bytes; wasm memory is limited to ${MAX_WASM_BYTES} bytes ` +
          `(${S.memory.buffer.byteLength} reserved now, ${S.fn.heap_used()} in use)`,
      );
    }
    return new WasmArray(WasmArray, ptr, n, dt);
  }

  /** alloc(n, dtype): an uninitialised WasmArray of n elements. */
  function alloc(n, dtype = 'float32') {
    const dt = DTYPE_BY_NAME[dtype];
    if (dt === undefined) throw new TypeError(`alloc: dtype must be one of ${dtypeNames()} (got ${typeof dtype === 'string' ? `'${dtype}'` : String(dtype)})`);
    return allocKey(n, dt, 'alloc');
  }

  /**
   * from(typedArray, dtype?): a WasmArray holding a copy of it. dtype is needed for a
   * Uint16Array of 16-bit float bits ('float16', 'bfloat16'); else it is the array's own.
   */
  function from(array, dtype) {
    const tag = typedTag(array); // a real typed array, not one that only looks like it
    let dt = DTYPE_BY_TAG[tag];
    if (dtype !== undefined) {
      const want = DTYPE_BY_NAME[dtype];
      if (want === undefined) throw new TypeError(`from: dtype must be one of ${dtypeNames()} (got ${describe(dtype)})`);
      if (!(tag === DTYPES[want].Array.name || (DTYPES[want].half && tag === 'Uint16Array'))) {
        throw new TypeError(`from: a ${DTYPES[want].name} WasmArray is made from ${holders(want)} (got ${describe(array)})`);
      }
      dt = want;
    }
    if (dt === undefined) {
      const bits = tag === 'Uint16Array' ? "; a Uint16Array of 16-bit float bits needs its dtype: from(u16, 'float16' or 'bfloat16')" : '';
      throw new TypeError(`from: expected one of ${Object.keys(DTYPE_BY_TAG).join(', ')} (got ${describe(array)})${bits}`);
    }
    const w = allocKey(typedLength(array), dt, 'from');
    if (DTYPES[dt].half) typedBits(w.view).set(typedBits(array)); // bits: a Float16Array's values would be converted
    else w.view.set(array);
    return w;
  }

  const isWasmArray = (v) => brand(v);

  /** Byte address of a live WasmArray; throws a TypeError naming the op if it was freed. */
  function pointerOf(w, name, what = 'a WasmArray argument') {
    const p = ptrOf(w);
    if (p === -1) throw new TypeError(`${name}: ${what} is a WasmArray that was already freed`);
    return p;
  }

  return {
    WasmArray,
    alloc,
    allocKey,
    from,
    isWasmArray,
    pointerOf,
    dtypeKey: (w) => keyOf(w),
    /** Byte address, or -1 once freed: for hot paths that check it themselves. */
    rawPointer: (w) => ptrOf(w),
    busy,
  };
}

