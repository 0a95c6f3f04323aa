// The semantics table, computed live by the library: every op on the special float32 values.

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

// Each row: label, the ops it needs, and how to compute it on x.
export const ROWS = [
  ['relu(x)', ['relu'], (L, x) => L.relu(x)],
  ['reluGrad(x)', ['reluGrad'], (L, x) => L.reluGrad(x)],
  ['leakyRelu(x, 0.1)', ['leakyRelu'], (L, x) => L.leakyRelu(x, 0.1)],
  ['prelu(x, [0.25])', ['prelu'], (L, x) => L.prelu(x, Float32Array.of(0.25))],
  ['relu6(x)', ['relu6'], (L, x) => L.relu6(x)],
  ['clip(x, −1, 1)', ['clip'], (L, x) => L.clip(x, -1, 1)],
  ['reluBackward(1, x)', ['reluBackward'], (L, x) => L.reluBackward(new Float32Array(x.length).fill(1), x)],
];

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
  for (const [label, need, run] of ROWS) {
    const tr = body.insertRow();
    tr.append(Object.assign(document.createElement('th'), { textContent: label }));
    const missing = need.filter((n) => typeof lib[n] !== 'function');
    if (missing.length) {
      const td = tr.insertCell();
      td.colSpan = SPECIALS.length;
      td.className = 'missing';
      td.textContent = `not in this build yet (${missing.join(', ')})`;
      continue;
    }
    let bits;
    try {
      const y = run(lib, x); // a Float32Array: read its bits directly (a JS number would quiet a signalling NaN)
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
  return { input: Array.from(new Uint32Array(x.buffer)), results };
}
