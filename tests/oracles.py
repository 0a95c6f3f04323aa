"""Every op's oracle, once: its definition and the parameter values it is tested at.

One ORACLES entry per op of the op table js/ops.js (keyed by its name), imported by
  tests/fixtures/gen.py   the golden fixtures (f32, f64, the integer dtypes),
  tests/half/oracle.py    float16 and bfloat16 on all 65,536 inputs (the piecewise ops),
  tests/quant/oracle.py   requantized int8 / uint8, the exact real function (the activations).
An entry (Op): fn(dt, *inputs, **params), inputs in the kernel's order (x | dy, x | x, slope |
dy, x, slope | y), params by the table's names; sweep(dt), the param sets the fixtures and the
16-bit tests run; quant, those the requantized tests run; thresholds / points, x values where
the op changes branch (the fixtures' special inputs). Adding an op: tests/fixtures/README.md.

The piecewise ops are numpy expressions, params cast to the dtype first. dt is
  'f32' 'f64' 'i32' 'i16' 'i8' 'u8'  numpy's arithmetic in that dtype;
  'f16'    numpy's float16 (each operation computed in float32, rounded to float16);
  'bf16'   float32 arithmetic (the caller rounds params to bfloat16 first and results to
           bfloat16 after; only a sum, preluBackward's dslope, rounds to bfloat16 itself).
The ops with arithmetic on their params (leakyRelu, the hard ops, their backward passes:
Op.via_f32) are computed for both 16-bit formats as PyTorch does: the 'f32' oracle on the
widened inputs with float32 params, rounded once to the format (tests/half/oracle.py).
  'exact'  object arrays of mpmath numbers: the real function at the params as given,
           at mpmath's working precision (the requantized oracle's).
The smooth family (gelu, …, and their backward passes) is defined in mpmath (SMOOTH), its
oracle that function computed at 320 bits and rounded once to float32 (f32 only).

Also shared: the op table reader, the check of a sweep against the table, rounding an exact
value once to a float format (round_exact), bit views, the JSON encoding of params.
"""
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import mpmath as mp  # Debian: python3-mpmath
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DT = {'f32': np.float32, 'f64': np.float64, 'f16': np.float16, 'bf16': np.float32,
      'i32': np.int32, 'i16': np.int16, 'i8': np.int8, 'u8': np.uint8, 'exact': mp.mpf}
FLOATS = ['f32', 'f64', 'f16', 'bf16']
UINT = {'f32': np.uint32, 'f64': np.uint64, 'f16': np.uint16, 'bf16': np.uint32}
CANONICAL_NAN = {'f32': 0x7fc00000, 'f64': 0x7ff8000000000000, 'f16': 0x7e00, 'bf16': 0x7fc00000}


def fail(msg):
    script = os.path.relpath(os.path.abspath(sys.argv[0]), ROOT) if sys.argv and sys.argv[0] else 'tests/oracles.py'
    sys.exit(f'{script}: {msg}')


# ---------------------------------------------------------------- the op table

TABLE_JS = """
import { OPS } from './js/ops.js';
import { KINDS } from './js/kinds/index.js';
import { signature } from './js/signature.js';
console.log(JSON.stringify(OPS.map((r) => ({
  bias: signature(r).bias,
  name: r.name, kind: r.kind, cases: KINDS[r.kind].cases, inputs: KINDS[r.kind].inputs, outputs: KINDS[r.kind].outputs, argument: KINDS[r.kind].argument,
  dtypes: r.dtypes, summary: r.summary, smooth: !!r.smooth, quantized: !!r.quantized,
  params: r.params.map((p) => ({ name: p.name, default: p.default, example: p.example, rule: p.rule,
                                 option: !!p.option, ints: !!p.ints, init: !!p.init })),
}))));
"""


def read_table():
    """js/ops.js's OPS as JSON (its functions are dropped; an absent default is no 'default' key)."""
    try:
        r = subprocess.run(['node', '--input-type=module', '-e', TABLE_JS], cwd=ROOT, capture_output=True, text=True)
    except FileNotFoundError:
        fail('node not found: it is needed to read the op table js/ops.js')
    if r.returncode != 0:
        fail(f'reading the op table js/ops.js with node failed:\n{r.stderr}')
    return json.loads(r.stdout)


def table_params(row, dt):
    """The row's parameter names for dtype dt that the oracle takes: ints-only params take their
    default on floats, and init-able ones (`init`: the smooth family's precision) say how the
    function is evaluated, not which function: the oracle is the exact one whatever they are,
    and the fixtures are made at their defaults (the tests hold other values to their bounds)."""
    return [p['name'] for p in row['params'] if not (p['ints'] and dt in FLOATS) and not p['init']]


