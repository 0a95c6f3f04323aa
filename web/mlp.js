// A small multilayer perceptron, 2 → H → H → 1 (sigmoid), trained by full-batch SGD with
// momentum on a 2-D toy data set. Dense layers are plain JS; every activation forward and
// backward pass, and the dying-ReLU diagnostics, are relu-wasm calls (`ops`). No DOM here.

/** Deterministic PRNG (mulberry32) so runs and tests are reproducible. */
export function rng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.normal = () => {
    const u = 1 - next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return next;
}

/** { X: Float32Array(2n) row-major, y: Float32Array(n) of 0/1, n }, points roughly in [-1, 1]². */
export function makeData(kind = 'moons', n = 300, { seed = 7, noise } = {}) {
  const r = rng(seed);
  const X = new Float32Array(2 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    let px, py;
    if (kind === 'spirals') {
      const t = (i >> 1) / (n / 2); // 0 … 1 along the arm
      const ang = t * 3.2 * Math.PI + c * Math.PI;
      const rad = 0.08 + 0.85 * t;
      const e = noise ?? 0.04;
      px = rad * Math.cos(ang) + e * r.normal();
      py = rad * Math.sin(ang) + e * r.normal();
    } else {
      const e = noise ?? 0.2;
      const t = Math.PI * r();
      px = c === 0 ? Math.cos(t) : 1 - Math.cos(t);
      py = c === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
      // centre on the origin, scale into about [-1, 1]
      px = (px - 0.5) / 1.3 + (e * r.normal()) / 1.3;
      py = (py - 0.25) / 1.3 + (e * r.normal()) / 1.3;
    }
    X[2 * i] = px;
    X[2 * i + 1] = py;
    y[i] = c;
  }
  return { X, y, n };
}

export const ACTIVATIONS = ['relu', 'leaky', 'prelu'];
export const INITS = { he: 'He (√(2/fan-in))', xavier: 'Glorot (√(1/fan-in))', small: 'small (σ = 0.01)' };

export class MLP {
  /**
   * ops: { relu, reluBackward, leakyRelu, leakyReluBackward, prelu, preluBackward, activity, deadUnits }
   * act: 'relu' | 'leaky' | 'prelu'; init: key of INITS; bias: initial hidden bias (negative kills units).
   */
  constructor({ ops, hidden = 16, act = 'relu', alpha = 0.01, init = 'he', bias = 0, seed = 1, momentum = 0.9 }) {
    this.ops = ops;
    this.H = hidden;
    this.act = act;
    this.alpha = alpha;
    this.momentum = momentum;
    this.steps = 0;
    const r = rng(seed);
    const H = hidden;
    const scale = (fanIn) => (init === 'he' ? Math.sqrt(2 / fanIn) : init === 'xavier' ? Math.sqrt(1 / fanIn) : 0.01);
    const mat = (rows, cols) => {
      const m = new Float32Array(rows * cols);
      const s = scale(rows);
      for (let i = 0; i < m.length; i++) m[i] = s * r.normal();
      return m;
    };
    this.p = {
      W1: mat(2, H), b1: new Float32Array(H).fill(bias),
      W2: mat(H, H), b2: new Float32Array(H).fill(bias),
      W3: mat(H, 1), b3: new Float32Array(1),
      s1: new Float32Array(H).fill(0.25), s2: new Float32Array(H).fill(0.25), // PReLU slopes
    };
    this.v = Object.fromEntries(Object.entries(this.p).map(([k, a]) => [k, new Float32Array(a.length)]));
    this.cache = null;
  }

