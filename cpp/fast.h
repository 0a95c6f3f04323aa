// The smooth family's fast tier (precision: 'fast'): float32 lanes, four to a vector, plain
// IEEE float32 operations only (no fma, no relaxed SIMD), so the scalar build (lane type
// float) and the SIMD build (F4) run the same operations in the same order and give the same
// bits. Each function also says which inputs its float32 path cannot hold to the bound (near
// a zero of a derivative, in a far tail): those lanes take the exact tier's value (smooth.h),
// lane by lane in both builds. The bound (2 ulp forward, 3 backward) is checked over all
// 2^32 inputs by scripts/verify.mjs.
#pragma once
#include <stdint.h>
#include <type_traits>

namespace ff {

#include "fast-coeffs.h"

inline uint32_t ubits(float x) { return __builtin_bit_cast(uint32_t, x); }
inline float fbits(uint32_t b) { return __builtin_bit_cast(float, b); }

// ---- lane types: float (bool masks) and F4 (v128 masks), with the same operations.
inline float sel(bool m, float a, float b) { return m ? a : b; }
inline float abs_(float x) { return fbits(ubits(x) & 0x7fffffffu); }
inline float with_sign(float v, float s) { return fbits((ubits(v) & 0x7fffffffu) | (ubits(s) & 0x80000000u)); }
inline float max_(float a, float b) { return a < b ? b : a; }  // f32x4.pmax
inline float min_(float a, float b) { return b < a ? b : a; }  // f32x4.pmin
inline bool any(bool m) { return m; }
// t = k + 0x1.8p23 (k an integer, |k| < 2^22): 2^(k - k/2) and 2^(k/2) (k/2 rounded down),
// both normal for k in [-150, 128], whose product is 2^k.
inline void pow2_halves(float t, float& s1, float& s2) {
  const int32_t k = int32_t(ubits(t)) - 0x4b400000;
  const int32_t h = k >> 1;
  s1 = fbits(uint32_t(k - h + 127) << 23);
  s2 = fbits(uint32_t(h + 127) << 23);
}
inline bool mask_of(float, bool b) { return b; }  // every lane b
inline float hi12(float a) { return fbits(ubits(a) & 0xfffff000u); }  // a's first 12 bits (a^2 exact)
inline float pow2(float t) { return fbits(uint32_t(int32_t(ubits(t)) - 0x4b400000 + 127) << 23); }

#ifdef __wasm_simd128__
struct F4 {
  v128_t v;
  F4() = default;
  F4(v128_t v_) : v(v_) {}
  F4(float c) : v(wasm_f32x4_splat(c)) {}
};
struct M4 {
  v128_t v;
};
inline F4 operator+(F4 a, F4 b) { return wasm_f32x4_add(a.v, b.v); }
inline F4 operator-(F4 a, F4 b) { return wasm_f32x4_sub(a.v, b.v); }
inline F4 operator*(F4 a, F4 b) { return wasm_f32x4_mul(a.v, b.v); }
inline F4 operator/(F4 a, F4 b) { return wasm_f32x4_div(a.v, b.v); }
inline F4 operator-(F4 a) { return wasm_f32x4_neg(a.v); }
inline M4 operator<(F4 a, F4 b) { return {wasm_f32x4_lt(a.v, b.v)}; }
inline M4 operator>(F4 a, F4 b) { return {wasm_f32x4_gt(a.v, b.v)}; }
inline M4 operator<=(F4 a, F4 b) { return {wasm_f32x4_le(a.v, b.v)}; }
inline M4 operator>=(F4 a, F4 b) { return {wasm_f32x4_ge(a.v, b.v)}; }
inline M4 operator==(F4 a, F4 b) { return {wasm_f32x4_eq(a.v, b.v)}; }
inline M4 operator&&(M4 a, M4 b) { return {wasm_v128_and(a.v, b.v)}; }
inline M4 operator||(M4 a, M4 b) { return {wasm_v128_or(a.v, b.v)}; }
inline F4 sel(M4 m, F4 a, F4 b) { return wasm_v128_bitselect(a.v, b.v, m.v); }
inline F4 abs_(F4 x) { return wasm_f32x4_abs(x.v); }
inline F4 with_sign(F4 v, F4 s) {
  const v128_t sign = wasm_i32x4_splat(int32_t(0x80000000u));
  return wasm_v128_or(wasm_v128_andnot(v.v, sign), wasm_v128_and(s.v, sign));
}
inline F4 max_(F4 a, F4 b) { return wasm_f32x4_pmax(a.v, b.v); }
inline F4 min_(F4 a, F4 b) { return wasm_f32x4_pmin(a.v, b.v); }
inline bool any(M4 m) { return wasm_v128_any_true(m.v); }
inline void pow2_halves(F4 t, F4& s1, F4& s2) {
  const v128_t k = wasm_i32x4_sub(t.v, wasm_i32x4_splat(0x4b400000));
  const v128_t h = wasm_i32x4_shr(k, 1);
  s1 = F4(wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_sub(k, h), wasm_i32x4_splat(127)), 23));
  s2 = F4(wasm_i32x4_shl(wasm_i32x4_add(h, wasm_i32x4_splat(127)), 23));
}
inline M4 mask_of(F4, bool b) { return {wasm_i32x4_splat(b ? -1 : 0)}; }
inline F4 hi12(F4 a) { return wasm_v128_and(a.v, wasm_i32x4_splat(int32_t(0xfffff000u))); }
inline F4 pow2(F4 t) { return F4(wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_sub(t.v, wasm_i32x4_splat(0x4b400000)), wasm_i32x4_splat(127)), 23)); }