def check_registry(table):
    """Every table op has an ORACLES entry, and every entry a table op."""
    names = [row['name'] for row in table]
    missing = [n for n in names if n not in ORACLES]
    extra = [n for n in ORACLES if n not in names]
    if missing:
        fail(f'no oracle for the js/ops.js ops {", ".join(missing)}: add ORACLES entries to tests/oracles.py '
             '(tests/fixtures/README.md, "Adding an op")')
    if extra:
        fail(f'tests/oracles.py has ORACLES entries for ops not in js/ops.js: {", ".join(extra)}')


def param_sets(row, op, dt, given=()):
    """The op's sweep for dt, checked against the table: every set names exactly the row's
    params, less those the kind supplies itself (given)."""
    want = set(table_params(row, dt))
    if not want >= set(given):
        fail(f"{row['name']} ({row['kind']}): js/ops.js must list the params {sorted(given)}")
    sets = op.sweep(dt)
    if not sets:
        fail(f"ORACLES['{row['name']}'].sweep('{dt}') gives no param sets")
    for params in sets:
        if set(params) != want - set(given):
            fail(f"ORACLES['{row['name']}'].sweep('{dt}') gives params {sorted(params)}, "
                 f"js/ops.js has {sorted(want - set(given))}")
    return sets


def enc(v):
    """JSON-safe param: finite non-(-0) numbers as-is, else the strings '-0', 'Infinity', '-Infinity'."""
    if isinstance(v, str):
        return v
    if isinstance(v, (int, np.integer)):
        return int(v)
    v = float(v)
    if v == 0 and np.signbit(v):
        return '-0'
    if np.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    assert not np.isnan(v)
    return v


# ---------------------------------------------------------------- bits and rounding

def from_bits(dt, bits):
    return np.array(bits, dtype=UINT[dt]).view(DT[dt])


def to_bits(dt, values):
    """Python floats (never NaN) -> bit patterns of dtype dt."""
    return [int(b) for b in np.array(values, dtype=DT[dt]).view(UINT[dt])]


def fraction(v):
    """An exact value (Fraction, int, float, numpy float, finite mpf) as a Fraction."""
    if isinstance(v, mp.mpf):
        man, exp = v.man_exp  # |v| = man * 2^exp
        f = Fraction(int(man)) * Fraction(2) ** int(exp)
        return -f if v < 0 else f
    return Fraction(float(v)) if isinstance(v, np.floating) else Fraction(v)


def rint(v):
    """An exact value -> the nearest integer, ties to even."""
    return round(fraction(v))


# fmt -> (significand bits, least normal exponent, greatest exponent)
FORMATS = {'f16': (11, -14, 15), 'bf16': (8, -126, 127), 'f32': (24, -126, 127), 'f64': (53, -1022, 1023)}


def floor_log2(v):
    """e with 2^e <= |v| < 2^(e+1), for an exact nonzero finite value (cheap for any mpf)."""
    if isinstance(v, mp.mpf):
        man, exp = v.man_exp  # |v| = man * 2^exp
        return int(exp) + int(man).bit_length() - 1
    a = abs(fraction(v))
    e = a.numerator.bit_length() - a.denominator.bit_length()  # 2^(e-1) < a < 2^(e+1)
    return e if a >= Fraction(2) ** e else e - 1


def round_exact(fmt, v):
    """An exact value (Fraction, int, float, mpf; ±inf passes) rounded once to the float format
    fmt, to nearest, ties to even, subnormals and overflow included, as a Python float. A zero
    result keeps v's sign, but an exact zero gives +0.0 (a zero's sign is the caller's)."""
    if isinstance(v, (float, mp.mpf)) and mp.isinf(v):
        return float(v)
    if v == 0:
        return 0.0
    p, emin, emax = FORMATS[fmt]
    sign = -1.0 if v < 0 else 1.0
    e = floor_log2(v)
    if e < emin - p:  # below half the least subnormal
        return sign * 0.0
    if e > emax:
        return sign * float('inf')
    q = Fraction(2) ** (max(e, emin) - p + 1)  # the ulp at |v|
    r = rint(abs(fraction(v)) / q) * q
    return sign * (float('inf') if r >= Fraction(2) ** (emax + 1) else float(r))


# ---------------------------------------------------------------- an op's entry

