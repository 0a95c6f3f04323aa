// The ops: one struct per op, templated on the element type, with a scalar form (the scalar
// build, and SIMD tails) and a vector form. Both give the same bits; docs/semantics.md's
// table is the spec and tests/fixtures holds numpy's answers.
//   map ops:   scalar(x, p)     / simd(x, p)        (drivers.h: map, and channel for prelu)
//   map2 ops:  scalar(dy, x, p) / simd(dy, x, p)    (drivers.h: map2, and channel2)
//   count ops: scalar(y) -> bool / simd(y) -> lane mask (drivers.h: count)
// `Params` lists the op's scalar parameters in the order of its row's params in js/ops.js
// (ops without parameters declare none). Ops with several exact SIMD forms, cheaper ones
// valid only for some parameters, declare `forms` and `valid_forms(p)`: a bit mask, bit 0
// (the general form) always set; drivers pick the highest valid form once per call.
// Float compares are false for NaN; every formula below is chosen so NaN lanes take the
// branch numpy takes for them.
#pragma once
#include <stdint.h>
#include <type_traits>
#include "half.h"
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

// One scalar parameter of a call, converted once to T (JS passes a double) and splatted for
// SIMD. Per-channel ops (prelu) build one from a vector of per-lane values instead.
template <class T> struct Param {
  T s;
#ifdef __wasm_simd128__
  v128_t v;
  static Param lanes(v128_t v) { return Param(T(0), v); }
  Param(T s_, v128_t v_) : s(s_), v(v_) {}
#endif
  Param(double d) : s(T(d)) {
#ifdef __wasm_simd128__
    v = Vec<T>::splat(s);
#endif
  }
};

// relu: max(x, 0) as numpy: x <= 0 -> +0 (so -0 -> +0), NaN kept bit for bit. Clearing the
// lanes where x <= 0 is exact and costs a compare and an andnot; f32x4.max is exact but slow
// on x86, and pmax / integer max get -0 or -NaN wrong. Integers: max(x, zeroPoint).
template <class T> struct relu {
  struct Params {
    Param<T> zeroPoint;
  };
  static T scalar(T x, const Params& p) {
    if constexpr (is_float<T>) return pick(x <= T(0), T(0), x);
    else return x < p.zeroPoint.s ? p.zeroPoint.s : x;
  }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t x, const Params& p) {
    if constexpr (is_float<T>) return wasm_v128_andnot(x, opaque(Vec<T>::le(x, Vec<T>::zero())));
    else return Vec<T>::max(x, p.zeroPoint.v);
  }
#endif
  // On 16-bit float bits (drivers.h: no widening), as int16: x < 0 are the patterns from -0
  // (-32768) up to -inf (-1024 float16, -128 bfloat16), below the negative NaNs. float16
  // keeps -0 (numpy's float16), bfloat16 clears it (float32's rule): one compare either way,
  // b - shift < bound: float16 (shift 1, bound -1024) from 0x8001 on, -0 wrapping to 0x7fff;
  // bfloat16 (shift 0, bound -127) b <= -inf.
  template <class S> struct Half {
    static constexpr int16_t shift = __is_same(S, f16) ? 1 : 0, bound = __is_same(S, f16) ? -1024 : -127;
    template <class... D> Half(D...) {}
    uint16_t scalar(uint16_t b) const { return int16_t(b - shift) < bound ? 0 : b; }
#ifdef __wasm_simd128__
    v128_t simd(v128_t b) const {
      return wasm_v128_andnot(b, opaque(wasm_i16x8_lt(wasm_i16x8_sub(b, wasm_i16x8_splat(shift)), wasm_i16x8_splat(bound))));
    }
#endif
  };
};

