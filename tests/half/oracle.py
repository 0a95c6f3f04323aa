#!/usr/bin/python3
"""numpy's answers for every piecewise op of js/ops.js on all 65,536 float16 and bfloat16 inputs.

Run by tests/half.test.mjs:  /usr/bin/python3 tests/half/oracle.py OUT_DIR
Writes OUT_DIR/cases.json and OUT_DIR/cases.bin (per case: the 65,536 results' bits, uint16).

The oracles and parameter sweeps are tests/oracles.py's, the fixtures' own, run as
  float16   the oracle on np.float16 arrays, numpy's own float16 arithmetic (each operation
            computed in float32 and rounded to float16, parameters rounded to float16 first);
  bfloat16  the oracle in float32 on the exactly widened inputs, parameters rounded to bfloat16
            first, the result rounded once to bfloat16, to nearest even (JAX's ml_dtypes
            definition; not packaged in Debian 12, so done here on the uint32 bits). A NaN keeps
            its bits' top half, with the quiet bit set where that half has no payload left.
Ops marked via_f32 (leakyRelu, the hard ops and their backward passes: arithmetic on their
params) are PyTorch's 16-bit semantics in both formats instead: the f32 oracle on the widened
inputs with float32 params, the float32 result rounded once to the format.
map2 ops take dy[i] = the pattern (40503 i + 12345) mod 2^16: every dy once, against every x.
Per-channel ops (prelu, preluBackward) take x over all patterns as [8192, 8] channels-last and
[1024, 4, 16] channels-first, with slopes of the format; preluBackward's dslope[c] is the exact
sum of x dy over channel c where x <= 0, rounded once to the format (a NaN term, or +inf with
-inf: the format's canonical quiet NaN). Count ops (activity, deadUnits) take all patterns as
[4096, 16] and [256, 256] matrices: numpy's own y > 0 on the format.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import oracles  # noqa: E402  (tests/oracles.py: every op's oracle and sweeps)

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
    return np.float32(oracles.round_exact('bf16', d))


def widen(fmt, bits):
    return bits.astype(np.uint16).view(np.float16) if fmt == 'f16' else bf16_to_f32(bits)


def narrow(fmt, values):
    return np.asarray(values, dtype=np.float16).view(np.uint16) if fmt == 'f16' else f32_to_bf16(values)


LAYOUTS = [('nhwc', 8, None), ('nchw', 4, 16)]
SLOPES = [0.25, -0.5, 1.5, 0.0, -0.0, 2.0, 0.1, 3.0]
UNITS = [16, 256]


def channel_cases(row, fmt):
    """(params, inputs {name: uint16 bits}) per case, inputs in the kernel's order."""
    x16 = ALL.astype(np.uint16)
    dy16 = DY.astype(np.uint16)
    for layout, c, inner in LAYOUTS:
        slope16 = narrow(fmt, np.array(SLOPES[:c], dtype=np.float32))
        params = {'layout': layout, 'channels': c, **({'inner': inner} if inner else {})}
        yield params, ({'x': x16, 'slope': slope16} if row['kind'] == 'channel' else {'dy': dy16, 'x': x16, 'slope': slope16})


def count_cases(row, fmt):
    for units in UNITS:
        yield {'units': units}, {'y': ALL.astype(np.uint16)}


# gated2 (dy, gate, up): every pattern as the gate, DY as dy and UP as up.
UP = ((np.arange(65536, dtype=np.uint32) * 25173 + 13849) & 0xffff).astype(np.uint16)


def gated2_cases(row, fmt):
    yield {}, {'dy': DY.astype(np.uint16), 'gate': ALL.astype(np.uint16), 'up': UP}


def outputs(row, fmt, result):
    """The oracle's result as the case's outputs: the format's bits (counts: as they are)."""
    if row['kind'] == 'channel':
        return {'out': narrow(fmt, result)}
    if row['kind'] == 'channel2':
        return {'dx': narrow(fmt, result[0]), 'dslope': narrow(fmt, result[1])}
    if row['kind'] == 'gated2':
        return {'dgate': narrow(fmt, result[0]), 'dup': narrow(fmt, result[1])}
    return {'result': result}


def run(row, oracle, fmt, params):
    # Every pattern as the input the function is evaluated at (x; a gated op's gate), DY as the other.
    order = lambda x, dy: [x if k == row['argument'] else dy for k in row['inputs']]
    defaults = {p['name']: p['default'] for p in row['params'] if 'default' in p and p['ints']}
    if oracle.via_f32:
        x, dy = widen(fmt, ALL).astype(np.float32), widen(fmt, DY).astype(np.float32)
        return narrow(fmt, oracle.fn('f32', *order(x, dy), **defaults, **params))
    if fmt == 'f16':
        x = ALL.astype(np.uint16).view(np.float16)
        dy = DY.astype(np.uint16).view(np.float16)
        p = {k: float(np.float16(v)) for k, v in params.items()}
    else:
        x = bf16_to_f32(ALL)
        dy = bf16_to_f32(DY)
        p = {k: float(bf16_param(v)) for k, v in params.items()}
    return narrow(fmt, oracle.fn(fmt, *order(x, dy), **defaults, **p))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    table = oracles.read_table()
    oracles.check_registry(table)
    cases, blobs, offset = [], [], 0
    with np.errstate(all='ignore'):
        for row in table:
            # The smooth ops' reference is MPFR (tests/half.test.mjs, scripts/verify-ref.c).
            if row['smooth']:
                continue
            oracle = oracles.ORACLES[row['name']]
            if row['kind'] not in ('map', 'map2', 'gated'):
                for fmt in ('f16', 'bf16'):
                    if fmt not in row['dtypes']:
                        continue
                    make = channel_cases if row['kind'].startswith('channel') else gated2_cases if row['kind'] == 'gated2' else count_cases
                    for params, inputs in make(row, fmt):
                        if oracle.via_f32:  # PyTorch's: the float32 oracle on the widened inputs, each result rounded once
                            result = oracle.fn('f32', *(widen(fmt, b).astype(np.float32) for b in inputs.values()), **params)
                        else:
                            result = oracle.fn(fmt, *(widen(fmt, b) for b in inputs.values()), **params)
                        case = {'op': row['name'], 'dtype': fmt, 'params': params, 'inputs': {}, 'outputs': {}}
                        for group, arrays in (('inputs', inputs), ('outputs', outputs(row, fmt, result))):
                            for k, a in arrays.items():
                                a = np.ascontiguousarray(a)
                                case[group][k] = {'offset': offset, 'length': int(a.size), 'type': a.dtype.name}
                                blobs.append(a.tobytes())
                                offset += a.nbytes
                        cases.append(case)
                continue
            for fmt in ('f16', 'bf16'):
                if fmt not in row['dtypes']:
                    continue
                for params in oracles.param_sets(row, oracle, 'f32'):
                    res = run(row, oracle, fmt, params)
                    cases.append({'op': row['name'], 'dtype': fmt, 'params': {k: oracles.enc(v) for k, v in params.items()},
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
