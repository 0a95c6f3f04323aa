// The 16-bit float storage formats, float16 (IEEE binary16) and bfloat16, and their exact
// conversions. Wasm has no 16-bit float arithmetic, so ops widen to float32 lanes with integer
// SIMD, compute there and round back (drivers.h); the integer formulas below are the same in
// both builds, so both give the same bits.
//
// Rounding back (narrow) is to nearest even, overflow to ±inf, subnormals exact. A NaN keeps
// its sign and the top bits of its payload: every NaN narrowed is a widened one (its payload
// is those bits) or made quiet by arithmetic or by cast, so none loses its payload entirely
// (numpy's float16 would then set the lowest bit: unreachable here).
#pragma once
#include <stdint.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

struct f16 {
  uint16_t b;
};
struct bf16 {
  uint16_t b;
};
template <class T> constexpr bool is_half = false;
template <> constexpr bool is_half<f16> = true;
template <> constexpr bool is_half<bf16> = true;

namespace hf {
inline uint32_t fbits(float f) { return __builtin_bit_cast(uint32_t, f); }
inline float from_fbits(uint32_t b) { return __builtin_bit_cast(float, b); }

// float16 -> float32, exact (the SIMD form below says how); inf and NaN keep their payload.
inline float widen(f16 h) {
  const uint32_t em = h.b & 0x7fffu, sign = uint32_t(h.b & 0x8000u) << 16;
  const uint32_t mag = fbits(from_fbits(em << 13) * 0x1p112f) | (em > 0x7bffu ? 0x7f800000u : 0u);
  return from_fbits(mag | sign);
}
inline float widen(bf16 h) { return from_fbits(uint32_t(h.b) << 16); }

// float32 -> float16 to nearest even. Below 2^-14, 0.5 + |x| rounds |x| to a multiple of
// 2^-24 (the float16 subnormal step is 0.5's ulp) in the hardware's own nearest-even.
template <class S> S narrow(float f);
template <> inline f16 narrow<f16>(float f) {
  const uint32_t u = fbits(f), a = u & 0x7fffffffu, sign = (u >> 16) & 0x8000u;
  uint32_t h;
  if (a > 0x7f800000u) {
    h = 0x7c00u | ((a >> 13) & 0x3ffu);
  } else if (a >= 0x38800000u) {
    h = (a - (112u << 23) + 0xfffu + ((a >> 13) & 1u)) >> 13;
    h = h > 0x7c00u ? 0x7c00u : h;
  } else {
    h = fbits(from_fbits(a) + 0.5f) - 0x3f000000u;
  }
  return f16{uint16_t(h | sign)};
}
template <> inline bf16 narrow<bf16>(float f) {
  const uint32_t u = fbits(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return bf16{uint16_t(u >> 16)};
  return bf16{uint16_t((u + 0x7fffu + ((u >> 16) & 1u)) >> 16)};
}

// A double rounded to float32 to odd: the nearer float32 if exact, else the neighbour of the
// two around it with an odd last bit. Rounding that to nearest even in a format 2+ bits
// narrower (float16: 13, bfloat16: 16) is the correct rounding of the double itself.
inline float odd(double d) {
  const float r = float(d);
  const double back = r;
  const uint32_t b = fbits(r);
  if (back == d || (b & 1u) || d != d) return r;
  const bool away = (back < 0 ? -back : back) < (d < 0 ? -d : d);
  return from_fbits(away ? b + 1 : b - 1);
}
// A double correctly rounded to the 16-bit format.
template <class S> __attribute__((noinline)) S round(double d) { return narrow<S>(odd(d)); }

// Whether every real number within k float32 steps of r rounds to the same 16-bit value as r:
// then a real known to be that close to r (a result within a proven bound of it) rounds as r
// does. Only for r finite and more than k steps from 0 and from inf; NaN, 0, inf: false.
template <class S> inline bool settles(float r, uint32_t k) {
  const uint32_t a = fbits(r) & 0x7fffffffu;
  return a > k && a < 0x7f800000u - k && narrow<S>(from_fbits(a - k)).b == narrow<S>(from_fbits(a + k)).b;
}

#ifdef __wasm_simd128__
// The SIMD forms: eight 16-bit lanes <-> two float32 vectors (lanes 0-3, 4-7).
struct F2 {
  v128_t lo, hi;
};
inline v128_t widen_f16x4(v128_t e) {  // e: 32-bit lanes holding float16 bits
  // The empty asm hides that the lanes' top halves are 0: LLVM would narrow the compare to
  // 16-bit lanes and widen its mask back with shuffles and shifts.
  __asm__("" : "+r"(e));
  const v128_t em = wasm_v128_and(e, wasm_i32x4_splat(0x7fff));
  const v128_t sign = wasm_i32x4_shl(wasm_v128_xor(e, em), 16);
  // Exponent and mantissa moved into place and scaled by 2^112, which rebiases normals and
  // normalises subnormals exactly (a float32 subnormal times a power of 2: IEEE in wasm, no
  // flush to zero); inf and NaN get the all-ones exponent over their payload.
  const v128_t scaled = wasm_f32x4_mul(wasm_i32x4_shl(em, 13), wasm_f32x4_splat(0x1p112f));
  const v128_t infnan = wasm_v128_and(wasm_i32x4_gt(em, wasm_i32x4_splat(0x7bff)), wasm_i32x4_splat(0x7f800000));
  return wasm_v128_or(wasm_v128_or(scaled, infnan), sign);
}
inline F2 widen8(v128_t h, f16) { return {widen_f16x4(wasm_u32x4_extend_low_u16x8(h)), widen_f16x4(wasm_u32x4_extend_high_u16x8(h))}; }
inline F2 widen8(v128_t h, bf16) {
  const v128_t z = wasm_i64x2_const(0, 0);
  return {wasm_i16x8_shuffle(z, h, 0, 8, 1, 9, 2, 10, 3, 11), wasm_i16x8_shuffle(z, h, 4, 12, 5, 13, 6, 14, 7, 15)};
}
inline v128_t narrow_f16x4(v128_t u) {  // float16 bits in 32-bit lanes
  const v128_t a = wasm_v128_and(u, wasm_i32x4_splat(0x7fffffff));
  const v128_t sign = wasm_v128_and(wasm_u32x4_shr(u, 16), wasm_i32x4_splat(0x8000));
  v128_t n = wasm_i32x4_add(wasm_i32x4_sub(a, wasm_i32x4_splat(112 << 23)), wasm_i32x4_splat(0xfff));
  n = wasm_u32x4_shr(wasm_i32x4_add(n, wasm_v128_and(wasm_u32x4_shr(a, 13), wasm_i32x4_splat(1))), 13);
  n = wasm_i32x4_min(n, wasm_i32x4_splat(0x7c00));
  const v128_t sub = wasm_i32x4_sub(wasm_f32x4_add(a, wasm_f32x4_splat(0.5f)), wasm_i32x4_splat(0x3f000000));
  const v128_t nan = wasm_v128_or(wasm_i32x4_splat(0x7c00), wasm_v128_and(wasm_u32x4_shr(a, 13), wasm_i32x4_splat(0x3ff)));
  v128_t h = wasm_v128_bitselect(n, sub, wasm_i32x4_gt(a, wasm_i32x4_splat(0x387fffff)));
  h = wasm_v128_bitselect(nan, h, wasm_i32x4_gt(a, wasm_i32x4_splat(0x7f800000)));
  return wasm_v128_or(h, sign);
}
inline v128_t narrow8(F2 f, f16) { return wasm_u16x8_narrow_i32x4(narrow_f16x4(f.lo), narrow_f16x4(f.hi)); }
inline v128_t narrow_bf16x4(v128_t u) {  // bfloat16 bits in the high half of 32-bit lanes
  const v128_t lsb = wasm_v128_and(wasm_u32x4_shr(u, 16), wasm_i32x4_splat(1));
  const v128_t r = wasm_i32x4_add(wasm_i32x4_add(u, wasm_i32x4_splat(0x7fff)), lsb);
  return wasm_v128_bitselect(u, r, wasm_f32x4_ne(u, u));  // a NaN: its own top half
}
inline v128_t narrow8(F2 f, bf16) {
  return wasm_i16x8_shuffle(narrow_bf16x4(f.lo), narrow_bf16x4(f.hi), 1, 3, 5, 7, 9, 11, 13, 15);
}
// settles(r, k) for four lanes at once: all of them, or not.
template <class S> inline v128_t rounded4(v128_t a) {
  if constexpr (__is_same(S, f16)) return narrow_f16x4(a);
  else return wasm_u32x4_shr(narrow_bf16x4(a), 16);
}
template <class S> __attribute__((noinline)) bool settle4_slow(v128_t a, v128_t kv, uint32_t k) {
  const v128_t in = wasm_v128_and(wasm_i32x4_gt(a, kv), wasm_i32x4_lt(a, wasm_i32x4_splat(int32_t(0x7f800000u - k))));
  const v128_t same = wasm_i32x4_eq(rounded4<S>(wasm_i32x4_sub(a, kv)), rounded4<S>(wasm_i32x4_add(a, kv)));
  return wasm_i32x4_all_true(wasm_v128_and(in, same));
}
// First without converting: where the 16-bit step is a fixed run of low bits of the float32's
// (13 for float16 from its normal range on, 16 for bfloat16 everywhere), rounding to it rounds
// those bits to nearest even, so r's k neighbours round alike unless the midpoint (the run's
// top bit alone) is within k of r. Only vectors that leaves undecided (a lane near a midpoint,
// 0, a float16 subnormal, inf, NaN) convert both neighbours (two conversions a vector cost more
// than the fast tier's sigmoid itself).
template <class S> inline bool settle4(v128_t r, uint32_t k) {
  constexpr uint32_t half = __is_same(S, f16) ? 0x1000u : 0x8000u;
  constexpr uint32_t from = __is_same(S, f16) ? 0x38800000u : 0u;  // (float16: 2^-14)
  const v128_t a = wasm_v128_and(r, wasm_i32x4_splat(0x7fffffff)), kv = wasm_i32x4_splat(int32_t(k));
  const v128_t off = wasm_i32x4_sub(wasm_v128_and(a, wasm_i32x4_splat(int32_t(2 * half - 1))), wasm_i32x4_splat(int32_t(half - k)));
  const v128_t apart = wasm_u32x4_gt(off, wasm_i32x4_splat(int32_t(2 * k)));  // the midpoint is more than k away
  const v128_t in = wasm_v128_and(wasm_i32x4_gt(a, wasm_i32x4_splat(int32_t(from + k))), wasm_i32x4_lt(a, wasm_i32x4_splat(int32_t(0x7f800000u - k))));
  if (wasm_i32x4_all_true(wasm_v128_and(apart, in))) return true;
  return settle4_slow<S>(a, kv, k);
}
// Two double vectors (lanes 0-1, 2-3) rounded to odd float32s, as odd(double) does per lane.
inline v128_t odd2(v128_t d) {
  const v128_t r = wasm_f32x4_demote_f64x2_zero(d);
  const v128_t back = wasm_f64x2_promote_low_f32x4(r);
  const v128_t exact = wasm_v128_or(wasm_f64x2_eq(back, d), wasm_f64x2_ne(d, d));
  const v128_t away64 = wasm_f64x2_lt(wasm_f64x2_abs(back), wasm_f64x2_abs(d));
  const v128_t z = wasm_i64x2_const(0, 0);
  const v128_t away = wasm_i32x4_shuffle(away64, z, 0, 2, 4, 4);  // one 32-bit mask per lane, lanes 2-3 zero
  const v128_t move = wasm_i32x4_shuffle(wasm_v128_not(exact), z, 0, 2, 4, 4);
  const v128_t even = wasm_i32x4_eq(wasm_v128_and(r, wasm_i32x4_splat(1)), z);
  // +1 on the bits away from zero (mask -1), -1 toward it (mask 0): -1 - 2 mask.
  const v128_t step = wasm_i32x4_sub(wasm_i32x4_splat(-1), wasm_i32x4_add(away, away));
  return wasm_i32x4_add(r, wasm_v128_and(step, wasm_v128_and(move, even)));
}
#endif
}  // namespace hf

// Comparisons on the bits (the selection ops' Half forms, ops.h): key(b) orders a 16-bit
// float's patterns as its values, ±0 alike (sign-magnitude to two's complement, -0 -> 0);
// NaNs (|b| above +inf) compare false and are masked by the callers.
template <class S> struct Order {
  static constexpr int16_t inf = __is_same(S, f16) ? 0x7c00 : 0x7f80;
  static int16_t key(uint16_t b) { return (b & 0x8000) ? int16_t(-(b & 0x7fff)) : int16_t(b); }
  static bool nan(uint16_t b) { return (b & 0x7fff) > inf; }
  static uint16_t bits(double d) { return hf::round<S>(d).b; }  // a parameter in the format
#ifdef __wasm_simd128__
  static v128_t key(v128_t b) {
    const v128_t m = wasm_i16x8_shr(b, 15), a = wasm_v128_and(b, wasm_i16x8_splat(0x7fff));
    return wasm_i16x8_sub(wasm_v128_xor(a, m), m);
  }
  static v128_t number(v128_t b) { return wasm_i16x8_le(wasm_v128_and(b, wasm_i16x8_splat(0x7fff)), wasm_i16x8_splat(inf)); }
#endif
};