// The selection ops on 16-bit bits: x > t (t a parameter of the format, x not NaN), on
// Order's keys, as a lane mask / bool.
#ifdef __wasm_simd128__
template <class S> inline v128_t above(v128_t x, v128_t kt) { return wasm_v128_and(wasm_i16x8_gt(Order<S>::key(x), kt), Order<S>::number(x)); }
#endif
template <class S> inline bool above(uint16_t x, int16_t kt) { return !Order<S>::nan(x) && Order<S>::key(x) > kt; }

// reluGrad: 1 where x > 0, else 0 (NaN -> 0).
template <class T> struct reluGrad {
  template <class S> struct Half {  // 1's bits where x > 0
    uint16_t one = Order<S>::bits(1.0);
    uint16_t scalar(uint16_t x) const { return above<S>(x, 0) ? one : 0; }
#ifdef __wasm_simd128__
    v128_t simd(v128_t x) const { return wasm_v128_and(above<S>(x, wasm_i16x8_splat(0)), wasm_i16x8_splat(int16_t(one))); }
#endif
  };
  static T scalar(T x) { return pick(x > T(0), T(1), T(0)); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t x) { return wasm_v128_and(opaque(Vec<T>::gt(x, Vec<T>::zero())), Vec<T>::splat(T(1))); }
#endif
};

// leakyRelu: x > 0 ? x : alpha·x. NaN goes through the multiply, which quiets it and keeps
// sign and payload (IEEE 754 on x86 and ARM), as numpy's alpha * x does. For alpha <= 1,
// alpha != 0 that is pmax(alpha·x, x) = (alpha·x < x ? x : alpha·x), and for alpha >= 1
// pmin(alpha·x, x): one multiply and one max/min instruction instead of compare, multiply and
// a three-instruction bitselect (the compare is false for NaN, so NaN keeps alpha·x; at
// alpha·x == x both sides have the same bits). alpha = ±0 is excluded: 0·inf is NaN where
// x = +inf must stay +inf. prelu is this op with a per-channel alpha (drivers.h: channel).
template <class T> struct leakyRelu {
  struct Params {
    Param<T> alpha;
  };
  static constexpr int forms = 3;
  static unsigned valid_forms(const Params& p) {
    const T a = p.alpha.s;
    return 1u | unsigned(a != T(0) && a <= T(1)) << 1 | unsigned(a >= T(1)) << 2;
  }
  static T scalar(T x, const Params& p) { return pick(x > T(0), x, p.alpha.s * x); }
#ifdef __wasm_simd128__
  // valid_forms per lane, for a vector of alphas (prelu's channels, checked a vector at a time).
  static v128_t valid_forms(v128_t a) {
    const v128_t one = Vec<T>::splat(T(1));
    const v128_t small = wasm_v128_andnot(Vec<T>::le(a, one), Vec<T>::eq(a, Vec<T>::zero()));
    return wasm_v128_or(Vec<T>::lanes(1), wasm_v128_or(wasm_v128_and(small, Vec<T>::lanes(2)),
                                                       wasm_v128_and(Vec<T>::ge(a, one), Vec<T>::lanes(4))));
  }
  template <int F> static v128_t simd(v128_t x, const Params& p) {
    const v128_t ax = Vec<T>::mul(x, p.alpha.v);
    if constexpr (F == 1) return Vec<T>::pmax(ax, x);
    else if constexpr (F == 2) return Vec<T>::pmin(ax, x);
    else return wasm_v128_bitselect(x, ax, Vec<T>::gt(x, Vec<T>::zero()));
  }
#endif
};

