#!/usr/bin/python3
"""The exact requantized activations on every int8 / uint8 input, with mpmath.

Run by tests/quant.test.mjs:  /usr/bin/python3 tests/quant/oracle.py OUT.json
For every row of js/ops.js marked `quantized` (the activations), both dtypes, each of the op's
`quant` param sets (tests/oracles.py) and requantization parameters drawn per (op, dtype) from
a fixed seed plus hand-picked ones (equal scales, scale ratios that make exact ties):
y = saturate(round_half_even(f(scale * (q - zp)) / out_scale) + out_zp) for all 256 q, f the
op's exact real function (tests/oracles.py: the numpy definition on mpmath numbers, or the
smooth family's mpmath one), at 200 bits, so ties are exact.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import oracles  # noqa: E402  (tests/oracles.py: every op's definition)
mp = oracles.mp
mp.mp.prec = 200

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
    table = oracles.read_table()
    oracles.check_registry(table)
    cases = []
    for row in table:
        if not row.get('quantized'):
            continue
        name = row['name']
        # (init-able params, as precision, are not the function's: oracles.table_params)
        defaults = {p['name']: p['default'] for p in row['params'] if 'default' in p and not p['init']}
        for dt in ('i8', 'u8'):
            g = np.random.default_rng(sum(map(ord, name + dt)))
            for op_params in oracles.ORACLES[name].quant:
                f = oracles.exact(name, **{**defaults, **op_params})
                for scale, zp, os_, ozp in param_sets(dt, g):
                    lo, hi = RANGE[dt]
                    qs = [b - 256 if dt == 'i8' and b >= 128 else b for b in range(256)]
                    ys = f([mp.mpf(scale) * (q - zp) for q in qs])
                    expect = [min(hi, max(lo, oracles.rint(mp.mpf(y) / mp.mpf(os_)) + ozp)) for y in ys]
                    cases.append({'op': name, 'dtype': dt, 'params': op_params, 'scale': scale, 'zeroPoint': zp, 'outScale': os_, 'outZeroPoint': ozp, 'expect': expect})
    with open(out, 'w') as fh:
        json.dump({'mpmath': mp.__version__, 'prec': mp.mp.prec, 'cases': cases}, fh)
    print(f'{len(cases)} cases')


if __name__ == '__main__':
    main()