// Two vectors as one lane type, each operation done on both before the next: a long kernel's
// two chains of dependent operations interleaved in the code, where one vector at a time left
// the core waiting on each result (a gelu vector is a chain of ~60 dependent operations).
template <class F> struct X2 {
  F a, b;
  X2() = default;
  X2(F a_, F b_) : a(a_), b(b_) {}
  X2(float c) : a(c), b(c) {}
  template <class C>
    requires(std::is_same_v<C, double> && requires { F::wide; })
  X2(C c) : a(c), b(c) {}  // (double lanes: smooth.h D2)
};
template <class F> X2(F, F) -> X2<F>;
#define X2_BIN(op) \
  template <class A> inline auto operator op(const X2<A>& x, const X2<A>& y) { return X2{x.a op y.a, x.b op y.b}; }
X2_BIN(+) X2_BIN(-) X2_BIN(*) X2_BIN(/) X2_BIN(<) X2_BIN(>) X2_BIN(<=) X2_BIN(>=) X2_BIN(==) X2_BIN(&&) X2_BIN(||)
#undef X2_BIN
template <class A> inline X2<A> operator-(const X2<A>& x) { return {-x.a, -x.b}; }
template <class M, class A> inline X2<A> sel(const X2<M>& m, const X2<A>& x, const X2<A>& y) { return {sel(m.a, x.a, y.a), sel(m.b, x.b, y.b)}; }
template <class A> inline X2<A> abs_(const X2<A>& x) { return {abs_(x.a), abs_(x.b)}; }
template <class A> inline X2<A> with_sign(const X2<A>& v, const X2<A>& s) { return {with_sign(v.a, s.a), with_sign(v.b, s.b)}; }
template <class A> inline X2<A> max_(const X2<A>& x, const X2<A>& y) { return {max_(x.a, y.a), max_(x.b, y.b)}; }
template <class A> inline X2<A> min_(const X2<A>& x, const X2<A>& y) { return {min_(x.a, y.a), min_(x.b, y.b)}; }
template <class M> inline bool any(const X2<M>& m) { return wasm_v128_any_true(wasm_v128_or(m.a.v, m.b.v)); }
template <class A> inline void pow2_halves(const X2<A>& t, X2<A>& s1, X2<A>& s2) {
  pow2_halves(t.a, s1.a, s2.a);
  pow2_halves(t.b, s1.b, s2.b);
}
template <class A> inline X2<M4> mask_of(const X2<A>& x, bool m) { return {mask_of(x.a, m), mask_of(x.b, m)}; }
template <class A> inline X2<A> hi12(const X2<A>& x) { return {hi12(x.a), hi12(x.b)}; }
template <class A> inline X2<A> pow2(const X2<A>& x) { return {pow2(x.a), pow2(x.b)}; }
using F8 = X2<F4>;
#endif

