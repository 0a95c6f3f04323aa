// The README's "Coming from TensorFlow.js, onnxruntime-web, PyTorch, NumPy" table, where it
// states a difference from TensorFlow.js, checked against TensorFlow.js itself (tfjs-core with
// its cpu backend, a dev dependency). NumPy is the oracle of every other test (tests/fixtures).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as R from '../js/node.js';

let tf;
before(async () => {
  tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  await tf.ready();
  await R.init();
});

const bits = (a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (b) => '0x' + b.toString(16).padStart(8, '0'));
const f32 = (...u) => new Float32Array(new Uint32Array(u).buffer);
const tfRun = (f, ...xs) => {
  const ts = xs.map((x) => (Array.isArray(x) ? tf.tensor(x[0], x[1]) : tf.tensor(x)));
  const y = f(...ts);
  const d = y.dataSync();
  tf.dispose([...ts, y]);
  return d;
};

test('tf.leakyRelu defaults to alpha = 0.2, relu-wasm (as PyTorch and ONNX) to 0.01', () => {
  const x = Float32Array.of(-1);
  assert.equal(tfRun((t) => tf.leakyRelu(t), x)[0], Math.fround(-0.2));
  assert.equal(R.leakyRelu(x)[0], Math.fround(-0.01));
  assert.equal(R.leakyRelu(x, 0.2)[0], Math.fround(-0.2));
});

test('alpha: relu-wasm rounds it to float32 first (numpy), TF.js multiplies by the double: at most 1 ULP apart, on some negative inputs', () => {
  const n = 20000;
  const x = new Float32Array(n).map((_, i) => -((i * 7919) % 100003) / 997 - 1e-3);
  const a = new Int32Array(tfRun((t) => tf.leakyRelu(t, 0.2), x).buffer);
  const b = new Int32Array(R.leakyRelu(x, 0.2).buffer);
  let differ = 0;
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= 1, `x = ${x[i]}: ${Math.abs(a[i] - b[i])} ULP apart`);
    differ += a[i] !== b[i];
  }
  assert.ok(differ > n * 0.05 && differ < n * 0.5, `${differ} of ${n} differ`);
  // numpy's answer, computed the numpy way: float32(alpha) * x, one rounding.
  const numpy = Float32Array.from(x, (v) => Math.fround(Math.fround(0.2) * v));
  assert.deepEqual(bits(R.leakyRelu(x, 0.2)), bits(numpy));
});

test('NaN: tf.relu and tf.relu6 turn every NaN into −NaN; relu-wasm keeps it (numpy)', () => {
  const x = f32(0x7fc00000, 0xffc00000, 0x7fc12345);
  assert.deepEqual(bits(tfRun((t) => tf.relu(t), x)), ['0xffc00000', '0xffc00000', '0xffc00000']);
  assert.deepEqual(bits(tfRun((t) => tf.relu6(t), x)), ['0xffc00000', '0xffc00000', '0xffc00000']);
  assert.deepEqual(bits(R.relu(x)), bits(x));
  assert.deepEqual(bits(R.relu6(x)), bits(x));
});

test('tf.prelu is channels-last like relu-wasm\'s default; tf.clipByValue is clip; both agree bit for bit on finite data', () => {
  const x = Float32Array.from({ length: 24 }, (_, i) => (i % 7) - 3.5);
  const slope = Float32Array.of(0.25, 0.5, 0.125);
  assert.deepEqual(bits(tfRun((t, s) => tf.prelu(t, s), [x, [8, 3]], slope)), bits(R.prelu(x, slope)));
  assert.deepEqual(bits(tfRun((t) => tf.clipByValue(t, -1, 2), x)), bits(R.clip(x, -1, 2)));
  assert.deepEqual(bits(tfRun((t) => tf.step(t), x)), bits(R.reluGrad(x)));
});

