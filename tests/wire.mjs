// Fixture calls run elsewhere (the demo page in Chromium, an app in another runtime) and
// checked here: the calls are built in Node by the argument model, their arrays travel as
// base64 of their bytes tagged with their type, and the results come back the same way.
import { OPS } from '../js/ops.js';
import { callArgs } from '../js/signature.js';
import { caseValues, expectedOf } from './support.mjs';

const TYPES = { Float32Array, Float64Array, Int32Array, Int16Array, Int8Array, Uint8Array };
const rows = Object.fromEntries(OPS.map((r) => [r.name, r]));

const encode = (a) => ({ $array: a.constructor.name, data: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64') });

function decode({ $array, data }) {
  const buf = Buffer.from(data, 'base64');
  const out = new TYPES[$array](buf.length / TYPES[$array].BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** The calls of fixture cases, as callCases takes them: { op, args } with arrays encoded. */
export const payload = (cases) => cases.map((c) => ({ op: c.op, args: callArgs(rows[c.op], caseValues(c)).map((a) => (ArrayBuffer.isView(a) ? encode(a) : a)) }));

/**
 * Runs the calls on the far side with `lib` (the page's library by default) and encodes every
 * array result: { result } or { error }. Self-contained (no outer names, only atob/btoa), so
 * its source runs in a page (Playwright's evaluate) or in an app's text.
 */
export function callCases(calls, lib = globalThis.__demo?.lib) {
  const T = { Float32Array, Float64Array, Int32Array, Int16Array, Int8Array, Uint8Array };
  const dec = (v) => {
    if (v === null || typeof v !== 'object' || v.$array === undefined) return v;
    const s = atob(v.data);
    const u8 = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i);
    return new T[v.$array](u8.buffer);
  };
  const enc = (a) => {
    const u8 = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    let s = '';
    for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
    return { $array: a.constructor.name, data: btoa(s) };
  };
  return calls.map(({ op, args }) => {
    try {
      const r = lib[op](...args.map(dec));
      return { result: ArrayBuffer.isView(r) ? enc(r) : Object.fromEntries(Object.entries(r).map(([k, v]) => [k, enc(v)])) };
    } catch (e) {
      return { error: `${e.name}: ${e.message}` };
    }
  });
}

/** A case's outputs from its callCases result, named as the expected ones (throws on an error result). */
export function outputsOf(c, r, what) {
  if (r.error) throw new Error(`${what} threw ${r.error}`);
  const want = expectedOf(rows[c.op], c);
  return r.result.$array ? { [Object.keys(want)[0]]: decode(r.result) } : Object.fromEntries(Object.entries(r.result).map(([k, v]) => [k, decode(v)]));
}
