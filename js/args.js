// Argument checks shared by all ops. They allocate nothing on the success path; failures
// throw a TypeError (wrong kind of thing) or RangeError (right kind, bad value) that says
// what was given and what is accepted.
import { DTYPES, DTYPE_BY_NAME as BY_NAME, DTYPE_BY_TAG } from './dtypes.js';
import { typedInBounds, typedLength, typedTag } from './typed.js';

// And the other way (reading a constructor's `name` is a getter call: slow on a hot path).
const TAG_OF_DTYPE = Object.fromEntries(Object.entries(DTYPES).map(([k, d]) => [k, d.Array.name]));

/** The JS arrays that hold dtype dt, in words: 'a Float16Array or a Uint16Array of its bits'. */
export const holders = (dt) => (DTYPES[dt].half ? `${DTYPES[dt].bits ? '' : `a ${TAG_OF_DTYPE[dt]} or `}a Uint16Array of its bits` : `a ${TAG_OF_DTYPE[dt]}`);

/** Whether a JS typed array with this tag can hold dtype dt: its own array, or the bits of a 16-bit float. */
export const tagFits = (tag, dt) => tag === TAG_OF_DTYPE[dt] || (DTYPES[dt].half === true && tag === 'Uint16Array');

export function describe(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'object' || typeof v === 'function') {
    let name = 'object';
    let detail = '';
    try {
      // User objects may throw from any of these (getters, proxies, look-alikes of ours).
      name = v.constructor?.name ?? 'object';
      if (DTYPE_BY_TAG[name] !== undefined && typedTag(v) !== name) return `an object that only looks like a ${name}`;
      if (typeof v.dtype === 'string' && typeof v.length === 'number') detail = ` of ${v.dtype}`;
    } catch {
      return `an object that only looks like a ${name}`;
    }
    return name + detail;
  }
  if (typeof v === 'string') return `string '${v.length > 20 ? v.slice(0, 20) + '…' : v}'`;
  return `${typeof v} ${String(v)}`;
}

const dtypeList = (dts) => [...new Set(dts.filter((d) => !DTYPES[d].bits).map((d) => DTYPES[d].Array.name))].join(', ') +
  (dts.some((d) => DTYPES[d].half) ? `, a Uint16Array of ${dts.filter((d) => DTYPES[d].half).map((d) => DTYPES[d].name).join(' or ')} bits (with { dtype })` : '');
const halfNames = (dts) => dts.filter((d) => DTYPES[d].half).map((d) => `'${DTYPES[d].name}'`);

/**
 * The dtype key an options object's `dtype` names (undefined: not given), for an op taking
 * `dtypes`: how a Uint16Array says its bits are float16 or bfloat16.
 */
export function declaredDtype(given, name, dtypes) {
  if (given === undefined) return undefined;
  const dt = typeof given === 'string' ? BY_NAME[given] : undefined;
  if (dt === undefined || !dtypes.includes(dt)) {
    const what = `${name}: options.dtype must be one of ${dtypes.map((d) => `'${DTYPES[d].name}'`).join(', ')} (got ${describe(given)})`;
    throw typeof given === 'string' ? new RangeError(what) : new TypeError(what);
  }
  return dt;
}

export function makeChecks(heap) {
  const { isWasmArray, pointerOf, dtypeKey } = heap;

  // Each helper takes `wasm`, whether v is a WasmArray, found once per argument by the caller:
  // brand checks and .constructor reads are a visible share of a small call.

  /**
   * dtype key of an array argument, or a TypeError listing what the op accepts. `declared`:
   * the dtype the call's options name (declaredDtype), which the array must be able to hold.
   */
  function dtypeOf(v, wasm, name, what, dtypes, declared) {
    if (wasm) {
      const dt = dtypeKey(v);
      if (dtypes.includes(dt) && (declared === undefined || declared === dt)) return dt;
      if (dt !== undefined && declared !== undefined) throw new TypeError(`${name}: options.dtype is '${DTYPES[declared].name}' but ${what} is a WasmArray of ${DTYPES[dt].name}`);
    } else {
      const tag = typedTag(v);
      if (declared !== undefined) {
        if (tagFits(tag, declared)) return declared;
        if (tag !== undefined) throw new TypeError(`${name}: options.dtype is '${DTYPES[declared].name}' but ${what} is a ${tag}, which cannot hold it (${holders(declared)} can)`);
      }
      const dt = DTYPE_BY_TAG[tag];
      if (dt !== undefined && dtypes.includes(dt)) return dt;
      if (tag === 'Uint16Array' && halfNames(dtypes).length) {
        throw new TypeError(`${name}: ${what} is a Uint16Array; say which format its bits hold with { dtype: ${halfNames(dtypes).join(' or ')} } (a Uint16Array is never guessed to be a float)`);
      }
    }
    throw new TypeError(`${name}: ${what} must be a ${dtypeList(dtypes)} or a WasmArray of those (got ${describe(v)})`);
  }

  /** An array argument of the op's dtype dt. */
  function sameDtype(v, wasm, dt, name, what, first, dtypes) {
    if (wasm ? dtypeKey(v) === dt : tagFits(typedTag(v), dt)) return;
    if ((!wasm && typedTag(v) === 'Uint16Array') || dtypeOf(v, wasm, name, what, dtypes) !== dt) {
      throw new TypeError(`${name}: ${what} must have the same dtype as ${first} (${DTYPES[dt].name}), got ${describe(v)}`);
    }
  }

  /** Length of an array argument; throws if it is a freed WasmArray or a detached view. */
  function lengthOf(v, wasm, name, what) {
    if (wasm) {
      pointerOf(v, name, what);
      return v.length;
    }
    const n = typedLength(v); // the real length: an own `length` property must not count
    if (n === 0 && !typedInBounds(v)) {
      throw new TypeError(`${name}: ${what} is a view of a detached ArrayBuffer (transferred, or a wasm memory view taken before memory grew), or out of bounds of a resizable one that shrank`);
    }
    return n;
  }

  /** An array argument of dtype dt and length n; returns whether it is a WasmArray. */
  function operand(v, dt, n, name, what, first, dtypes) {
    const wasm = isWasmArray(v);
    sameDtype(v, wasm, dt, name, what, first, dtypes);
    const len = lengthOf(v, wasm, name, what);
    if (len !== n) throw new RangeError(`${name}: ${what} has length ${len} but ${first} has length ${n}`);
    return wasm;
  }

  const isArray = (v) => ArrayBuffer.isView(v) || isWasmArray(v);

  /** The trailing argument: undefined, an output array, or an options object (checked). */
  function trailing(last, name, accepted, after) {
    if (last === undefined || last === null || isArray(last)) return last ?? undefined;
    const proto = typeof last === 'object' ? Object.getPrototypeOf(last) : undefined;
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`${name}: the argument after ${after} must be an output array or an options object (got ${describe(last)})`);
    }
    for (const k in last) {
      if (!accepted.includes(k)) throw new TypeError(`${name}: unknown option '${k}' (accepted: ${accepted.join(', ')})`);
    }
    return last;
  }

  return { dtypeOf, sameDtype, lengthOf, operand, isArray, trailing };
}