// onnxruntime-web (wasm EP): one-node models of the ops the README maps to ONNX, on finite data.
test('ONNX via onnxruntime-web: Relu, LeakyRelu (default alpha 0.01), Clip, PRelu channels first ({ layout: nchw }), ThresholdedRelu, Shrink agree bit for bit', async () => {
  const ort = await import('onnxruntime-web');
  const { oneNodeModel } = await import('../scripts/onnx-model.mjs');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const [N, C, H, W] = [2, 3, 2, 2];
  const n = N * C * H * W;
  const x = Float32Array.from({ length: n }, (_, i) => ((i * 37) % 17) / 4 - 2);
  const slope = Float32Array.of(0.25, -0.5, 1.5);
  const run = async (op, { attributes = {}, initializers = [], input = x } = {}) => {
    const dims = input === x ? [N, C, H, W] : [input.length];
    const model = oneNodeModel({ op, attributes, inputs: [{ name: 'x', dtype: 'float32', dims }], outputs: [{ name: 'y', dtype: 'float32', dims }], initializers });
    const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
    const out = (await session.run({ x: new ort.Tensor('float32', input, dims) })).y.data;
    await session.release();
    return out;
  };
  assert.deepEqual(bits(await run('Relu')), bits(R.relu(x)));
  assert.deepEqual(bits(await run('LeakyRelu')), bits(R.leakyRelu(x)));
  const bound = (name, v) => ({ name, dtype: 'float32', dims: [], values: [v] });
  assert.deepEqual(bits(await run('Clip', { initializers: [bound('min', -1), bound('max', 1.5)] })), bits(R.clip(x, -1, 1.5)));
  assert.deepEqual(bits(await run('PRelu', { initializers: [{ name: 'slope', dtype: 'float32', dims: [C, 1, 1], values: slope }] })), bits(R.prelu(x, slope, { layout: 'nchw', inner: H * W })));
  assert.deepEqual(bits(await run('ThresholdedRelu')), bits(R.thresholdedRelu(x)));
  // (x holds ±0.5 and ±1.5 themselves: the thresholds' own values select 0)
  assert.deepEqual(bits(await run('Shrink')), bits(R.shrink(x)));
  assert.deepEqual(bits(await run('Shrink', { attributes: { lambd: 1.5, bias: 1.5 } })), bits(R.shrink(x, 1.5, 1.5)));
  assert.deepEqual(bits(await run('Shrink', { attributes: { lambd: 0.25, bias: -2 } })), bits(R.shrink(x, 0.25, -2)));
  // NaN and the zeros between the thresholds: +0 in both (docs/semantics.md)
  const special = f32(0x7fc00000, 0xffc00000, 0x7fa00001, 0xbe800000, 0x3e800000, 0x80000000, 0, 0xc0400000);
  assert.deepEqual(bits(await run('Shrink', { attributes: { lambd: 0.5, bias: 0.5 }, input: special })), bits(R.shrink(special, 0.5, 0.5)));
});

// The smooth family and the hard ones, as docs/api.md ("Ops") and docs/semantics.md map them to ONNX: onnxruntime-web's
// one-node models agree within onnxruntime's own test tolerance (1e-4 relative + 1e-5; its
// kernels use approximations), and the hard ops' ONNX forms bit for bit where ORT computes the
// same float32 expression. Then PyTorch's documented formulas (double precision here, rounded
// to float32), within torch.testing's float32 tolerance (1.3e-6 relative + 1e-5).
test('ONNX via onnxruntime-web: Gelu (both forms), Elu, Celu, Selu (its float defaults), Softplus (threshold Infinity), Mish, Sigmoid, Tanh, Softsign, HardSigmoid, HardSwish agree within tolerance', async () => {
  const ort = await import('onnxruntime-web');
  const { oneNodeModel } = await import('../scripts/onnx-model.mjs');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const n = 4001;
  const x = Float32Array.from({ length: n }, (_, i) => -12 + (24 * i) / (n - 1));
  const run = async (op, attributes = {}, opset = 17) => {
    const dims = [n];
    const model = oneNodeModel({ op, attributes, opset, inputs: [{ name: 'x', dtype: 'float32', dims }], outputs: [{ name: 'y', dtype: 'float32', dims }] });
    const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
    const out = (await session.run({ x: new ort.Tensor('float32', x, dims) })).y.data;
    await session.release();
    return out;
  };
  const close = (got, want, what, rel = 1e-4, abs = 1e-5) => {
    for (let i = 0; i < n; i++) assert.ok(Math.abs(got[i] - want[i]) <= rel * Math.abs(want[i]) + abs, `${what} at x = ${x[i]}: ${got[i]} vs ${want[i]}`);
  };
  close(await run('Gelu', {}, 20), R.gelu(x), 'Gelu');
  close(await run('Gelu', { approximate: 'tanh' }, 20), R.gelu(x, { approximate: 'tanh' }), "Gelu approximate='tanh'");
  close(await run('Elu', { alpha: 0.5 }), R.elu(x, 0.5), 'Elu');
  close(await run('Celu', { alpha: 2.5 }, 17), R.celu(x, 2.5), 'Celu');
  close(await run('Selu'), R.selu(x, 1.67326319217681884765625, 1.05070102214813232421875), 'Selu');
  close(await run('Softplus'), R.softplus(x, 1, Infinity), 'Softplus');
  close(await run('Mish', {}, 18), R.mish(x), 'Mish');
  close(await run('Sigmoid'), R.sigmoid(x), 'Sigmoid');
  close(await run('Tanh'), R.tanh(x), 'Tanh');
  close(await run('Softsign'), R.softsign(x), 'Softsign');
  close(await run('HardSigmoid'), R.hardSigmoid(x), 'HardSigmoid', 0, 1e-7);
  close(await run('HardSwish'), R.hardSwish(x, Math.fround(1 / 6), 0.5, 1), 'HardSwish', 1e-6, 1e-7);
});

