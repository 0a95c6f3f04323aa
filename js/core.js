// Platform-independent part of the package: module start-up, the kernel table and the public
// ops, all built from js/ops.js. js/node.js and js/browser.js differ only in how they fetch
// the wasm (their `platform`). createApi() makes one independent instance; the package's
// exports are one such instance, benchmarks make one per variant.
import createReluModule from '../dist/relu.mjs';
import { DTYPES, KERNELS, OPS } from './ops.js';
import { simdSupported } from './detect.js';
import { DTYPE_BY_CTOR, makeHeap, views } from './heap.js';
import { streamOp } from './stream.js';

// Scratch for streaming JS arrays: two buffers, sized so a chunk of input, scratch and output
// stays in L2 (bench/chunk.mjs measured the choice).
const SCRATCH_BYTES = 32 * 1024;

const WASM_FILES = { simd: 'relu-simd.wasm', scalar: 'relu.wasm' };

export function describe(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'object' || typeof v === 'function') return v.constructor?.name ?? 'object';
  if (typeof v === 'string') return `string '${v.length > 20 ? v.slice(0, 20) + '…' : v}'`;
  return `${typeof v} ${String(v)}`;
}

/** Compiles bytes, naming their source and what they look like when they are not wasm. */
export async function compileBytes(bin, source) {
  const u8 = bin instanceof ArrayBuffer ? new Uint8Array(bin) : new Uint8Array(bin.buffer, bin.byteOffset, bin.byteLength);
  if (!(u8[0] === 0 && u8[1] === 0x61 && u8[2] === 0x73 && u8[3] === 0x6d)) {
    const text = new TextDecoder().decode(u8.subarray(0, 60)).replace(/\s+/g, ' ');
    throw new Error(`relu-wasm: ${source} is not a wasm binary (${u8.length} bytes starting ${JSON.stringify(text)})`);
  }
  return WebAssembly.compile(u8);
}

