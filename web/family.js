// Which ReLU-family ops this build of relu-wasm has, and small plain-JS stand-ins the
// playground uses (with a visible note) for any op that has not landed in this build yet.
// The stand-ins follow the README's semantics; they are never used when the library has the op.

export const FAMILY = [
  'relu', 'reluGrad', 'reluBackward', 'leakyRelu', 'leakyReluBackward', 'prelu', 'preluBackward',
  'relu6', 'clip', 'clipBackward', 'activity', 'deadUnits',
];

export function availability(lib) {
  const available = FAMILY.filter((n) => typeof lib[n] === 'function');
  const missing = FAMILY.filter((n) => typeof lib[n] !== 'function');
  return { available, missing };
}

const f32 = Math.fround;

const STANDINS = {
  reluBackward(dy, x, out = new Float32Array(x.length)) {
    for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? dy[i] : 0;
    return out;
  },
  leakyRelu(x, alpha = 0.01, out = new Float32Array(x.length)) {
    const a = f32(alpha);
    for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : a * x[i];
    return out;
  },
  leakyReluBackward(dy, x, alpha = 0.01, out = new Float32Array(x.length)) {
    const a = f32(alpha);
    for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? dy[i] : a * dy[i];
    return out;
  },
  // channels-last only: channel = index mod slope.length
  prelu(x, slope, layout, out = new Float32Array(x.length)) {
    const C = slope.length;
    for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : slope[i % C] * x[i];
    return out;
  },
  preluBackward(dy, x, slope) {
    const C = slope.length;
    const dx = new Float32Array(x.length);
    const dslope = new Float32Array(C);
    for (let i = 0; i < x.length; i++) {
      if (x[i] > 0) dx[i] = dy[i];
      else {
        dx[i] = slope[i % C] * dy[i];
        dslope[i % C] += x[i] * dy[i];
      }
    }
    return { dx, dslope };
  },
  activity(y, units) {
    const rows = y.length / units;
    const a = new Float32Array(units);
    for (let i = 0; i < y.length; i++) if (y[i] > 0) a[i % units]++;
    for (let u = 0; u < units; u++) a[u] /= rows;
    return a;
  },
  deadUnits(y, units) {
    const alive = new Uint8Array(units);
    for (let i = 0; i < y.length; i++) if (y[i] > 0) alive[i % units] = 1;
    const dead = [];
    for (let u = 0; u < units; u++) if (!alive[u]) dead.push(u);
    return Int32Array.from(dead);
  },
};

/** The ops the playground needs: the library's where present, else a stand-in (listed in `fallbacks`). */
export function playgroundOps(lib) {
  const ops = { relu: lib.relu };
  const fallbacks = [];
  for (const name of Object.keys(STANDINS)) {
    if (typeof lib[name] === 'function') ops[name] = lib[name];
    else {
      ops[name] = STANDINS[name];
      fallbacks.push(name);
    }
  }
  return { ops, fallbacks };
}
