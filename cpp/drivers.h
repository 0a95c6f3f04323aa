// Loops shared by all ops of a kind (the `kind` column of js/ops.js). SIMD bodies take 4
// vectors per iteration, loads before stores, so out == input works in place; then single
// vectors; then a scalar tail that touches only [0, n). v128.load/store accept any alignment.
// All pointers are element-aligned (JS typed arrays guarantee it).
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <type_traits>
#include "ops.h"

#ifdef __wasm_simd128__
#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
// Tails are shorter than a vector step: unrolling or vectorising them only adds code.
#define TAIL _Pragma("clang loop vectorize(disable) unroll(disable)")
#else
#define TAIL
#endif

// Ops with several exact SIMD forms (cheaper ones valid for some parameters) declare
// `variants` and `variant(params)`; the loop is instantiated once per form.
template <class O, class = void> struct Variants {
  static constexpr int n = 1;
};
template <class O> struct Variants<O, std::void_t<decltype(O::variants)>> {
  static constexpr int n = O::variants;
};

#ifdef __wasm_simd128__
template <class O, int K, class T> inline v128_t apply(v128_t x, const Params<T>& p) {
  if constexpr (Variants<O>::n > 1) return O::template simd<K>(x, p);
  else return O::simd(x, p);
}
#endif

template <template <class> class Op, class T, int K>
void map_loop(const T* x, T* y, size_t n, const Params<T>& p) {
#ifdef __wasm_simd128__
  using O = Op<T>;
  constexpr size_t L = 16 / sizeof(T);
  for (; n >= 4 * L; n -= 4 * L, x += 4 * L, y += 4 * L) {
    const v128_t v0 = LOAD(x), v1 = LOAD(x + L), v2 = LOAD(x + 2 * L), v3 = LOAD(x + 3 * L);
    STORE(y, (apply<O, K>(v0, p)));
    STORE(y + L, (apply<O, K>(v1, p)));
    STORE(y + 2 * L, (apply<O, K>(v2, p)));
    STORE(y + 3 * L, (apply<O, K>(v3, p)));
  }
  for (; n >= L; n -= L, x += L, y += L) STORE(y, (apply<O, K>(LOAD(x), p)));
#endif
  TAIL
  for (; n; --n) *y++ = Op<T>::scalar(*x++, p);
}

template <template <class> class Op, class T>
void map(const T* x, T* y, size_t n, double a, double b) {
  const Params<T> p(a, b);
#ifdef __wasm_simd128__
  if constexpr (Variants<Op<T>>::n > 1 && is_float<T>) {
    switch (Op<T>::variant(p)) {
      case 1: return map_loop<Op, T, 1>(x, y, n, p);
      case 2: return map_loop<Op, T, 2>(x, y, n, p);
      default: return map_loop<Op, T, 0>(x, y, n, p);
    }
  }
#endif
  map_loop<Op, T, 0>(x, y, n, p);
}

template <template <class> class Op, class T>
void map2(const T* dy, const T* x, T* out, size_t n, double a, double b) {
  const Params<T> p(a, b);
#ifdef __wasm_simd128__
  constexpr size_t L = 16 / sizeof(T);
  for (; n >= 4 * L; n -= 4 * L, dy += 4 * L, x += 4 * L, out += 4 * L) {
    const v128_t d0 = LOAD(dy), d1 = LOAD(dy + L), d2 = LOAD(dy + 2 * L), d3 = LOAD(dy + 3 * L);
    const v128_t x0 = LOAD(x), x1 = LOAD(x + L), x2 = LOAD(x + 2 * L), x3 = LOAD(x + 3 * L);
    STORE(out, Op<T>::simd(d0, x0, p));
    STORE(out + L, Op<T>::simd(d1, x1, p));
    STORE(out + 2 * L, Op<T>::simd(d2, x2, p));
    STORE(out + 3 * L, Op<T>::simd(d3, x3, p));
  }
  for (; n >= L; n -= L, dy += L, x += L, out += L) STORE(out, Op<T>::simd(LOAD(dy), LOAD(x), p));
#endif
  TAIL
  for (; n; --n) *out++ = Op<T>::scalar(*dy++, *x++, p);
}

template <template <class> class Op, class T>
void bulk(const T* x, T* y, size_t n, double, double) {
  __builtin_memcpy(y, x, n * sizeof(T));  // memory.copy with -mbulk-memory (SIMD build)
}

// x > 0 ? v : s·v — prelu (v = x) and its backward pass (v = dy).
template <class T> inline T leaky(T x, T v, T s) { return pick(x > T(0), v, s * v); }
#ifdef __wasm_simd128__
template <class T, int K> inline v128_t prelu_v(v128_t x, v128_t s) {
  const v128_t sx = Vec<T>::mul(x, s);
  if constexpr (K == 1) return Vec<T>::pmax(sx, x);
  else if constexpr (K == 2) return Vec<T>::pmin(sx, x);
  else return wasm_v128_bitselect(x, sx, Vec<T>::gt(x, wasm_i64x2_const(0, 0)));
}
#endif