// The fused bias as ONNX graphs have it (README's map): Add then Relu bit for bit (numpy's
// add and relu, as onnxruntime computes them), com.microsoft BiasGelu within its tolerance.
test('ONNX via onnxruntime-web: Add then Relu is relu(x, { bias }) bit for bit; BiasGelu is gelu(x, { bias }) within tolerance', async () => {
  const ort = await import('onnxruntime-web');
  const { graphModel } = await import('../scripts/onnx-model.mjs');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const C = 5, rows = 401;
  const x = Float32Array.from({ length: rows * C }, (_, i) => -6 + (12 * i) / (rows * C));
  const bias = Float32Array.of(0.5, -0.25, 1.5, -3, 0);
  const io = (name, dims) => ({ name, dtype: 'float32', dims });
  const run = async (nodes) => {
    const model = graphModel({ nodes, inputs: [io('x', [rows, C]), io('bias', [C])], outputs: [io('y', [rows, C])], opset: 17 });
    const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
    const out = (await session.run({ x: new ort.Tensor('float32', x, [rows, C]), bias: new ort.Tensor('float32', bias, [C]) })).y.data;
    await session.release();
    return out;
  };
  assert.deepEqual(bits(await run([{ op: 'Add', inputs: ['x', 'bias'], outputs: ['t'] }, { op: 'Relu', inputs: ['t'], outputs: ['y'] }])), bits(R.relu(x, { bias })));
  const got = await run([{ op: 'BiasGelu', inputs: ['x', 'bias'], outputs: ['y'], domain: 'com.microsoft' }]);
  const want = R.gelu(x, { bias });
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-4 * Math.abs(want[i]) + 1e-5, `BiasGelu at ${i}: ${got[i]} vs ${want[i]}`);
});