@dataclass(frozen=True)
class Op:
    """One op's oracle: fn(dt, *inputs, **params) and the param sets to test it at."""
    fn: Callable
    # dt -> the param sets of the fixtures and the 16-bit tests, one dict each (the table's
    # param names, less those the kind supplies: layout, channels, inner, units).
    sweep: Callable = lambda dt: [{}]
    # Requantized int8 / uint8 (the table's `quantized` rows): the op's own param sets.
    quant: tuple = ({},)
    # The params are thresholds on x: their values and neighbours are special inputs.
    thresholds: bool = False
    # More special x values (and their neighbours): branch points, saturation.
    points: tuple = ()
    # float16 / bfloat16 as PyTorch and onnxruntime compute them: inputs widened exactly, the
    # f32 oracle with float32 params, the result rounded once to the format. Otherwise the
    # format's own arithmetic ('f16': numpy's float16; 'bf16'), params rounded to it first.
    via_f32: bool = False


def exact(name, **params):
    """The op's exact real function at params (as given): a list of mpf -> a list of mpf, at
    mpmath's working precision. For the requantized activations (map ops)."""
    if name in SMOOTH:
        f = SMOOTH[name](**params)[0]
        return lambda xs: [f(x) for x in xs]
    fn = ORACLES[name].fn
    return lambda xs: list(fn('exact', np.array(xs, dtype=object), **params))


# ---------------------------------------------------------------- relu & co (numpy)

def o_relu(dt, x, zeroPoint):
    return np.maximum(x, DT[dt](zeroPoint))  # floats: zeroPoint is the table's default, 0


ZERO_POINTS = {'i32': [0, -1000, 2 ** 31 - 1], 'i16': [0, 100, -32768], 'i8': [0, -128, -5, 7, 127], 'u8': [0, 3, 128, 255]}


def zero_points(dt):
    return [{}] if dt in FLOATS else [{'zeroPoint': zp} for zp in ZERO_POINTS[dt]]


def o_relu_grad(dt, x):
    return (x > 0).astype(DT[dt])


def o_relu_backward(dt, dy, x):
    t = DT[dt]
    return np.where(x > 0, dy, t(0)).astype(t)


def o_leaky(dt, x, alpha):
    a = DT[dt](alpha)
    return np.where(x > 0, x, a * x)


def o_leaky_backward(dt, dy, x, alpha):
    a = DT[dt](alpha)
    return np.where(x > 0, dy, a * dy)


ALPHAS = [0.01, 0.2, 0.0, 1.5, -0.5]


def alphas(dt):
    return [{'alpha': a} for a in ALPHAS]


def o_relu6(dt, x):
    t = DT[dt]
    return np.minimum(np.maximum(x, t(0)), t(6))


def o_clip(dt, x, lo, hi):
    t = DT[dt]
    return np.minimum(np.maximum(x, t(lo)), t(hi))


def o_clip_backward(dt, dy, x, lo, hi):
    t = DT[dt]
    return np.where((x > t(lo)) & (x < t(hi)), dy, t(0)).astype(t)


# The last ones have lo > hi: numpy (and PyTorch, ONNX) give hi everywhere but NaN.
FLOAT_CLIPS = [(-1.0, 1.0), (0.0, 6.0), (-0.5, 2.25), (-0.1, 0.3), (1.5, 1.5), (-0.0, 0.0), (0.0, -0.0),
               (-0.0, -0.0), (-3.0, -0.0), (-np.inf, np.inf), (0.0, np.inf), (2.0, 1.0), (1.0, -1.0), (0.0, -2.0)]


def int_clips(dt):
    info = np.iinfo(DT[dt])
    lo, hi = int(info.min), int(info.max)
    # The last two have lo > hi: hi everywhere, as numpy gives.
    common = [(lo, hi), (0, 6), (-1, 1), (5, 5), (lo, lo), (hi, hi), (lo, 0), (0, hi), (6, 0), (hi, lo)]
    if dt == 'u8':
        return [(0, 255), (0, 6), (3, 200), (128, 255), (5, 5), (0, 0), (255, 255), (0, 127), (200, 3), (255, 0)]
    if dt == 'i8':
        common += [(-5, 120), (-128, -1)]
    if dt == 'i32':
        common += [(-100000, 100000)]
    return common


def clip_bounds(dt):
    return [{'lo': lo, 'hi': hi} for lo, hi in (FLOAT_CLIPS if dt in FLOATS else int_clips(dt))]


def o_thresholded(dt, x, alpha):
    t = DT[dt]
    return np.where(x > t(alpha), x, t(0)).astype(t)


def o_thresholded_backward(dt, dy, x, alpha):
    t = DT[dt]
    return np.where(x > t(alpha), dy, t(0)).astype(t)


def thresholds(dt):
    return [{'alpha': a} for a in [1.0, 0.0, -0.0, -1.0, 0.5, 6.0, np.inf, -np.inf]]


def o_shrink(dt, x, lambd, offset):
    t = DT[dt]
    lo, hi, b = -t(lambd), t(lambd), t(offset)
    return np.where(x < lo, x + b, np.where(x > hi, x - b, t(0))).astype(t)


