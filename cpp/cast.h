// cast(x, dtype): conversions between float32, float64, float16 and bfloat16 (js/ops.js,
// CASTS). Each is one correct rounding (to nearest even; overflow to ±inf; subnormals exact)
// or exact. A NaN stays a NaN of the same sign, made quiet, with as much of its payload as
// fits (the top bits). Wasm leaves the NaN bits of f32.demote / f64.promote to the engine,
// so NaNs are converted on their bits here.
#pragma once
#include <stdint.h>
#include "half.h"

namespace cv {
// Any of the four formats as a float32 (exact but from float64), NaNs quieted.
inline float to_f32(float x) { return x != x ? hf::from_fbits(hf::fbits(x) | 0x00400000u) : x; }
inline float to_f32(f16 x) { return to_f32(hf::widen(x)); }
inline float to_f32(bf16 x) { return to_f32(hf::widen(x)); }
inline uint32_t nan32(double x) {
  const uint64_t b = __builtin_bit_cast(uint64_t, x);
  return uint32_t(b >> 32 & 0x80000000u) | 0x7fc00000u | uint32_t(b >> 29 & 0x003fffffu);
}
inline float to_f32(double x) { return x != x ? hf::from_fbits(nan32(x)) : float(x); }

template <class B> struct To;
template <> struct To<float> {
  template <class A> static float from(A x) { return to_f32(x); }
};
template <> struct To<double> {
  template <class A> static double from(A x) {
    const float f = to_f32(x);
    if (f == f) return f;
    const uint64_t b = hf::fbits(f);
    return __builtin_bit_cast(double, (b & 0x80000000u) << 32 | 0x7ff8000000000000u | (b & 0x003fffffu) << 29);
  }
};
template <class S> struct ToHalf {
  template <class A> static S from(A x) { return hf::narrow<S>(to_f32(x)); }
  // One rounding from double: to odd, then to the format (half.h).
  static S from(double x) { return x != x ? hf::narrow<S>(hf::from_fbits(nan32(x))) : hf::round<S>(x); }
};
template <> struct To<f16> : ToHalf<f16> {};
template <> struct To<bf16> : ToHalf<bf16> {};

#ifdef __wasm_simd128__
inline v128_t quiet4(v128_t f) { return wasm_v128_or(f, wasm_v128_and(wasm_f32x4_ne(f, f), wasm_i32x4_splat(0x00400000))); }
#endif
}  // namespace cv

// The float32 <-> 16-bit and 16-bit <-> 16-bit pairs eight lanes at a time; those with float64
// one element at a time.
template <class A, class B> void cast(const A* x, B* y, size_t n) {
#ifdef __wasm_simd128__
  if constexpr (is_half<A> || is_half<B>) {
    if constexpr (!__is_same(A, double) && !__is_same(B, double)) {
      for (; n >= 8; n -= 8, x += 8, y += 8) {
        hf::F2 f;
        if constexpr (is_half<A>) f = hf::widen8(wasm_v128_load(x), A{});
        else f = {wasm_v128_load(x), wasm_v128_load(x + 4)};
        f = {cv::quiet4(f.lo), cv::quiet4(f.hi)};
        if constexpr (is_half<B>) {
          wasm_v128_store(y, hf::narrow8(f, B{}));
        } else {
          wasm_v128_store(y, f.lo);
          wasm_v128_store(y + 4, f.hi);
        }
      }
    }
  }
#endif
  TAIL
  for (; n; --n) *y++ = cv::To<B>::from(*x++);
}
