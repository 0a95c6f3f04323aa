// The ops: one struct per op, templated on the element type, with a scalar form (used by the
// scalar build and for SIMD tails) and a vector form. Both must give the same bits; the
// semantics table in README.md is the spec and tests/ holds numpy's answers.
#pragma once
#include <stdint.h>
#include <type_traits>
#ifdef __wasm_simd128__
#include "vec.h"
#endif

template <class T> constexpr bool is_float = std::is_floating_point<T>::value;

// Scalar parameters of one call, converted once to T (and splatted for SIMD).
template <class T> struct Params {
  T a, b;
#ifdef __wasm_simd128__
  v128_t va, vb, zero;
#endif
  Params(double a_, double b_) : a(T(a_)), b(T(b_)) {
#ifdef __wasm_simd128__
    va = Vec<T>::splat(a);
    vb = Vec<T>::splat(b);
    zero = wasm_i64x2_const(0, 0);
#endif
  }
};

// max(x, 0) as numpy: x <= 0 -> +0 (so -0 -> +0), NaN kept bit for bit. Clearing the lanes
// where x <= 0 is exact (the compare is false for NaN) and costs one compare + one andnot,
// where f32x4.max is exact but slow on x86 and pmax/integer max get -0 or -NaN wrong.
// Integers: max(x, a) with a the zero point.
template <class T> struct relu {
  static T scalar(T x, const Params<T>& p) {
    if constexpr (is_float<T>) return x <= T(0) ? T(0) : x;
    else return x < p.a ? p.a : x;
  }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t x, const Params<T>& p) {
    if constexpr (is_float<T>) return wasm_v128_andnot(x, Vec<T>::le(x, p.zero));
    else return Vec<T>::max(x, p.va);
  }
#endif
};

// Reference kernels for benchmarks (never public). copy: the same 128-bit load/store loop as
// every op, with nothing in it. memcpy: drivers.h runs it as one memory.copy.
template <class T> struct copy {
  static T scalar(T x, const Params<T>&) { return x; }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t x, const Params<T>&) { return x; }
#endif
};

template <class T> struct memcpy_ {};