def o_shrink_backward(dt, dy, x, lambd):
    t = DT[dt]
    return np.where((x < -t(lambd)) | (x > t(lambd)), dy, t(0)).astype(t)


# ONNX's default, PyTorch's softshrink (offset = lambd), hardshrink (offset 0), a negative lambd
# (the two branches overlap: the first wins), none, an infinite one.
SHRINKS = [(0.5, 0.0), (0.5, 0.5), (1.5, 1.5), (0.25, -2.0), (-1.0, 0.5), (0.0, 0.0), (np.inf, 1.0)]


def shrinks(dt):
    return [{'lambd': l, 'offset': b} for l, b in SHRINKS]


def shrinks_backward(dt):
    return [{'lambd': l} for l in sorted({l for l, _ in SHRINKS})]


# ---------------------------------------------------------------- prelu (numpy; dslope exact)

def channel_index(n, c, layout, inner):
    idx = np.arange(n)
    return idx % c if layout == 'nhwc' else (idx // inner) % c


def o_prelu(dt, x, slope, layout, channels, inner=None):
    s = slope[channel_index(x.size, slope.size, layout, inner)]
    return np.where(x > 0, x, s * x)


DOUBLE_ROUNDING = []  # f32 dslope values where fsum->f64->f32 would differ from one rounding


def exact_sum(dt, products):
    """Sum of float64 products, rounded once to dt. NaN results are the canonical +qNaN."""
    if np.isnan(products).any() or (np.isposinf(products).any() and np.isneginf(products).any()):
        return from_bits(dt, [CANONICAL_NAN[dt]])[0]
    if np.isposinf(products).any():
        return DT[dt](np.inf)
    if np.isneginf(products).any():
        return DT[dt](-np.inf)
    frac = sum((Fraction(float(p)) for p in products), Fraction(0))
    r = DT[dt](round_exact(dt, frac))
    if dt == 'f32':
        f64 = np.float64(frac.numerator / frac.denominator) if frac != 0 else np.float64(0)
        if np.float32(f64).tobytes() != r.tobytes():
            DOUBLE_ROUNDING.append((float(frac), float(r)))
    return r


def o_prelu_backward(dt, dy, x, slope, layout, channels, inner=None):
    c = slope.size
    ch = channel_index(x.size, c, layout, inner)
    s = slope[ch]
    dx = np.where(x > 0, dy, s * dy)
    prod = x.astype(np.float64) * dy.astype(np.float64)  # exact for f32 (and 16-bit) inputs; rounded product for f64
    contrib = np.where(x > 0, 0.0, prod)
    dslope = np.array([exact_sum(dt, contrib[ch == k]) for k in range(c)], dtype=DT[dt])
    return dx, dslope


# ---------------------------------------------------------------- activity / deadUnits (numpy)

def o_activity(dt, y, units):
    rows = y.size // units
    count = (y.reshape(rows, units) > 0).sum(axis=0)
    return (count.astype(np.float64) / rows).astype(np.float32)


def o_dead(dt, y, units):
    rows = y.size // units
    count = (y.reshape(rows, units) > 0).sum(axis=0)
    return np.nonzero(count == 0)[0].astype(np.int32)


# ---------------------------------------------------------------- hardSigmoid / hardSwish (numpy)

def hard_consts(dt, alpha, beta, range):
    t = DT[dt]
    a, b, r = t(alpha), t(beta), t(range)
    return a, b, r, -b / a, (r - b) / a


def hard_clamp(dt, x, a, b, r):
    return np.minimum(np.maximum(a * x + b, DT[dt](0)), r)


def o_hard_sigmoid(dt, x, alpha, beta, range):
    a, b, r, lo, hi = hard_consts(dt, alpha, beta, range)
    return hard_clamp(dt, x, a, b, r) / r


def o_hard_swish(dt, x, alpha, beta, range):
    a, b, r, lo, hi = hard_consts(dt, alpha, beta, range)
    return x * hard_clamp(dt, x, a, b, r) / r


def o_hard_sigmoid_backward(dt, dy, x, alpha, beta, range):
    a, b, r, lo, hi = hard_consts(dt, alpha, beta, range)
    return np.where((x > lo) & (x < hi), dy * (a / r), DT[dt](0)).astype(DT[dt])


def o_hard_swish_backward(dt, dy, x, alpha, beta, range):
    a, b, r, lo, hi = hard_consts(dt, alpha, beta, range)
    t = DT[dt]
    d, e = r / (t(2) * a), b / r
    return np.where(x < lo, t(0), np.where(x <= hi, dy * (x / d + e), dy)).astype(t)


HARD = [{'alpha': 1.0, 'beta': 3.0, 'range': 6.0}, {'alpha': 0.2, 'beta': 0.5, 'range': 1.0},
        {'alpha': float(np.float32(1 / 6)), 'beta': 0.5, 'range': 1.0}, {'alpha': 2.5, 'beta': -1.0, 'range': 3.0}]


def hard_sweep(dt):
    return HARD


HARD_POINTS = (3.0, -3.0, 2.5, -2.5, 0.4, 1.6)


# ---------------------------------------------------------------- the smooth family (mpmath)
# The exact function at 320 bits, rounded once to float32 (round to nearest even, subnormals
# and overflow included): the correctly rounded result, which the kernels aim for. mpmath has
# no -0 and an unbounded exponent, so: ±inf inputs take the functions' limits (LIMITS), zero
# results take their sign from the inputs, and huge |x| underflow nothing.

mp.mp.prec = 320  # 96 digits: past float32 rounding boundaries even for x/2 + c·x² at the least subnormal x


def m_sig(v):
    return 1 / (1 + mp.exp(-v))  # 1 - sigma(v) is m_sig(-v): no cancellation


def m_softplus_raw(x):
    return mp.log1p(mp.exp(x))


def gelu_v(x):
    return mp.sqrt(8 / mp.pi) * (x + mp.mpf('0.044715') * x ** 3)


# name -> (f, f', f(-inf), f(+inf), f'(-inf), f'(+inf)); params by the table's names.
def smooth_fns():
    def elu_like(gamma, alpha, div):
        f = lambda x: gamma * x if x > 0 else gamma * alpha * mp.expm1(x / div)
        df = lambda x: mp.mpf(gamma) if x > 0 else gamma * alpha / div * mp.exp(x / div)
        return f, df
    return {
        'gelu': lambda approximate: (
            (lambda x: x * m_sig(gelu_v(x))) if approximate == 'tanh' else (lambda x: x * mp.erfc(-x / mp.sqrt(2)) / 2),
            (lambda x: m_sig(gelu_v(x)) + x * mp.sqrt(8 / mp.pi) * (1 + 3 * mp.mpf('0.044715') * x * x) * m_sig(gelu_v(x)) * m_sig(-gelu_v(x)))
            if approximate == 'tanh' else (lambda x: mp.erfc(-x / mp.sqrt(2)) / 2 + x * mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)),
            (-0.0, 'inf', -0.0, 1.0)),
        'swish': lambda beta: (lambda x: x * m_sig(beta * x),
                               lambda x: m_sig(beta * x) * (1 + beta * x * m_sig(-beta * x)),
                               (-0.0, 'inf', -0.0, 1.0)),
        'silu': lambda: (lambda x: x * m_sig(x), lambda x: m_sig(x) * (1 + x * m_sig(-x)), (-0.0, 'inf', -0.0, 1.0)),
        'elu': lambda alpha: (*elu_like(1, alpha, 1), (-alpha, 'inf', 0.0, 1.0)),
        'celu': lambda alpha: (*elu_like(1, alpha, alpha), (-alpha, 'inf', 0.0, 1.0)),
        'selu': lambda alpha, gamma: (*elu_like(gamma, alpha, 1), ('-ga', 'inf', 0.0, 'gamma')),
        'softplus': lambda beta, threshold: (
            lambda x: x if beta * x > threshold else m_softplus_raw(beta * x) / beta,
            lambda x: mp.mpf(1) if beta * x > threshold else m_sig(beta * x),
            (0.0, 'inf', 0.0, 1.0)),
        'mish': lambda: (lambda x: x * mp.tanh(m_softplus_raw(x)),
                         lambda x: mp.tanh(m_softplus_raw(x)) + x * m_sig(x) * mp.sech(m_softplus_raw(x)) ** 2,
                         (-0.0, 'inf', -0.0, 1.0)),
        'sigmoid': lambda: (m_sig, lambda x: m_sig(x) * m_sig(-x), (0.0, 1.0, 0.0, 0.0)),
        'tanh': lambda: (mp.tanh, lambda x: mp.sech(x) ** 2, (-1.0, 1.0, 0.0, 0.0)),
        'softsign': lambda: (lambda x: x / (1 + abs(x)), lambda x: 1 / (1 + abs(x)) ** 2, (-1.0, 1.0, 0.0, 0.0)),
    }


