// The benchmark's tables, derived from the table of ops (js/ops.js): one per row of a
// benchmarked kind on float32, with the params' example values, plus one on an integer dtype
// for each row with an integer-only option param (e.g. a quantized zero point), at its example
// value. Also the inputs of a table (deterministic) and its reference results (the row's model).
import { DTYPES, OPS } from '../js/ops.js';
import { exampleValues, kernelParams, model } from '../js/signature.js';
import { rng } from '../scripts/rng.mjs';
import { RAW, arrays, shapeFor, summarize, valuesAt } from './kinds.mjs';

const KINDS_BENCHED = Object.keys(RAW); // every kind bench/kinds.mjs knows how to call
const INT_DTYPES = ['i8', 'u8', 'i16', 'i32'];

function spec(row, dt, id) {
  const values = exampleValues(row, dt);
  const { inputs, outputs, perChannelIn, perChannelOut, channels } = arrays(row.kind);
  const perChannel = [...perChannelIn, ...perChannelOut];
  const b = DTYPES[dt].bytes;
  const shown = Object.entries(values).map(([k, v]) => `${k} = ${row.params.find((p) => p.name === k).rule === 'count' ? 'gcd(n, 64)' : v}`);
  const title = [row.name, DTYPES[dt].name, ...shown, ...(channels ? ['NHWC, gcd(n, 64) channels (64 from n = 64)'] : [])].join(', ');
  const list = (names) => (names.length > 1 ? ` (${names.join(', ')})` : '');
  const bytesDesc = [`${inputs.length * b}n read${list(inputs)}`, ...(outputs.length ? [`${outputs.length * b}n written${list(outputs)}`] : [])].join(' + ') +
    (perChannel.length ? ` (+ the per-channel ${perChannel.join(', ')})` : '');
  return {
    id, row, dt, values, title, bytesDesc,
    bytes: (n) => (inputs.length + outputs.length) * b * n + (channels ? perChannel.length * b * shapeFor(n) : 0),
  };
}

/** Every table, in table order: [{ id, row, dt, values, title, bytesDesc, bytes(n) }]. */
export function specs(ops = OPS) {
  const out = [];
  for (const row of ops) {
    if (!KINDS_BENCHED.includes(row.kind)) continue;
    if (row.dtypes.includes('f32')) out.push(spec(row, 'f32', row.name));
    const intOnly = row.params.filter((p) => p.option && p.ints);
    const dt = INT_DTYPES.find((d) => row.dtypes.includes(d));
    if (intOnly.length && dt) out.push(spec(row, dt, `${row.name}-${DTYPES[dt].name}`));
  }
  return out;
}

/** Pseudo-random data of dtype dt: floats in [-8, 8) (clamps see both bounds), ints over the range. */
function fill(dt, n, r) {
  const d = DTYPES[dt];
  const a = new d.Array(n);
  for (let i = 0; i < n; i++) a[i] = d.float ? (r() - 0.5) * 16 : d.min + Math.floor(r() * (d.max - d.min + 1));
  return a;
}

/**
 * Inputs of one table at size n: named arrays (the kind's inputs; per-channel ones: C values
 * in [0.05, 0.25), seeded by C only, so onnxruntime sessions can be cached per C), the
 * named values (params; units for count kinds) and C.
 */
export function makeInputs(s, n) {
  const { row, dt } = s;
  const { inputs, perChannelIn } = arrays(row.kind);
  const r = rng(12345 + n);
  const named = {};
  for (const k of inputs) named[k] = fill(dt, n, r);
  const C = shapeFor(n);
  for (const k of perChannelIn) {
    const rs = rng(777 + C);
    named[k] = DTYPES[dt].Array.from({ length: C }, () => (DTYPES[dt].float ? 0.05 + 0.2 * rs() : 1 + Math.floor(3 * rs())));
  }
  return { named, values: valuesAt(row, s.values, n), C };
}

/**
 * Reference results from the row's model (js/signature.js): `want` (what the public op returns,
 * for channel2 its dx), `counts` (count kinds: the raw kernel's per-unit counts), and whether
 * every result is an input element, a param, 0 or 1 (a selection: other libraries must match
 * exactly; arithmetic results get a 1e-6 relative tolerance there).
 */
export function reference(s, { named, values, C }) {
  const { row, dt } = s;
  const f = model(row, dt, values);
  const { inputs, perChannelIn } = arrays(row.kind);
  const ins = inputs.map((k) => named[k]);
  const n = ins[0].length;
  if (row.kind === 'count') {
    const units = kernelParams(row, dt, values)[0];
    const counts = new Int32Array(units);
    for (let i = 0; i < n; i++) counts[i % units] += f(ins[0][i]) ? 1 : 0;
    return { want: summarize(row.summary, counts, n / units), counts, selection: true };
  }
  const slope = named[perChannelIn[0]]; // the channel kinds' one per-channel input
  const want = new DTYPES[dt].Array(n);
  const [a, b, c] = ins; // one to three arrays of n elements, then the slope value of the channel
  if (c) for (let i = 0; i < n; i++) want[i] = f(a[i], b[i], c[i]);
  else if (slope && b) for (let i = 0; i < n; i++) want[i] = f(a[i], b[i], slope[i % C]);
  else if (slope) for (let i = 0; i < n; i++) want[i] = f(a[i], slope[i % C]);
  else if (b) for (let i = 0; i < n; i++) want[i] = f(a[i], b[i]);
  else for (let i = 0; i < n; i++) want[i] = f(a[i]);
  const ps = kernelParams(row, dt, values).map(dt === 'f32' ? Math.fround : (v) => v);
  const selection = want.every((w, i) => w === 0 || w === 1 || ps.includes(w) || ins.some((a) => a[i] === w || (a[i] !== a[i] && w !== w)));
  return { want, selection };
}