  #buffers(B) {
    if (this.cache?.B === B) return this.cache;
    const H = this.H;
    const f = (n) => new Float32Array(n);
    this.cache = { B, z1: f(B * H), a1: f(B * H), z2: f(B * H), a2: f(B * H), logit: f(B), da: f(B * H), dz: f(B * H) };
    return this.cache;
  }

  #act(z, out, slope) {
    const { ops } = this;
    if (this.act === 'relu') return ops.relu(z, out);
    if (this.act === 'leaky') return ops.leakyRelu(z, this.alpha, out);
    return ops.prelu(z, slope, 'nhwc', out);
  }

  // dz for this layer, and the slope gradient for PReLU (else null)
  #actBackward(da, z, out, slope) {
    const { ops } = this;
    if (this.act === 'relu') return [ops.reluBackward(da, z, out), null];
    if (this.act === 'leaky') return [ops.leakyReluBackward(da, z, this.alpha, out), null];
    const { dx, dslope } = ops.preluBackward(da, z, slope, 'nhwc');
    out.set(dx);
    return [out, dslope];
  }

  /** Forward pass over B rows of X; fills the cache, returns logits. */
  forward(X, B) {
    const { H, p } = this;
    const c = this.#buffers(B);
    dense(X, B, 2, p.W1, p.b1, H, c.z1);
    this.#act(c.z1, c.a1, p.s1);
    dense(c.a1, B, H, p.W2, p.b2, H, c.z2);
    this.#act(c.z2, c.a2, p.s2);
    dense(c.a2, B, H, p.W3, p.b3, 1, c.logit);
    return c.logit;
  }

  /** Probabilities of class 1 for B rows of X (a copy). */
  predict(X, B) {
    const l = this.forward(X, B);
    const out = new Float32Array(B);
    for (let i = 0; i < B; i++) out[i] = 1 / (1 + Math.exp(-l[i]));
    return out;
  }

  /** One full-batch SGD + momentum step; returns the loss before the step (mean BCE). */
  step(X, y, B, lr) {
    const { H, p } = this;
    const c = this.#buffers(B);
    const logit = this.forward(X, B);
    let loss = 0;
    const dlogit = new Float32Array(B);
    for (let i = 0; i < B; i++) {
      const l = logit[i];
      loss += Math.max(l, 0) - l * y[i] + Math.log1p(Math.exp(-Math.abs(l)));
      dlogit[i] = (1 / (1 + Math.exp(-l)) - y[i]) / B;
    }
    loss /= B;
    const g = {};
    // layer 3
    g.W3 = new Float32Array(H);
    g.b3 = new Float32Array(1);
    for (let b = 0; b < B; b++) {
      const d = dlogit[b];
      g.b3[0] += d;
      for (let h = 0; h < H; h++) {
        g.W3[h] += c.a2[b * H + h] * d;
        c.da[b * H + h] = d * p.W3[h];
      }
    }
    // layer 2
    let ds;
    [, ds] = this.#actBackward(c.da, c.z2, c.dz, p.s2);
    if (ds) g.s2 = ds;
    g.W2 = new Float32Array(H * H);
    g.b2 = new Float32Array(H);
    c.da.fill(0);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < H; i++) {
        const a = c.a1[b * H + i];
        let s = 0;
        for (let o = 0; o < H; o++) {
          const d = c.dz[b * H + o];
          g.W2[i * H + o] += a * d;
          s += d * p.W2[i * H + o];
        }
        c.da[b * H + i] = s;
      }
      for (let o = 0; o < H; o++) g.b2[o] += c.dz[b * H + o];
    }
    // layer 1
    [, ds] = this.#actBackward(c.da, c.z1, c.dz, p.s1);
    if (ds) g.s1 = ds;
    g.W1 = new Float32Array(2 * H);
    g.b1 = new Float32Array(H);
    for (let b = 0; b < B; b++) {
      const x0 = X[2 * b];
      const x1 = X[2 * b + 1];
      for (let o = 0; o < H; o++) {
        const d = c.dz[b * H + o];
        g.W1[o] += x0 * d;
        g.W1[H + o] += x1 * d;
        g.b1[o] += d;
      }
    }
    for (const k in g) {
      const w = p[k];
      const v = this.v[k];
      const gk = g[k];
      for (let i = 0; i < w.length; i++) {
        v[i] = this.momentum * v[i] - lr * gk[i];
        w[i] += v[i];
      }
    }
    this.steps++;
    return loss;
  }

  /** Dying-ReLU diagnostics over B rows: dead unit indices and per-unit activity, per hidden layer. */
  diagnose(X, B) {
    const c = this.#buffers(B);
    this.forward(X, B);
    const { ops, H } = this;
    // Pre-activations: a unit is dead when its input is <= 0 on every sample (ReLU then passes
    // no gradient; Leaky/PReLU still pass alpha·dy).
    return [c.z1, c.z2].map((z) => ({ dead: Array.from(ops.deadUnits(z, H)), activity: Float32Array.from(ops.activity(z, H)) }));
  }
}

// out[B×O] = A[B×I] · W[I×O] + b
function dense(A, B, I, W, bias, O, out) {
  for (let r = 0; r < B; r++) {
    const ro = r * O;
    for (let o = 0; o < O; o++) out[ro + o] = bias[o];
    for (let i = 0; i < I; i++) {
      const a = A[r * I + i];
      if (a === 0) continue;
      const wi = i * O;
      for (let o = 0; o < O; o++) out[ro + o] += a * W[wi + o];
    }
  }
  return out;
}