async function instantiate(module) {
  let fail;
  const failed = new Promise((_, reject) => (fail = reject));
  let exports;
  const Module = await Promise.race([
    failed,
    createReluModule({
      // Always hand the loader an instance: its own fetch() path breaks in Node 18+.
      instantiateWasm(imports, receive) {
        try {
          const instance = new WebAssembly.Instance(module, imports);
          exports = instance.exports;
          receive(instance, module);
          return exports;
        } catch (e) {
          fail(new Error(`relu-wasm: this wasm is not a relu-wasm build of this version (${e.message})`));
          return {};
        }
      },
      print() {},
      printErr() {},
    }),
  ]);
  const values = Object.values(exports);
  const memory = values.find((v) => v instanceof WebAssembly.Memory);
  const table = values.find((v) => v instanceof WebAssembly.Table);
  if (Module.count() !== KERNELS.length) {
    throw new Error(`relu-wasm: the wasm has ${Module.count()} kernels but js/ops.js lists ${KERNELS.length}; dist/ is out of date (npm run build)`);
  }
  const fn = {};
  KERNELS.forEach((name, i) => (fn[name] = table.get(Module.kernel(i))));
  const scratch = fn.malloc(2 * SCRATCH_BYTES);
  const variant = Module.simd() ? 'simd' : 'scalar';
  return { variant, memory, fn, buffer: null, views: {}, scratch, scratchBytes: SCRATCH_BYTES };
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

function isDetached(buf) {
  if (typeof buf.detached === 'boolean') return buf.detached;
  try {
    new Uint8Array(buf);
    return false;
  } catch {
    return true;
  }
}

const dtypeList = (dts) => dts.map((d) => DTYPES[d].Array.name).join(', ');

/** A new, independent instance of the API; `platform` loads wasm (see js/node.js). */
export function createApi(platform) {
  let S = null; // the running instance once init() resolved
  let pending = null;
  const heap = makeHeap(() => S);
  const { isWasmArray, pointerOf, dtypeKey, allocKey } = heap;

  function notReady(name) {
    return new Error(`relu-wasm: ${name}() called before the module is ready; \`await init()\` first`);
  }

  function init(options = {}) {
    if (pending) return pending;
    pending = start(options).catch((e) => {
      pending = null; // a later init() may retry, e.g. after a network error
      throw e;
    });
    return pending;
  }

  async function start(options) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`init(options): options must be an object or omitted (got ${describe(options)})`);
    }
    const { simd = 'auto', wasmBinary, locateFile } = options;
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
    const load = (v) => {
      if (wasmBinary instanceof WebAssembly.Module) return wasmBinary;
      if (wasmBinary !== undefined) return compileBytes(wasmBinary, 'options.wasmBinary');
      const file = WASM_FILES[v];
      if (typeof locateFile === 'function') return platform.load(locateFile(file));
      if (locateFile !== undefined) return platform.load(platform.resolve(file, locateFile));
      return platform.load(platform.defaultUrl(v));
    };
    let st = await instantiate(await load(want));
    if (wasmBinary !== undefined && simd !== 'auto' && st.variant !== want) {
      throw new Error(`relu-wasm: options.wasmBinary is the ${st.variant} build but init({ simd: ${simd} }) asked for ${want}`);
    }
    // Engines have shipped broken SIMD before; a known-answer check costs microseconds.
    if (st.variant === 'simd' && !selfTest(st) && simd === 'auto' && wasmBinary === undefined) {
      st = await instantiate(await load('scalar'));
    }
    if (!selfTest(st)) throw new Error(`relu-wasm: the ${st.variant} build failed its self-test on this engine`);
    S = st;
    for (const { kernels, row } of made) for (const dt of row.dtypes) kernels[dt] = S.fn[`${dt}_${row.name}`];
    return api;
  }

  // -------------------------------------------------------------------------------------
  // Argument checks shared by all ops. They allocate nothing on the success path.

  function dtypeOf(v, name, what, row) {
    const dt = isWasmArray(v) ? dtypeKey(v) : DTYPE_BY_CTOR.get(v?.constructor);
    if (dt === undefined || !row.dtypes.includes(dt)) {
      throw new TypeError(`${name}: ${what} must be one of ${dtypeList(row.dtypes)} or a WasmArray of those (got ${describe(v)}${isWasmArray(v) ? ' of ' + v.dtype : ''})`);
    }
    return dt;
  }

  function lengthOf(v, name, what) {
    if (isWasmArray(v)) {
      pointerOf(v, name); // throws if freed
      return v.length;
    }
    if (v.length === 0 && isDetached(v.buffer)) {
      throw new TypeError(`${name}: ${what} is a view of a detached ArrayBuffer (transferred, or a wasm memory view taken before memory grew)`);
    }
    return v.length;
  }

  function checkParam(p, v, dt, name) {
    if (v === undefined) {
      if (p.default === undefined) throw new TypeError(`${name}: ${p.name} is required`);
      return p.default;
    }
    if (typeof v !== 'number') throw new TypeError(`${name}: ${p.name} must be a number (got ${describe(v)})`);
    const d = DTYPES[dt];
    if (d.float) {
      if (v !== v) throw new RangeError(`${name}: ${p.name} must not be NaN`);
    } else if (!Number.isInteger(v) || v < d.min || v > d.max) {
      throw new RangeError(`${name}: ${p.name} must be an integer in [${d.min}, ${d.max}] for ${d.name} (got ${v})`);
    }
    return v;
  }

  // Typed array over an operand's current data (WasmArrays: a view of wasm memory).
  const dataOf = (v) => (isWasmArray(v) ? v.view : v);

  function makeOp(row) {
    const { name } = row;
    const inputs = row.kind === 'map2' ? ['dy', 'x'] : ['x'];
    const two = inputs.length === 2;
    const positional = row.params.filter((p) => !p.option);
    const optional = row.params.filter((p) => p.option);
    const lastAt = inputs.length + positional.length;
    const kernels = {};
    const pick = (i, a0, a1, a2, a3, a4) => (i === 1 ? a1 : i === 2 ? a2 : i === 3 ? a3 : a4);

    function run(x, y, dt, n, pa, pb, given) {
      let out = given;
      if (out === undefined || out === null) {
        out = isWasmArray(x) ? allocKey(n, dt, name) : new DTYPES[dt].Array(n);
      } else {
        if (dtypeOf(out, name, 'out', row) !== dt) {
          throw new TypeError(`${name}: out must have the same dtype as ${inputs[0]} (${DTYPES[dt].name}), got ${describe(out)}`);
        }
        if (lengthOf(out, name, 'out') !== n) throw new RangeError(`${name}: out has length ${out.length} but ${inputs[0]} has length ${n}`);
      }
      // Views are taken after any allocation above, which may have grown (detached) memory.
      streamOp(S, kernels[dt], dt, dataOf(out), dataOf(x), two ? dataOf(y) : undefined, n, pa, pb);
      return out;
    }

    const op = {
      [name](a0, a1, a2, a3, a4) {
        if (S === null) throw notReady(name);
        const x = a0;
        const y = two ? a1 : undefined;
        const dt = dtypeOf(x, name, inputs[0], row);
        const n = lengthOf(x, name, inputs[0]);
        if (two) {
          if (dtypeOf(y, name, inputs[1], row) !== dt) {
            throw new TypeError(`${name}: ${inputs[1]} must have the same dtype as ${inputs[0]} (${DTYPES[dt].name}), got ${describe(y)}`);
          }
          if (lengthOf(y, name, inputs[1]) !== n) throw new RangeError(`${name}: ${inputs[0]} has length ${n} but ${inputs[1]} has length ${y.length}`);
        }
        let last = pick(lastAt, a0, a1, a2, a3, a4);
        let opts;
        if (last !== undefined && last !== null && !ArrayBuffer.isView(last) && !isWasmArray(last)) {
          if (typeof last !== 'object') {
            throw new TypeError(`${name}: the argument after ${[...inputs, ...positional.map((p) => p.name)].join(', ')} must be an output array or an options object (got ${describe(last)})`);
          }
          opts = last;
          last = opts.out;
          for (const k in opts) {
            if (k !== 'out' && !optional.some((p) => p.name === k)) {
              throw new TypeError(`${name}: unknown option '${k}' (accepted: ${['out', ...optional.map((p) => p.name)].join(', ')})`);
            }
          }
        }
        let pa = 0;
        let pb = 0;
        for (let i = 0; i < positional.length; i++) {
          const v = checkParam(positional[i], pick(inputs.length + i, a0, a1, a2, a3, a4), dt, name);
          if (i === 0) pa = v;
          else pb = v;
        }
        if (optional.length !== 0) {
          const p = optional[0]; // the table has at most one option (zeroPoint)
          const v = opts?.[p.name];
          if (v !== undefined && p.ints && DTYPES[dt].float) {
            throw new TypeError(`${name}: ${p.name} applies to integer (quantized) dtypes only, not ${DTYPES[dt].name}`);
          }
          pa = checkParam(p, v, dt, name);
        }
        row.check?.(pa, pb, name);
        return run(x, y, dt, n, pa, pb, last);
      },
    }[name];
    return { op, kernels, row };
  }

  const made = OPS.map(makeOp);

  const api = {
    init,
    get variant() {
      return S === null ? null : S.variant;
    },
    /** Bytes currently malloc'ed in wasm memory (WasmArrays + the fixed scratch). */
    heapUsed: () => (S === null ? 0 : S.fn.heap_used()),
    memoryBytes: () => (S === null ? 0 : S.memory.buffer.byteLength),
    ...heap,
  };
  for (const { op, row } of made) api[row.name] = op;
  // For benchmarks: the raw kernels and memory of this instance.
  api._state = () => S;
  return api;
}