template <class F, size_t N> inline F horner(F x, const float (&c)[N]) {
  F y = F(c[0]);
  for (size_t i = 1; i < N; ++i) y = y * x + F(c[i]);
  return y;
}

// ---- e^(z + zlo), zlo a small low part. Cody-Waite: k ln2_hi is exact (ln2_hi has 16 bits,
// |k| <= 166) and so is z - k ln2_hi (Sterbenz); k is taken from z + zlo (zlo may be ~0.04:
// gelu's) and zlo summed into r exactly (TwoSum), so r stays within ln2/2; e^r - 1 = r + r^2 q(r)
// as ph + pl, the residuals of the reduction and of the last sum kept in pl.
template <class F> struct Reduced {
  F t, ph, pl;  // t = k + 0x1.8p23; e^(z + zlo) = 2^k (1 + ph + pl)
};
template <class F> inline Reduced<F> reduce(F z, F zlo) {
  const F t = (z + zlo) * F(kLog2e) + F(0x1.8p23f);
  const F k = t - F(0x1.8p23f);
  const F r0 = z - k * F(kLn2Hi), c = k * F(kLn2Lo);
  const F r1 = r0 + zlo;
  const F b = r1 - r0;
  const F e1 = (r0 - (r1 - b)) + (zlo - b);
  const F r = r1 - c;
  const F rl = ((r1 - r) - c) + e1;
  const F u = (r * r) * horner(r, kExpQ);
  const F ph = r + u;
  return {t, ph, ((r - ph) + u) + rl * (F(1.0f) + ph)};  // e^(r + rl) = (1 + p)(1 + rl)
}

// e^(z + zlo) as (h + l) s2 to ~2^-28 relative, for z in [-115, 89] (clamped: beyond, e^z is 0
// or inf in float32, even times an |x| <= 115). The scale in two halves keeps h normal: a
// result that is subnormal is rounded once, by the caller's last product with s2.
template <class F> struct Exp2 {
  F h, l, s2;
};
template <class F> inline Exp2<F> exp_dd(F z, F zlo = F(0.0f)) {
  zlo = sel(F(-104.0f) < z && z < F(89.0f), zlo, F(0.0f));  // (beyond, it is lost in the result)
  const Reduced<F> e = reduce(min_(max_(z, F(-115.0f)), F(89.0f)), zlo);
  F s1, s2;
  pow2_halves(e.t, s1, s2);
  const F sp = s1 * e.ph;
  const F h = s1 + sp;
  return {h, ((s1 - h) + sp) + s1 * e.pl, s2};
}

// Parameters the float32 path takes: |s| in [2^-60, 2^60] (beyond, every lane is the exact
// tier's: a scale's float32 halves would be subnormal or its products overflow).
inline bool tame(double s) { return (s < 0 ? -s : s) >= 0x1p-60 && (s < 0 ? -s : s) <= 0x1p60; }
// x below which s e^x < 2^-100: a backward pass's f' there is left to the exact tier, whose
// double keeps dy f' right for every dy (±inf included) where float32's f' would underflow.
inline float tail_below(double s) {
  const int e = int((__builtin_bit_cast(uint64_t, s) >> 52) & 0x7ff) - 1023;  // |s| < 2^(e+1)
  return float(-(100 + e + 1) * 0.6931471805599453);
}
struct Split {  // a double parameter as float hi + lo, and hi's two halves (div_dd's exact products)
  float hi, lo, h, l;
  Split() = default;
  constexpr explicit Split(double d) : hi(float(d)), lo(float(d - double(float(d)))), h(0), l(0) {
    const float c = hi * 4097.0f;
    h = c - (c - hi), l = hi - h;
  }
};

