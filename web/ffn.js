// A transformer feed-forward block in the page, the block every LLaMA / Gemma / T5 layer has:
// gate = x·W_gate, up = x·W_up ([T, h] each, random weights of a fixed seed, plain JS), then
// the gated activation (then ·W_down, not computed here). What is timed is the activation: each gated
// op in one call (fused), the same call on the concatenated projection (packed: 'halves', as a
// fused gate_up_proj gives it), and the activation alone then a JS multiply loop (unfused), all
// on WasmArrays. The results are checked to agree before any timing.
import { rng } from './mlp.js';


function matmul(a, b, rows, inner, cols) {
  const c = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < inner; k++) {
      const v = a[i * inner + k];
      const bk = k * cols, ci = i * cols;
      for (let j = 0; j < cols; j++) c[ci + j] += v * b[bk + j];
    }
  }
  return c;
}

export function setupFfn(lib, $) {
  const table = $('#ffn-table');
  const status = $('#ffn-status');
  const button = $('#ffn-run');
  const results = { rows: [] };

  // The block's projections, once (T tokens, model width d, hidden width h ≈ 8d/3 as LLaMA's).
  function block(T, d, h) {
    const r = rng(2024);
    const scaled = (n, s) => Float32Array.from({ length: n }, () => r.normal() * s);
    const x = scaled(T * d, 1);
    const gate = matmul(x, scaled(d * h, 1 / Math.sqrt(d)), T, d, h);
    const up = matmul(x, scaled(d * h, 1 / Math.sqrt(d)), T, d, h);
    const halves = new Float32Array(2 * T * h);
    for (let t = 0; t < T; t++) {
      halves.set(gate.subarray(t * h, (t + 1) * h), 2 * t * h);
      halves.set(up.subarray(t * h, (t + 1) * h), (2 * t + 1) * h);
    }
    return { gate, up, halves };
  }

  // Median ns per element of fn over rounds of at least `ms` each, contenders round-robin.
  async function time(fns, n, rounds, ms) {
    const samples = fns.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < fns.length; k++) {
        let reps = 0;
        const t0 = performance.now();
        let t1 = t0;
        while (t1 - t0 < ms) fns[k](), reps++, (t1 = performance.now());
        samples[k].push(((t1 - t0) * 1e6) / (reps * n));
      }
      await new Promise((ok) => setTimeout(ok)); // (the page stays responsive)
    }
    return samples.map((s) => s.sort((a, b) => a - b)[s.length >> 1]);
  }

  async function run({ T = 64, d = 512, h = 1376, rounds = 7, ms = 20, precision = $('#ffn-tier').value } = {}) {
    button.disabled = true;
    status.textContent = 'computing the projections…';
    await new Promise((ok) => setTimeout(ok));
    const n = T * h;
    const b = block(T, d, h);
    const gate = lib.from(b.gate), up = lib.from(b.up), halves = lib.from(b.halves);
    const out = lib.alloc(n), alt = lib.alloc(n);
    const rows = [];
    try {
      // Every gated op of the table (js/ops.js kind gated), its activation the row's gates.fn,
      // both at their default params; precision where the op takes one.
      for (const row of lib.ops.filter((r) => r.kind === 'gated' && r.dtypes.includes('f32'))) {
        const op = row.name, act = row.gates.fn;
        status.textContent = `timing ${op}…`;
        const tier = row.params.some((p) => p.name === 'precision') ? { precision } : {};
        const fused = () => lib[op](gate, up, { ...tier, out });
        const packed = () => lib[op](halves, { ...tier, packed: 'halves', width: 2 * h, out: alt });
        const unfused = () => {
          lib[act](gate, { ...tier, out: alt });
          const o = alt.view, u = up.view;
          for (let i = 0; i < n; i++) o[i] *= u[i];
        };
        // Agree first: packed gives fused's bits; unfused rounds twice (f, then the product).
        fused();
        packed();
        const same = out.view.every((v, i) => Object.is(v, alt.view[i]));
        unfused();
        let worst = 0; // (relative, where the result is not tiny)
        for (let i = 0; i < n; i++) if (Math.abs(out.view[i]) > 1e-6) worst = Math.max(worst, Math.abs(alt.view[i] - out.view[i]) / Math.abs(out.view[i]));
        const [f, p, u] = await time([fused, packed, unfused], n, rounds, ms);
        rows.push({ op, act, fused: f, packed: p, unfused: u, packedSame: same, worst });
      }
    } finally {
      [gate, up, halves, out, alt].forEach((w) => w.free());
      button.disabled = false;
    }
    render(rows);
    results.rows = rows;
    status.textContent = `T = ${T} tokens, d = ${d}, h = ${h}: ${n.toLocaleString('en')} activations per call, precision '${precision}' (${lib.variant} build)`;
    return rows;
  }

  function render(rows) {
    const fmt = (v) => (v < 1 ? v.toFixed(3) : v.toFixed(2));
    table.tHead.rows[0].innerHTML = '<th>op</th><th>fused, one call</th><th>packed halves</th><th>activation, then JS ×</th><th>unfused ÷ fused</th><th>packed = fused</th><th>unfused off by</th>';
    table.tBodies[0].replaceChildren(...rows.map((r) => {
      const tr = document.createElement('tr');
      const cells = [`${r.op}(gate, up)`, fmt(r.fused), fmt(r.packed), fmt(r.unfused), `${(r.unfused / r.fused).toFixed(2)}×`, r.packedSame ? 'bit for bit' : 'differs', r.worst === 0 ? '0' : r.worst.toExponential(1)];
      cells.forEach((c, i) => tr.append(Object.assign(document.createElement(i ? 'td' : 'th'), { textContent: c })));
      return tr;
    }));
  }

  button.addEventListener('click', () => run().catch((e) => (status.textContent = `failed: ${e.message}`)));
  return { run, results };
}
