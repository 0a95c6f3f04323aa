// The smooth family (gelu, silu/swish, elu, celu, selu, softplus, mish, sigmoid, tanh and their
// backward passes) on float32: each is evaluated in double, with an error of a few double
// ulps (2^-50 relative), then rounded once to float32. That is within 1 float ulp for every
// input by construction and correctly rounded unless the exact value lies within ~2^-50 of a
// float32 rounding boundary; scripts/verify.mjs checks all 2^32 inputs (docs/accuracy.md).
//
// Every function is written once, as a template over the lane type D: `double` (the scalar
// build and SIMD tails) or D2 (two f64 lanes of a v128). Both run the same IEEE operations in
// the same order, none fused (wasm has no fma outside relaxed SIMD), so both builds give the
// same bits on every engine and CPU. No lookup tables: wasm SIMD has no gather, and one
// polynomial per function keeps all lanes on one path.
#pragma once
#include <stdint.h>
#include <bit>
#include "smooth-coeffs.h"
#include "fast.h"

namespace sm {

// ---- lane types: double, and (SIMD build) D2 with the same operators.
inline uint64_t bits(double x) { return __builtin_bit_cast(uint64_t, x); }
inline double from_bits(uint64_t b) { return __builtin_bit_cast(double, b); }
inline double sel(bool m, double a, double b) { return pick(m, a, b); }
inline bool any(bool m) { return m; }
// 2^k for the k that t = k + 0x1.8p52 holds in its low bits (|k| <= 1022).
inline double pow2_of_shifted(double t) { return from_bits((bits(t) + 1023) << 52); }
inline double abs_(double x) { return from_bits(bits(x) & ~(uint64_t(1) << 63)); }
// |v| with the sign of s.
inline double with_sign(double v, double s) { return from_bits((bits(v) & ~(uint64_t(1) << 63)) | (bits(s) & uint64_t(1) << 63)); }

#ifdef __wasm_simd128__
struct D2 {
  static constexpr bool wide = true;
  v128_t v;
  D2() = default;
  D2(v128_t v_) : v(v_) {}
  D2(double c) : v(wasm_f64x2_splat(c)) {}
};
struct M2 {
  v128_t v;
};
inline D2 operator+(D2 a, D2 b) { return wasm_f64x2_add(a.v, b.v); }
inline D2 operator-(D2 a, D2 b) { return wasm_f64x2_sub(a.v, b.v); }
inline D2 operator*(D2 a, D2 b) { return wasm_f64x2_mul(a.v, b.v); }
inline D2 operator/(D2 a, D2 b) { return wasm_f64x2_div(a.v, b.v); }
inline D2 operator-(D2 a) { return wasm_f64x2_neg(a.v); }
inline M2 operator<(D2 a, D2 b) { return {wasm_f64x2_lt(a.v, b.v)}; }
inline M2 operator>(D2 a, D2 b) { return {wasm_f64x2_gt(a.v, b.v)}; }
inline M2 operator==(D2 a, D2 b) { return {wasm_f64x2_eq(a.v, b.v)}; }
inline M2 operator&&(M2 a, M2 b) { return {wasm_v128_and(a.v, b.v)}; }
inline bool any(M2 m) { return wasm_v128_any_true(m.v); }
inline D2 sel(M2 m, D2 a, D2 b) { return wasm_v128_bitselect(a.v, b.v, m.v); }
inline D2 pow2_of_shifted(D2 t) { return wasm_i64x2_shl(wasm_i64x2_add(t.v, wasm_i64x2_splat(1023)), 52); }
inline D2 abs_(D2 x) { return wasm_f64x2_abs(x.v); }
inline D2 with_sign(D2 v, D2 s) {
  const v128_t sign = wasm_i64x2_splat(int64_t(uint64_t(1) << 63));
  return wasm_v128_or(wasm_v128_andnot(v.v, sign), wasm_v128_and(s.v, sign));
}
#endif

inline double nudge_up(double y) { return from_bits(bits(y) + (y < 0 ? uint64_t(-1) : 1)); }
#ifdef __wasm_simd128__
inline D2 nudge_up(D2 y) {
  // +1 on the bits where y >= 0 (or +0), -1 where y < 0: the compare mask is -1, so 1 + 2 mask.
  const v128_t m = wasm_f64x2_lt(y.v, wasm_f64x2_splat(0.0));
  return wasm_i64x2_add(y.v, wasm_i64x2_add(wasm_i64x2_splat(1), wasm_i64x2_add(m, m)));
}
#endif

// f'(-inf) is 0 for every op here (and f'(+inf) for sigmoid and tanh); the clamps leave a tiny
// nonzero there, which must be an exact ±0 so that an infinite dy gives NaN (inf * 0), not inf.
inline double limit_at_inf(double x, double d, bool zero_at_pos) {
  return pick(x == -__builtin_inf() || (zero_at_pos && x == __builtin_inf()), d * 0.0, d);
}
#ifdef __wasm_simd128__
inline D2 limit_at_inf(D2 x, D2 d, bool zero_at_pos) {
  const v128_t m = zero_at_pos ? wasm_f64x2_eq(abs_(x).v, wasm_f64x2_splat(__builtin_inf()))
                               : wasm_f64x2_eq(x.v, wasm_f64x2_splat(-__builtin_inf()));
  return wasm_v128_bitselect(wasm_f64x2_mul(d.v, wasm_f64x2_splat(0.0)), d.v, m);
}
#endif

// Rounding to odd: r, the rounded value of r + err (err the exact residual), with an odd last
// bit where it is inexact (moved toward the residual). Double rounding from it to float32, a
// format 29 bits narrower, cannot go wrong.
inline double odd(double r, double err) {
  const uint64_t rb = bits(r);
  const bool move = err != 0 && (rb & 1) == 0;  // inexact and even
  const bool away = (err < 0) == (r < 0);
  return pick(move, from_bits(rb + (away ? 1 : uint64_t(-1))), r);
}
// a b for a float32 a and a double b, as a double that rounds to float32 as the exact product
// does: Dekker's split makes a b = p + q exactly (a has 24 bits, b's halves 26 and 27), summed
// rounded to odd. A plain a * b would round twice: dy = 2^-149 times f'(x) = 0.5 + 1e-21 is
// an exact tie in double.
inline double mul_odd(double a, double b) {
  const double c = b * 134217729.0, hi = c - (c - b), lo = b - hi;
  const double p = a * hi, q = a * lo, r = p + q;
  // Zeros keep a * b's sign; inf and NaN (inf * lo = inf * 0 included) are a * b's.
  return pick(r == 0 || r - r != 0, a * b, odd(r, q - (r - p)));
}
// a b as mul_odd gives it, computed only where it can differ: a plain product rounds to float32
// (and to odd) as the exact one does unless it lands on a float32 value or midpoint (every bit
// below float32's 24 zero, but the first maybe), where the exact product may lie off it.
inline double mul_near(double a, double b) {
  const double r = a * b;
  const uint64_t low = bits(r) & 0x1fffffffu;
  return low == 0 || low == 0x10000000u ? mul_odd(a, b) : r;
}
// a b as mul_near, for an a of up to 53 bits (a gated backward pass's dy·up, a product of two
// float32s): both split (Dekker), a b = p + q exactly, rounded to odd where it matters.
inline double mul_near_wide(double a, double b) {
  const double r = a * b;
  const uint64_t low = bits(r) & 0x1fffffffu;
  if (!(low == 0 || low == 0x10000000u) || r == 0 || r - r != 0) return r;
  const double ca = a * 134217729.0, ah = ca - (ca - a), al = a - ah;
  const double cb = b * 134217729.0, bh = cb - (cb - b), bl = b - bh;
  const double e = ((ah * bh - r) + ah * bl + al * bh) + al * bl;
  return odd(r, e);
}
// hi + lo rounded to odd, for |hi| >= |lo| (Fast2Sum's residual), hi + lo finite.
inline double add_odd(double hi, double lo) {
  const double r = hi + lo;
  return odd(r, lo - (r - hi));
}
#ifdef __wasm_simd128__
inline D2 odd(D2 r, D2 err) {
  const v128_t one = wasm_i64x2_splat(1);
  const v128_t inexact = wasm_f64x2_ne(err.v, wasm_f64x2_splat(0.0));
  const v128_t even = wasm_i64x2_eq(wasm_v128_and(r.v, one), wasm_i64x2_splat(0));
  // +1 where err and r have the same sign (away from zero), else -1: 1 + 2 * (sign differs ? -1 : 0).
  const v128_t differ = wasm_i64x2_gt(wasm_i64x2_splat(0), wasm_v128_xor(err.v, r.v));
  const v128_t step = wasm_i64x2_add(one, wasm_i64x2_add(differ, differ));
  return wasm_i64x2_add(r.v, wasm_v128_and(step, wasm_v128_and(inexact, even)));
}
inline D2 mul_odd(D2 a, D2 b) {
  const D2 c = b * D2(134217729.0), hi = c - (c - b), lo = b - hi;
  const D2 p = a * hi, q = a * lo, r = p + q;
  const v128_t finite = wasm_f64x2_eq(wasm_f64x2_sub(r.v, r.v), wasm_f64x2_splat(0.0));
  const v128_t plain = wasm_v128_or(wasm_f64x2_eq(r.v, wasm_f64x2_splat(0.0)), wasm_v128_not(finite));
  return wasm_v128_bitselect(wasm_f64x2_mul(a.v, b.v), odd(r, q - (r - p)).v, plain);
}
inline D2 mul_near(D2 a, D2 b) {
  const D2 r = a * b;
  const v128_t low = wasm_v128_and(r.v, wasm_i64x2_splat(0x1fffffff));
  const v128_t hit = wasm_v128_or(wasm_i64x2_eq(low, wasm_i64x2_splat(0)), wasm_i64x2_eq(low, wasm_i64x2_splat(0x10000000)));
  return wasm_v128_any_true(hit) ? wasm_v128_bitselect(mul_odd(a, b).v, r.v, hit) : r;
}
inline D2 mul_near_wide(D2 a, D2 b) {
  const D2 r = a * b;
  const v128_t low = wasm_v128_and(r.v, wasm_i64x2_splat(0x1fffffff));
  const v128_t finite = wasm_f64x2_eq(wasm_f64x2_sub(r.v, r.v), wasm_f64x2_splat(0.0));
  const v128_t hit = wasm_v128_and(wasm_v128_and(finite, wasm_f64x2_ne(r.v, wasm_f64x2_splat(0.0))),
                                   wasm_v128_or(wasm_i64x2_eq(low, wasm_i64x2_splat(0)), wasm_i64x2_eq(low, wasm_i64x2_splat(0x10000000))));
  if (!wasm_v128_any_true(hit)) return r;
  const D2 ca = a * D2(134217729.0), ah = ca - (ca - a), al = a - ah;
  const D2 cb = b * D2(134217729.0), bh = cb - (cb - b), bl = b - bh;
  const D2 e = ((ah * bh - r) + ah * bl + al * bh) + al * bl;
  return wasm_v128_bitselect(odd(r, e).v, r.v, hit);
}
inline D2 add_odd(D2 hi, D2 lo) {
  const D2 r = hi + lo;
  return odd(r, lo - (r - hi));
}
#endif

// x / d as a double that rounds to float32 (and to odd) as the exact quotient does, for an
// exact d: where the plain quotient lands on a float32 value or midpoint (as mul_near), the
// residual x - q d from Dekker's exact product q d = p + e (x - p is exact: p is within an
// ulp of x) says which way the exact one lies.
template <class D> inline D div_odd(D x, D d, D q) {
  const D c = q * D(134217729.0), qh = c - (c - q), ql = q - qh;
  const D k = d * D(134217729.0), dh = k - (k - d), dl = d - dh;
  const D p = q * d, e = ((qh * dh - p) + qh * dl + ql * dh) + ql * dl;
  return odd(q, (x - p) - e);
}
inline double div_near(double x, double d) {
  const double q = x / d;
  const uint64_t low = bits(q) & 0x1fffffffu;
  return low == 0 || low == 0x10000000u ? div_odd(x, d, q) : q;
}
#ifdef __wasm_simd128__
inline D2 div_near(D2 x, D2 d) {
  const D2 q = x / d;
  const v128_t low = wasm_v128_and(q.v, wasm_i64x2_splat(0x1fffffff));
  const v128_t hit = wasm_v128_or(wasm_i64x2_eq(low, wasm_i64x2_splat(0)), wasm_i64x2_eq(low, wasm_i64x2_splat(0x10000000)));
  return wasm_v128_any_true(hit) ? wasm_v128_bitselect(div_odd(x, d, q).v, q.v, hit) : q;
}
#endif

#ifdef __wasm_simd128__
// Two D2 vectors as one lane type (fast.h X2: each operation on both before the next, two
// independent chains interleaved): a float32 vector's two halves (exact_pairs below).
using ff::sel;  // (its X2 form, for sm::sel)
template <class A> inline ff::X2<A> nudge_up(const ff::X2<A>& y) { return {nudge_up(y.a), nudge_up(y.b)}; }
template <class A> inline ff::X2<A> pow2_of_shifted(const ff::X2<A>& t) { return {pow2_of_shifted(t.a), pow2_of_shifted(t.b)}; }
template <class A> inline ff::X2<A> add_odd(const ff::X2<A>& h, const ff::X2<A>& l) { return {add_odd(h.a, l.a), add_odd(h.b, l.b)}; }
template <class A> inline ff::X2<A> mul_odd(const ff::X2<A>& x, const ff::X2<A>& y) { return {mul_odd(x.a, y.a), mul_odd(x.b, y.b)}; }
template <class A> inline ff::X2<A> div_near(const ff::X2<A>& x, const ff::X2<A>& d) { return {div_near(x.a, d.a), div_near(x.b, d.b)}; }
#endif

// Branch-free clamps (NaN lanes are replaced by the callers): a < b ? b : a and b < a ? b : a,
// which are exactly wasm's f64x2.pmax / pmin, one instruction each.
inline double max_(double a, double b) { return sel(a < b, b, a); }
inline double min_(double a, double b) { return sel(b < a, b, a); }
#ifdef __wasm_simd128__
inline D2 max_(D2 a, D2 b) { return wasm_f64x2_pmax(a.v, b.v); }
inline D2 min_(D2 a, D2 b) { return wasm_f64x2_pmin(a.v, b.v); }
#endif

// A polynomial (coefficients highest degree first) by Estrin's scheme: pairs, then pairs of
// pairs with x^2, x^4, ...: a dependency chain of depth ~2 log2(N) instead of Horner's 2N,
// which left the long polynomials latency-bound (gelu ran at 18 ns an element with Horner).
// pw[k] = x^(2^k).
template <size_t Lo, size_t N, size_t M, class D> inline D estrin_(const D* pw, const double (&c)[M]) {
  if constexpr (N == 1) {
    return D(c[M - 1 - Lo]);
  } else {
    constexpr size_t H = std::bit_floor(N - 1);
    return estrin_<Lo, H>(pw, c) + pw[std::countr_zero(H)] * estrin_<Lo + H, N - H>(pw, c);
  }
}
template <class D, size_t M> inline D poly(D x, const double (&c)[M]) {
  constexpr int K = M > 1 ? std::bit_width(M - 1) : 1;
  D pw[K] = {x};
  for (int k = 1; k < K; ++k) pw[k] = pw[k - 1] * pw[k - 1];
  return estrin_<0, M>(pw, c);
}

// The x sigma-like functions are x/2 + c2 x^2 + c4 x^4 + c6 x^6 + ... near 0 (silu: 1/4, -1/48,
// 1/480; swish those of beta x, gelu 1/sqrt(2 pi) (1, -1/6, 1/40), its tanh form its own). x/2
// is exact in double, and with c2 x^2 can be a float32 midpoint: x/2 for a subnormal x with an
// odd last bit, up (x/2 + x^2/4) for up = 3.5 at x = 2^-21 in a gated op, where only the x^4
// term decides, below double's resolution. So while |v| < 2^-12 (v: x, or beta x) the series is
// summed and rounded to odd (the x^8 term < 2^-84 relative), which rounds as the function does.
// (Not at ±0: f(±0) is ±0 exactly, which a gated op's up = inf turns into NaN, not inf. Before,
// only |x| < 2^-60 was handled, by a nudge up.)
template <class D> inline D half_x_near_0(D x, D y, D v, double c2, double c4, double c6) {
  const auto near = abs_(v) < D(0x1p-12) && D(0.0) < abs_(x);
  if (!any(near)) return y;  // (as most vectors: the series costs as much as f)
  const D x2 = x * x;
  return sel(near, add_odd(D(0.5) * x, x2 * (D(c2) + x2 * (D(c4) + x2 * D(c6)))), y);
}

// The same for values that are exactly a dyadic number at 0 (expm1(x) = x, e^x = 1): where
// the double result y is that leading term itself (x != 0: the next term, below half an ulp,
// was lost), y moves one double ulp the way the next term goes, up where sign * x > 0, so
// that a product with alpha (alpha x a float32 midpoint: elu at alpha = 7.5) or a subnormal dy
// rounds as the exact one does. (Tilting only below 2^-60, as before, left the x whose next
// term is lost above it to round to even: half the ties the wrong way.)
template <class D> inline D tilt(D x, D y, D lead, D sign) {
  const D up = nudge_up(y), down = -nudge_up(-y);
  return sel(y == lead && D(0.0) < abs_(x), sel(D(0.0) < sign * x, up, down), y);
}

// ---- exp and expm1: x = k ln2 + r, |r| <= ln2/2 (Cody-Waite: k ln2_hi is exact and
// x - k ln2_hi is exact by Sterbenz), e^r - 1 = r + r^2 (1/2 + r/6 + ... + r^11/13!)
// (Taylor; the degree-14 remainder is < 2^-56 relative). x is clamped to [-708, 709], so 2^k
// stays normal: beyond it e^x is 0 or inf for every float32 result built from it.
constexpr double kExpTaylor[] = {1.0 / 6227020800, 1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320,
                                 1.0 / 5040,       1.0 / 720,       1.0 / 120,      1.0 / 24,      1.0 / 6,      0.5};
template <class D> struct Reduced {
  D p, scale;  // e^x = scale (1 + p), p = e^r - 1
};
template <class D> inline Reduced<D> reduce(D x) {
  x = min_(max_(x, D(-708.0)), D(709.0));
  const D shift = 0x1.8p52;
  const D t = x * D(kInvLn2) + shift;
  const D k = t - shift;
  const D r = (x - k * D(kLn2Hi)) - k * D(kLn2Lo);
  return {r + r * r * poly(r, kExpTaylor), pow2_of_shifted(t)};
}
template <class D> inline D exp_(D x) {
  const Reduced<D> e = reduce(x);
  return e.scale + e.scale * e.p;
}
// Keeps the sign of x (expm1(-0) = -0; every expm1 has its argument's sign).
template <class D> inline D expm1_(D x) {
  const Reduced<D> e = reduce(x);
  const D y = tilt(x, with_sign(e.scale * e.p + (e.scale - D(1.0)), x), x, x);  // x + x^2/2: up
  // And at the other end, -1 + e^x with e^x lost (x < -37.4): up, unless x = -inf (elu's -alpha
  // is then a midpoint only e^x decides: alpha = 1.01171875 in bfloat16).
  return sel(y == D(-1.0) && D(-__builtin_inf()) < x, nudge_up(y), y);
}

// ---- log1p(u) for u in [0, 1]: 2 atanh(s), s = u / (2 + u) in [0, 1/3], as
// 2s (1 + s^2/3 + s^4/5 + ...), odd terms through s^35 (remainder < 2^-57 relative).
constexpr double kAtanh[] = {1.0 / 35, 1.0 / 33, 1.0 / 31, 1.0 / 29, 1.0 / 27, 1.0 / 25, 1.0 / 23, 1.0 / 21, 1.0 / 19,
                             1.0 / 17, 1.0 / 15, 1.0 / 13, 1.0 / 11, 1.0 / 9,  1.0 / 7,  1.0 / 5,  1.0 / 3};
template <class D> inline D log1p_unit(D u) {
  const D s = u / (D(2.0) + u);
  const D s2 = s * s;
  const D s2s = s * s2;
  return D(2.0) * (s + s2s * poly(s2, kAtanh));
}

// ---- the normal distribution's tail: Phi(-a) = e^{-a^2/2} t G(t), t = 4 / (4 + a), for
// a = |x| clamped to [0, 21] (scripts/fit-smooth.py); a^2/2 is exact for float32 a.
template <class D> struct Tail {
  D e, tg;  // e^{-a^2/2} and t G(t): Phi(-a) = e tg, phi(a) = e / sqrt(2 pi)
};
template <class D> inline Tail<D> normal_tail(D a) {
  const D t = D(kGeluC) / (D(kGeluC) + a);
  const D s = (t - D(kGeluMid)) * D(kGeluInvHalf);
  return {exp_(D(-0.5) * (a * a)), t * poly(s, kGeluG)};
}

// Near 0, sigma(v) = 1/2 + v/4 - v^3/48 + v^5/480 - ... and (x sigma(x))' = 1/2 + v/2 - v^3/12
// + v^5/80 - ...: for a float32 v the first two terms can sum exactly to a float32 midpoint,
// which only the cubic term decides, and it is below double's resolution for |v| < 2^-17.
// So for |v| < 2^-12 they are summed as Taylor series, rounded to odd (remainder ~2^-84).
template <class D> inline D half_plus(D v, D y, double c1, double c3, double c5) {
  const D a = D(c1) * v;
  const D h = D(0.5) + a;
  const D v2 = v * v;
  const D lo = (a - (h - D(0.5))) + v * v2 * (D(c3) + D(c5) * v2);
  return sel(abs_(v) < D(0x1p-12), add_odd(h, lo), y);
}

// gelu' and its tanh form near 0: 1/2 + c x + c3 x^3 + c5 x^5, c = sqrt(2/pi) irrational, so
// c x is formed exactly (c as c_hi + c_lo, c_hi split in two halves whose products with a
// float32 x are exact) and the sum rounded to odd: at x = 3.7351672e-8, 1/2 + c x lies within
// 1e-22 of a float32 midpoint. For |x| < 2^-12 (remainder ~2^-84).
constexpr double kC = 0x1.9884533d43651p-1, kCLo = -0x1.cbc0d30ebfd15p-55;
template <class D> inline D half_plus_c(D x, D y, double c3, double c5) {
  constexpr double hi26 = 0x1.988453p-1;  // kC's first 25 bits, and kC - hi26 its next 26: both times x exact
  const D a1 = D(hi26) * x;
  const D h = D(0.5) + a1;
  const D x2 = x * x;
  const D t = D(kCLo) * x + x * x2 * (D(c3) + D(c5) * x2);
  const D lo = (a1 - (h - D(0.5))) + (D(kC - hi26) * x + t);
  return sel(abs_(x) < D(0x1p-12), add_odd(h, lo), y);
}

// ---- the functions, each f(x) and f'(x) in double.
template <class D> inline D sigmoid(D x) { return half_plus(x, D(1.0) / (D(1.0) + exp_(-x)), 0.25, -1.0 / 48, 1.0 / 480); }
// e^-|x| / (1 + e^-|x|)^2: no cancellation on either side. Near 0, 1/4 - x^2/16 + x^4/96 - ...
// rounded to odd (remainder ~2^-79 for |x| < 2^-12): e / d^2's roundings there could land on
// 1/4 itself, and dy / 4 is a float32 midpoint for a subnormal dy with an odd last bit.
template <class D> inline D sigmoid_d(D x) {
  const D e = exp_(-abs_(x));
  const D d = D(1.0) + e;
  const D x2 = x * x;
  return sel(abs_(x) < D(0x1p-12), add_odd(D(0.25), x2 * (D(-1.0 / 16) + x2 * D(1.0 / 96))), e / (d * d));
}

// tanh |x| = -m / (m + 2), m = expm1(-2|x|): relative accuracy near 0 and saturation to 1.
template <class D> inline D tanh_(D x) {
  const D m = expm1_(D(-2.0) * abs_(x));
  return with_sign(-m / (m + D(2.0)), x);
}
// 1 - tanh^2 = 4e / (1 + e)^2, e = e^{-2|x|}.
template <class D> inline D tanh_d(D x) {
  const D e = exp_(D(-2.0) * abs_(x));
  const D d = D(1.0) + e;
  return D(4.0) * e / (d * d);
}

// softsign x / (1 + |x|): 1 + |x| is exact for 2^-29 <= |x| < 2^53, so one exact division,
// rounded as the exact quotient (div_near): correctly rounded for every input. Below 2^-29
// the value is x itself to float32 (x^2 is far below half its ulp) and above 2^53 it is ±1
// (±inf included).
template <class D> inline D softsign(D x) {
  const D a = abs_(x);
  const D q = div_near(x, D(1.0) + a);
  return sel(a < D(0x1p-29), x, sel(a < D(0x1p53), q, with_sign(D(1.0), x)));
}
// 1 / d^2, d = 1 + |x| (0 at ±inf): d^2 = p + e exactly (Dekker; d is exact but below 2^-29
// and above 2^53, where the result is 1 or far below any tie), then a Newton step on q = 1/p,
// q + q (1 - q p - q e), its two terms summed rounded to odd: within ~2^-100 of the exact
// value (1/d^2 in two roundings left 4 inputs misrounded).
template <class D> inline D softsign_d(D x) {
  const D d = D(1.0) + abs_(x);
  const D k = d * D(134217729.0), dh = k - (k - d), dl = d - dh;
  const D p = d * d, e = ((dh * dh - p) + D(2.0) * dh * dl) + dl * dl;
  const D q = D(1.0) / p;
  const D c = q * D(134217729.0), qh = c - (c - q), ql = q - qh;
  const D s = p * D(134217729.0), ph = s - (s - p), pl = p - ph;
  const D qp = q * p, r = ((qh * ph - qp) + qh * pl + ql * ph) + ql * pl;  // q p = qp + r exactly
  const D t = ((D(1.0) - qp) - r) - q * e;
  const D y = add_odd(q, q * t);
  return sel(d < D(0x1p60), y, q);
}

// swish x sigma(beta x) = x / (1 + e^{-beta x}); x is clamped below at -lim (lim beta >= 200,
// so the result is far below float32's least subnormal: -0) so -inf gives -0, not -inf/inf.
template <class D> inline D swish(D x, double beta, double lim) {
  const D xc = max_(x, D(-lim));
  return half_x_near_0(x, xc / (D(1.0) + exp_(D(-beta) * xc)), D(beta) * x, beta / 4, -beta * beta * beta / 48, beta * beta * beta * beta * beta / 480);
}
// sigma(v) + v sigma(v)(1 - sigma(v)), v = beta x clamped to [-200, 200] (beyond, the float32
// result is -0 / 1); e S = 1 - S is formed before the last product so it cannot underflow.
template <class D> inline D swish_d(D x, double beta) {
  const D v = min_(max_(D(beta) * x, D(-200.0)), D(200.0));
  const D e = exp_(-v);
  const D S = D(1.0) / (D(1.0) + e);
  return half_plus(v, S + v * (e * S) * S, 0.5, -1.0 / 12, 1.0 / 80);
}

// gelu x Phi(x): Phi(x) = x < 0 ? q : 1 - q, q = Phi(-|x|); x is clamped at -21 (below -14.4
// the float32 result is -0) and |x| at 21 (Phi(x) = 1 in double; for gelu', dy gelu'(-21)
// underflows even for the largest dy).
template <class D> inline D gelu(D x) {
  const D xc = max_(x, D(-kGeluAMax));
  const Tail<D> tl = normal_tail(min_(abs_(xc), D(kGeluAMax)));
  const D q = tl.e * tl.tg;
  return half_x_near_0(x, xc * sel(xc < D(0.0), q, D(1.0) - q), x, kInvSqrt2Pi, -kInvSqrt2Pi / 6, kInvSqrt2Pi / 40);
}
// Phi(x) + x phi(x) = x < 0 ? h : 1 - h, h = Phi(-a) - a phi(a) = e^{-a^2/2} (t G - a/sqrt(2 pi)).
template <class D> inline D gelu_d(D x) {
  const D a = min_(abs_(x), D(kGeluAMax));
  const Tail<D> tl = normal_tail(a);
  const D h = tl.e * (tl.tg - a * D(kInvSqrt2Pi));
  return half_plus_c(x, sel(x < D(0.0), h, D(1.0) - h), -0x1.1058377e2cee0p-2, 0x1.ea3863e31dac7p-5);
}

// The tanh form: 0.5 x (1 + tanh(u)) = x / (1 + e^{-2u}), 2u = sqrt(8/pi) x (1 + 0.044715 x^2);
// x clamped to [-32, 32] where 2u is far past saturation (the result at -32 is -0).
constexpr double kGeluTanhCubic = 0.044715;
// x sigma(v), v = k (x + a x^3), k = sqrt(8/pi), a = kGeluTanhCubic, near 0: x/2 + k/4 x^2 +
// (k a/4 - k^3/48) x^4 + (k^5/480 - k^3 a/16) x^6 + ...
constexpr double kGeluTanhK = kSqrt8OverPi, kGeluTanhC2 = kGeluTanhK / 4,
                 kGeluTanhC4 = kGeluTanhK * kGeluTanhCubic / 4 - kGeluTanhK * kGeluTanhK * kGeluTanhK / 48,
                 kGeluTanhC6 = kGeluTanhK * kGeluTanhK * kGeluTanhK * kGeluTanhK * kGeluTanhK / 480 - kGeluTanhK * kGeluTanhK * kGeluTanhK * kGeluTanhCubic / 16;
template <class D> inline D gelu_tanh(D x) {
  const D xc = max_(x, D(-32.0));
  const D xs = min_(xc, D(32.0));
  const D v = D(kSqrt8OverPi) * xs * (D(1.0) + D(kGeluTanhCubic) * (xs * xs));
  return half_x_near_0(x, xc / (D(1.0) + exp_(-v)), x, kGeluTanhC2, kGeluTanhC4, kGeluTanhC6);
}
// S + x v' (e S) S, S = sigma(v), v' = sqrt(8/pi) (1 + 3 0.044715 x^2).
template <class D> inline D gelu_tanh_d(D x) {
  const D xc = min_(max_(x, D(-32.0)), D(32.0));
  const D x2 = xc * xc;
  const D v = D(kSqrt8OverPi) * xc * (D(1.0) + D(kGeluTanhCubic) * x2);
  const D dv = D(kSqrt8OverPi) * (D(1.0) + D(3.0 * kGeluTanhCubic) * x2);
  const D e = exp_(-v);
  const D S = D(1.0) / (D(1.0) + e);
  return half_plus_c(x, S + xc * dv * (e * S) * S, -0x1.11b14cd36944fp-2, 0x1.f56d4b9ad2179p-5);
}

// softplus (max(v, 0) + log1p(e^{-|v|})) / beta, v = beta x: never overflows, and x where
// v > threshold (PyTorch's rule; threshold = inf gives ONNX's log(e^x + 1)).
template <class D> inline D softplus(D x, double beta, double threshold) {
  const D v = D(beta) * x;
  const D y = (max_(v, D(0.0)) + log1p_unit(exp_(-abs_(v)))) / D(beta);
  return sel(v > D(threshold), x, y);
}
template <class D> inline D softplus_d(D x, double beta, double threshold) {
  const D v = D(beta) * x;
  return sel(v > D(threshold), D(1.0), sm::sigmoid(v));
}

// mish x tanh(softplus(x)) = x n / (n + 2), n = e^x (e^x + 2) (tanh(log(1 + e^x)) exactly);
// x clamped to [-200, 30] inside (below: the result is -0; above: the ratio is 1 in double).
template <class D> inline D mish(D x) {
  const D xc = max_(x, D(-200.0));
  const D e = exp_(min_(xc, D(30.0)));
  const D n = e * (e + D(2.0));
  return xc * (n / (n + D(2.0)));
}
// t + x sigma(x)(1 - t^2) = n/(n+2) + 4x e (1 + e) / (n+2)^2.
template <class D> inline D mish_d(D x) {
  const D xc = min_(max_(x, D(-200.0)), D(30.0));
  const D e = exp_(xc);
  const D n = e * (e + D(2.0));
  const D m = n + D(2.0);
  return n / m + D(4.0) * xc * e * (D(1.0) + e) / (m * m);
}

// elu / celu / selu on the negative side: scale (e^{x inv} - 1), and scale e^{x inv}.
template <class D> inline D elu_neg(D x, double scale, double inv) { return D(scale) * expm1_(x * D(inv)); }
template <class D> inline D elu_neg_d(D x, double scale, double inv) {
  const D u = x * D(inv);
  return D(scale) * tilt(u, exp_(u), D(1.0), D(1.0));  // 1 + u
}

}  // namespace sm