// ---- sigma(v), sigma'(v) and silu'(v) from e = e^-|v|: d = 1 + e as dh + dl,
// each quotient corrected for the residuals: no overflow, no cancellation, about 1 ulp.
template <class F> struct Sig {
  F q, c;  // sigma(v) = q + c
  Exp2<F> e;
  F E, El, d, dl;  // e = E + El, 1 + e = d + dl (normal range: |v| < 80)
};
// (Lo: v = vh + vl, the low part kept in e's reduction.)
template <class F, bool Lo = false> inline Sig<F> sig(F vh, F vl = F(0.0f)) {
  const F a = abs_(vh);
  const Exp2<F> e = Lo ? exp_dd(-a, sel(vh < F(0.0f), vl, -vl)) : exp_dd(-a);
  const F E = e.h * e.s2, El = e.l * e.s2;
  const F d = F(1.0f) + E;
  const F dl = ((F(1.0f) - d) + E) + El;
  const F n = sel(vh < F(0.0f), E, F(1.0f)), nl = sel(vh < F(0.0f), El, F(0.0f));
  const F q = n / d;
  // 1/d is q (v >= 0) or 1 - q (v < 0: sigma(v) + sigma(-v) = 1), to the accuracy a
  // correction needs: no second division.
  return {q, (nl - q * dl) * sel(vh < F(0.0f), F(1.0f) - q, q), e, E, El, d, dl};
}
// ---- e^z the fast way, for z in [-87, 88] (2^k normal): 2^k and p = e^r - 1 rounded once,
// e^z = 2^k (1 + p) with 2^k p exact; no residuals kept (each caller's sweep bounds the result).
template <class F> struct Exp1 {
  F s, p;
};
// (Lo: e^(z + zlo), zlo a small low part added into r, one more rounding.)
template <class F, bool Lo = false> inline Exp1<F> exp1(F z, F zlo = F(0.0f)) {
  const F t = (Lo ? z + zlo : z) * F(kLog2e) + F(0x1.8p23f);
  const F k = t - F(0x1.8p23f);
  const F r0 = z - k * F(kLn2Hi);
  const F r = (Lo ? r0 + zlo : r0) - k * F(kLn2Lo);
  return {pow2(t), r + (r * r) * horner(r, kExpQ)};
}
// sigma(x) alone: e = e^-|x| rounded once, then e / (1 + e) or 1 / (1 + e), one division. At
// most 2 ulp (the sweep); below x = -87, where 2^k leaves the normal range, the exact tier's.
template <class F> inline F sigmoid(F x) {
  const Exp1<F> e = exp1(max_(-abs_(x), F(-87.0f)));
  const F E = e.s + e.s * e.p;
  return sel(x < F(0.0f), E, F(1.0f)) / (F(1.0f) + E);
}
// e / (1 + e)^2; past |v| = 80, e itself (scaled last: a subnormal result rounds once).
// d^2's rounding error exactly (Dekker: d split in halves, whose products are exact).
template <class F> inline F square_lo(F d, F d2) {
  const F c = d * F(4097.0f);
  const F h = c - (c - d), l = d - h;
  return ((h * h - d2) + F(2.0f) * (h * l)) + l * l;
}
template <class F> struct Pair {
  F h, l;
};
template <class F> inline Pair<F> sigmoid_d_of(const Sig<F>& s) {  // e / d^2 as h + l
  const F d2 = s.d * s.d;
  const F q = s.E / d2;
  return {q, (s.El - q * (square_lo(s.d, d2) + F(2.0f) * (s.d * s.dl))) / d2};
}
template <class F> inline F sigmoid_d(F x) {
  const Sig<F> s = sig(x);
  const Pair<F> sd = sigmoid_d_of(s);
  return sel(abs_(x) < F(80.0f), sd.h + sd.l, (s.e.h + s.e.l) * s.e.s2);
}

// tanh: an odd polynomial below 0.55, 1 - 2 / (e^2|x| + 1) above (>= 0.5: no cancellation).
template <class F> inline F tanh_(F x) {
  const F a = abs_(x);
  const F a2 = a * a;
  const F small = a + a * (a2 * horner(a2, kTanhP));
  const Exp1<F> e = exp1(max_(-(a + a), F(-87.0f)));
  const F E = e.s + e.s * e.p;
  const F big = (F(1.0f) - E) / (F(1.0f) + E);
  return with_sign(sel(a < F(0.55f), small, big), x);
}
// 1 - t^2 near 0, 4 sigma'(2x) beyond.
template <class F> inline F tanh_d(F x) {
  const F a = abs_(x);
  const F a2 = a * a;
  const F t = a + a * (a2 * horner(a2, kTanhP));
  return sel(a < F(0.55f), F(1.0f) - t * t, F(4.0f) * sigmoid_d(a + a));
}