// Parameter rules (js/ops.js): whether a number is valid, and what is wrong when it is not.
const isElement = (v, d) => (d.float === true ? v === v : Number.isInteger(v) && v >= d.min && v <= d.max);
const RULES = {
  element: { ok: isElement, what: (v, d) => (d.float ? 'must not be NaN' : `must be an integer in [${d.min}, ${d.max}] for ${d.name} (got ${v})`) },
  number: { ok: (v) => v === v, what: () => 'must not be NaN' },
  count: { ok: (v) => Number.isSafeInteger(v) && v >= 1, what: (v) => `must be a positive integer (got ${describe(v)})` },
  finite: { ok: (v) => Number.isFinite(v), what: (v) => `must be a finite number (got ${v})` },
  positive: { ok: (v) => Number.isFinite(v) && v > 0, what: (v) => `must be a finite number > 0 (got ${v})` },
};
const choiceList = (p) => p.choices.map((c) => `'${c}'`).join(', ');

/** A table param in one shape for every param, so paramValue's reads stay monomorphic. */
export const paramSpec = (p) => {
  const rule = p.rule ?? 'element';
  // A choice goes to the kernel as the index of the string given.
  const choices = rule === 'choice' ? p.choices : undefined;
  return {
    name: p.name, default: choices ? choices.indexOf(p.default) : p.default, rule: RULES[rule], choices,
    element: rule === 'element', count: rule === 'count', option: p.option === true, ints: p.ints === true,
    // paramValue's call-free test: the rules that every finite number of a float dtype passes
    // (positive's only when > 0).
    finiteOk: rule === 'element' || rule === 'number' || rule === 'finite' || rule === 'positive', positive: rule === 'positive',
  };
};

/**
 * A scalar parameter's value (p from paramSpec) for dtype d, a DTYPES entry: its default when
 * v is undefined. Invalid: with `quiet`, undefined (the caller takes the path that reports
 * it); else the error. Small, and the usual rule inline, so the guards inline it.
 */
export function paramValue(p, v, d, name, quiet) {
  // The usual call, tested with no call to a rule: those calls, one function per rule, are
  // megamorphic in the guards every op shares (node bench/percall.mjs: hardSwish's 3 params).
  if (typeof v === 'number' && v > -Infinity && v < Infinity && d.float === true && p.finiteOk && (v > 0 || !p.positive)) return v;
  const value = v === undefined ? p.default
    : p.choices !== undefined ? (p.choices.includes(v) ? p.choices.indexOf(v) : undefined)
    : typeof v === 'number' && (p.element ? isElement(v, d) : p.rule.ok(v, d)) ? v : undefined;
  return value !== undefined || quiet ? value : paramError(p, v, d, name);
}

/** Throws what is wrong with an invalid parameter value: TypeError (missing, not a number) or RangeError. */
function paramError(p, v, d, name) {
  if (p.count && (v === undefined || typeof v === 'number')) throw new RangeError(`${name}: ${p.name} ${RULES.count.what(v)}`);
  if (v === undefined) throw new TypeError(`${name}: ${p.name} is required`);
  if (p.choices !== undefined) {
    const what = `${name}: ${p.name} must be one of ${choiceList(p)} (got ${describe(v)})`;
    throw typeof v === 'string' ? new RangeError(what) : new TypeError(what);
  }
  if (typeof v !== 'number') throw new TypeError(`${name}: ${p.name} must be a number (got ${describe(v)})`);
  throw new RangeError(`${name}: ${p.name} ${p.rule.what(v, d)}`);
}

/** A positive integer count (a layout's inner size). */
export function checkCount(v, name, what) {
  if (!RULES.count.ok(v)) throw new RangeError(`${name}: ${what} ${RULES.count.what(v)}`);
  return v;
}