// ---- the ops (float32 only; js/ops.js rows). Each declares Params (doubles, as JS passes them)
// and f(x, p), df(x, p) over any lane type; `smooth` gives the drivers' scalar and simd forms:
// promote to double, evaluate, round once. NaN inputs come out quieted with sign and payload
// kept (dy's first in a backward pass, as dy * f'(x) on x86); a NaN made from non-NaN inputs
// (inf * 0 in a backward pass) is the canonical +NaN 0x7fc00000 on every CPU.
inline float quiet(float x) { return __builtin_bit_cast(float, __builtin_bit_cast(uint32_t, x) | 0x00400000u); }

// Which of M's kernels run two vectors at a time as one lane type (fast.h X2), each operation on
// both before the next: the long ones, whose one vector's chain of dependent operations left
// the core idle. Measured, A/B at 2^16: fast gelu 2x, gelu' 1.5x, silu' 1.12x, celu' 1.2x;
// fast elu, selu, tanh' no faster, elu' and sigmoid' slower. The exact tier's forward silu (and
// swish) 1.1-1.2x (the two f64 halves of a vector as one X2); its gelu 1.2-1.4x, but its
// kernels, out of line (the gated ops call them too), would grow the whole build 11 KB.
enum : unsigned { kPairsForward = 1, kPairsBackward = 2 };
template <class M> constexpr unsigned fast_pairs = [] {
  if constexpr (requires { M::fast_pairs; }) return unsigned(M::fast_pairs);
  else return 0u;
}();
template <class M> constexpr bool exact_pairs = [] {
  if constexpr (requires { M::exact_pairs; }) return bool(M::exact_pairs);
  else return false;
}();
// One struct per op, for both directions: the forward (map) kernel calls scalar(x, p) /
// simd(x, p), the backward (map2) kernel scalar(dy, x, p) / simd(dy, x, p) = dy f'(x).
// Whether M has the fast tier's float32 kernels (ff, fdf; fast.h).
template <class M> concept has_fast = requires(float x, const typename M::Params& p) { M::ff(x, p); };
template <class M> concept has_fast_d = requires(float x, const typename M::Params& p) { M::fdf(x, p); };
template <class M, class T> struct smooth : M {
  // float32 rounds the double once. The 16-bit formats run this same loop (drivers.h) with
  // `odd` set: the double rounded to odd, which they round again to the format, correctly.
  struct Params : M::Params {
    bool odd = false;
    template <class... A> Params(A... a) : M::Params{a...} {}
  };
  using P = Params;
  static constexpr size_t unroll = 1;
  // precision: 'fast' (js/ops.js): the float32 tier (fast.h), Fast's loop, for the calls
  // whose function has one (fast_for); the 16-bit formats use it at both precisions where
  // it decides their rounding (drivers.h).
  struct Fast;
  static constexpr bool fast_kernels = has_fast<M>;
  static constexpr bool fast_kernels2 = has_fast_d<M>;  // (for the map2 loop: f', the backward pass)
  // derivative: for f' (a backward pass) rather than f. fast_for2: for the map2 loop, which
  // runs a backward pass here and the forward op of the gated kinds (gated: f).
  static bool fast_for(const P& p, bool derivative = false) {
    if constexpr (requires { M::fast_form(p, derivative); }) return M::fast_form(p, derivative);
    else return fast_kernels;
  }
  static bool fast_for2(const P& p) { return fast_for(p, true); }
  static float out(double d, const P& p) { return p.odd ? hf::odd(d) : float(d); }
  static float scalar(float x, const P& p) { return x != x ? quiet(x) : out(M::f(double(x), p), p); }
  static float scalar(float dy, float x, const P& p) {
    if (dy != dy) return quiet(dy);
    if (x != x) return quiet(x);
    const float r = out(sm::mul_near(double(dy), sm::limit_at_inf(double(x), M::df(double(x), p), M::zero_at_pos_inf)), p);
    return r != r ? __builtin_bit_cast(float, 0x7fc00000u) : r;
  }
#ifdef __wasm_simd128__
  // The float lanes as two double vectors, and back (one rounding, as out(double)).
  static sm::D2 low(v128_t v) { return wasm_f64x2_promote_low_f32x4(v); }
  static sm::D2 high(v128_t v) { return wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(v, v, 1, 0)); }
  static v128_t join(sm::D2 a, sm::D2 b, const P& p) {
    if (p.odd) return wasm_i32x4_shuffle(hf::odd2(a.v), hf::odd2(b.v), 0, 1, 4, 5);
    return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(a.v), wasm_f32x4_demote_f64x2_zero(b.v), 0, 1, 4, 5);
  }
  static v128_t keep_nan(v128_t x, v128_t r) {
    return wasm_v128_bitselect(wasm_v128_or(x, wasm_i32x4_splat(0x00400000)), r, wasm_f32x4_ne(x, x));
  }
  static v128_t simd(v128_t x, const P& p) {
    if constexpr (exact_pairs<M>) {  // (the two halves as one X2 lane)
      const ff::X2<sm::D2> r = M::f(ff::X2<sm::D2>{low(x), high(x)}, p);
      return keep_nan(x, join(r.a, r.b, p));
    }
    return keep_nan(x, join(M::f(low(x), p), M::f(high(x), p), p));
  }
  static v128_t simd(v128_t dy, v128_t x, const P& p) {
    const auto d = [&](sm::D2 dy2, sm::D2 x2) { return sm::mul_near(dy2, sm::limit_at_inf(x2, M::df(x2, p), M::zero_at_pos_inf)); };
    v128_t r = join(d(low(dy), low(x)), d(high(dy), high(x)), p);
    r = wasm_v128_bitselect(wasm_i32x4_splat(0x7fc00000), r, wasm_f32x4_ne(r, r));
    return keep_nan(dy, keep_nan(x, r));
  }