// silu x sigma(x): e = e^-|x| as E + El (El the exact rounding error of 2^k + 2^k p), 1 + e as
// d + dl, sigma = q + c with q the one division and c the correction for El and dl (1/d is q,
// x >= 0, or 1 - q, x < 0: no second division); x q + x c. Below x = -87 (2^k no longer
// normal) the lanes are the exact tier's.
template <class F> inline F silu(F x) {
  const Exp1<F> e = exp1(max_(-abs_(x), F(-87.0f)));
  const F sp = e.s * e.p;
  const F E = e.s + sp, El = (e.s - E) + sp;
  const F d = F(1.0f) + E, dl = ((F(1.0f) - d) + E) + El;
  const auto neg = x < F(0.0f);
  const F q = sel(neg, E, F(1.0f)) / d;
  const F c = (sel(neg, El, F(0.0f)) - q * dl) * sel(neg, F(1.0f) - q, q);
  return x * q + min_(max_(x, F(-0x1p127f)), F(0x1p127f)) * c;  // (inf * 0)
}
// gelu's tanh form, x sigma(v), v = sqrt(8/pi) (x + 0.044715 x^3) = x (c1 + c3 x^2), as
// silu's product from sigma(v) = q + c (sig), with v as vh + vl: e^-|v| takes |v| up to 87,
// where v's own rounding would cost |v| 2^-24 of e's ulp. x^2 = s + sl (s exact, x in 12-bit
// halves); c3 s exactly (mul_dd); a = c1 + c3 x^2 as ah + al (TwoSum: c3 x^2 passes c1 from
// |x| = 4.7); x ah exactly (Dekker) and x al. Beyond |x| = 16 v is past 87 (x sigma = x for
// x > 0); below x = -9.9 (v < -85, e^v near float32's least normal) the exact tier's lanes.
constexpr Split kGeluTanhC1{1.5957691216057308}, kGeluTanhC3{1.5957691216057308 * 0.044715};
template <class F> __attribute__((noinline)) F gelu_tanh(F x) {
  const F xc = min_(max_(x, F(-16.0f)), F(16.0f));
  const F xh = hi12(xc), xl = xc - xh;
  const F s = xh * xh, sl = xl * (xc + xh);
  const Pair<F> m = mul_dd(s, kGeluTanhC3);
  const F ah = F(kGeluTanhC1.hi) + m.h;
  const F b = ah - F(kGeluTanhC1.hi);
  const F al = ((F(kGeluTanhC1.hi) - (ah - b)) + (m.h - b)) + ((m.l + F(kGeluTanhC3.hi) * sl) + F(kGeluTanhC1.lo));
  const F vh = xc * ah;
  const F c = ah * F(4097.0f);
  const F ahh = c - (c - ah), ahl = ah - ahh;
  const F vl = (((xh * ahh - vh) + xh * ahl + xl * ahh) + xl * ahl) + xc * al;
  const Sig<F> g = sig<F, true>(vh, vl);
  return x * g.q + min_(max_(x, F(-0x1p127f)), F(0x1p127f)) * g.c;  // (inf * 0)
}
// softplus (beta = 1), max(x, 0) + log1p(E), E = e^-|x| = E + El: log1p(E) = 2 atanh(t),
// t = E / (2 + E) <= 1/3, as t + tc (2 + E as d + dl, the quotient's correction with 1/d =
// (1 - t) / 2: no second division); atanh(t) = t + t s P(s), s = t^2 <= 1/9, P the Taylor
// series to s^6 (the rest below 2^-26 of it). max(x, 0) + 2t exactly as a pair, then the
// small terms: one rounding in all, but for E's, t's and the series' own. Below x = -87 the
// exact tier's lanes.
constexpr float kAtanhP[] = {1.0f / 15, 1.0f / 13, 1.0f / 11, 1.0f / 9, 1.0f / 7, 1.0f / 5, 1.0f / 3};  // highest degree first
template <class F> inline F softplus(F x) {
  const Exp1<F> e = exp1(max_(-abs_(x), F(-87.0f)));
  const F sp = e.s * e.p;
  const F E = e.s + sp, El = (e.s - E) + sp;
  const F d = F(2.0f) + E;
  const F dl = ((F(2.0f) - d) + E) + El;
  const F t = E / d;
  const F tc = (El - t * dl) * ((F(1.0f) - t) * F(0.5f));
  const F s = t * t;
  const F t2 = t + t, m = max_(x, F(0.0f));
  const F h = m + t2, b = h - m;  // (TwoSum: m + 2t exactly as h + its residual)
  const F r = h + ((((m - (h - b)) + (t2 - b)) + (tc + tc)) + t2 * (s * horner(s, kAtanhP)));
  return sel(x == F(0.0f), F(0x1.62e430p-1f), r);  // (+-0: log 2 correctly rounded, the exact tier's bits)
}
// The float32 below or at d (x > d exactly where x > that float, for every float32 x).
inline float float_at_or_below(double d) {
  const float f = float(d);
  return double(f) > d ? fbits(ubits(f) + (f > 0 ? -1u : 1u)) : f;
}
// silu'(v) = sigma + v sigma (1 - sigma): v >= 0: sigma + v sigma'; v < 0: sigma' (1 + v + e),
// which cancels near its zero v0 = -1.2785 (those lanes are hard: the exact tier's).
template <class F> inline F silu_d(F vh) {
  const Sig<F> s = sig(vh);
  const F v = min_(max_(vh, F(-128.0f)), F(128.0f));  // (inf * 0)
  const Pair<F> sd = sigmoid_d_of(s);
  const F pos = (s.q + v * sd.h) + (s.c + v * sd.l);
  // S = 1 + v + e as S + Sl (TwoSum; 1 + v is exact where it matters, v in [-2, -1/2]).
  const F a = F(1.0f) + v;
  const F S = a + s.E;
  const F b = S - a;
  const F Sl = ((a - (S - b)) + (s.E - b)) + s.El;
  const F neg = sel(v < F(-80.0f), ((S * s.e.h + S * s.e.l) * s.e.s2), S * sd.h + (S * sd.l + Sl * sd.h));
  return sel(vh < F(0.0f), neg, pos);
}

