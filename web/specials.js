// The semantics table, computed live by the library: every op on the special float32 values.
import { KINDS, callArgs, exampleValues } from '../js/signature.js';

export const SPECIALS = [
  ['NaN', 0x7fc00000],
  ['−NaN', 0xffc00000],
  ['NaN·p', 0x7fa00001], // a signalling NaN with a payload
  ['−0', 0x80000000],
  ['+0', 0x00000000],
  ['−∞', 0xff800000],
  ['+∞', 0x7f800000],
  ['subn.', 0x000116c2], // 1e-40
  ['−subn.', 0x800116c2],
  ['−2', 0xc0000000],
  ['7', 0x40e00000],
];

export function specialInput() {
  return new Float32Array(Uint32Array.from(SPECIALS, ([, b]) => b).buffer);
}

// One row per float32 op of the table that maps x to an array (backward ops with dy = 1, the
// gated ops with gate = x and up = 1, per-channel ops with one slope of 0.25; of several
// results the first), at the table's typical parameter values: label and
// how to compute it on x. The argument model (js/signature.js) builds each call.
function tableRows(lib) {
  return lib.ops
    .filter((row) => row.kind !== 'count' && row.dtypes.includes('f32'))
    .map((row) => {
      const values = exampleValues(row, 'f32');
      const shown = [...KINDS[row.kind].inputs.map((k) => (k === 'dy' || k === 'up' ? '1' : k === 'slope' ? '[0.25]' : k === 'gate' ? 'x' : k)), ...row.params.filter((p) => !p.option).map((p) => String(typeof values[p.name] === 'number' ? +values[p.name].toPrecision(4) : values[p.name]).replace('-', '−'))];
      const first = KINDS[row.kind].outputs[0];
      const run = (x) => {
        const ones = new Float32Array(x.length).fill(1);
        const arrays = { x, gate: x, dy: ones, up: ones, slope: Float32Array.of(0.25) };
        const r = lib[row.name](...callArgs(row, { ...values, ...arrays }));
        return ArrayBuffer.isView(r) ? r : r[first];
      };
      return [`${row.name}(${shown.join(', ')})`, run];
    });
}

const hex = (b) => '0x' + (b >>> 0).toString(16).padStart(8, '0');

function show(bits) {
  const v = new Float32Array(Uint32Array.of(bits).buffer)[0];
  if (Number.isNaN(v)) return (bits >>> 31 ? '−' : '') + 'NaN' + ((bits & 0x3fffff) ? '·p' : '');
  if (Object.is(v, -0)) return '−0';
  if (v === Infinity) return '+∞';
  if (v === -Infinity) return '−∞';
  if (v !== 0 && Math.abs(v) < 1.17549435e-38) return (v < 0 ? '−' : '') + 'subn.';
  return String(Math.round(v * 1000) / 1000).replace('-', '−');
}

export function setupSpecials(lib, $) {
  const x = specialInput();
  const table = $('#specials');
  const head = table.createTHead().insertRow();
  head.append(Object.assign(document.createElement('th'), { textContent: 'x →' }));
  for (const [label, b] of SPECIALS) head.append(Object.assign(document.createElement('th'), { textContent: label, title: hex(b) }));
  const body = table.createTBody();
  const results = {};
  for (const [label, run] of tableRows(lib)) {
    const tr = body.insertRow();
    tr.append(Object.assign(document.createElement('th'), { textContent: label }));
    let bits;
    try {
      const y = run(x); // a Float32Array: read its bits directly (a JS number would quiet a signalling NaN)
      bits = Array.from(new Uint32Array(y.buffer, y.byteOffset, y.length));
    } catch (e) {
      const td = tr.insertCell();
      td.colSpan = SPECIALS.length;
      td.className = 'missing';
      td.textContent = `error: ${e.message}`;
      continue;
    }
    results[label] = bits;
    bits.forEach((b) => {
      const td = tr.insertCell();
      td.textContent = show(b);
      td.title = hex(b);
    });
  }
  // On a narrow screen the table scrolls sideways: say so, or a phone shows half of it.
  const hint = $('#specials-hint');
  const fits = () => (hint.hidden = table.parentElement.scrollWidth <= table.parentElement.clientWidth + 1);
  addEventListener('resize', fits);
  fits();
  return { input: Array.from(new Uint32Array(x.buffer)), results };
}