// clip: numpy's minimum(maximum(x, lo), hi). np.maximum returns its second operand when the
// two compare equal (so -0 vs +0 gives the bound) and the NaN operand when there is one;
// np.minimum likewise. relu6 is clip(x, 0, 6). pmax(x, lo) = (x < lo ? lo : x) and
// pmin(t, hi) = (hi < t ? hi : t) are single instructions and agree with that except for a
// zero meeting a zero bound, so: nonzero bounds use them (form 1); lo = +0 uses relu's form
// (form 2); other zero bounds take the general compare-and-select form.
template <class T> struct clip {
  struct Params {
    Param<T> lo, hi;
  };
  // On 16-bit bits: t = x below lo ? lo : x, then t above hi ? hi : t, on keys; a tie (±0
  // against a zero bound) keeps x in float16 (numpy's float16: below / above are strict) and
  // takes the bound in bfloat16 (float32's rule: x <= lo, t >= hi); NaN passes.
  template <class S> struct Half {
    uint16_t lo, hi;
    int16_t klo, khi;
    Half(double l, double h) : lo(Order<S>::bits(l)), hi(Order<S>::bits(h)), klo(Order<S>::key(lo)), khi(Order<S>::key(hi)) {}
    static constexpr bool strict = __is_same(S, f16);
    uint16_t scalar(uint16_t x) const {
      if (Order<S>::nan(x)) return x;
      const int16_t k = Order<S>::key(x);
      const bool low = strict ? k < klo : k <= klo;
      const uint16_t t = low ? lo : x;
      const int16_t kt = low ? klo : k;
      return (strict ? kt > khi : kt >= khi) ? hi : t;
    }
#ifdef __wasm_simd128__
    v128_t simd(v128_t x) const {
      const v128_t k = Order<S>::key(x), num = Order<S>::number(x);
      const v128_t vklo = wasm_i16x8_splat(klo), vkhi = wasm_i16x8_splat(khi);
      const v128_t low = wasm_v128_and(num, strict ? wasm_i16x8_lt(k, vklo) : wasm_i16x8_le(k, vklo));
      const v128_t t = wasm_v128_bitselect(wasm_i16x8_splat(int16_t(lo)), x, low);
      const v128_t kt = wasm_v128_bitselect(vklo, k, low);
      const v128_t high = wasm_v128_and(num, strict ? wasm_i16x8_gt(kt, vkhi) : wasm_i16x8_ge(kt, vkhi));
      return wasm_v128_bitselect(wasm_i16x8_splat(int16_t(hi)), t, high);
    }
#endif
  };
  static constexpr int forms = 3;
  static unsigned valid_forms(const Params& p) {
    if constexpr (!is_float<T>) {
      return 1u;
    } else {
      const T lo = p.lo.s, hi = p.hi.s;
      if (hi == T(0)) return 1u;
      if (lo != T(0)) return 1u | 2u;
      return __builtin_signbit(double(lo)) ? 1u : 1u | 4u;
    }
  }
  static T scalar(T x, const Params& p) {
    const T t = pick(x <= p.lo.s, p.lo.s, x);
    return pick(t >= p.hi.s, p.hi.s, t);
  }
#ifdef __wasm_simd128__
  template <int F> static v128_t simd(v128_t x, const Params& p) {
    if constexpr (!is_float<T>) {
      return Vec<T>::min(Vec<T>::max(x, p.lo.v), p.hi.v);
    } else if constexpr (F == 1) {
      return Vec<T>::pmin(Vec<T>::pmax(x, p.lo.v), p.hi.v);
    } else if constexpr (F == 2) {
      return Vec<T>::pmin(wasm_v128_andnot(x, opaque(Vec<T>::le(x, Vec<T>::zero()))), p.hi.v);
    } else {
      const v128_t t = wasm_v128_bitselect(p.lo.v, x, Vec<T>::le(x, p.lo.v));
      return wasm_v128_bitselect(p.hi.v, t, Vec<T>::ge(t, p.hi.v));
    }
  }
#endif
};

// reluBackward: dy where x > 0, else +0.
template <class T> struct reluBackward {
  template <class S> struct Half {
    uint16_t scalar(uint16_t dy, uint16_t x) const { return above<S>(x, 0) ? dy : 0; }
#ifdef __wasm_simd128__
    v128_t simd(v128_t dy, v128_t x) const { return wasm_v128_and(dy, above<S>(x, wasm_i16x8_splat(0))); }
#endif
  };
  static T scalar(T dy, T x) { return pick(x > T(0), dy, T(0)); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t dy, v128_t x) { return wasm_v128_and(dy, opaque(Vec<T>::gt(x, Vec<T>::zero()))); }
#endif
};