SMOOTH = smooth_fns()


def smooth_limit(v, params):
    if v == 'inf':
        return mp.inf
    if v == '-ga':
        return -mp.mpf(params['gamma']) * mp.mpf(params['alpha'])
    if v == 'gamma':
        return mp.mpf(params['gamma'])
    return v  # a Python float (keeps -0.0)


def smooth_value(x, f, lim):
    """float32 of f(x) for a non-NaN float32 x (as a Python float)."""
    if np.isinf(x):
        v = lim[0] if x < 0 else lim[1]
        return v if isinstance(v, float) else round_exact('f32', v)
    if x == 0 and f(mp.mpf(0)) == 0:
        return x  # ±0 -> ±0 (x times a positive factor)
    return round_exact('f32', f(mp.mpf(float(x))))


def memo(fn):
    cache = {}

    def g(x):
        k = float(x)
        if k not in cache:
            cache[k] = fn(x)
        return cache[k]
    return g


def o_smooth(name, backward, gated=False):
    """The op (backward False), its backward pass dy·f'(x) (arrays dy, x), or the gated op
    f(gate)·up (gated: arrays gate, up; NaNs gate's first): the product rounded once."""
    def oracle(dt, *arrays, **params):
        f, df, lims = SMOOTH[name](**params)
        f, df = memo(f), memo(df)
        fx = {k: smooth_limit(v, params) for k, v in zip(('fn', 'fp', 'dn', 'dp'), lims)}
        x = (arrays[0] if gated else arrays[-1]).astype(np.float32)
        out = np.empty(x.size, np.float32)
        xb = x.view(np.uint32)
        if not backward and not gated:
            for i, xi in enumerate(x):
                if xi != xi:
                    out.view(np.uint32)[i] = xb[i] | np.uint32(0x00400000)
                else:
                    out[i] = smooth_value(float(xi), f, (fx['fn'], fx['fp']))
            return out
        # the factor: dy (up) times f'(x) (f(gate)); limits at ±inf
        dy = (arrays[1] if gated else arrays[0]).astype(np.float32)
        db = dy.view(np.uint32)
        g, lo, hi = (f, 'fn', 'fp') if gated else (df, 'dn', 'dp')
        for i, (di, xi) in enumerate(zip(dy, x)):
            if gated and xi != xi:
                out.view(np.uint32)[i] = xb[i] | np.uint32(0x00400000)
            elif di != di:
                out.view(np.uint32)[i] = db[i] | np.uint32(0x00400000)
            elif xi != xi:
                out.view(np.uint32)[i] = xb[i] | np.uint32(0x00400000)
            else:
                d = (fx[lo] if xi < 0 else fx[hi]) if np.isinf(xi) else g(mp.mpf(float(xi)))
                if gated and xi == 0 and g(mp.mpf(0)) == 0:
                    d = float(xi)  # f(±0) = ±0 (f(x) = x times a positive factor): mpmath has no -0
                put_product(out, i, float(di), d)
        return out
    return oracle


