// Runs numpy fixture cases (tests/fixtures) through the demo page's copy of relu-wasm in
// Chromium and compares the results in Node, bit for bit. The calls are built in Node by the
// argument model (js/signature.js); the page only swaps the encoded arrays back in.
import { OPS } from '../../js/ops.js';
import { callArgs } from '../../js/signature.js';
import { loadFixtures } from '../fixtures/load.mjs';
import { assertOutputs, caseValues, expectedOf } from '../support.mjs';

const TYPES = { Float32Array, Float64Array, Int32Array, Int16Array, Int8Array, Uint8Array };
const encode = (a) => ({ $array: a.constructor.name, data: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64') });

function decode({ $array, data }) {
  const buf = Buffer.from(data, 'base64');
  const out = new TYPES[$array](buf.length / TYPES[$array].BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

// In the page: decode the arrays, call the op as app code would, encode every array result.
function inPage(cases) {
  const lib = window.__demo.lib;
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
  return cases.map(({ op, args }) => {
    try {
      const r = lib[op](...args.map(dec));
      return ArrayBuffer.isView(r) ? { result: enc(r) } : { result: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, enc(v)])) };
    } catch (e) {
      return { error: `${e.name}: ${e.message}` };
    }
  });
}

/**
 * Runs every fixture case in the page; returns { cases, ops } after asserting every result.
 * `page` has the demo loaded (window.__demo ready).
 */
export async function checkFixtures(page, what) {
  const fixtures = loadFixtures();
  const rows = Object.fromEntries(OPS.map((r) => [r.name, r]));
  // Playwright carries -0, ±Infinity and NaN across, and runs inPage through the DevTools
  // protocol (no eval in the page: fine under CSP).
  const payload = fixtures.map((c) => ({ op: c.op, args: callArgs(rows[c.op], caseValues(c)).map((a) => (ArrayBuffer.isView(a) ? encode(a) : a)) }));
  const results = await page.evaluate(inPage, payload);
  fixtures.forEach((c, i) => {
    const row = rows[c.op];
    const r = results[i];
    const name = `${what}: ${c.op} ${c.dtype} ${c.name}`;
    if (r.error) throw new Error(`${name} threw ${r.error}`);
    const want = expectedOf(row, c);
    const got = r.result.$array ? { [Object.keys(want)[0]]: decode(r.result) } : Object.fromEntries(Object.entries(r.result).map(([k, v]) => [k, decode(v)]));
    assertOutputs(row, got, want, name, c.inputs.x ?? c.inputs.y);
  });
  return { cases: fixtures.length, ops: [...new Set(fixtures.map((c) => c.op))] };
}