#endif
};

// Every Math: zero_at_pos_inf says whether f'(+inf) is 0 (it is at -inf for all of them).
struct SigmoidMath {
  static constexpr int fast_unroll = 4;
  static constexpr bool zero_at_pos_inf = true;
  struct Params {
    double precision;
  };
  template <class D> static D f(D x, const Params&) { return sm::sigmoid(x); }
  template <class D> static D df(D x, const Params&) { return sm::sigmoid_d(x); }
  template <class F> static F ff(F x, const Params&) { return ff::sigmoid(x); }
  template <class F> static F fdf(F x, const Params&) { return ff::sigmoid_d(x); }
  // Lanes the float32 path leaves to the exact tier (each Math says): here f' past |x| = 80,
  // where it nears float32's underflow and dy f' would lose its bits (or be inf 0).
  // and sigma itself below -87, where its float32 path's 2^k would leave the normal range.
  template <class F> static auto hard(F x, const Params&, bool backward) { return backward ? F(80.0f) < ff::abs_(x) : x < F(-87.0f); }
};
template <class T> struct sigmoid : smooth<SigmoidMath, T> {};

struct TanhMath {
  static constexpr int fast_unroll = 2;
  static constexpr bool zero_at_pos_inf = true;
  struct Params {
    double precision;
  };
  template <class D> static D f(D x, const Params&) { return sm::tanh_(x); }
  template <class D> static D df(D x, const Params&) { return sm::tanh_d(x); }
  template <class F> static F ff(F x, const Params&) { return ff::tanh_(x); }
  template <class F> static F fdf(F x, const Params&) { return ff::tanh_d(x); }
  template <class F> static auto hard(F x, const Params&, bool backward) { return F(backward ? 40.0f : __builtin_inff()) < ff::abs_(x); }
};
template <class T> struct tanh_ : smooth<TanhMath, T> {};

