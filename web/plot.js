// A very small canvas plotter: axes, grid, lines, log-x. Crisp on high-DPI screens.

export const COLORS = {
  relu: '#2563eb',
  leaky: '#ea580c',
  prelu: '#16a34a',
  relu6: '#9333ea',
  simd: '#2563eb',
  scalar: '#ea580c',
  stream: '#0891b2',
  js: '#6b7280',
  tfjs: '#f59e0b',
};

const css = (name, fallback) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

export class Plot {
  constructor(canvas, { xmin, xmax, ymin, ymax, logx = false, pad = { l: 44, r: 10, t: 10, b: 30 }, xlabel = '', ylabel = '' }) {
    Object.assign(this, { canvas, xmin, xmax, ymin, ymax, logx, pad, xlabel, ylabel });
    this.ctx = canvas.getContext('2d');
    this.resize();
  }

  resize() {
    const dpr = window.devicePixelRatio || 1;
    const r = this.canvas.getBoundingClientRect();
    this.w = Math.max(120, r.width);
    this.h = Math.max(80, r.height);
    this.canvas.width = Math.round(this.w * dpr);
    this.canvas.height = Math.round(this.h * dpr);
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }

  X(v) {
    const { xmin, xmax, pad, w } = this;
    const t = this.logx ? (Math.log(v) - Math.log(xmin)) / (Math.log(xmax) - Math.log(xmin)) : (v - xmin) / (xmax - xmin);
    return pad.l + t * (w - pad.l - pad.r);
  }

  Y(v) {
    const { ymin, ymax, pad, h } = this;
    return h - pad.b - ((v - ymin) / (ymax - ymin)) * (h - pad.t - pad.b);
  }

  clear() {
    this.ctx.clearRect(0, 0, this.w, this.h);
  }

  axes({ xticks = [], yticks = [], xfmt = String, yfmt = String } = {}) {
    const { ctx, pad, w, h } = this;
    const fg = css('--muted', '#666');
    const grid = css('--grid', '#e5e7eb');
    ctx.save();
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    ctx.fillStyle = fg;
    ctx.strokeStyle = grid;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of xticks) {
      const x = Math.round(this.X(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, pad.t);
      ctx.lineTo(x, h - pad.b);
      ctx.stroke();
      // Kept inside the canvas: the last label of a wide axis ("1500") must not be cut off.
      const label = xfmt(t);
      const half = ctx.measureText(label).width / 2;
      ctx.fillText(label, Math.min(Math.max(x, half + 1), w - half - 1), h - pad.b + 4);
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of yticks) {
      const y = Math.round(this.Y(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(pad.l, y);
      ctx.lineTo(w - pad.r, y);
      ctx.stroke();
      ctx.fillText(yfmt(t), pad.l - 4, y);
    }
    // zero lines, darker
    ctx.strokeStyle = fg;
    if (!this.logx && this.xmin < 0 && this.xmax > 0) {
      ctx.beginPath();
      ctx.moveTo(Math.round(this.X(0)) + 0.5, pad.t);
      ctx.lineTo(Math.round(this.X(0)) + 0.5, h - pad.b);
      ctx.stroke();
    }
    if (this.ymin < 0 && this.ymax > 0) {
      ctx.beginPath();
      ctx.moveTo(pad.l, Math.round(this.Y(0)) + 0.5);
      ctx.lineTo(w - pad.r, Math.round(this.Y(0)) + 0.5);
      ctx.stroke();
    }
    if (this.xlabel) {
      ctx.textAlign = 'right';
      ctx.textBaseline = 'bottom';
      ctx.fillText(this.xlabel, w - pad.r, h - 1);
    }
    if (this.ylabel) {
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(this.ylabel, pad.l + 4, pad.t + 2);
    }
    ctx.restore();
  }

  line(xs, ys, { color = '#000', width = 2, dash = [] } = {}) {
    const { ctx, pad, w, h } = this;
    ctx.save();
    ctx.beginPath();
    ctx.rect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
    ctx.clip();
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.lineJoin = 'round';
    ctx.setLineDash(dash);
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < xs.length; i++) {
      const y = ys[i];
      if (!Number.isFinite(y)) {
        pen = false;
        continue;
      }
      const px = this.X(xs[i]);
      const py = this.Y(y);
      if (pen) ctx.lineTo(px, py);
      else ctx.moveTo(px, py);
      pen = true;
    }
    ctx.stroke();
    ctx.restore();
  }

  dots(xs, ys, { color = '#000', r = 3 } = {}) {
    const { ctx } = this;
    ctx.save();
    ctx.fillStyle = color;
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isFinite(ys[i])) continue;
      ctx.beginPath();
      ctx.arc(this.X(xs[i]), this.Y(ys[i]), r, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.restore();
  }
}

/** A legend as HTML: [[label, color, dashed?], …] */
export function legend(el, items) {
  el.replaceChildren(
    ...items.map(([label, color, dashed]) => {
      const s = document.createElement('span');
      s.className = 'key';
      const sw = document.createElement('i');
      sw.style.borderTop = `3px ${dashed ? 'dashed' : 'solid'} ${color}`;
      s.append(sw, label);
      return s;
    }),
  );
}

export const fmtSize = (n) => (n >= 1 << 20 ? `${n / (1 << 20)}M` : n >= 1024 ? `${n / 1024}K` : String(n));
