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
Per-channel ops (prelu, preluBackward) take x over all patterns as [8192, 8] channels-last and
[1024, 4, 16] channels-first, with slopes of the format; preluBackward's dslope[c] is the exact
sum of x dy over channel c where x <= 0 (Fraction), rounded once to the format (a NaN term, or
+inf with -inf: the format's canonical quiet NaN). Count ops (activity, deadUnits) take all
patterns as [4096, 16] and [256, 256] matrices: numpy's own y > 0 on the format.
"""
from fractions import Fraction
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


def widen(fmt, bits):
    return bits.astype(np.uint16).view(np.float16) if fmt == 'f16' else bf16_to_f32(bits)


def narrow(fmt, values):
    return np.asarray(values, dtype=np.float16).view(np.uint16) if fmt == 'f16' else f32_to_bf16(values)


def round_frac(fmt, frac):
    """An exact rational rounded once to the format (nearest, ties to even), as its bits."""
    if frac == 0:
        return 0
    near = float(frac)  # within a float64 ulp: the answer is one of the format's values around it
    b = int(narrow(fmt, np.array([near], dtype=np.float32 if fmt == 'bf16' else np.float64))[0])
    cands = []
    for k in (b - 1, b, b + 1):
        if k < 0 or k > 0xFFFF:
            continue
        v = float(widen(fmt, np.array([k], dtype=np.uint32))[0])
        if np.isfinite(v) and (v > 0) == (frac > 0):
            cands.append((abs(Fraction(v) - frac), k & 1, k))
    inf = 0x7C00 if fmt == 'f16' else 0x7F80
    top = float(widen(fmt, np.array([inf - 1], dtype=np.uint32))[0])  # the largest finite value
    half_ulp = (Fraction(top) - Fraction(float(widen(fmt, np.array([inf - 2], dtype=np.uint32))[0]))) / 2
    if abs(frac) >= Fraction(top) + half_ulp:
        return inf | (0x8000 if frac < 0 else 0)
    return min(cands)[2]


QNAN = {'f16': 0x7E00, 'bf16': 0x7FC0}
LAYOUTS = [('nhwc', 8, None), ('nchw', 4, 16)]
SLOPES = [0.25, -0.5, 1.5, 0.0, -0.0, 2.0, 0.1, 3.0]
UNITS = [16, 256]


def channel_cases(row, fmt):
    """(params, inputs {name: uint16 bits}, outputs {name: (bits or values, numpy dtype)})."""
    x16 = ALL.astype(np.uint16)
    dy16 = DY.astype(np.uint16)
    for layout, c, inner in LAYOUTS:
        slope16 = narrow(fmt, np.array(SLOPES[:c], dtype=np.float32))
        x, s = widen(fmt, x16), widen(fmt, slope16)
        idx = gen.channel_index(x.size, c, layout, inner)
        params = {'layout': layout, 'channels': c, **({'inner': inner} if inner else {})}
        if row['kind'] == 'channel':
            out = np.where(x > 0, x, s[idx] * x)  # float16: numpy's own; bfloat16: float32, rounded below
            yield params, {'x': x16, 'slope': slope16}, {'out': narrow(fmt, out)}
            continue
        dy = widen(fmt, dy16)
        dx = np.where(x > 0, dy, s[idx] * dy)
        prod = np.where(x > 0, 0.0, x.astype(np.float64) * dy.astype(np.float64))  # exact: 11 (8) bit factors
        dslope = []
        for k in range(c):
            terms = prod[idx == k]
            if np.isnan(terms).any() or (np.isposinf(terms).any() and np.isneginf(terms).any()):
                dslope.append(QNAN[fmt])
            elif np.isinf(terms).any():
                dslope.append((0x7C00 if fmt == 'f16' else 0x7F80) | (0x8000 if np.isneginf(terms).any() else 0))
            else:
                dslope.append(round_frac(fmt, sum((Fraction(float(t)) for t in terms), Fraction(0))))
        yield params, {'dy': dy16, 'x': x16, 'slope': slope16}, {'dx': narrow(fmt, dx), 'dslope': np.array(dslope, dtype=np.uint16)}


def count_cases(row, fmt):
    y = widen(fmt, ALL.astype(np.uint16))
    for units in UNITS:
        rows = y.size // units
        count = (y.reshape(rows, units) > 0).sum(axis=0)
        out = (count.astype(np.float64) / rows).astype(np.float32) if row['summary'] == 'fraction' else np.nonzero(count == 0)[0].astype(np.int32)
        yield {'units': units}, {'y': ALL.astype(np.uint16)}, {'result': out}


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
    cases, blobs, offset = [], [], 0
    with np.errstate(all='ignore'):
        for row in table:
            # The smooth ops' reference is MPFR (tests/half.test.mjs, scripts/verify-ref.c).
            if row['smooth']:
                continue
            if row['kind'] not in ('map', 'map2'):
                for fmt in ('f16', 'bf16'):
                    if fmt not in row['dtypes']:
                        continue
                    make = channel_cases if row['kind'].startswith('channel') else count_cases
                    for params, inputs, outputs in make(row, fmt):
                        case = {'op': row['name'], 'dtype': fmt, 'params': params, 'inputs': {}, 'outputs': {}}
                        for group, arrays in (('inputs', inputs), ('outputs', outputs)):
                            for k, a in arrays.items():
                                a = np.ascontiguousarray(a)
                                case[group][k] = {'offset': offset, 'length': int(a.size), 'type': a.dtype.name}
                                blobs.append(a.tobytes())
                                offset += a.nbytes
                        cases.append(case)
                continue
            oracle = gen.ORACLES[row['name']]
            for fmt in ('f16', 'bf16'):
                if fmt not in row['dtypes']:
                    continue
                for params in gen.param_sets(row, oracle, 'f32'):
                    res = run(row, oracle, fmt, params)
                    cases.append({'op': row['name'], 'dtype': fmt, 'params': {k: gen.enc(v) for k, v in params.items()},
                                  'outputs': {'out': {'offset': offset, 'length': int(res.size), 'type': 'uint16'}}})
                    blobs.append(res.tobytes())
                    offset += res.nbytes
    with open(os.path.join(out, 'cases.bin'), 'wb') as f:
        f.write(b''.join(blobs))
    with open(os.path.join(out, 'cases.json'), 'w') as f:
        json.dump({'numpy': np.__version__, 'dy': '(40503 i + 12345) mod 65536', 'cases': cases}, f)
    print(f'{len(cases)} cases')


if __name__ == '__main__':
    main()
