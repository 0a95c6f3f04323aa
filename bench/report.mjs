// Markdown rendering of a benchmark run (bench/run.mjs): the header (command, machine,
// contenders, method), the targets (bench/targets.mjs) and one section per table. It works
// from the tables' JSON alone, so a saved run can be re-rendered (--render).
import { fmtNsSpread, fmtNum, fmtSize, mdTable } from './harness.mjs';
import { judgeTargets, nsOf } from './targets.mjs';

/** One table: time per call, GB/s, ratios to the physical references and TensorFlow.js. */
function renderTable(t) {
  const out = [];
  out.push(`### ${t.title}`);
  if (t.skipped) {
    out.push(`\nSkipped: ${t.skipped}.`);
    return out.join('\n');
  }
  const sizes = t.sizes;
  out.push(`\nBytes counted: ${t.bytesDesc}. Physical references move the same number of bytes.`);
  const head = (what) => [what, ...sizes.map((n) => `n = ${fmtSize(n)}`)];
  const rowsFor = (cell) => t.rows.map((r) => [r.name, ...sizes.map((n) => {
    const c = r.bySize[n];
    if (!c) return '';
    if (c.error) return 'ERROR';
    return cell(r, n, c);
  })]);
  out.push('\n**time per call** (median ± half-IQR, as % of the median)\n');
  out.push(mdTable(head('contender'), rowsFor((r, n, c) => fmtNsSpread(c.ns, c.spread))));
  out.push('\n**GB/s** (bytes counted / time)\n');
  out.push(mdTable(head('contender'), rowsFor((r, n, c) => fmtNum(t.bytes[n] / c.ns))));
  out.push('\n**speed relative to the wasm 128-bit copy loop** (copy time / time; 1 = copy speed)\n');
  out.push(mdTable(head('contender'), rowsFor((r, n, c) => fmtNum((c.refs?.copy ?? nsOf(t, 'ref-copy', n)) / c.ns))));
  out.push('\n**speed relative to memory.copy** (memory.copy time / time)\n');
  out.push(mdTable(head('contender'), rowsFor((r, n, c) => fmtNum((c.refs?.memcpy ?? nsOf(t, 'ref-memcpy', n)) / c.ns))));
  const hasTf = t.rows.some((r) => r.key === 'tf-wasm-op');
  if (hasTf) {
    out.push('\n**× faster than TensorFlow.js wasm** (resident rows vs tfjs-wasm op(tensor); JS-array rows vs tfjs-wasm end to end)\n');
    out.push(mdTable(head('contender'), rowsFor((r, n, c) => fmtNum(nsOf(t, r.cls === 'heap' ? 'tf-wasm-op' : 'tf-wasm-e2e', n) / c.ns))));
  }
  if (t.notes.length) out.push(`\nNotes: ${t.notes.join('; ')}.`);
  if (t.errors.length) out.push(`\n**Errors:**\n${t.errors.map((e) => `- ${e}`).join('\n')}`);
  return out.join('\n');
}

/** The whole report. */
export function render(tables, info, argsDesc, elapsed, date = new Date().toISOString()) {
  const t0 = tables.find((t) => t.tf);
  const out = [];
  out.push('# relu-wasm benchmark results\n');
  out.push(`Command: \`node bench/run.mjs${argsDesc}\` — ${date.slice(0, 16).replace('T', ' ')} UTC, ${Math.round(elapsed / 1000)} s in total.\n`);
  out.push(`Machine: ${info.cpu}, ${info.cores} cores, ${info.memGB} GB RAM, ${info.os}; ${info.node}, V8 ${info.v8}; load average at start ${info.load}. Shared and noisy: compare rows of one table (measured round-robin in one process), not tables across runs.\n`);
  if (t0) {
    out.push(`Contenders: TensorFlow.js ${t0.tf.version} (wasm backend loaded \`${t0.tf.wasmFile}\`, WASM_HAS_SIMD_SUPPORT = ${t0.tf.simdFlag}, threads = ${t0.tf.threads}; cpu backend), onnxruntime-web ${t0.ort.version} (wasm EP, numThreads = ${t0.ort.numThreads}, one-node models encoded by scripts/onnx-model.mjs).\n`);
  }
  out.push([
    `Method (bench/harness.mjs): one process per table; every contender verified before timing against the row's plain-JS model (js/ops.js: exact; other libraries' arithmetic results within 1e-6 relative; for two outputs the first, e.g.`,
    `dx); batch size calibrated to ≥ 4 ms; round-robin warm-up until each contender's time per call has settled (last three batches within 10 %, or no faster than the three before; at most 2.5 s beyond three rounds); then up to 21 round-robin samples with a rotating start (a contender leaves the rotation after 5 samples once it has used 600 ms, so slow contenders at huge sizes have fewer); median and half the interquartile range.`,
    `Contenders are called through one megamorphic call site with their arrays as arguments, like user code.`,
    `Rows: *WasmArray* = operands in wasm memory (zero copy); *JS arrays* = typed arrays of the table's dtype in JS memory; *JS …* rows = plain loops over the row's per-element js, written like user code; *raw kernel* = the table function on heap pointers (no JS API); *in place* rows see already-rectified data after the first call; *tfjs op(tensor)* includes disposing the previous result; *end to end* = JS array in, JS array out.`,
    `The scalar rows come from a second process per table that times them round-robin with its own copy-loop, memory.copy and out.set rows (their ratios use those; their "× tfjs" ratios use the main process's TensorFlow.js rows): a second relu-wasm instance in one process makes the API's shared call sites polymorphic and slows the instance under test, which a real app (one instance) never sees.`,
  ].join(' ') + '\n');
  out.push('## Targets (issue 5)\n');
  out.push(judgeTargets(tables));
  out.push('\n## Tables\n');
  for (const t of tables) out.push(renderTable(t) + '\n');
  return out.join('\n');
}

// Row order in a table; keys not listed keep their order after the listed ones before them.
const ORDER = ['wa-SIMD', 'wa-fast', 'wa-inplace', 'raw', 'wa-scalar', 'js-SIMD', 'js-fast', 'js-new', 'js-scalar', 'plain:', 'tf-wasm-op', 'tf-wasm-e2e', 'tf-cpu-op', 'tf-cpu-e2e', 'ort', 'ref-copy', 'ref-memcpy', 'ref-set'];
const rank = (key) => {
  const i = ORDER.findIndex((k) => (k.endsWith(':') ? key.startsWith(k) : key === k));
  return i < 0 ? ORDER.length : i;
};

/** One table from the SIMD process (all contenders) and the scalar process (its relu-wasm rows). */
export function mergeVariants([main, other]) {
  if (!other || main.skipped) return { ...main, errors: [...main.errors, ...(other?.errors ?? [])] };
  const t = { ...main, rows: [...main.rows], notes: [...main.notes], errors: [...main.errors, ...other.errors] };
  if (other.skipped) t.notes.push(`scalar rows: ${other.skipped}`);
  for (const r of other.rows) if (!r.ref) t.rows.push(r);
  t.rows = t.rows.map((r, i) => [r, i]).sort((a, b) => rank(a[0].key) - rank(b[0].key) || a[1] - b[1]).map(([r]) => r);
  return t;
}