// reglu (js/ops.js kind gated, the map2 loop): relu(gate)·up, numpy's np.maximum(gate, 0) * up:
// relu as relu does (−0 → +0), then one multiply. NaNs as the other gated ops (the multiply's
// choice between two NaNs is the compiler's, numpy's varies along an array): gate's, quieted,
// first, then up's; 0·inf the canonical NaN.
template <class T> struct reglu {
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  static constexpr Bits kQuiet = Bits(1) << (sizeof(T) == 4 ? 22 : 51);
  static constexpr Bits kCanonical = (sizeof(T) == 4 ? Bits(0x7f800000) : Bits(0x7ff0000000000000)) | kQuiet;
  static T quiet(T v) { return __builtin_bit_cast(T, Bits(__builtin_bit_cast(Bits, v) | kQuiet)); }
  static T scalar(T g, T up) {
    if (g != g) return quiet(g);
    if (up != up) return quiet(up);
    const T r = pick(g <= T(0), T(0), g) * up;
    return r != r ? __builtin_bit_cast(T, kCanonical) : r;
  }
#ifdef __wasm_simd128__
  static v128_t keep(v128_t x, v128_t r) {
    const v128_t q = sizeof(T) == 4 ? wasm_i32x4_splat(int32_t(kQuiet)) : wasm_i64x2_splat(int64_t(kQuiet));
    return wasm_v128_bitselect(wasm_v128_or(x, q), r, wasm_v128_not(Vec<T>::eq(x, x)));
  }
  static v128_t simd(v128_t g, v128_t up) {
    v128_t r = Vec<T>::mul(wasm_v128_andnot(g, opaque(Vec<T>::le(g, Vec<T>::zero()))), up);
    const v128_t canon = sizeof(T) == 4 ? wasm_i32x4_splat(int32_t(kCanonical)) : wasm_i64x2_splat(int64_t(kCanonical));
    r = wasm_v128_bitselect(canon, r, wasm_v128_not(Vec<T>::eq(r, r)));
    return keep(g, keep(up, r));
  }
#endif
};

// regluBackward (kind gated2): dgate = dy·up where gate > 0, else +0 (a NaN gate too: numpy's
// np.where(gate > 0, dy * up, 0)); dup = dy·relu(gate), reglu's product with dy for up. NaNs
// as the gated backward passes: dy's first, then gate's (dup) or up's (dgate; a NaN gate gives
// +0 there), each quieted; 0·inf the canonical NaN.
template <class T> struct regluBackward {
  using R = reglu<T>;
  static void scalar(T dy, T g, T u, T& dg, T& du) {
    du = dy != dy ? R::quiet(dy) : R::scalar(g, dy);
    T r = dy * u;
    r = r != r ? __builtin_bit_cast(T, R::kCanonical) : r;
    r = u != u ? R::quiet(u) : r;
    r = dy != dy ? R::quiet(dy) : r;
    dg = pick(g > T(0), r, T(0));
  }
#ifdef __wasm_simd128__
  static void simd(v128_t dy, v128_t g, v128_t u, v128_t& dg, v128_t& du) {
    du = R::keep(dy, R::simd(g, dy));
    v128_t r = Vec<T>::mul(dy, u);
    const v128_t canon = sizeof(T) == 4 ? wasm_i32x4_splat(int32_t(R::kCanonical)) : wasm_i64x2_splat(int64_t(R::kCanonical));
    r = R::keep(dy, R::keep(u, wasm_v128_bitselect(canon, r, wasm_v128_not(Vec<T>::eq(r, r)))));
    dg = wasm_v128_and(r, opaque(Vec<T>::gt(g, Vec<T>::zero())));
  }
#endif
};

