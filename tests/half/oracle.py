#!/usr/bin/python3
"""numpy's answers for every piecewise op of js/ops.js on all 65,536 float16 and bfloat16 inputs.

Run by tests/half.test.mjs:  /usr/bin/python3 tests/half/oracle.py OUT_DIR
Writes OUT_DIR/cases.json and OUT_DIR/cases.bin (per case: the 65,536 results' bits, uint16).

The oracles and parameter sweeps are tests/fixtures/gen.py's, unchanged:
  float16   the oracle on np.float16 arrays, numpy's own float16 arithmetic (each operation
            computed in float32 and rounded to float16, parameters rounded to float16 first);
  bfloat16  the oracle in float32 on the exactly widened inputs, parameters rounded to bfloat16
            first, the result rounded once to bfloat16, to nearest even (JAX's ml_dtypes
            definition; not packaged in Debian 12, so done here on the uint32 bits). A NaN keeps
            its bits' top half, with the quiet bit set where that half has no payload left.
map2 ops take dy[i] = the pattern (40503 i + 12345) mod 2^16: every dy once, against every x.
"""
import json
import os
import sys
from fractions import Fraction

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'fixtures'))
import gen  # noqa: E402  (the fixture generator: its ORACLES and sweeps)

ALL = np.arange(65536, dtype=np.uint32)
DY = ((ALL * 40503 + 12345) & 0xFFFF).astype(np.uint32)


def bf16_to_f32(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def f32_to_bf16(f):
    u = np.asarray(f, dtype=np.float32).view(np.uint32).astype(np.uint64)
    r = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16) & 0xFFFF
    h = (u >> 16) & 0xFFFF
    nan_bits = np.where((h & 0x7F) == 0, h | 0x40, h)
    return np.where(np.isnan(np.asarray(f, dtype=np.float32)), nan_bits, r).astype(np.uint16)


def bf16_param(d):
    """A double rounded once to bfloat16 (nearest, ties to even), as a float32."""
    if not np.isfinite(d) or d == 0:
        return np.float32(d)
    exact = Fraction(d)
    lo = np.float32(d)
    # The two bfloat16 values around d: truncations of float32 neighbours of d.
    cands = set()
    for f in (lo, np.nextafter(lo, np.float32(np.inf)), np.nextafter(lo, np.float32(-np.inf))):
        b = int(np.array(f, dtype=np.float32).view(np.uint32)) >> 16
        for k in (b - 1, b, b + 1):
            v = np.array([k << 16], dtype=np.uint32).view(np.float32)[0]
            if np.isfinite(v):
                cands.add(float(v))
    return np.float32(min(cands, key=lambda v: (abs(Fraction(v) - exact), (int(np.array(v, dtype=np.float32).view(np.uint32)) >> 16) & 1)))


def run(row, oracle, fmt, params):
    binary = row['kind'] == 'map2'
    defaults = {p['name']: p['default'] for p in row['params'] if 'default' in p and p['ints']}
    if fmt == 'f16':
        x = ALL.astype(np.uint16).view(np.float16)
        dy = DY.astype(np.uint16).view(np.float16)
        p = {k: float(np.float16(v)) for k, v in params.items()}
        gen.DT['f16'] = np.float16
        r = oracle.fn('f16', dy, x, **defaults, **p) if binary else oracle.fn('f16', x, **defaults, **p)
        return np.asarray(r, dtype=np.float16).view(np.uint16)
    x = bf16_to_f32(ALL)
    dy = bf16_to_f32(DY)
    p = {k: float(bf16_param(v)) for k, v in params.items()}
    r = oracle.fn('f32', dy, x, **defaults, **p) if binary else oracle.fn('f32', x, **defaults, **p)
    return f32_to_bf16(r)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    table = gen.read_table()
    cases, blobs = [], []
    with np.errstate(all='ignore'):
        for row in table:
            # The smooth ops' reference is MPFR (tests/half.test.mjs, scripts/verify-ref.c).
            if row['kind'] not in ('map', 'map2') or row['smooth']:
                continue
            oracle = gen.ORACLES[row['name']]
            for fmt in ('f16', 'bf16'):
                if fmt not in row['dtypes']:
                    continue
                for params in gen.param_sets(row, oracle, 'f32'):
                    cases.append({'op': row['name'], 'dtype': fmt, 'params': {k: gen.enc(v) for k, v in params.items()}})
                    blobs.append(run(row, oracle, fmt, params).tobytes())
    with open(os.path.join(out, 'cases.bin'), 'wb') as f:
        f.write(b''.join(blobs))
    with open(os.path.join(out, 'cases.json'), 'w') as f:
        json.dump({'numpy': np.__version__, 'dy': '(40503 i + 12345) mod 65536', 'cases': cases}, f)
    print(f'{len(cases)} cases')


if __name__ == '__main__':
    main()