struct SoftsignMath {
  static constexpr bool zero_at_pos_inf = true;
  struct Params {
    double precision;
  };
  template <class D> static D f(D x, const Params&) { return sm::softsign(x); }
  template <class D> static D df(D x, const Params&) { return sm::softsign_d(x); }
};
template <class T> struct softsign : smooth<SoftsignMath, T> {};

struct SwishMath {  // silu is swish with beta = 1
  static constexpr bool exact_pairs = true;  // (forward)
  static constexpr unsigned fast_pairs = kPairsBackward;
  static constexpr bool zero_at_pos_inf = false;
  struct Params {
    double beta, lim, precision;
    Params(double beta_, double prec) : beta(beta_), lim(beta_ < 1 ? 200 / beta_ : 200), precision(prec) {}
    explicit Params(double prec) : Params(1.0, prec) {}  // silu
  };
  template <class D> static D f(D x, const Params& p) { return sm::swish(x, p.beta, p.lim); }
  template <class D> static D df(D x, const Params& p) { return sm::swish_d(x, p.beta); }
  // Past its maximum (beta x = 2.4) f' falls to 1 from above: beyond this x a double f' of 1 is
  // a value the rest of which was lost (gated_backward).
  static double saturated(const Params& p) { return 4 / p.beta; }
  // The fast tier's kernels are silu's, for beta = 1: with beta's product split (beta's float32
  // rounding would cost |v| 2^-24 relative in e^-v) a float32 path for other betas measured
  // slower than the exact one (bench/results/fast-tier.md): precision 'fast' runs those exact.
  static bool fast_form(const Params& p, bool) { return p.beta == 1; }
  template <class F, class Q> static F ff(F x, const Q&) { return ff::silu(x); }
  template <class F, class Q> static F fdf(F x, const Q&) { return ff::silu_d(x); }
  template <class F, class Q> static auto hard(F x, const Q&, bool backward) {
    if (!backward) return x < F(-87.0f);
    return (F(-1.5f) < x && x < F(-1.05f)) || x < F(-80.0f);
  }
};
template <class T> struct swish : smooth<SwishMath, T> {};
// silu is swish's kernels and loops themselves (its one parameter, precision: beta = 1): loops of
// its own were copies of swish's, which the linker merged while they were identical.
template <class T> using silu = swish<T>;