def put_product(out, i, di, d):
    """out[i] (float32) = di·d rounded once: di a float (exact), d an mpf or a limit (a float,
    keeping a zero's sign); inf·0 the canonical NaN."""
    if isinstance(d, float):
        d = mp.mpf(d) if d != 0 else d  # keeps the limit's zero sign below
    if d == 0 or d == 0.0:
        if np.isinf(di):
            out.view(np.uint32)[i] = np.uint32(CANONICAL_NAN['f32'])
        else:
            neg = bool(np.signbit(di)) != bool(np.signbit(d) if isinstance(d, float) else d < 0)
            out[i] = -0.0 if neg else 0.0
    elif np.isinf(di):
        out[i] = np.inf if (di > 0) == (d > 0) else -np.inf
    elif di == 0 and mp.isinf(d):  # f(gate) = ±inf (gate = +inf) times a zero up
        out.view(np.uint32)[i] = np.uint32(CANONICAL_NAN['f32'])
    elif di == 0:
        out[i] = -0.0 if bool(np.signbit(di)) != bool(d < 0) else 0.0
    else:
        v = mp.mpf(di) * d
        r = round_exact('f32', v)
        out[i] = r if r != 0 else (-0.0 if v < 0 else 0.0)


def o_gated_backward(name):
    """A gated op's backward pass (arrays dy, gate, up): (dgate, dup) = (dy·up·f'(gate),
    dy·f(gate)), each rounded once; NaNs dy's first, then gate's, then up's (dup: dy's, gate's);
    dy·up = inf·0 the canonical NaN."""
    forward = o_smooth(name, False, gated=True)

    def oracle(dt, dy, gate, up, **params):
        dy, gate, up = (a.astype(np.float32) for a in (dy, gate, up))
        dup = forward(dt, gate, dy, **params)
        _, df, lims = SMOOTH[name](**params)
        df = memo(df)
        lo, hi = smooth_limit(lims[2], params), smooth_limit(lims[3], params)
        dgate = np.empty(dy.size, np.float32)
        bits = {k: a.view(np.uint32) for k, a in (('dy', dy), ('gate', gate), ('up', up))}
        q = np.uint32(0x00400000)
        for i in range(dy.size):
            if dy[i] != dy[i]:
                dgate.view(np.uint32)[i] = dup.view(np.uint32)[i] = bits['dy'][i] | q
            elif gate[i] != gate[i]:
                dgate.view(np.uint32)[i] = bits['gate'][i] | q
            elif up[i] != up[i]:
                dgate.view(np.uint32)[i] = bits['up'][i] | q
            else:
                p = float(dy[i]) * float(up[i])  # exact in double
                if p != p:
                    dgate.view(np.uint32)[i] = np.uint32(CANONICAL_NAN['f32'])
                    continue
                g = float(gate[i])
                put_product(dgate, i, p, (lo if g < 0 else hi) if np.isinf(g) else df(mp.mpf(g)))
        return dgate, dup
    return oracle