// channel (prelu): y = x > 0 ? x : slope[c]·x, where element i (counted from `phase`, the
// index of x[0] in the whole array, so JS can stream chunks) is in channel
// c = (i / inner) mod C. inner == 1 is channels-last (NHWC): the slope repeats with period C,
// so it is tiled to a period that is also a whole number of 4-vector steps (lcm(C, 4L)) and
// the body uses one slope vector per vector. inner > 1 is channels-first (NCHW): each run of
// `inner` elements shares one slope value.
template <class T, int K>
void channel_loop(const T* x, const T* slope, T* y, size_t n, size_t C, size_t inner, size_t phase) {
  size_t c = phase / inner % C;
  if (inner > 1) {
    for (size_t run = inner - phase % inner; n; n -= run, x += run, y += run, run = inner, c = c + 1 == C ? 0 : c + 1) {
      if (run > n) run = n;
      const T s = slope[c];
      size_t j = 0;
#ifdef __wasm_simd128__
      constexpr size_t L = 16 / sizeof(T);
      const v128_t vs = Vec<T>::splat(s);
      for (; j + 4 * L <= run; j += 4 * L) {
        const v128_t v0 = LOAD(x + j), v1 = LOAD(x + j + L), v2 = LOAD(x + j + 2 * L), v3 = LOAD(x + j + 3 * L);
        STORE(y + j, (prelu_v<T, K>(v0, vs)));
        STORE(y + j + L, (prelu_v<T, K>(v1, vs)));
        STORE(y + j + 2 * L, (prelu_v<T, K>(v2, vs)));
        STORE(y + j + 3 * L, (prelu_v<T, K>(v3, vs)));
      }
      for (; j + L <= run; j += L) {
        const v128_t v = LOAD(x + j);
        STORE(y + j, (prelu_v<T, K>(v, vs)));
      }
#endif
      TAIL
      for (; j < run; ++j) y[j] = leaky(x[j], x[j], s);
    }
    return;
  }
  // Up to the next channel 0, so the tiled body starts in phase.
  for (; c != 0 && n; --n, ++x, ++y, c = c + 1 == C ? 0 : c + 1) *y = leaky(*x, *x, slope[c]);
#ifdef __wasm_simd128__
  constexpr size_t L = 16 / sizeof(T);
  size_t period = C;
  while (period % (4 * L)) period += C;
  // The tiled slope lives in a buffer kept between calls (one thread): no malloc per call.
  static T* tiled = nullptr;
  static size_t capacity = 0;
  if (period != C && period > capacity) {
    T* grown = static_cast<T*>(realloc(tiled, period * sizeof(T)));
    if (grown) tiled = grown, capacity = period;
  }
  const T* sp = slope;
  if (period != C && period <= capacity) {
    for (size_t j = 0; j < period; ++j) tiled[j] = slope[j % C];
    sp = tiled;
  } else if (period != C) {
    period = n + 1;  // out of memory for the tiled slope: the scalar loop below does it all
  }
  for (; n >= period; n -= period, x += period, y += period) {
    for (size_t j = 0; j < period; j += 4 * L) {
      const v128_t v0 = LOAD(x + j), v1 = LOAD(x + j + L), v2 = LOAD(x + j + 2 * L), v3 = LOAD(x + j + 3 * L);
      STORE(y + j, (prelu_v<T, K>(v0, LOAD(sp + j))));
      STORE(y + j + L, (prelu_v<T, K>(v1, LOAD(sp + j + L))));
      STORE(y + j + 2 * L, (prelu_v<T, K>(v2, LOAD(sp + j + 2 * L))));
      STORE(y + j + 3 * L, (prelu_v<T, K>(v3, LOAD(sp + j + 3 * L))));
    }
  }
#endif
  TAIL
  for (size_t j = 0; j < n; ++j, c = c + 1 == C ? 0 : c + 1) y[j] = leaky(x[j], x[j], slope[c]);
}

