// Dying-ReLU playground: an MLP trained in the page, with dead units counted live by the library.
import { MLP, makeData } from './mlp.js';
import { Plot } from './plot.js';

const GRID = 48; // decision-boundary resolution
const MARGIN = 1.1; // the plane shown is [-span, span]², span = MARGIN × the data's extent
const AUTO_STOP = 1500; // auto-run pauses here (CPU)
const STEPS_PER_FRAME = 5;

export function setupPlayground(lib, $) {
  const ops = lib;
  const ui = {
    data: $('#pg-data'), act: $('#pg-act'), alpha: $('#pg-alpha'), hidden: $('#pg-hidden'),
    lr: $('#pg-lr'), init: $('#pg-init'), bias: $('#pg-bias'),
  };
  const trainBtn = $('#pg-train');
  const boundary = $('#pg-boundary');
  const bctx = boundary.getContext('2d');
  const off = Object.assign(document.createElement('canvas'), { width: GRID, height: GRID });
  const offctx = off.getContext('2d');
  const lossPlot = new Plot($('#pg-loss'), { xmin: 0, xmax: 100, ymin: 0, ymax: 0.8, xlabel: 'step', ylabel: 'loss (BCE)', pad: { l: 38, r: 8, t: 8, b: 26 } });
  const actCanvas = $('#pg-activity');

  // The plane shown fits the data (every point inside, with a margin), and the grid of points
  // for the decision boundary covers it, row-major from the top-left.
  let span = 1;
  const G = new Float32Array(2 * GRID * GRID);
  function fitPlane() {
    span = MARGIN * data.X.reduce((m, v) => Math.max(m, Math.abs(v)), 0.5);
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        G[2 * (r * GRID + c)] = -span + ((c + 0.5) * 2 * span) / GRID;
        G[2 * (r * GRID + c) + 1] = span - ((r + 0.5) * 2 * span) / GRID;
      }
    }
  }

  let data, net, losses, running = false, frame = 0, seed = 1, diag = null, diverged = false;

  const settings = () => ({
    data: ui.data.value, act: ui.act.value, alpha: Number(ui.alpha.value), hidden: Number(ui.hidden.value),
    lr: Number(ui.lr.value), init: ui.init.value, bias: Number(ui.bias.value),
  });

  function reset(opts = {}) {
    if (opts.seed !== undefined) seed = opts.seed;
    for (const k of Object.keys(ui)) if (opts[k] !== undefined) ui[k].value = String(opts[k]);
    const s = settings();
    $('#pg-bias-val').textContent = s.bias.toFixed(2);
    ui.alpha.disabled = s.act !== 'leaky';
    data = makeData(s.data, 300, { seed: 7 });
    fitPlane();
    net = new MLP({ ops, hidden: s.hidden, act: s.act, alpha: s.alpha, init: s.init, bias: s.bias, seed });
    losses = [];
    diverged = false;
    $('#pg-warn').hidden = true;
    diag = net.diagnose(data.X, data.n);
    render(true);
  }

  function step() {
    const loss = net.step(data.X, data.y, data.n, Number(ui.lr.value));
    losses.push(loss);
    if (!Number.isFinite(loss) && !diverged) {
      diverged = true;
      pause();
      const w = $('#pg-warn');
      w.hidden = false;
      w.textContent = 'The loss diverged (NaN/∞): the learning rate is too high. Lower it and reset.';
    }
    return loss;
  }

  function accuracy() {
    const p = net.predict(data.X, data.n);
    let ok = 0;
    for (let i = 0; i < data.n; i++) ok += (p[i] > 0.5) === (data.y[i] === 1);
    return ok / data.n;
  }

  let flat = false; // the network's output is the same everywhere (a dead network)

  function drawBoundary() {
    const w = boundary.clientWidth || 300;
    const dpr = window.devicePixelRatio || 1;
    if (boundary.width !== Math.round(w * dpr)) {
      boundary.width = boundary.height = Math.round(w * dpr);
    }
    bctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const p = net.predict(G, GRID * GRID);
    const img = offctx.createImageData(GRID, GRID);
    for (let i = 0; i < GRID * GRID; i++) {
      const q = Number.isFinite(p[i]) ? p[i] : 0.5;
      // class 0: orange, class 1: blue, uncertain: white
      const t = Math.abs(q - 0.5) * 2;
      const [r, g, b] = q > 0.5 ? [96, 140, 235] : [245, 158, 96];
      img.data[4 * i] = 255 + (r - 255) * t * 0.75;
      img.data[4 * i + 1] = 255 + (g - 255) * t * 0.75;
      img.data[4 * i + 2] = 255 + (b - 255) * t * 0.75;
      img.data[4 * i + 3] = 255;
    }
    // A network whose every hidden unit is dead outputs one constant: say so, in grey, rather
    // than a blank white square.
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < GRID * GRID; i++) (lo = Math.min(lo, p[i])), (hi = Math.max(hi, p[i]));
    flat = !(hi - lo > 1e-4);
    if (flat) for (let i = 0; i < GRID * GRID; i++) img.data.set([226, 232, 240, 255], 4 * i);
    offctx.putImageData(img, 0, 0);
    bctx.imageSmoothingEnabled = true;
    bctx.drawImage(off, 0, 0, w, w);
    const flatNote = $('#pg-flat');
    flatNote.hidden = !flat;
    if (flat) flatNote.textContent = `The network outputs p = ${(Number.isFinite(lo) ? lo : 0.5).toFixed(2)} everywhere: no boundary. Its hidden units are dead (or it has not learned yet).`;
    const X = (v) => ((v + span) / (2 * span)) * w;
    const Y = (v) => ((span - v) / (2 * span)) * w;
    for (let i = 0; i < data.n; i++) {
      bctx.beginPath();
      bctx.arc(X(data.X[2 * i]), Y(data.X[2 * i + 1]), 3, 0, 2 * Math.PI);
      bctx.fillStyle = data.y[i] ? '#1d4ed8' : '#c2410c';
      bctx.fill();
      bctx.lineWidth = 0.75;
      bctx.strokeStyle = '#fff';
      bctx.stroke();
    }
  }

  function drawLoss() {
    lossPlot.resize();
    lossPlot.clear();
    const n = losses.length;
    lossPlot.xmax = Math.max(100, Math.ceil(n / 100) * 100);
    const finite = losses.filter(Number.isFinite);
    // The y range follows the losses seen (a tenth above the highest), within [0.1, 3].
    lossPlot.ymax = Math.max(0.1, Math.min(3, Math.ceil(Math.max(0, ...finite) * 11) / 10));
    const xt = [];
    const xs = lossPlot.xmax / 4;
    for (let t = 0; t <= lossPlot.xmax; t += xs) xt.push(t);
    lossPlot.axes({ xticks: xt, yticks: [0, lossPlot.ymax / 2, lossPlot.ymax], yfmt: (v) => v.toFixed(2) });
    // thin the curve to ≤ 400 points
    const k = Math.max(1, Math.floor(n / 400));
    const xsArr = [];
    const ysArr = [];
    for (let i = 0; i < n; i += k) {
      xsArr.push(i);
      ysArr.push(losses[i]);
    }
    lossPlot.line(xsArr, ysArr, { color: '#2563eb', width: 2 });
  }

  function drawActivity() {
    const H = net.H;
    const w = actCanvas.clientWidth || 300;
    const dpr = window.devicePixelRatio || 1;
    const rowH = 16;
    const h = 2 * rowH + 6;
    actCanvas.style.height = `${h}px`;
    actCanvas.width = Math.round(w * dpr);
    actCanvas.height = Math.round(h * dpr);
    const ctx = actCanvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const labelW = 24;
    const cw = (w - labelW) / H;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    diag.forEach((layer, l) => {
      const y = l * (rowH + 6);
      ctx.fillStyle = '#6b7280';
      ctx.fillText(`L${l + 1}`, 0, y + rowH / 2);
      const dead = new Set(layer.dead);
      for (let u = 0; u < H; u++) {
        const a = layer.activity[u];
        ctx.fillStyle = dead.has(u) ? '#dc2626' : `rgba(22, 163, 74, ${0.15 + 0.85 * a})`;
        ctx.fillRect(labelW + u * cw + 1, y, Math.max(1, cw - 2), rowH);
      }
    });
  }

  function render(full) {
    diag = net.diagnose(data.X, data.n);
    const H = net.H;
    const last = losses.at(-1);
    $('#pg-steps').textContent = String(net.steps);
    $('#pg-lossval').textContent = Number.isFinite(last) ? last.toFixed(4) : last === undefined ? '–' : String(last);
    $('#pg-acc').textContent = `${(accuracy() * 100).toFixed(1)} %`;
    const d1 = diag[0].dead.length;
    const d2 = diag[1].dead.length;
    const deadEl = $('#pg-dead');
    deadEl.textContent = `${d1 + d2} / ${2 * H}  (L1 ${d1}, L2 ${d2})`;
    deadEl.classList.toggle('bad', d1 + d2 > 0);
    $('#pg-dead-label').textContent = net.act === 'relu' ? 'dead units' : 'units at x ≤ 0';
    drawLoss();
    drawActivity();
    if (full || frame % 3 === 0) drawBoundary();
  }

  function loop() {
    if (!running) return;
    frame++;
    for (let i = 0; i < STEPS_PER_FRAME && running; i++) step();
    render(false);
    if (net.steps >= AUTO_STOP) pause();
    if (running) requestAnimationFrame(loop);
  }

  function play() {
    if (running || diverged) return;
    running = true;
    trainBtn.textContent = 'Pause';
    requestAnimationFrame(loop);
  }

  function pause() {
    running = false;
    trainBtn.textContent = 'Train';
  }

  /** Test hook: pause, then train n steps (yielding now and then); resolves to their losses. */
  async function trainSteps(n) {
    pause();
    const out = [];
    for (let i = 0; i < n; i++) {
      out.push(step());
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 0));
    }
    render(true);
    return out;
  }

  trainBtn.addEventListener('click', () => (running ? pause() : play()));
  $('#pg-step').addEventListener('click', () => trainSteps(10));
  $('#pg-reset').addEventListener('click', () => {
    seed++;
    reset();
  });
  $('#pg-preset-dead').addEventListener('click', () => {
    reset({ act: 'relu', bias: -2, lr: 0.1, init: 'he' });
    play();
  });
  $('#pg-preset-leaky').addEventListener('click', () => {
    reset({ act: 'leaky', alpha: 0.1, bias: -2, lr: 0.1, init: 'he' });
    play();
  });
  // A new setting starts a new network and trains it, as the first load does.
  for (const k of ['data', 'act', 'alpha', 'hidden', 'init', 'bias']) {
    ui[k].addEventListener('input', () => {
      reset();
      play();
    });
  }
  addEventListener('resize', () => render(true));

  reset();
  return {
    ops,
    reset,
    trainSteps,
    play,
    pause,
    get state() {
      return { steps: net.steps, loss: losses.at(-1), accuracy: accuracy(), flat, span, extent: data.X.reduce((m, v) => Math.max(m, Math.abs(v)), 0), dead: diag.map((d) => d.dead), activity: diag.map((d) => Array.from(d.activity)), running };
    },
  };
}
