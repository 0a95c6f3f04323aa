// Runs numpy fixture cases (tests/fixtures) through the demo page's copy of relu-wasm in
// Chromium and compares the results in Node, bit for bit.
import assert from 'node:assert/strict';
import { loadFixtures } from '../fixtures/load.mjs';

const b64 = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const TYPES = { Float32Array, Float64Array, Int32Array, Int16Array, Int8Array, Uint8Array };

function fromB64({ type, data }) {
  const buf = Buffer.from(data, 'base64');
  const C = TYPES[type];
  const out = new C(buf.length / C.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

const hex = (a, i) => {
  const n = a.BYTES_PER_ELEMENT;
  return '0x' + [...new Uint8Array(a.buffer, a.byteOffset + i * n, n)].reverse().map((v) => v.toString(16).padStart(2, '0')).join('');
};

function assertBits(got, want, what) {
  assert.equal(got.constructor.name, want.constructor.name, `${what}: type`);
  assert.equal(got.length, want.length, `${what}: length`);
  const g = new Uint8Array(got.buffer, got.byteOffset, got.byteLength);
  const w = new Uint8Array(want.buffer, want.byteOffset, want.byteLength);
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== w[i]) {
      const e = Math.floor(i / got.BYTES_PER_ELEMENT);
      assert.fail(`${what}: element ${e} of ${got.length}: got ${hex(got, e)} (${got[e]}), want ${hex(want, e)} (${want[e]})`);
    }
  }
}

// dslope is a sum: float32 is exactly rounded (bits), float64 gets a relative 1e-12 (fixtures README).
function assertSums(got, want, what) {
  if (want instanceof Float32Array) return assertBits(got, want, what);
  for (let i = 0; i < want.length; i++) {
    const ok = Number.isNaN(want[i]) ? Number.isNaN(got[i]) : got[i] === want[i] || Math.abs(got[i] - want[i]) <= 1e-12 * Math.max(1, Math.abs(want[i]));
    assert.ok(ok, `${what}: element ${i}: got ${got[i]}, want ${want[i]}`);
  }
}

// In the page: decode, call the op as app code would, encode the result.
function inPage(cases) {
  const lib = window.__demo.lib;
  const T = { Float32Array, Float64Array, Int32Array, Int16Array, Int8Array, Uint8Array };
  const dec = ({ type, data }) => {
    const s = atob(data);
    const u8 = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i);
    return new T[type](u8.buffer);
  };
  const enc = (a) => {
    const u8 = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    let s = '';
    for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
    return { type: a.constructor.name, data: btoa(s) };
  };
  const layout = (p) => (p.layout === 'nchw' ? { layout: 'nchw', inner: p.inner } : 'nhwc');
  const ARGS = {
    relu: (i, p) => [i.x, ...(p.zeroPoint !== undefined ? [{ zeroPoint: p.zeroPoint }] : [])],
    reluGrad: (i) => [i.x],
    reluBackward: (i) => [i.dy, i.x],
    leakyRelu: (i, p) => [i.x, p.alpha],
    leakyReluBackward: (i, p) => [i.dy, i.x, p.alpha],
    relu6: (i) => [i.x],
    clip: (i, p) => [i.x, p.lo, p.hi],
    clipBackward: (i, p) => [i.dy, i.x, p.lo, p.hi],
    prelu: (i, p) => [i.x, i.slope, layout(p)],
    preluBackward: (i, p) => [i.dy, i.x, i.slope, layout(p)],
    activity: (i, p) => [i.y, p.units],
    deadUnits: (i, p) => [i.y, p.units],
  };
  return cases.map(({ op, params, inputs }) => {
    try {
      const ins = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, dec(v)]));
      const r = lib[op](...ARGS[op](ins, params));
      return op === 'preluBackward' ? { dx: enc(r.dx), dslope: enc(r.dslope) } : { out: enc(r) };
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
  const payload = fixtures.map((c) => ({
    op: c.op,
    params: c.params, // Playwright carries -0, ±Infinity and NaN across
    inputs: Object.fromEntries(Object.entries(c.inputs).map(([k, a]) => [k, { type: a.constructor.name, data: b64(a) }])),
  }));
  // Playwright runs inPage through the DevTools protocol (no eval in the page: fine under CSP).
  const results = await page.evaluate(inPage, payload);
  fixtures.forEach((c, i) => {
    const r = results[i];
    const name = `${what}: ${c.op} ${c.dtype} ${c.name}`;
    assert.ok(!r.error, `${name} threw ${r.error}`);
    if (c.op === 'preluBackward') {
      assertBits(fromB64(r.dx), c.expect.dx, `${name} dx`);
      assertSums(fromB64(r.dslope), c.expect.dslope, `${name} dslope`);
    } else {
      const want = c.expect.out ?? c.expect.activity ?? c.expect.dead;
      assertBits(fromB64(r.out), want, name);
    }
  });
  return { cases: fixtures.length, ops: [...new Set(fixtures.map((c) => c.op))] };
}