test("PyTorch's formulas for the documented calls agree within torch.testing's float32 tolerance", () => {
  const x = Float32Array.from({ length: 4001 }, (_, i) => -30 + (60 * i) / 4000);
  const up = Float32Array.from(x, (_, i) => Math.sin(i * 0.7) * 3);
  const pairs = Float32Array.from({ length: 2 * x.length }, (_, i) => (i % 3 ? x[i >> 1] : up[i >> 1] * 4));
  const sig = (v) => 1 / (1 + Math.exp(-v));
  const ALPHA = 1.6732632423543772848170429916717;
  const SCALE = 1.0507009873554804934193349852946;
  const torch = {
    'silu(x)': [R.silu(x), (v) => v * sig(v)],
    'swish(x, 1.702) = QuickGELU x·σ(1.702x)': [R.swish(x, 1.702), (v) => v * sig(1.702 * v)],
    'elu(x, 0.5)': [R.elu(x, 0.5), (v) => (v > 0 ? v : 0.5 * Math.expm1(v))],
    'celu(x, 2.5)': [R.celu(x, 2.5), (v) => Math.max(0, v) + Math.min(0, 2.5 * Math.expm1(v / 2.5))],
    'selu(x)': [R.selu(x), (v) => SCALE * (Math.max(0, v) + Math.min(0, ALPHA * Math.expm1(v)))],
    'softplus(x, 2, 20)': [R.softplus(x, 2, 20), (v) => (v * 2 > 20 ? v : Math.log1p(Math.exp(v * 2)) / 2)],
    'mish(x)': [R.mish(x), (v) => v * Math.tanh(Math.log1p(Math.exp(v)))],
    "gelu(x, approximate='tanh')": [R.gelu(x, { approximate: 'tanh' }), (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))],
    'hardsigmoid(x) = hardSigmoid(x, 1, 3, 6)': [R.hardSigmoid(x, 1, 3, 6), (v) => Math.min(Math.max(v + 3, 0), 6) / 6],
    'hardswish(x)': [R.hardSwish(x), (v) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6],
    'softsign(x)': [R.softsign(x), (v) => v / (1 + Math.abs(v))],
    'hardshrink(x, 0.5) = shrink(x)': [R.shrink(x), (v) => (v >= -0.5 && v <= 0.5 ? 0 : v)],
    'softshrink(x, 1.5) = shrink(x, 1.5, 1.5)': [R.shrink(x, 1.5, 1.5), (v) => (v > 1.5 ? v - 1.5 : v < -1.5 ? v + 1.5 : 0)],
    // The gated calls: the documented framework forms, up = a spread of values.
    'F.silu(gate) * up = swiglu(gate, up)': [R.swiglu(x, up), (v, i) => v * sig(v) * up[i]],
    'ONNX SwiGLU(A, B, alpha = 1.702) = swiglu(A, B, 1.702)': [R.swiglu(x, up, 1.702), (v, i) => v * sig(1.702 * v) * up[i]],
    "F.gelu(gate, approximate='tanh') * up = geglu(gate, up, { approximate: 'tanh' })": [R.geglu(x, up, { approximate: 'tanh' }), (v, i) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))) * up[i]],
    // F.glu(cat([a, b], -1)) = a·σ(b): glu(b, a)
    'F.glu(cat([a, b], -1)) = glu(b, a)': [R.glu(up, x), (v, i) => v * sig(up[i])],
    // The packed calls (docs/api.md, "Packed"): F.glu(x, -1) = first half · σ(second half)
    // (one row; tests/packed.test.mjs holds the rows of width to the two-input form); GPT-OSS's swiglu on interleaved pairs, gate clamped above at 7, up to
    // [-7, 7], plus 1, α = 1.702.
    'F.glu(x, -1), x = [a | b] = glu(x, { packed: halves, gate: second })': [R.glu(pairs, { packed: 'halves', gate: 'second' }),
      (v, i) => pairs[i] * sig(pairs[x.length + i])],
    "GPT-OSS swiglu(x, alpha=1.702, limit=7) = swiglu(x, 1.702, { packed: 'interleaved', limit: 7, upBias: 1 })": [R.swiglu(pairs, 1.702, { packed: 'interleaved', limit: 7, upBias: 1 }),
      (v, i) => { const g = Math.min(pairs[2 * i], 7), l = Math.min(Math.max(pairs[2 * i + 1], -7), 7); return g * sig(1.702 * g) * (l + 1); }],
  };
  for (const [what, [got, f]] of Object.entries(torch)) {
    for (let i = 0; i < x.length; i++) {
      const want = Math.fround(f(x[i], i));
      assert.ok(Math.abs(got[i] - want) <= 1.3e-6 * Math.abs(want) + 1e-5, `${what} at x = ${x[i]}: ${got[i]} vs ${want}`);
    }
  }
});

// PyTorch's float16 / bfloat16 CPU kernels widen each element to float32, evaluate the op's
// formula there with float32 parameters and round the result once to the format. Written here
// from PyTorch's kernels (Math.fround after each float32 operation), on every 16-bit input.
const widen16 = {
  float16: (h) => {
    const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 31, m = h & 1023;
    return e === 31 ? (m ? NaN : s * Infinity) : s * (e ? (1 + m / 1024) * 2 ** (e - 15) : m * 2 ** -24);
  },
  bfloat16: (h) => new Float32Array(new Uint32Array([h << 16]).buffer)[0],
};
const narrow16 = {
  // float32 value -> float16 bits to nearest even (no NaN here: the callers compare NaN apart)
  float16: (v) => {
    const a = Math.abs(v), s = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
    if (a >= 2 ** -14) {
      const u = new Uint32Array(Float32Array.of(a).buffer)[0];
      return s | Math.min(0x7c00, (u - (112 << 23) + 0xfff + ((u >> 13) & 1)) >>> 13);
    }
    const q = a * 2 ** 24, r = Math.round(q);  // exact in double; ties to even below
    return s | (r - q === 0.5 && r % 2 ? r - 1 : r);
  },
  bfloat16: (v) => {
    const u = new Uint32Array(Float32Array.of(v).buffer)[0];
    return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
  },
};