// leakyReluBackward: dy where x > 0, else alpha·dy. preluBackward is this op with a
// per-channel alpha (drivers.h: channel2), and needs the gradient with respect to alpha too:
// Σ x·dy where !(x > 0) (NaN x included: numpy's where gives NaN there), summed in double.
// A float·float product is exact in double, so a float dslope is the exactly rounded sum
// but for pathological cancellation.
template <class T> struct leakyReluBackward {
  struct Params {
    Param<T> alpha;
  };
  static T scalar(T dy, T x, const Params& p) { return pick(x > T(0), dy, p.alpha.s * dy); }
  static double alpha_grad(T dy, T x) { return pick(x > T(0), 0.0, double(x) * double(dy)); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t dy, v128_t x, const Params& p) {
    return wasm_v128_bitselect(dy, Vec<T>::mul(dy, p.alpha.v), Vec<T>::gt(x, Vec<T>::zero()));
  }
  // Adds x·dy where !(x > 0) to the double lanes s0 (and s1 for float's upper half). Both
  // factors are zeroed where x > 0: 0·0 adds nothing, where 0·dy could be 0·inf = NaN.
  static void add_alpha_grad(v128_t dy, v128_t x, v128_t& s0, v128_t& s1) {
    const v128_t pos = opaque(Vec<T>::gt(x, Vec<T>::zero()));
    const v128_t mx = wasm_v128_andnot(x, pos), md = wasm_v128_andnot(dy, pos);
    if constexpr (sizeof(T) == 4) {
      const v128_t xh = wasm_i64x2_shuffle(mx, mx, 1, 0), dh = wasm_i64x2_shuffle(md, md, 1, 0);
      s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(mx), wasm_f64x2_promote_low_f32x4(md)));
      s1 = wasm_f64x2_add(s1, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(xh), wasm_f64x2_promote_low_f32x4(dh)));
    } else {
      s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(mx, md));
    }
  }
#endif
};

// clipBackward: dy where lo < x < hi (strictly), else +0; NaN x -> +0.
template <class T> struct clipBackward {
  struct Params {
    Param<T> lo, hi;
  };
  template <class S> struct Half {  // lo < x < hi: x > lo and hi > x, both on keys
    int16_t lo, hi;
    Half(double l, double h) : lo(Order<S>::key(Order<S>::bits(l))), hi(Order<S>::key(Order<S>::bits(h))) {}
    uint16_t scalar(uint16_t dy, uint16_t x) const { return above<S>(x, lo) && Order<S>::key(x) < hi ? dy : 0; }
#ifdef __wasm_simd128__
    v128_t simd(v128_t dy, v128_t x) const {
      return wasm_v128_and(dy, wasm_v128_and(above<S>(x, wasm_i16x8_splat(lo)), wasm_i16x8_lt(Order<S>::key(x), wasm_i16x8_splat(hi))));
    }
#endif
  };
  static T scalar(T dy, T x, const Params& p) { return pick(x > p.lo.s && x < p.hi.s, dy, T(0)); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t dy, v128_t x, const Params& p) {
    return wasm_v128_and(dy, opaque(wasm_v128_and(Vec<T>::gt(x, p.lo.v), Vec<T>::lt(x, p.hi.v))));
  }
#endif
};

// thresholdedRelu: x where x > alpha, else +0 (NaN -> +0), as np.where(x > alpha, x, 0); the
// selected x keeps its bits (-0 stays -0 for alpha < 0).
template <class T> struct thresholdedRelu {
  struct Params {
    Param<T> alpha;
  };
  template <class S> struct Half {
    int16_t k;
    Half(double a) : k(Order<S>::key(Order<S>::bits(a))) {}
    uint16_t scalar(uint16_t x) const { return above<S>(x, k) ? x : 0; }
#ifdef __wasm_simd128__
    v128_t simd(v128_t x) const { return wasm_v128_and(x, above<S>(x, wasm_i16x8_splat(k))); }
#endif
  };
  static T scalar(T x, const Params& p) { return pick(x > p.alpha.s, x, T(0)); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t x, const Params& p) { return wasm_v128_and(x, opaque(Vec<T>::gt(x, p.alpha.v))); }
#endif
};