struct GeluMath {
  static constexpr bool zero_at_pos_inf = false;
  struct Params {
    double approximate;  // the index of js/ops.js's choice: 0 'none' (erf), 1 'tanh'
    double precision;
  };
  template <class D> static D f(D x, const Params& p) { return p.approximate != 0 ? sm::gelu_tanh(x) : sm::gelu(x); }
  template <class D> static D df(D x, const Params& p) { return p.approximate != 0 ? sm::gelu_tanh_d(x) : sm::gelu_d(x); }
  static double saturated(const Params&) { return 4; }  // (as SwishMath's: both forms' maxima are near 1.4)
  // Both forms forward; backward, the erf form only, so far (the tanh form's runs the exact tier's).
  static bool fast_form(const Params& p, bool derivative) { return p.approximate == 0 || !derivative; }
  static constexpr unsigned fast_pairs = kPairsForward | kPairsBackward;
  template <class F> static F ff(F x, const Params& p) { return p.approximate != 0 ? ff::gelu_tanh(x) : ff::gelu(x); }
  template <class F> static F fdf(F x, const Params&) { return ff::gelu_d(x); }
  // (erf form, forward: the exhaustive sweep found one input 3 ulp off, x = -1.8608488, whose
  // x e R's three roundings line up; the band around it is the exact tier's)
  template <class F> static auto hard(F x, const Params& p, bool backward) {
    if (p.approximate != 0) return x < F(-9.9f);  // (forward only)
    return (x < F(-12.5f) && ff::mask_of(x, backward)) || (F(-1.87f) < x && x < F(-1.85f) && ff::mask_of(x, !backward));
  }
};
template <class T> struct gelu : smooth<GeluMath, T> {};