// ---- the elu family. scale (h + l), scale = hi + lo: one rounding, near enough.
template <class F> inline F scaled(const Pair<F>& m, const Split& s) { return m.h * F(s.hi) + (m.l * F(s.hi) + m.h * F(s.lo)); }
template <class F> inline F scaled_exp(F z, const Split& s, F zlo = F(0.0f)) {
  const Exp2<F> e = exp_dd(z, zlo);
  return scaled(Pair<F>{e.h, e.l}, s) * e.s2;
}
// scale (e^z - 1) for x <= 0, z = x (elu, selu) or, Lo, z + zlo = x / scale (celu): (2^k - 1)
// + 2^k p as h + l (2^k - 1 exact: k >= -24 while e^z - 1 is not -1 in float32; Fast2Sum:
// |2^k - 1| >= 1/2 > |2^k p| or 2^k - 1 = 0), p itself rounded once. Below |x| = 2^-60 the
// result is scale z, x itself for celu: e^z - 1 is z there, and x's sign is kept where it
// underflows (the pair's sum would be +0).
template <class F, bool Lo = false> inline F scaled_expm1(F x, F z, F zlo, const Split& s) {
  if constexpr (Lo) zlo = sel(F(-30.0f) < z, zlo, F(0.0f));
  const Exp1<F> e = exp1<F, Lo>(max_(z, F(-30.0f)), zlo);
  const F a = e.s - F(1.0f), b = e.s * e.p;
  const F h = a + b;
  return sel(abs_(x) < F(0x1p-60f), Lo ? x : x * F(s.hi), scaled(Pair<F>{h, (a - h) + b}, s));
}
// x a as q + ql (a = hi + lo, hi split in halves h + l and x by Veltkamp: the exact residual).
template <class F> inline Pair<F> mul_dd(F x, const Split& a) {
  const F q = x * F(a.hi);
  const F c = x * F(4097.0f);
  const F xh = c - (c - x), xl = x - xh;
  return {q, (((xh * F(a.h) - q) + xh * F(a.l) + xl * F(a.h)) + xl * F(a.l)) + x * F(a.lo)};
}
// x / a as q + ql (a = hi + lo, hi split in halves h + l for the exact residual).
template <class F> inline Pair<F> div_dd(F x, const Split& a) {
  const F q = x / F(a.hi);
  const F c = q * F(4097.0f);
  const F qh = c - (c - q), ql = q - qh;
  const F p = q * F(a.hi);
  const F pl = ((qh * F(a.h) - p) + qh * F(a.l) + ql * F(a.h)) + ql * F(a.l);
  return {q, (((x - p) - pl) - q * F(a.lo)) / F(a.hi)};
}