// thresholdedReluBackward: dy where x > alpha, else +0.
template <class T> struct thresholdedReluBackward {
  struct Params {
    Param<T> alpha;
  };
  template <class S> struct Half {
    int16_t k;
    Half(double a) : k(Order<S>::key(Order<S>::bits(a))) {}
    uint16_t scalar(uint16_t dy, uint16_t x) const { return above<S>(x, k) ? dy : 0; }
#ifdef __wasm_simd128__
    v128_t simd(v128_t dy, v128_t x) const { return wasm_v128_and(dy, above<S>(x, wasm_i16x8_splat(k))); }
#endif
  };
  static T scalar(T dy, T x, const Params& p) { return pick(x > p.alpha.s, dy, T(0)); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t dy, v128_t x, const Params& p) { return wasm_v128_and(dy, opaque(Vec<T>::gt(x, p.alpha.v))); }
#endif
};

// shrink (ONNX Shrink): x + bias where x < -lambd, x - bias where x > lambd, else +0, as
// np.where(x < -lambd, x + bias, np.where(x > lambd, x - bias, 0)) (NaN -> +0); PyTorch's
// hardshrink is bias = 0, softshrink bias = lambd. Both selections from one compare each.
template <class T> struct ShrinkParams {
  Param<T> lambd, bias, neg;
  ShrinkParams(double l, double b = 0) : lambd(l), bias(b), neg(double(-T(l))) {}
};
template <class T> struct shrink {
  using Params = ShrinkParams<T>;
  static T scalar(T x, const Params& p) { return pick(x < p.neg.s, x + p.bias.s, pick(x > p.lambd.s, x - p.bias.s, T(0))); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t x, const Params& p) {
    const v128_t lo = Vec<T>::lt(x, p.neg.v), hi = Vec<T>::gt(x, p.lambd.v);
    const v128_t r = wasm_v128_bitselect(Vec<T>::add(x, p.bias.v), Vec<T>::sub(x, p.bias.v), lo);
    return wasm_v128_and(r, opaque(wasm_v128_or(lo, hi)));
  }
#endif
};

// shrinkBackward: dy where x < -lambd or x > lambd, else +0 (NaN x -> +0: the forward's +0
// there is constant).
template <class T> struct shrinkBackward {
  using Params = ShrinkParams<T>;
  static T scalar(T dy, T x, const Params& p) { return pick(x < p.neg.s || x > p.lambd.s, dy, T(0)); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t dy, v128_t x, const Params& p) {
    return wasm_v128_and(dy, opaque(wasm_v128_or(Vec<T>::lt(x, p.neg.v), Vec<T>::gt(x, p.lambd.v))));
  }
#endif
};

// hardSigmoid and hardSwish: numpy's minimum(maximum(alpha*x + beta, 0), range) / range, and x
// times that clamp, then / range (in that order: PyTorch's x * relu6(x + 3) / 6 is
// (1, 3, 6); ONNX's HardSigmoid is (0.2, 0.5, 1), its HardSwish (float32(1/6), 0.5, 1)). The
// clamp is clip's (a zero meets the bound 0 as +0; NaN passes, quieted by the arithmetic).
// Their backward passes test x against lo = -beta/alpha and hi = (range - beta)/alpha
// (float32 arithmetic; -3 and 3 for PyTorch's), as PyTorch does: hardSigmoid's is
// dy * (alpha/range) where lo < x < hi; hardSwish's 0 where x < lo, dy * (x/d + e) where
// x <= hi (d = range/(2 alpha), e = beta/range: x/3 + 0.5 for PyTorch's), else dy.
template <class T> struct HardParams {
  Param<T> alpha, beta, range, lo, hi, k, d, e;
  HardParams(double a, double b, double r)
      : alpha(a), beta(b), range(r), lo(double(-T(b) / T(a))), hi(double((T(r) - T(b)) / T(a))), k(double(T(a) / T(r))),
        d(double(T(r) / (T(2) * T(a)))), e(double(T(b) / T(r))) {}
  T clamp(T x) const {
    const T t = alpha.s * x + beta.s;
    const T u = pick(t <= T(0), T(0), t);
    return pick(u >= range.s, range.s, u);
  }
#ifdef __wasm_simd128__
  v128_t clamp(v128_t x) const {
    const v128_t t = Vec<T>::add(Vec<T>::mul(x, alpha.v), beta.v);
    const v128_t neg = Vec<T>::le(t, Vec<T>::zero());
    const v128_t u = wasm_v128_andnot(t, opaque(neg));
    return wasm_v128_bitselect(range.v, u, Vec<T>::ge(u, range.v));
  }
#endif
};