def o_reglu_backward(dt, dy, gate, up):
    """dgate = np.where(gate > 0, dy * up, 0), dup = dy * np.maximum(gate, 0), NaNs as the gated
    backward passes': dy's (quieted) first, then up's (dgate; a NaN gate selects 0) or gate's
    (dup); 0·inf the canonical NaN."""
    t = dy.dtype.type
    ut, q, canon = {np.dtype(np.float32): (np.uint32, 0x00400000, 0x7fc00000), np.dtype(np.float64): (np.uint64, 1 << 51, 0x7ff8000000000000)}[dy.dtype]
    p = dy * up
    pb = p.view(ut)
    pb[np.isnan(p)] = ut(canon)
    pb[np.isnan(up)] = up.view(ut)[np.isnan(up)] | ut(q)
    pb[np.isnan(dy)] = dy.view(ut)[np.isnan(dy)] | ut(q)
    dgate = np.where(gate > 0, p, t(0)).astype(dy.dtype)
    dup = o_reglu(dt, gate, dy)
    db = dup.view(ut)
    db[np.isnan(dy)] = dy.view(ut)[np.isnan(dy)] | ut(q)
    return dgate, dup


SMOOTH_POINTS = (20.0, -20.0, 16.0, -16.0, 30.0, -30.0, 200.0, -200.0, 708.0, -708.0, 88.7, -87.3, -103.9,
                 -0.7517915, -2.3993573, -1.1915, 1e-20, -1e-20, 2.0 ** -130, -(2.0 ** -130), 9.0, -9.0, 17.0, -17.0)
# name -> (the sweep, the requantized tests' param sets)
SMOOTH_SWEEPS = {
    'gelu': ([{'approximate': 'none'}, {'approximate': 'tanh'}], [{'approximate': 'none'}, {'approximate': 'tanh'}]),
    'silu': ([{}], [{}]),
    'swish': ([{'beta': 1.0}, {'beta': 1.702}, {'beta': 0.5}], [{'beta': 1.702}]),
    'elu': ([{'alpha': 1.0}, {'alpha': 0.5}, {'alpha': 2.0}], [{'alpha': 1.0}]),
    'celu': ([{'alpha': 1.0}, {'alpha': 2.5}], [{'alpha': 2.5}]),
    'selu': ([{'alpha': 1.6732632423543772, 'gamma': 1.0507009873554805},
              {'alpha': 1.67326319217681884765625, 'gamma': 1.05070102214813232421875}],
             [{'alpha': 1.6732632423543772, 'gamma': 1.0507009873554805}]),
    'softplus': ([{'beta': 1.0, 'threshold': 20.0}, {'beta': 2.0, 'threshold': 20.0}, {'beta': 1.0, 'threshold': float('inf')}],
                 [{'beta': 1.0, 'threshold': 20.0}]),
    'mish': ([{}], [{}]), 'sigmoid': ([{}], [{}]), 'tanh': ([{}], [{}]), 'softsign': ([{}], [{}]),
}


def smooth_oracles():
    out = {}
    for name, (sweep, quant) in SMOOTH_SWEEPS.items():
        out[name] = Op(o_smooth(name, False), sweep=lambda dt, s=sweep: s, quant=tuple(quant), points=SMOOTH_POINTS)
        out[name + 'Backward'] = Op(o_smooth(name, True), sweep=lambda dt, s=sweep: s, points=SMOOTH_POINTS)
    return out