// ---- gelu. R(a) = e^(a^2/2) Phi(-a) by the polynomial of a's interval (kGeluBounds): the
// same coefficients for a lane whichever way they are found, so the same bits.
// (No tables: a unit has no data section. Each coefficient is picked by comparisons, whose
// constants are immediates.)
// c0 + u as h + l (Fast2Sum: |u| < |c0| on every interval), so the last rounding is kept.
template <class F> inline Pair<F> last_step(F u, F c0) {
  const F h = c0 + u;
  return {h, (c0 - h) + u};
}
template <class F> inline Pair<F> gelu_R_picked(F a) {
  const auto m1 = F(kGeluBounds[1]) <= a, m2 = F(kGeluBounds[2]) <= a, m3 = F(kGeluBounds[3]) <= a;
  const auto pick = [&](float c0, float c1, float c2, float c3) { return sel(m3, F(c3), sel(m2, F(c2), sel(m1, F(c1), F(c0)))); };
  const F t = a - pick(kGeluMid[0], kGeluMid[1], kGeluMid[2], kGeluMid[3]);
  F y = pick(kGeluR[0][0], kGeluR[1][0], kGeluR[2][0], kGeluR[3][0]);
#pragma clang loop unroll(full)
  for (int k = 1; k < 10; ++k) y = y * t + pick(kGeluR[0][k], kGeluR[1][k], kGeluR[2][k], kGeluR[3][k]);
  return last_step(y * t, pick(kGeluR[0][10], kGeluR[1][10], kGeluR[2][10], kGeluR[3][10]));
}
inline Pair<float> gelu_R(float a) { return gelu_R_picked(a); }
#ifdef __wasm_simd128__
// Each lane's coefficient by a byte shuffle of the four intervals' values (one constant and
// one swizzle a coefficient, not four constants and three selects: 1.25x faster gelu): lane
// j takes bytes 4i..4i+3, i its interval (minus the sum of its all-ones comparisons).
inline v128_t interval_bytes(F4 a) {
  const v128_t m = wasm_i32x4_add(wasm_i32x4_add((F4(kGeluBounds[1]) <= a).v, (F4(kGeluBounds[2]) <= a).v), (F4(kGeluBounds[3]) <= a).v);
  return wasm_i32x4_add(wasm_i32x4_mul(m, wasm_i32x4_splat(-0x04040404)), wasm_i32x4_splat(0x03020100));
}
inline X2<v128_t> interval_bytes(F8 a) { return {interval_bytes(a.a), interval_bytes(a.b)}; }
inline F4 shuffled(v128_t c, v128_t idx) { return wasm_i8x16_swizzle(c, idx); }
inline F8 shuffled(v128_t c, X2<v128_t> idx) { return {shuffled(c, idx.a), shuffled(c, idx.b)}; }
template <class F> inline Pair<F> gelu_R(F a) {  // (F4, F8)
  const auto idx = interval_bytes(a);
  const auto pick = [&](float c0, float c1, float c2, float c3) { return shuffled(wasm_f32x4_make(c0, c1, c2, c3), idx); };
  const F t = a - pick(kGeluMid[0], kGeluMid[1], kGeluMid[2], kGeluMid[3]);
  F y = pick(kGeluR[0][0], kGeluR[1][0], kGeluR[2][0], kGeluR[3][0]);
#pragma clang loop unroll(full)
  for (int k = 1; k < 10; ++k) y = y * t + pick(kGeluR[0][k], kGeluR[1][k], kGeluR[2][k], kGeluR[3][k]);
  return last_step(y * t, pick(kGeluR[0][10], kGeluR[1][10], kGeluR[2][10], kGeluR[3][10]));
}
#endif
// e^(-a^2/2) to ~2^-28, a split so that a^2 = ah^2 + al (a + ah) with ah^2 exact.
template <class F> inline Exp2<F> exp_half_square(F a) {
  const F ah = hi12(a), al = a - ah;
  return exp_dd(F(-0.5f) * (ah * ah), F(-0.5f) * (al * (a + ah)));
}
// x Phi(x): near 0, x/2 + x^2 E(x^2); beyond, x (1 - Q) and x Q, Q = Phi(-|x|) = e R; -0 past
// x = -14.5 (below the least subnormal; -inf too). The product with the scale comes last.
template <class F> __attribute__((noinline)) F gelu(F x) {  // (long: one copy for all its loops)
  const F a = min_(abs_(x), F(14.5f));
  const F near0 = F(0.5f) * x + x * (x * horner(x * x, kGeluE));
  const Exp2<F> e = exp_half_square(a);
  const Pair<F> R = gelu_R(max_(a, F(kGeluBounds[0])));
  const F q = e.h * R.h, ql = e.h * R.l + e.l * R.h;
  const F pos = x * (F(1.0f) - (q + ql) * e.s2);
  const F neg = sel(x < F(-14.5f), F(-0.0f), (x * q + x * ql) * e.s2);
  // (x = -0: x (x E) is +0, and -0 + +0 would lose the sign gelu(-0) = -0 has)
  return sel(a < F(0.6f), sel(x == F(0.0f), x, near0), sel(x < F(0.0f), neg, pos));
}
// Phi(x) + x phi(x): near 0, 1/2 + x (E + e/sqrt(2 pi)); around the zero x0, (x - x0) Z;
// x > 0: 1 + e (a/sqrt(2 pi) - R); x < -1.2: e (R - a/sqrt(2 pi)).
template <class F> __attribute__((noinline)) F gelu_d(F x) {
  const F a = min_(abs_(x), F(14.5f));
  const Exp2<F> e = exp_half_square(a);
  const F E = (e.h + e.l) * e.s2;
  const F near0 = F(0.5f) + x * (horner(x * x, kGeluE) + F(kInvSqrt2Pi) * E);
  const F d = (x - F(kGeluX0Hi)) - F(kGeluX0Lo);
  const F zero = d * horner(d, kGeluZ);
  const Pair<F> R = gelu_R(max_(a, F(kGeluBounds[0])));
  const F w = (R.h - a * F(kInvSqrt2Pi)) + R.l;
  const F pos = F(1.0f) - E * w;
  // x < -1.2: w = R - a/sqrt(2 pi) cancels (to half of its terms at -1.2): a/sqrt(2 pi) as
  // p + pl exactly (Dekker: a split by Veltkamp, the constant in halves), w as wh + wl (TwoSum).
  const F p = a * F(kInvSqrt2Pi);
  const F c = a * F(4097.0f);
  const F ah = c - (c - a), al = a - ah;
  const F pl = (((ah * F(kInvSqrt2PiH) - p) + ah * F(kInvSqrt2PiL) + al * F(kInvSqrt2PiH)) + al * F(kInvSqrt2PiL)) + a * F(kInvSqrt2PiLo);
  const F wh = R.h - p;
  const F b = wh - R.h;
  const F wl = ((R.h - (wh - b)) + (-p - b)) + (R.l - pl);
  const F neg = sel(x < F(-14.5f), F(-0.0f), (e.h * wh + (e.h * wl + e.l * wh)) * e.s2);
  return sel(x < F(-0.25f), sel(x < F(-1.2f), neg, zero), sel(x < F(0.6f), near0, pos));
}

}  // namespace ff