template <class T> struct hardSigmoid {
  using Params = HardParams<T>;
  static T scalar(T x, const Params& p) { return p.clamp(x) / p.range.s; }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t x, const Params& p) { return Vec<T>::div(p.clamp(x), p.range.v); }
#endif
};

template <class T> struct hardSwish {
  using Params = HardParams<T>;
  static T scalar(T x, const Params& p) { return x * p.clamp(x) / p.range.s; }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t x, const Params& p) { return Vec<T>::div(Vec<T>::mul(x, p.clamp(x)), p.range.v); }
#endif
};

template <class T> struct hardSigmoidBackward {
  using Params = HardParams<T>;
  static T scalar(T dy, T x, const Params& p) { return pick(x > p.lo.s && x < p.hi.s, dy * p.k.s, T(0)); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t dy, v128_t x, const Params& p) {
    return wasm_v128_and(Vec<T>::mul(dy, p.k.v), opaque(wasm_v128_and(Vec<T>::gt(x, p.lo.v), Vec<T>::lt(x, p.hi.v))));
  }
#endif
};

template <class T> struct hardSwishBackward {
  using Params = HardParams<T>;
  static T scalar(T dy, T x, const Params& p) {
    return pick(x < p.lo.s, T(0), pick(x <= p.hi.s, dy * (x / p.d.s + p.e.s), dy));
  }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t dy, v128_t x, const Params& p) {
    const v128_t mid = Vec<T>::mul(dy, Vec<T>::add(Vec<T>::div(x, p.d.v), p.e.v));
    return wasm_v128_andnot(wasm_v128_bitselect(mid, dy, Vec<T>::le(x, p.hi.v)), opaque(Vec<T>::lt(x, p.lo.v)));
  }
#endif
};

// activity (and deadUnits): an element counts as active where y > 0 (NaN is inactive).
template <class T> struct activity {
  static bool scalar(T y) { return y > T(0); }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t y) { return Vec<T>::gt(y, Vec<T>::zero()); }
#endif
};

// 16-bit floats, on the bits: y > 0 are the patterns from 1 up to +inf (0x7c00 float16, 0x7f80
// bfloat16), one unsigned range check, b - 1 < +inf; NaNs and negatives fall outside.
template <class S> struct activity_half {
  static constexpr uint16_t pinf = __is_same(S, f16) ? 0x7c00 : 0x7f80;
  static bool scalar(S y) { return uint16_t(y.b - 1) < pinf; }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t y) { return wasm_u16x8_lt(wasm_i16x8_sub(y, wasm_i16x8_splat(1)), wasm_u16x8_splat(pinf)); }
#endif
};
template <> struct activity<f16> : activity_half<f16> {};
template <> struct activity<bf16> : activity_half<bf16> {};

// Reference kernels for benchmarks (never public). copy: the same 128-bit load/store loop as
// every op, with nothing in it. memcpy_: drivers.h runs it as one memory.copy.
template <class T> struct copy {
  static T scalar(T x) { return x; }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t x) { return x; }
#endif
};

template <class T> struct memcpy_ {};

#include "smooth.h"
