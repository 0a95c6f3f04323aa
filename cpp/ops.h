// The element-wise ops: one struct per op, templated on the element type, with a scalar form
// (the scalar build, and SIMD tails) and a vector form. Both give the same bits; README.md's
// semantics table is the spec and tests/fixtures holds numpy's answers.
//   map ops:  scalar(x, p)     / simd(x, p)        (drivers.h: map)
//   map2 ops: scalar(dy, x, p) / simd(dy, x, p)    (drivers.h: map2)
// Float compares are false for NaN; every formula below is chosen so NaN lanes take the
// branch numpy takes for them.
#pragma once
#include <stdint.h>
#include <type_traits>
#ifdef __wasm_simd128__
#include "vec.h"
#endif

template <class T> constexpr bool is_float = std::is_floating_point<T>::value;

// c ? a : b without a branch, on the bits. V8 compiles a float `select` to a branch, which
// mispredicts on data of random sign (scalar relu ran at 1.4 GB/s instead of ~18); an
// integer select is a cmov. The empty asm hides the mask from LLVM, which would otherwise
// turn this back into a float select, or rewrite c ? v : s·v as v · (c ? 1 : s), which
// quiets a signalling NaN that numpy's where passes through untouched.
template <class T> inline T pick(bool c, T a, T b) {
  if constexpr (!is_float<T>) {
    return c ? a : b;
  } else {
    using U = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;
    U m = U(0) - U(c), ua, ub;
    __asm__("" : "+r"(m));
    __builtin_memcpy(&ua, &a, sizeof a);
    __builtin_memcpy(&ub, &b, sizeof b);
    const U r = (ua & m) | (ub & ~m);
    T t;
    __builtin_memcpy(&t, &r, sizeof t);
    return t;
  }
}

#ifdef __wasm_simd128__
// Hides a compare mask from LLVM, which otherwise turns and/andnot-with-a-mask into a
// v128.bitselect that V8 lowers to three instructions instead of one.
inline v128_t opaque(v128_t m) {
  __asm__("" : "+r"(m));
  return m;
}
#endif

// Scalar parameters of one call, converted once to T (and splatted for SIMD).
template <class T> struct Params {
  T a, b;
#ifdef __wasm_simd128__
  v128_t va, vb, zero, one;
#endif
  Params(double a_, double b_) : a(T(a_)), b(T(b_)) {
#ifdef __wasm_simd128__
    va = Vec<T>::splat(a);
    vb = Vec<T>::splat(b);
    zero = wasm_i64x2_const(0, 0);
    one = Vec<T>::splat(T(1));
#endif
  }
};

// relu: max(x, 0) as numpy: x <= 0 -> +0 (so -0 -> +0), NaN kept bit for bit. Clearing the
// lanes where x <= 0 is exact and costs a compare and an andnot; f32x4.max is exact but slow
// on x86, and pmax / integer max get -0 or -NaN wrong. Integers: max(x, a), a = zero point.
template <class T> struct relu {
  static T scalar(T x, const Params<T>& p) {
    if constexpr (is_float<T>) return pick(x <= T(0), T(0), x);
    else return x < p.a ? p.a : x;
  }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t x, const Params<T>& p) {
    if constexpr (is_float<T>) return wasm_v128_andnot(x, opaque(Vec<T>::le(x, p.zero)));
    else return Vec<T>::max(x, p.va);
  }
#endif
};

// reluGrad: 1 where x > 0, else 0 (NaN -> 0).
template <class T> struct reluGrad {
  static T scalar(T x, const Params<T>&) { return pick(x > T(0), T(1), T(0)); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t x, const Params<T>& p) { return wasm_v128_and(opaque(Vec<T>::gt(x, p.zero)), p.one); }
#endif
};

// leakyRelu: x > 0 ? x : a·x. NaN goes through the multiply, which quiets it and keeps sign
// and payload (IEEE 754 on x86 and ARM), as numpy's a * x does. For a <= 1, a != 0 that is
// pmax(a·x, x) = (a·x < x ? x : a·x), and for a >= 1 pmin(a·x, x): one multiply and one
// max/min instruction instead of compare, multiply and a three-instruction bitselect (the
// compare is false for NaN, so NaN keeps a·x; at a·x == x both sides have the same bits).
// a = ±0 is excluded: 0·inf is NaN where x = +inf must stay +inf.
template <class T> inline int leaky_form(T a) { return a != T(0) && a <= T(1) ? 1 : a >= T(1) ? 2 : 0; }

