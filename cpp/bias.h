// The fused bias (js/kinds/map-bias.js runs these around an op's own kernel, a block at a
// time, so one pass over memory does both):
//   bias_add  (x, b, y, n, C, inner, phase)   y = x + b[channel], rounded to the dtype
//   bias_sum  (d, acc, n, C, inner, phase)    acc[channel] += d, in double (the bias gradient)
// Channels as the channel kinds': element i (counted from phase) is in channel i mod C
// (inner 1) or floor(i / inner) mod C. The 16-bit formats take b widened to float32 (exactly)
// and add in float32, then round once: float32 has more than twice their precision, so that
// is their own correctly rounded sum, numpy's float16 addition.
#pragma once
#include "drivers.h"

template <class T> using wide_t = std::conditional_t<is_half<T>, float, T>;

// x + b with numpy's NaNs on x86 (the fixtures' machine), fixed so that every engine gives
// them: a NaN x quieted, else a NaN b quieted, and inf − inf the x86 default NaN (negative).
// (Element by element: add_span tests four vectors' sums for NaN at once and sends only those
// steps here. The quieting is the gated ops' own, ops.h reglu.)
template <class T> struct BiasAdd {
  using R = reglu<T>;
  static constexpr typename R::Bits kDefault = (sizeof(T) == 4 ? typename R::Bits(0xff800000u) : typename R::Bits(0xfff0000000000000u)) | R::kQuiet;
  static T scalar(T x, T b) {
    if (x != x) return R::quiet(x);
    if (b != b) return R::quiet(b);
    const T s = x + b;
    return s != s ? __builtin_bit_cast(T, kDefault) : s;
  }
};

// What happens to a sum before it is stored: nothing (bias_add), or an op (bias_map).
template <class T> struct Stored {
  static T scalar(T s) { return s; }
#ifdef __wasm_simd128__
  static v128_t simd(v128_t s) { return s; }
#endif
};

// y[0..n) = post(x + b[0..n)), b moving on by `stride` (4 vectors, or 0: b holds 4 vectors of
// one channel's value). Four vectors a step, one test for a NaN sum among them (rare): that
// step goes element by element, by the exact rule. (One loop for both strides: a copy per
// stride cost a kilobyte of code per dtype.)
template <class T, class Post> void add_span(const T* x, const T* b, T* y, size_t n, size_t stride, const Post& post) {
  using A = BiasAdd<T>;
  constexpr size_t L = 16 / sizeof(T);
  for (; n >= 4 * L; n -= 4 * L, x += 4 * L, y += 4 * L, b += stride) {
#ifdef __wasm_simd128__
    const v128_t s0 = Vec<T>::add(LOAD(x), LOAD(b)), s1 = Vec<T>::add(LOAD(x + L), LOAD(b + L));
    const v128_t s2 = Vec<T>::add(LOAD(x + 2 * L), LOAD(b + 2 * L)), s3 = Vec<T>::add(LOAD(x + 3 * L), LOAD(b + 3 * L));
    // (Their sum is NaN if any is: one compare for the four. It is also NaN for an inf and a
    // −inf, which only sends the step the slow way.)
    const v128_t t = Vec<T>::add(Vec<T>::add(s0, s1), Vec<T>::add(s2, s3));
    if (wasm_i32x4_all_true(Vec<T>::eq(t, t))) {
      STORE(y, post.simd(s0)), STORE(y + L, post.simd(s1)), STORE(y + 2 * L, post.simd(s2)), STORE(y + 3 * L, post.simd(s3));
      continue;
    }
#endif
    _Pragma("clang loop vectorize(disable) unroll(disable)")
    for (size_t j = 0; j < 4 * L; ++j) y[j] = post.scalar(A::scalar(x[j], b[j]));
  }
  TAIL
  for (size_t j = 0; j < n; ++j) y[j] = post.scalar(A::scalar(x[j], b[j]));
}

// Channels last with fewer channels than a few steps: the bias repeated to a whole number of
// 4-vector steps, so every row is whole steps. Returns the period (0: C is large, no tile).
template <class T> constexpr size_t kTiled = 16 * 16 / sizeof(T);  // tile below this many channels
template <class T> size_t tile_bias(const T* b, T* tile, size_t C) {
  constexpr size_t step = 4 * 16 / sizeof(T);
  if (C >= kTiled<T>) return 0;
  size_t period = C;
  while (period % step) period += C;
  for (size_t j = 0; j < period; ++j) tile[j] = b[j % C];
  return period;
}

// float64, rare in inference, goes element by element: its vector code would cost the whole
// build kilobytes it does not have (docs/performance.md, sizes).
template <class T, class Post = Stored<T>>
void bias_core(const T* x, const T* b, T* y, size_t n, size_t C, size_t inner, size_t phase, const Post& post = {}) {
  if constexpr (sizeof(T) == 8) {  // (float64 element by element: see add_span)
    ChannelWalk w(phase, C, inner);
    for (size_t i = 0; i < n; ++i) y[i] = post.scalar(BiasAdd<T>::scalar(x[i], b[w.next()]));
    return;
  }
  constexpr size_t step = 4 * 16 / sizeof(T);
  alignas(16) T tile[kTiled<T> * step];
  if (inner > 1 || C == 1) {
    // Runs of one channel: its value repeated over one step, read again at every step.
    size_t c = phase / inner % C;
    const size_t seg = C == 1 ? n : inner;
    for (size_t run = seg - phase % seg; n; n -= run, x += run, y += run, run = seg, c = next_channel(c, C)) {
      if (run > n) run = n;
      for (size_t j = 0; j < step; ++j) tile[j] = b[c];
      add_span(x, tile, y, run, 0, post);
    }
    return;
  }
  // Rows of the bias (or of its tile), the row's whole steps and then the rest.
  const size_t tiled = tile_bias(b, tile, C);
  const size_t period = tiled ? tiled : C;
  const T* row = tiled ? tile : b;
  for (size_t c = phase % C, m; n; n -= m, x += m, y += m, c = 0) {
    m = period - c < n ? period - c : n;
    add_span(x, row + c, y, m, step, post);
  }
}