template <template <class> class Op, class T>
void channel(const T* x, const T* slope, T* y, size_t n, size_t C, size_t inner, size_t phase) {
#ifdef __wasm_simd128__
  // The cheaper exact forms of leakyRelu (ops.h) when every slope allows the same one.
  constexpr size_t L = 16 / sizeof(T);
  const v128_t one = Vec<T>::splat(T(1)), zero = wasm_i64x2_const(0, 0);
  v128_t small = wasm_i64x2_const(-1, -1), large = small;
  size_t c = 0;
  for (; c + L <= C; c += L) {
    const v128_t s = LOAD(slope + c);
    small = wasm_v128_and(small, wasm_v128_andnot(Vec<T>::le(s, one), Vec<T>::eq(s, zero)));
    large = wasm_v128_and(large, Vec<T>::ge(s, one));
  }
  int form = wasm_i8x16_all_true(small) ? 1 : wasm_i8x16_all_true(large) ? 2 : 0;
  for (; c < C && form != 0; ++c) form = leaky_form(slope[c]) == form ? form : 0;
  if (form == 1) return channel_loop<T, 1>(x, slope, y, n, C, inner, phase);
  if (form == 2) return channel_loop<T, 2>(x, slope, y, n, C, inner, phase);
#endif
  channel_loop<T, 0>(x, slope, y, n, C, inner, phase);
}

// channel2 (preluBackward): dx = x > 0 ? dy : slope[c]·dy, and acc[c] += Σ x·dy over the
// elements of channel c where !(x > 0) (NaN x included: numpy's where gives NaN there).
// Channels as in `channel`. Products and sums are in double: a float·float product is exact
// in double, so float dslope is the exactly rounded sum but for pathological cancellation.
// The caller zeroes acc once, then may stream chunks.
template <class T> inline double masked_product(T x, T dy) { return pick(x > T(0), 0.0, double(x) * double(dy)); }

#ifdef __wasm_simd128__
// Adds x·dy where !(x > 0) to the double lanes s0 (and s1 for float's upper half); returns dx.
template <class T> inline v128_t backward_v(v128_t vx, v128_t vd, v128_t vs, v128_t& s0, v128_t& s1) {
  const v128_t pos = opaque(Vec<T>::gt(vx, wasm_i64x2_const(0, 0)));
  // Zero both factors where x > 0 (0·0 adds nothing, where 0·dy could be 0·inf = NaN).
  const v128_t mx = wasm_v128_andnot(vx, pos), md = wasm_v128_andnot(vd, pos);
  if constexpr (sizeof(T) == 4) {
    const v128_t xh = wasm_i64x2_shuffle(mx, mx, 1, 0), dh = wasm_i64x2_shuffle(md, md, 1, 0);
    s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(mx), wasm_f64x2_promote_low_f32x4(md)));
    s1 = wasm_f64x2_add(s1, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(xh), wasm_f64x2_promote_low_f32x4(dh)));
  } else {
    s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(mx, md));
  }
  return wasm_v128_bitselect(vd, Vec<T>::mul(vd, vs), pos);
}
#endif

template <template <class> class Op, class T>
void channel2(const T* dy, const T* x, const T* slope, T* dx, double* acc, size_t n, size_t C, size_t inner,
              size_t phase) {
  size_t c = phase / inner % C;
#ifdef __wasm_simd128__
  constexpr size_t L = 16 / sizeof(T);
  if (inner == 1 && C % L == 0) {
    // Channels-last, whole vectors per row. Blocks of rows that fit in L1, walked one channel
    // vector at a time down the rows, keep each channel's sums in registers: a per-row
    // read-modify-write of acc would cost two extra stores per vector.
    for (; c != 0 && n; --n, ++x, ++dy, ++dx, c = c + 1 == C ? 0 : c + 1) {
      const T xv = *x, dv = *dy;  // read before writing: dx may alias dy or x
      acc[c] += masked_product(xv, dv);
      *dx = leaky(xv, dv, slope[c]);
    }
    const size_t block = C * (C * sizeof(T) >= 8192 ? 1 : 8192 / (C * sizeof(T)));
    for (; n >= C; ) {
      const size_t m = n >= block ? block : n - n % C;
      for (size_t j = 0; j < C; j += L) {
        const v128_t vs = LOAD(slope + j);
        v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
        for (size_t r = j; r < m; r += C) STORE(dx + r, backward_v<T>(LOAD(x + r), LOAD(dy + r), vs, s0, s1));
        STORE(acc + j, wasm_f64x2_add(LOAD(acc + j), s0));
        if (sizeof(T) == 4) STORE(acc + j + 2, wasm_f64x2_add(LOAD(acc + j + 2), s1));
      }
      n -= m, x += m, dy += m, dx += m;
    }
  }
#endif
  const size_t seg = inner > 1 ? inner : 1;
  for (size_t run = seg - phase % seg; n; n -= run, x += run, dy += run, dx += run, run = seg, c = c + 1 == C ? 0 : c + 1) {
    if (run > n) run = n;
    const T s = slope[c];
    size_t j = 0;
    double sum = 0;
#ifdef __wasm_simd128__
    if (run >= L) {
      const v128_t vs = Vec<T>::splat(s);
      v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
      for (; j + L <= run; j += L) STORE(dx + j, backward_v<T>(LOAD(x + j), LOAD(dy + j), vs, s0, s1));
      const v128_t t = wasm_f64x2_add(s0, s1);
      sum = wasm_f64x2_extract_lane(t, 0) + wasm_f64x2_extract_lane(t, 1);
    }
#endif
    TAIL
    for (; j < run; ++j) {
      const T xv = x[j], dv = dy[j];  // read before writing: dx may alias dy or x
      sum += masked_product(xv, dv);
      dx[j] = leaky(xv, dv, s);
    }
    acc[c] += sum;
  }
}