struct SoftplusMath {
  static constexpr bool zero_at_pos_inf = false;
  struct Params {
    double beta, threshold, precision;
    // (the float32 form, beta = 1: x where x > above; past 2^100, x + log1p(e^-x) is x in
    // float32 whatever the threshold, and x = inf must not reach the pair sums)
    float above;
    Params(double b, double t, double prec) : beta(b), threshold(t), precision(prec), above(ff::min_(ff::float_at_or_below(t), 0x1p100f)) {}
  };
  template <class D> static D f(D x, const Params& p) { return sm::softplus(x, p.beta, p.threshold); }
  template <class D> static D df(D x, const Params& p) { return sm::softplus_d(x, p.beta, p.threshold); }
  // beta = 1, forward, so far (beta x would have to be carried as a pair, as swish's; the
  // backward pass is sigma's, already cheap in double).
  static bool fast_form(const Params& p, bool derivative) { return p.beta == 1 && !derivative; }
  template <class F> static F ff(F x, const Params& p) { return ff::sel(F(p.above) < x, x, ff::softplus(x)); }
  template <class F> static auto hard(F x, const Params&, bool) { return x < F(-87.0f); }
};
template <class T> struct softplus : smooth<SoftplusMath, T> {};

struct MishMath {
  static constexpr bool zero_at_pos_inf = false;
  struct Params {
    double precision;
  };
  template <class D> static D f(D x, const Params&) { return sm::mish(x); }
  template <class D> static D df(D x, const Params&) { return sm::mish_d(x); }
};
template <class T> struct mish : smooth<MishMath, T> {};

// elu, celu and selu: gamma (x > 0 ? x : alpha (e^{x/div} - 1)), with (gamma, div) = (1, 1),
// (1, alpha) and (gamma, 1). Only selu scales x: gamma x is an exact product rounded to odd.
template <bool Scaled, class D> inline D elu_like(D x, double gamma, double ga, double inv) {
  if constexpr (Scaled) return sm::sel(x > D(0.0), sm::mul_odd(x, D(gamma)), sm::elu_neg(x, ga, inv));
  else return sm::sel(x > D(0.0), x, sm::elu_neg(x, ga, inv));
}
template <class D> inline D elu_like_d(D x, double gamma, double ga, double inv) {
  return sm::sel(x > D(0.0), D(gamma), sm::elu_neg_d(x, ga * inv, inv));
}
struct EluMath {
  static constexpr bool zero_at_pos_inf = false;
  struct Params {
    double alpha, precision;
  };
  template <class D> static D f(D x, const Params& p) { return elu_like<false>(x, 1.0, p.alpha, 1.0); }
  template <class D> static D df(D x, const Params& p) { return elu_like_d(x, 1.0, p.alpha, 1.0); }
  template <class F> static F ff(F x, const Params& p) { return ff::sel(F(0.0f) < x, x, ff::scaled_expm1(x, x, F(0.0f), ff::Split(p.alpha))); }
  template <class F> static F fdf(F x, const Params& p) { return ff::sel(F(0.0f) < x, F(1.0f), ff::scaled_exp(x, ff::Split(p.alpha))); }
  template <class F> static auto hard(F x, const Params& p, bool backward) {
    return ff::mask_of(x, !ff::tame(p.alpha)) || (x < F(ff::tail_below(p.alpha)) && ff::mask_of(x, backward));
  }
};
template <class T> struct elu : smooth<EluMath, T> {};

struct CeluMath {
  static constexpr unsigned fast_pairs = kPairsBackward;
  static constexpr bool zero_at_pos_inf = false;
  struct Params {
    double alpha, inv, precision;
    Params(double a, double prec) : alpha(a), inv(1 / a), precision(prec) {}
  };
  template <class D> static D f(D x, const Params& p) { return elu_like<false>(x, 1.0, p.alpha, p.inv); }
  template <class D> static D df(D x, const Params& p) { return elu_like_d(x, 1.0, p.alpha, p.inv); }
  // x / alpha as a pair: its rounding would cost |x / alpha| 2^-24 relative in e^(x/alpha).
  // (Forward, x times 1/alpha's two halves: no division.)
  template <class F> static F ff(F x, const Params& p) {
    const ff::Pair<F> u = ff::mul_dd(ff::max_(x, F(-0x1p100f)), ff::Split(p.inv));
    return ff::sel(F(0.0f) < x, x, ff::scaled_expm1<F, true>(x, u.h, u.l, ff::Split(p.alpha)));
  }
  template <class F> static F fdf(F x, const Params& p) {
    const ff::Pair<F> u = ff::div_dd(ff::max_(x, F(-0x1p100f)), ff::Split(p.alpha));
    return ff::sel(F(0.0f) < x, F(1.0f), ff::scaled_exp(u.h, ff::Split(1.0), u.l));
  }
  template <class F> static auto hard(F x, const Params& p, bool backward) {
    return ff::mask_of(x, !ff::tame(p.alpha)) || (x < F(float(-80 * p.alpha)) && ff::mask_of(x, backward));
  }
};
template <class T> struct celu : smooth<CeluMath, T> {};

struct SeluMath {
  static constexpr bool zero_at_pos_inf = false;
  struct Params {
    double alpha, gamma, precision;
  };
  template <class D> static D f(D x, const Params& p) { return elu_like<true>(x, p.gamma, p.gamma * p.alpha, 1.0); }
  template <class D> static D df(D x, const Params& p) { return elu_like_d(x, p.gamma, p.gamma * p.alpha, 1.0); }
  template <class F> static F ff(F x, const Params& p) {
    const ff::Split g(p.gamma);
    return ff::sel(F(0.0f) < x, x * F(g.hi) + ff::min_(x, F(0x1p127f)) * F(g.lo), ff::scaled_expm1(x, x, F(0.0f), ff::Split(p.gamma * p.alpha)));
  }
  template <class F> static F fdf(F x, const Params& p) {
    return ff::sel(F(0.0f) < x, F(float(p.gamma)), ff::scaled_exp(x, ff::Split(p.gamma * p.alpha)));
  }
  template <class F> static auto hard(F x, const Params& p, bool backward) {
    const double ga = p.gamma * p.alpha;
    // (and gamma x past 2^126, where gamma_hi x could overflow before the low part is added;
    // f'(±0) = gamma alpha, which dy times float32's rounding of it would round twice)
    return ff::mask_of(x, !ff::tame(p.gamma) || !ff::tame(ga)) || ((x < F(ff::tail_below(ga)) || x == F(0.0f)) && ff::mask_of(x, backward)) ||
           (F(0x1p126f) < x && ff::mask_of(x, !backward));
  }
};
template <class T> struct selu : smooth<SeluMath, T> {};