template <class T> void bias_add(const T* x, const wide_t<T>* b, T* y, size_t n, size_t C, size_t inner, size_t phase) {
  if constexpr (is_half<T>) {
    alignas(16) float w[kHalfBlock];
    for (size_t i = 0, m; i < n; i += m) {
      m = n - i < kHalfBlock ? n - i : kHalfBlock;
      widen_block(x + i, w, m);
      bias_core<float>(w, b, w, m, C, inner, phase + i);
      narrow_block(w, y + i, m);
    }
  } else {
    bias_core<T>(x, b, y, n, C, inner, phase);
  }
}

// bias_map (x, b, y, n, C, inner, phase, params...): y = Op(x + b[channel]) in one pass, for
// the rows that mark it (js/ops.js fusedBias: the memory-bound ops, where a second pass over
// a block would cost as much as the op); float32 and float64.
template <class O, class T> struct OpAfter {
  const params_t<O>& p;
  T scalar(T s) const { return scalar_op<O>(p, s); }
#ifdef __wasm_simd128__
  v128_t simd(v128_t s) const { return simd_op<O, 0>(p, s); }
#endif
};
template <template <class> class Op, class T, class... D>
void bias_map(const T* x, const T* b, T* y, size_t n, size_t C, size_t inner, size_t phase, D... params) {
  const params_t<Op<T>> p{params...};
  bias_core<T>(x, b, y, n, C, inner, phase, OpAfter<Op<T>, T>{p});
}

// acc[0..n) += d[0..n) (step 1), or acc[0] += the sum of d[0..n) (step 0), in double.
template <class T> void sum_span(const T* d, double* acc, size_t n, size_t step) {
  size_t i = 0;
#ifdef __wasm_simd128__
  {
    v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
    for (; i + 4 <= n; i += 4) {
      const v128_t v = LOAD(d + i);
      const v128_t lo = wasm_f64x2_promote_low_f32x4(v), hi = wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(v, v, 1, 0));
      if (step) {
        STORE(acc + i, wasm_f64x2_add(LOAD(acc + i), lo));
        STORE(acc + i + 2, wasm_f64x2_add(LOAD(acc + i + 2), hi));
      } else {
        s0 = wasm_f64x2_add(s0, lo);
        s1 = wasm_f64x2_add(s1, hi);
      }
    }
    const v128_t t = wasm_f64x2_add(s0, s1);
    if (!step) *acc += wasm_f64x2_extract_lane(t, 0) + wasm_f64x2_extract_lane(t, 1);
  }
#endif
  TAIL
  for (; i < n; ++i) acc[i * step] += double(d[i]);
}

template <class T> void sum_core(const T* d, double* acc, size_t n, size_t C, size_t inner, size_t phase) {
  if constexpr (sizeof(T) == 8) {  // (float64 element by element: see bias_core)
    ChannelWalk w(phase, C, inner);
    for (size_t i = 0; i < n; ++i) acc[w.next()] += d[i];
    return;
  }
  if (inner > 1 || C == 1) {
    size_t c = phase / inner % C;
    const size_t seg = C == 1 ? n : inner;
    for (size_t run = seg - phase % seg; n; n -= run, d += run, run = seg, c = next_channel(c, C)) {
      if (run > n) run = n;
      sum_span(d, acc + c, run, 0);
    }
    return;
  }
  // Few channels: the sums of a tiled row, folded into acc at the end.
  constexpr size_t L = 16 / sizeof(T);
  alignas(16) double tile[4 * L * L];
  size_t period = C;
  if (C < 4 * L) {
    while (period % L) period += C;
    for (size_t j = 0; j < period; ++j) tile[j] = 0;
  }
  double* row = period != C ? tile : acc;
  for (size_t c = phase % C, m; n; n -= m, d += m, c = 0) {
    m = period - c < n ? period - c : n;
    sum_span(d, row + c, m, 1);
  }
  if (period != C)
    for (size_t j = 0; j < period; ++j) acc[j % C] += tile[j];
}

template <class T> void bias_sum(const T* d, double* acc, size_t n, size_t C, size_t inner, size_t phase) {
  if constexpr (is_half<T>) {
    alignas(16) float w[kHalfBlock];
    for (size_t i = 0, m; i < n; i += m) {
      m = n - i < kHalfBlock ? n - i : kHalfBlock;
      widen_block(d + i, w, m);
      sum_core<float>(w, acc, m, C, inner, phase + i);
    }
  } else {
    sum_core<T>(d, acc, n, C, inner, phase);
  }
}