// count (activity, deadUnits): counts[u] += 1 for every element y[i] > 0 of unit u, where
// y is row-major [rows, units] and element i (counted from `phase`, the index of y[0] in the
// whole matrix) is in unit (i mod units). The caller zeroes counts once.
#ifdef __wasm_simd128__
// Widens one vector of per-lane counts (lanes of T's width) and adds it to counts[0..L).
template <class T> inline void add_counts(uint32_t* counts, v128_t c) {
  if constexpr (sizeof(T) == 4) {
    STORE(counts, wasm_i32x4_add(LOAD(counts), c));
  } else if constexpr (sizeof(T) == 8) {
    counts[0] += uint32_t(wasm_i64x2_extract_lane(c, 0));
    counts[1] += uint32_t(wasm_i64x2_extract_lane(c, 1));
  } else {
    const v128_t h[2] = {sizeof(T) == 1 ? wasm_u16x8_extend_low_u8x16(c) : c, wasm_u16x8_extend_high_u8x16(c)};
    for (size_t k = 0; k < (sizeof(T) == 1 ? 2 : 1); ++k) {
      uint32_t* p = counts + 8 * k;
      STORE(p, wasm_i32x4_add(LOAD(p), wasm_u32x4_extend_low_u16x8(h[k])));
      STORE(p + 4, wasm_i32x4_add(LOAD(p + 4), wasm_u32x4_extend_high_u16x8(h[k])));
    }
  }
}
#endif

template <template <class> class Op, class T>
void count(const T* y, uint32_t* counts, size_t n, size_t units, size_t phase) {
  size_t u = phase % units;
  for (; u != 0 && n; --n, ++y, u = u + 1 == units ? 0 : u + 1) counts[u] += *y > T(0);
  size_t rows = n / units;
  n -= rows * units;
#ifdef __wasm_simd128__
  // Blocks of rows that fit in L1 (and at most 255, so 8-bit lanes cannot overflow), walked
  // one vector of units at a time down the rows: each lane counts in a register (a true
  // compare lane is -1, so subtracting the mask counts), widened into counts once per block.
  constexpr size_t L = 16 / sizeof(T);
  const size_t vu = units - units % L;
  const size_t fit = 8192 / (units * sizeof(T));
  const size_t block = fit < 1 ? 1 : fit > 255 ? 255 : fit;
  const v128_t zero = wasm_i64x2_const(0, 0);
  for (; rows; ) {
    const size_t rb = rows < block ? rows : block;
    const auto sub = [](v128_t c, v128_t m) {
      if constexpr (sizeof(T) == 1) return wasm_i8x16_sub(c, m);
      else if constexpr (sizeof(T) == 2) return wasm_i16x8_sub(c, m);
      else if constexpr (sizeof(T) == 4) return wasm_i32x4_sub(c, m);
      else return wasm_i64x2_sub(c, m);
    };
    for (size_t j = 0; j < vu; j += L) {
      v128_t c0 = zero, c1 = zero;
      const T* p = y + j;
      size_t r = 0;
      for (; r + 4 <= rb; r += 4, p += 4 * units) {
        const v128_t m0 = Vec<T>::gt(LOAD(p), zero), m1 = Vec<T>::gt(LOAD(p + units), zero);
        const v128_t m2 = Vec<T>::gt(LOAD(p + 2 * units), zero), m3 = Vec<T>::gt(LOAD(p + 3 * units), zero);
        c0 = sub(sub(c0, m0), m2);
        c1 = sub(sub(c1, m1), m3);
      }
      for (; r < rb; ++r, p += units) c0 = sub(c0, Vec<T>::gt(LOAD(p), zero));
      add_counts<T>(counts + j, sub(c0, sub(zero, c1)));
    }
    for (size_t r = 0; r < rb; ++r) {
      TAIL
      for (size_t j = vu; j < units; ++j) counts[j] += y[r * units + j] > T(0);
    }
    rows -= rb, y += rb * units;
  }
#endif
  for (; rows; --rows, y += units) {
    TAIL
    for (size_t j = 0; j < units; ++j) counts[j] += y[j] > T(0);
  }
  TAIL
  for (size_t j = 0; j < n; ++j) counts[j] += y[j] > T(0);
}