// ---- the fast tier (precision: 'fast', float32 only): M's ff / fdf in float32 lanes
// (fast.h), and where M::hard says a lane is beyond them, the exact value, lane by lane.
template <class M> concept has_hard = requires(float x, const typename M::Params& p) { M::hard(x, p, false); };
template <class M, class F> inline auto hard_lanes(F x, const typename M::Params& p, bool backward) {
  if constexpr (has_hard<M>) return M::hard(x, p, backward);
  else return x < F(-__builtin_inff());  // none
}
// Vectors in flight in a fast forward loop: M's fast_unroll (sigmoid's and tanh's short kernels,
// one e^x and one division, whose chain of dependent operations leaves the core idle with one:
// measured; for the others 2 measured no faster, and the build has no room for it), else 1.
// Those loops also test each block for exact-tier lanes first (any_hard below).
template <class M> constexpr size_t fast_unroll = [] {
  if constexpr (requires { M::fast_unroll; }) return size_t(M::fast_unroll);
  else return size_t(1);
}();
#ifdef __wasm_simd128__
#define TAIL_ONLY __attribute__((noinline))
#else
#define TAIL_ONLY
#endif
template <class M, class T> struct smooth<M, T>::Fast {
  using Params = smooth::Params;
  static constexpr size_t unroll = fast_unroll<M>, unroll2 = 1;
  static float limit(float x, float d) {
    return x == -__builtin_inff() || (M::zero_at_pos_inf && x == __builtin_inff()) ? d * 0.0f : d;
  }
  // (Out of line in the SIMD build, where only tails and blocks with an exact-tier lane use it.)
  TAIL_ONLY static float scalar(float x, const P& p) {
    if (x != x) return quiet(x);
    if (hard_lanes<M>(x, p, false)) return smooth::scalar(x, p);
    return M::ff(x, p);
  }
  TAIL_ONLY static float scalar(float dy, float x, const P& p) {
    if (dy != dy) return quiet(dy);
    if (x != x) return quiet(x);
    if (hard_lanes<M>(x, p, true)) return smooth::scalar(dy, x, p);
    const float r = dy * limit(x, M::fdf(x, p));
    return r != r ? __builtin_bit_cast(float, 0x7fc00000u) : r;
  }
#ifdef __wasm_simd128__
  // The exact tier's lanes h of a vector, out of line and lane by lane (its scalar form, the
  // same bits): the exact vector kernel keeps one caller, its own loop, which inlines it.
  // (pure: it writes no memory its caller sees.)
  __attribute__((noinline, pure)) static v128_t exact_lanes(v128_t x, v128_t r, v128_t h, const P& p) {
    alignas(16) float xs[4], rs[4];
    alignas(16) int32_t hs[4];
    wasm_v128_store(xs, x), wasm_v128_store(rs, r), wasm_v128_store(hs, h);
    _Pragma("clang loop unroll(disable)") for (int i = 0; i < 4; ++i)
      if (hs[i]) rs[i] = smooth::scalar(xs[i], p);
    return wasm_v128_load(rs);
  }
  __attribute__((noinline, pure)) static v128_t exact_lanes(v128_t dy, v128_t x, v128_t r, v128_t h, const P& p) {
    alignas(16) float ds[4], xs[4], rs[4];
    alignas(16) int32_t hs[4];
    wasm_v128_store(ds, dy), wasm_v128_store(xs, x), wasm_v128_store(rs, r), wasm_v128_store(hs, h);
    _Pragma("clang loop unroll(disable)") for (int i = 0; i < 4; ++i)
      if (hs[i]) rs[i] = smooth::scalar(ds[i], xs[i], p);
    return wasm_v128_load(rs);
  }
  // The forward loop's two halves for the short kernels (drivers.h map_loop): whether any of m
  // elements (whole vectors) is a lane the float32 path leaves to the exact tier, and the
  // vector kernel for vectors with none. (For the long ones the test per vector costs less than
  // the pass over each block: measured.)
  static bool any_hard(const float* x, size_t m, const P& p)
    requires(fast_unroll<M> > 1) {
    v128_t h = wasm_i32x4_splat(0);
    for (size_t i = 0; i < m; i += 4) h = wasm_v128_or(h, hard_lanes<M>(ff::F4(wasm_v128_load(x + i)), p, false).v);
    return wasm_v128_any_true(h);
  }
  static v128_t clear_simd(v128_t x, const P& p)
    requires(fast_unroll<M> > 1) { return smooth::keep_nan(x, M::ff(ff::F4(x), p).v); }
  // A vector's kernel result r, f(x) or f'(x), completed: the exact tier's lanes, NaNs, dy f'.
  static v128_t finish(v128_t x, v128_t r, const P& p) {
    const ff::M4 h = hard_lanes<M>(ff::F4(x), p, false);
    if (ff::any(h)) r = exact_lanes(x, r, h.v, p);
    return smooth::keep_nan(x, r);
  }
  static v128_t finish(v128_t dy, v128_t x, v128_t d, const P& p) {
    const v128_t inf = wasm_f32x4_splat(__builtin_inff());
    const v128_t at_inf = M::zero_at_pos_inf ? wasm_f32x4_eq(wasm_f32x4_abs(x), inf) : wasm_f32x4_eq(x, wasm_f32x4_neg(inf));
    d = wasm_v128_bitselect(wasm_f32x4_mul(d, wasm_f32x4_splat(0.0f)), d, at_inf);
    v128_t r = wasm_f32x4_mul(dy, d);
    r = wasm_v128_bitselect(wasm_i32x4_splat(0x7fc00000), r, wasm_f32x4_ne(r, r));
    const ff::M4 h = hard_lanes<M>(ff::F4(x), p, true);
    if (ff::any(h)) r = exact_lanes(dy, x, r, h.v, p);
    return smooth::keep_nan(dy, smooth::keep_nan(x, r));
  }
  static v128_t simd(v128_t x, const P& p) { return finish(x, M::ff(ff::F4(x), p).v, p); }
  static v128_t simd(v128_t dy, v128_t x, const P& p) { return finish(dy, x, M::fdf(ff::F4(x), p).v, p); }
  // Two vectors at once (fast_pairs).
  static ff::F8 simd2(ff::F8 x, const P& p)
    requires(bool(fast_pairs<M> & kPairsForward)) {
    const ff::F8 r = M::ff(x, p);
    return {finish(x.a.v, r.a.v, p), finish(x.b.v, r.b.v, p)};
  }
  static ff::F8 simd2(ff::F8 dy, ff::F8 x, const P& p)
    requires(bool(fast_pairs<M> & kPairsBackward)) {
    const ff::F8 d = M::fdf(x, p);
    return {finish(dy.a.v, x.a.v, d.a.v, p), finish(dy.b.v, x.b.v, d.b.v, p)};
  }
#endif
};

// ---- gated ops (js/ops.js kind 'gated', run by the map2 loop): f(gate) up for M's f, the
// product rounded once (exact tier: the double f times up rounded to odd, then to the format,
// as a backward pass rounds dy f'(x)). M's f is 0 at -inf (swish, gelu, sigmoid): there
// exactly, so that up = inf gives inf 0. NaNs: gate's first, then up's (f(gate) up on x86);
// a NaN made of inf times a zero f is the canonical 0x7fc00000.
template <class M, class T> struct gated : smooth<M, T> {
  using S = smooth<M, T>;
  using Params = typename S::Params;
  using P = Params;
  struct Fast;
  static bool fast_for2(const P& p) { return S::fast_for(p); }  // (f, in the map2 loop)
  static constexpr bool fast_kernels2 = S::fast_kernels;
  // f(g) in double, exactly 0 at -inf; where it saturated to g itself (x Phi(x) = x in double
  // from x ~ 8.3: the rest lost below half an ulp) one double ulp toward 0, the way the real
  // value lies, so that up g, a float32 midpoint for up = 3.5, rounds as up f(g) does.
  // (Each fix-up only where a lane needs it: together they cost as much as f.)
  template <class D> static D f(D g, const P& p) {
    D v = M::f(g, p);
    const auto neg_inf = g == D(-__builtin_inf());
    if (sm::any(neg_inf)) v = sm::sel(neg_inf, v * D(0.0), v);
    const auto sat = v == g && D(0.0) < g;
    if (sm::any(sat)) v = sm::sel(sat && g < D(__builtin_inf()), -sm::nudge_up(-v), v);
    return v;
  }
  static float scalar(float g, float up, const P& p) {
    if (g != g) return quiet(g);
    if (up != up) return quiet(up);
    const float r = S::out(sm::mul_near(double(up), f(double(g), p)), p);
    return r != r ? __builtin_bit_cast(float, 0x7fc00000u) : r;
  }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t g, v128_t up, const P& p) {
    const auto d = [&](sm::D2 g2, sm::D2 u2) { return sm::mul_near(u2, f(g2, p)); };
    v128_t r = S::join(d(S::low(g), S::low(up)), d(S::high(g), S::high(up)), p);
    r = wasm_v128_bitselect(wasm_i32x4_splat(0x7fc00000), r, wasm_f32x4_ne(r, r));
    return S::keep_nan(g, S::keep_nan(up, r));
  }