def o_reglu(dt, gate, up):
    """np.maximum(gate, 0) * up, its NaNs as the gated ops': gate's (quieted) first, then up's;
    0·inf the canonical NaN (numpy's multiply picks between two NaNs as its compiler did)."""
    r = np.maximum(gate, gate.dtype.type(0)) * up
    bits = {np.dtype(np.float32): (np.uint32, 0x00400000, 0x7fc00000), np.dtype(np.float64): (np.uint64, 1 << 51, 0x7ff8000000000000)}
    ut, q, canon = bits[r.dtype]
    rb, gb, ub = r.view(ut), gate.view(ut), up.view(ut)
    rb[np.isnan(r)] = ut(canon)
    rb[np.isnan(up)] = ub[np.isnan(up)] | ut(q)
    rb[np.isnan(gate)] = gb[np.isnan(gate)] | ut(q)
    return r


# The gated ops: f(gate)·up for a smooth f, the product rounded once. name -> (f's SMOOTH
# name, the op's params as f's, the sweep).
GATED = {
    'swiglu': ('swish', lambda alpha: {'beta': alpha}, [{'alpha': 1.0}, {'alpha': 1.702}]),
    'geglu': ('gelu', lambda approximate: {'approximate': approximate}, [{'approximate': 'none'}, {'approximate': 'tanh'}]),
    'glu': ('sigmoid', lambda: {}, [{}]),
}


def gated_oracles():
    out = {}
    for name, (f, as_f, sweep) in GATED.items():
        o = o_smooth(f, False, gated=True)
        out[name] = Op(lambda dt, *arrays, o=o, as_f=as_f, **params: o(dt, *arrays, **as_f(**params)),
                       sweep=lambda dt, s=sweep: s, points=SMOOTH_POINTS)
        b = o_gated_backward(f)
        out[name + 'Backward'] = Op(lambda dt, *arrays, b=b, as_f=as_f, **params: b(dt, *arrays, **as_f(**params)),
                                    sweep=lambda dt, s=sweep: s, points=SMOOTH_POINTS)
    return out


# ---------------------------------------------------------------- the registry: one entry per op of js/ops.js

ORACLES = {
    'relu': Op(o_relu, sweep=zero_points, thresholds=True),
    'reluGrad': Op(o_relu_grad),
    'reluBackward': Op(o_relu_backward),
    'leakyRelu': Op(o_leaky, via_f32=True, sweep=alphas, quant=({'alpha': 0.01}, {'alpha': 0.5}, {'alpha': 0.1})),
    'leakyReluBackward': Op(o_leaky_backward, via_f32=True, sweep=alphas),
    'relu6': Op(o_relu6),
    'clip': Op(o_clip, sweep=clip_bounds, thresholds=True, quant=({'lo': -1.0, 'hi': 1.0}, {'lo': 0.0, 'hi': 0.75})),
    'clipBackward': Op(o_clip_backward, sweep=clip_bounds, thresholds=True),
    'thresholdedRelu': Op(o_thresholded, sweep=thresholds, thresholds=True, quant=({'alpha': 1.0}, {'alpha': 0.25})),
    'thresholdedReluBackward': Op(o_thresholded_backward, sweep=thresholds, thresholds=True),
    'prelu': Op(o_prelu),
    'preluBackward': Op(o_prelu_backward),
    'activity': Op(o_activity),
    'deadUnits': Op(o_dead),
    'hardSigmoid': Op(o_hard_sigmoid, via_f32=True, sweep=hard_sweep, points=HARD_POINTS,
                      quant=({'alpha': 0.2, 'beta': 0.5, 'range': 1.0}, {'alpha': 1.0, 'beta': 3.0, 'range': 6.0})),
    'hardSigmoidBackward': Op(o_hard_sigmoid_backward, via_f32=True, sweep=hard_sweep, points=HARD_POINTS),
    'hardSwish': Op(o_hard_swish, via_f32=True, sweep=hard_sweep, points=HARD_POINTS, quant=({'alpha': 1.0, 'beta': 3.0, 'range': 6.0},)),
    'hardSwishBackward': Op(o_hard_swish_backward, via_f32=True, sweep=hard_sweep, points=HARD_POINTS),
    'shrink': Op(o_shrink, via_f32=True, sweep=shrinks, points=(0.5, -0.5, 1.5, -1.5, 0.25, -0.25, 1.0, -1.0),
                 quant=({'lambd': 0.5, 'offset': 0.5}, {'lambd': 0.25, 'offset': 0.0})),
    'shrinkBackward': Op(o_shrink_backward, via_f32=True, sweep=shrinks_backward, points=(0.5, -0.5, 1.5, -1.5, 0.25, -0.25, 1.0, -1.0)),
    **smooth_oracles(),
    **gated_oracles(),
    'reglu': Op(o_reglu, via_f32=True),
    'regluBackward': Op(o_reglu_backward, via_f32=True),
}