test("float16 and bfloat16 are PyTorch's: leakyRelu, hardsigmoid, hardswish, hardshrink, softshrink and their backward passes on every input, bit for bit (the shrinks' zeros by value)", () => {
  const f = Math.fround, a = f(0.1), sixth = f(1 / 6);
  const clamp = (v) => Math.min(Math.max(f(v + 3), 0), 6);
  const torch = {
    'leaky_relu(x, 0.1)': [(x, o) => R.leakyRelu(x, 0.1, o), (v) => (v > 0 ? v : f(v * a))],
    'hardsigmoid(x)': [(x, o) => R.hardSigmoid(x, 1, 3, 6, o), (v) => f(clamp(v) / 6)],
    'hardswish(x)': [(x, o) => R.hardSwish(x, 1, 3, 6, o), (v) => f(f(v * clamp(v)) / 6)],
    'leaky_relu_backward(dy, x, 0.1)': [(dy, x, o) => R.leakyReluBackward(dy, x, 0.1, o), (d, v) => (v > 0 ? d : f(d * a))],
    'hardsigmoid_backward(dy, x)': [(dy, x, o) => R.hardSigmoidBackward(dy, x, 1, 3, 6, o), (d, v) => (v > -3 && v < 3 ? f(d * sixth) : 0)],
    'hardswish_backward(dy, x)': [(dy, x, o) => R.hardSwishBackward(dy, x, 1, 3, 6, o), (d, v) => (v < -3 ? 0 : v <= 3 ? f(d * f(f(v / 3) + 0.5)) : d)],
    // The shrinks on non-NaN x (a NaN gives 0 here, ONNX's rule; PyTorch's hardshrink keeps it).
    // softshrink as PyTorch's scalar kernel had it (+0 between the thresholds; newer versions
    // compute x·0 there, −0 for a negative x, which === compares equal to +0 below).
    'hardshrink(x, 0.5)': [(x, o) => R.shrink(x, 0.5, 0, o), (v) => (v >= -0.5 && v <= 0.5 ? 0 : v)],
    'softshrink(x, 0.3)': [(x, o) => R.shrink(x, 0.3, 0.3, o), (v) => (v > f(0.3) ? f(v - f(0.3)) : v < -f(0.3) ? f(v + f(0.3)) : 0)],
    'hardshrink_backward(dy, x, 0.5)': [(dy, x, o) => R.shrinkBackward(dy, x, 0.5, o), (d, v) => (v >= -0.5 && v <= 0.5 ? 0 : d)],
  };
  const shrinks = new Set(['hardshrink(x, 0.5)', 'softshrink(x, 0.3)', 'hardshrink_backward(dy, x, 0.5)']);
  const x = Uint16Array.from({ length: 65536 }, (_, i) => i);
  const dy = Uint16Array.from(x, (i) => (i * 40503 + 12345) & 0xffff);
  for (const dtype of ['float16', 'bfloat16']) {
    const [wide, narrow] = [widen16[dtype], narrow16[dtype]];
    for (const [what, [call, formula]] of Object.entries(torch)) {
      const binary = formula.length === 2;
      const got = binary ? call(dy, x, { dtype }) : call(x, { dtype });
      let differ = 0, first = '';
      for (let i = 0; i < 65536; i++) {
        if (shrinks.has(what) && Number.isNaN(wide(x[i]))) continue;
        const want = binary ? formula(wide(dy[i]), wide(x[i])) : formula(wide(x[i]));
        const ok = Number.isNaN(want) ? Number.isNaN(wide(got[i])) : shrinks.has(what) ? wide(got[i]) === wide(narrow(want)) : got[i] === narrow(want);
        if (!ok && !differ++) first = `x = 0x${x[i].toString(16)}: got 0x${got[i].toString(16)}, PyTorch 0x${narrow(want).toString(16)}`;
      }
      assert.equal(differ, 0, `${dtype} ${what}: ${differ} of 65536 differ (${first})`);
    }
  }
});