#endif
};
// The fast tier: up times M's float32 f, one float32 rounding. The lanes left to the exact
// tier are the forward's, gate < -12.5 and |gate| < 2^-100: where f can near float32's
// underflow (gelu's from -13.2, silu's and sigmoid's from -83; f(x) ~ x/2 near 0) and up f
// would lose its bits.
template <class M, class T> struct gated<M, T>::Fast {
  using Params = gated::Params;
  static constexpr size_t unroll = 1;
  template <class F> static auto hard(F g, const P& p) {
    return hard_lanes<M>(g, p, false) || g < F(-12.5f) || ff::abs_(g) < F(0x1p-100f);
  }
  static float scalar(float g, float up, const P& p) {
    if (g != g) return quiet(g);
    if (up != up) return quiet(up);
    if (hard(g, p)) return gated::scalar(g, up, p);
    const float f = M::ff(g, p);
    const float r = up * (g == -__builtin_inff() ? f * 0.0f : f);
    return r != r ? __builtin_bit_cast(float, 0x7fc00000u) : r;
  }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t g, v128_t up, const P& p) { return finish(g, up, M::ff(ff::F4(g), p).v, p); }
  static ff::F8 simd2(ff::F8 g, ff::F8 up, const P& p)
    requires(bool(fast_pairs<M> & kPairsForward)) {
    const ff::F8 f = M::ff(g, p);
    return {finish(g.a.v, up.a.v, f.a.v, p), finish(g.b.v, up.b.v, f.b.v, p)};
  }
  static v128_t finish(v128_t g, v128_t up, v128_t f, const P& p) {
    f = wasm_v128_bitselect(wasm_f32x4_mul(f, wasm_f32x4_splat(0.0f)), f, wasm_f32x4_eq(g, wasm_f32x4_splat(-__builtin_inff())));
    v128_t r = wasm_f32x4_mul(up, f);
    r = wasm_v128_bitselect(wasm_i32x4_splat(0x7fc00000), r, wasm_f32x4_ne(r, r));
    const ff::M4 h = hard(ff::F4(g), p);
    if (ff::any(h)) r = wasm_v128_bitselect(gated::simd(g, up, p), r, h.v);
    return S::keep_nan(g, S::keep_nan(up, r));
  }
#endif
};

// ---- gated backward passes (js/ops.js kind gated2): dgate = dy·up·f'(gate) and dup =
// dy·f(gate), each the real value rounded once. dup is the forward op's own product with dy
// for up (drivers.h runs its loop: Forward), dy's NaN then put first; dgate is here: dy·up is
// exact in double (two float32s), its product with f'(gate) exact (both split) and rounded to
// odd, then to the format. NaNs: dy's first, then gate's, then up's; a NaN made of inf·0 is the
// canonical 0x7fc00000. Both precisions run these (no float32 tier yet: within the exact
// tier's bound).
template <class M, class T> struct gated_backward : gated<M, T> {
  using Forward = gated<M, T>;
  using S = smooth<M, T>;
  using P = typename Forward::Params;
  struct Fast;
  static bool fast_for2(const P& p) { return S::fast_for(p) && S::fast_for(p, true); }  // (f and f')
  static constexpr bool fast_kernels2 = has_fast<M> && has_fast_d<M>;
  // f'(gate) with limits; where it saturated to 1 (gelu', swish' past their maxima, M::saturated:
  // the rest, above 1, lost below half a double ulp) one double ulp up, the way the real value
  // lies: dy·up is no float32 (it has up to 48 bits), so dy·up·1 can be a float32 midpoint
  // that only the lost part decides (dy = -0.001, up = -0.75 misrounded thousands of gates).
  template <class D> static D df(D g, const P& p) {
    D d = sm::limit_at_inf(g, M::df(g, p), M::zero_at_pos_inf);
    if constexpr (requires { M::saturated(p); }) {
      const auto sat = d == D(1.0) && D(M::saturated(p)) < g && g < D(__builtin_inf());
      if (sm::any(sat)) d = sm::sel(sat, sm::nudge_up(d), d);
    }
    return d;
  }
  static float dgate(float dy, float g, float u, const P& p) {
    if (dy != dy) return quiet(dy);
    if (g != g) return quiet(g);
    if (u != u) return quiet(u);
    const float r = S::out(sm::mul_near_wide(double(dy) * double(u), df(double(g), p)), p);
    return r != r ? __builtin_bit_cast(float, 0x7fc00000u) : r;
  }
#ifdef __wasm_simd128__
  static v128_t dgate(v128_t dy, v128_t g, v128_t u, const P& p) {
    const auto d = [&](sm::D2 dy2, sm::D2 g2, sm::D2 u2) {
      return sm::mul_near_wide(dy2 * u2, df(g2, p));
    };
    v128_t r = S::join(d(S::low(dy), S::low(g), S::low(u)), d(S::high(dy), S::high(g), S::high(u)), p);
    r = wasm_v128_bitselect(wasm_i32x4_splat(0x7fc00000), r, wasm_f32x4_ne(r, r));
    return S::keep_nan(dy, S::keep_nan(g, S::keep_nan(u, r)));
  }
#endif
};
// dgate's fast tier (precision 'fast', where M has float32 kernels): dy·up in float32 times M's
// float32 f', one more rounding: within 8 ulp (0.5 ulp of dy·up, f' within 3.5 of its own, the
// product's rounding, counted in ulps of the result's binade: js/ops.js PRECISION_ULPS). Left to
// the exact kernel: the backward fast kernel's hard lanes, and a dy·up outside float32's normal
// range (an overflow that f' might bring back, a subnormal's lost bits). dup is the gated op's
// own fast loop (drivers.h).
template <class M, class T> struct gated_backward<M, T>::Fast {
  using Params = P;
  static constexpr uint32_t kCanonical = 0x7fc00000u;
  static float dgate(float dy, float g, float u, const P& p) {
    if (dy != dy) return quiet(dy);
    if (g != g) return quiet(g);
    if (u != u) return quiet(u);
    const float t = dy * u, a = __builtin_fabsf(t);
    if (hard_lanes<M>(g, p, true) || !(a < __builtin_inff()) || (a != 0 && a < 0x1p-126f)) return gated_backward::dgate(dy, g, u, p);
    const float r = t * S::Fast::limit(g, M::fdf(g, p));
    return r != r ? __builtin_bit_cast(float, kCanonical) : r;
  }
#ifdef __wasm_simd128__
  static v128_t dgate(v128_t dy, v128_t g, v128_t u, const P& p) { return finish(dy, g, u, M::fdf(ff::F4(g), p).v, p); }
  static ff::F8 dgate2(ff::F8 dy, ff::F8 g, ff::F8 u, const P& p)
    requires(bool(fast_pairs<M> & kPairsBackward)) {
    const ff::F8 d = M::fdf(g, p);
    return {finish(dy.a.v, g.a.v, u.a.v, d.a.v, p), finish(dy.b.v, g.b.v, u.b.v, d.b.v, p)};
  }
  static v128_t finish(v128_t dy, v128_t g, v128_t u, v128_t d, const P& p) {
    const v128_t inf = wasm_f32x4_splat(__builtin_inff());
    const v128_t at_inf = M::zero_at_pos_inf ? wasm_f32x4_eq(wasm_f32x4_abs(g), inf) : wasm_f32x4_eq(g, wasm_f32x4_neg(inf));
    d = wasm_v128_bitselect(wasm_f32x4_mul(d, wasm_f32x4_splat(0.0f)), d, at_inf);
    const v128_t t = wasm_f32x4_mul(dy, u), a = wasm_f32x4_abs(t);
    v128_t r = wasm_f32x4_mul(t, d);
    r = wasm_v128_bitselect(wasm_i32x4_splat(int32_t(kCanonical)), r, wasm_f32x4_ne(r, r));
    const v128_t outside = wasm_v128_or(wasm_v128_not(wasm_f32x4_lt(a, inf)),
                                        wasm_v128_and(wasm_f32x4_ne(a, wasm_f32x4_splat(0.0f)), wasm_f32x4_lt(a, wasm_f32x4_splat(0x1p-126f))));
    const v128_t h = wasm_v128_or(hard_lanes<M>(ff::F4(g), p, true).v, outside);
    if (wasm_v128_any_true(h)) r = wasm_v128_bitselect(gated_backward::dgate(dy, g, u, p), r, h);
    return S::keep_nan(dy, S::keep_nan(g, S::keep_nan(u, r)));
  }
#endif
};
template <class T> struct swigluBackward : gated_backward<SwishMath, T> {};
template <class T> struct gegluBackward : gated_backward<GeluMath, T> {};
template <class T> struct gluBackward : gated_backward<SigmoidMath, T> {};

template <class T> struct swiglu : gated<SwishMath, T> {};
template <class T> struct geglu : gated<GeluMath, T> {};
template <class T> struct glu : gated<SigmoidMath, T> {};