template <class T> struct leakyRelu {
  static constexpr int variants = 3;
  static int variant(const Params<T>& p) { return leaky_form(p.a); }
  static T scalar(T x, const Params<T>& p) { return pick(x > T(0), x, p.a * x); }
#ifdef __wasm_simd128__
  template <int K> static v128_t simd(v128_t x, const Params<T>& p) {
    const v128_t ax = Vec<T>::mul(x, p.va);
    if constexpr (K == 1) return Vec<T>::pmax(ax, x);
    else if constexpr (K == 2) return Vec<T>::pmin(ax, x);
    else return wasm_v128_bitselect(x, ax, Vec<T>::gt(x, p.zero));
  }
#endif
};

// clip: numpy's minimum(maximum(x, a), b). np.maximum returns its second operand when the
// two compare equal (so -0 vs +0 gives the bound) and the NaN operand when there is one;
// np.minimum likewise. relu6 is clip(x, 0, 6). pmax(x, a) = (x < a ? a : x) and
// pmin(t, b) = (b < t ? b : t) are single instructions and agree with that except for a zero
// meeting a zero bound, so: nonzero bounds use them; a = +0 uses relu's form (x <= 0 -> +0);
// other zero bounds take the general compare-and-select form.
template <class T> struct clip {
  static constexpr int variants = 3;
  static int variant(const Params<T>& p) {
    if constexpr (!is_float<T>) return 0;
    if (p.b == T(0)) return 0;
    if (p.a != T(0)) return 1;
    return __builtin_signbit(double(p.a)) ? 0 : 2;
  }
  static T scalar(T x, const Params<T>& p) {
    const T t = pick(x <= p.a, p.a, x);
    return pick(t >= p.b, p.b, t);
  }
#ifdef __wasm_simd128__
  template <int K> static v128_t simd(v128_t x, const Params<T>& p) {
    if constexpr (!is_float<T>) {
      return Vec<T>::min(Vec<T>::max(x, p.va), p.vb);
    } else if constexpr (K == 1) {
      return Vec<T>::pmin(Vec<T>::pmax(x, p.va), p.vb);
    } else if constexpr (K == 2) {
      return Vec<T>::pmin(wasm_v128_andnot(x, opaque(Vec<T>::le(x, p.zero))), p.vb);
    } else {
      const v128_t t = wasm_v128_bitselect(p.va, x, Vec<T>::le(x, p.va));
      return wasm_v128_bitselect(p.vb, t, Vec<T>::ge(t, p.vb));
    }
  }
#endif
};

// reluBackward: dy where x > 0, else +0.
template <class T> struct reluBackward {
  static T scalar(T dy, T x, const Params<T>&) { return pick(x > T(0), dy, T(0)); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t dy, v128_t x, const Params<T>& p) { return wasm_v128_and(dy, opaque(Vec<T>::gt(x, p.zero))); }
#endif
};

// leakyReluBackward: dy where x > 0, else a·dy.
template <class T> struct leakyReluBackward {
  static T scalar(T dy, T x, const Params<T>& p) { return pick(x > T(0), dy, p.a * dy); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t dy, v128_t x, const Params<T>& p) {
    return wasm_v128_bitselect(dy, Vec<T>::mul(dy, p.va), Vec<T>::gt(x, p.zero));
  }
#endif
};

// clipBackward: dy where a < x < b (strictly), else +0; NaN x -> +0.
template <class T> struct clipBackward {
  static T scalar(T dy, T x, const Params<T>& p) { return pick(x > p.a && x < p.b, dy, T(0)); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t dy, v128_t x, const Params<T>& p) {
    return wasm_v128_and(dy, opaque(wasm_v128_and(Vec<T>::gt(x, p.va), Vec<T>::lt(x, p.vb))));
  }
#endif
};

// Reference kernels for benchmarks (never public). copy: the same 128-bit load/store loop as
// every op, with nothing in it. memcpy_: drivers.h runs it as one memory.copy.
template <class T> struct copy {
  static T scalar(T x, const Params<T>&) { return x; }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t x, const Params<T>&) { return x; }
#endif
};

template <class T> struct memcpy_ {};

// Kernels with their own drivers (drivers.h) name an op struct too, for the table.
template <class T> struct prelu {};
template <class T> struct preluBackward {};
template <class T> struct activity {};
