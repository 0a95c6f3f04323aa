#!/usr/bin/python3
"""The exact requantized activations on every int8 / uint8 input, with mpmath.

Run by tests/quant.test.mjs:  /usr/bin/python3 tests/quant/oracle.py OUT.json
For every row of js/ops.js marked `quantized` (the activations), both dtypes, and parameter
sets drawn per (op, dtype) from a fixed seed plus hand-picked ones (equal scales, scale ratios
that make exact ties): y = saturate(round_half_even(f(scale * (q - zp)) / out_scale) + out_zp)
for all 256 q, f the exact real function (tests/fixtures/gen.py's mpmath definitions for the
smooth family; the piecewise ones written out below), at 200 bits, so ties are exact.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'fixtures'))
import gen  # noqa: E402
mp = gen.mp
mp.mp.prec = 200

PIECEWISE = {
    'relu': lambda **p: lambda x: max(x, 0),
    'leakyRelu': lambda alpha: lambda x: x if x > 0 else alpha * x,
    'relu6': lambda: lambda x: min(max(x, 0), 6),
    'clip': lambda lo, hi: lambda x: min(max(x, lo), hi),
    'thresholdedRelu': lambda alpha: lambda x: x if x > alpha else mp.mpf(0),
    'hardSigmoid': lambda alpha, beta, range: lambda x: min(max(alpha * x + beta, 0), range) / range,
    'hardSwish': lambda alpha, beta, range: lambda x: x * min(max(alpha * x + beta, 0), range) / range,
}
# The ops' own params per case (beyond the table's examples): a few that make ties likely.
OP_PARAMS = {
    'leakyRelu': [{'alpha': 0.01}, {'alpha': 0.5}, {'alpha': 0.1}],
    'clip': [{'lo': -1.0, 'hi': 1.0}, {'lo': 0.0, 'hi': 0.75}],
    'thresholdedRelu': [{'alpha': 1.0}, {'alpha': 0.25}],
    'hardSigmoid': [{'alpha': 0.2, 'beta': 0.5, 'range': 1.0}, {'alpha': 1.0, 'beta': 3.0, 'range': 6.0}],
    'hardSwish': [{'alpha': 1.0, 'beta': 3.0, 'range': 6.0}],
    'gelu': [{'approximate': 'none'}, {'approximate': 'tanh'}],
    'swish': [{'beta': 1.702}],
    'elu': [{'alpha': 1.0}],
    'celu': [{'alpha': 2.5}],
    'selu': [{'alpha': 1.6732632423543772, 'gamma': 1.0507009873554805}],
    'softplus': [{'beta': 1.0, 'threshold': 20.0}],
}
RANGE = {'i8': (-128, 127), 'u8': (0, 255)}


def f32(v):
    return float(np.float32(v))


def param_sets(dt, g):
    lo, hi = RANGE[dt]
    mid = 0 if dt == 'i8' else 128
    sets = [
        (f32(0.1), 0 if dt == 'i8' else 128, f32(0.1), 0 if dt == 'i8' else 128),  # the same scale
        (f32(0.05), mid, f32(0.1), mid),       # ratio 1/2: exact ties
        (f32(0.25), lo, f32(1 / 64), lo),      # zero points at the range's end
        (f32(2 ** -7), mid + 3, f32(2 ** -8), hi - 10),
    ]
    for _ in range(4):
        sets.append((f32(10 ** g.uniform(-3, -0.3)), int(g.integers(mid - 30, mid + 31)), f32(10 ** g.uniform(-3, -0.5)), int(g.integers(lo, hi + 1))))
    return sets


def main():
    out = sys.argv[1]
    table = gen.read_table()
    cases = []
    for row in table:
        if not row.get('quantized'):
            continue
        name = row['name']
        for dt in ('i8', 'u8'):
            g = np.random.default_rng(sum(map(ord, name + dt)))
            for op_params in OP_PARAMS.get(name, [{}]):
                # (gen.SMOOTH's functions take the params in the table's order.)
                f = PIECEWISE[name](**op_params) if name in PIECEWISE else gen.SMOOTH[name](*op_params.values())[0]
                for scale, zp, os_, ozp in param_sets(dt, g):
                    lo, hi = RANGE[dt]
                    expect = []
                    for b in range(256):
                        q = b - 256 if dt == 'i8' and b >= 128 else b
                        x = mp.mpf(scale) * (q - zp)
                        v = mp.mpf(f(x)) / mp.mpf(os_)
                        fl = int(mp.floor(v))
                        d = v - fl
                        r = fl + (1 if d > mp.mpf(1) / 2 or (d == mp.mpf(1) / 2 and fl % 2 == 1) else 0)
                        expect.append(min(hi, max(lo, r + ozp)))
                    cases.append({'op': name, 'dtype': dt, 'params': op_params, 'scale': scale, 'zeroPoint': zp, 'outScale': os_, 'outZeroPoint': ozp, 'expect': expect})
    with open(out, 'w') as fh:
        json.dump({'mpmath': mp.__version__, 'prec': mp.mp.prec, 'cases': cases}, fh)
    print(f'{len(cases)} cases')


if __name__ == '__main__':
    main()
