// Loops shared by all ops of a kind. The SIMD body takes 4 vectors per iteration (loads
// before stores, so y == x works in place), then single vectors, then a scalar tail that
// touches only [0, n). wasm v128.load/store accept any alignment.
#pragma once
#include <stddef.h>
#include "ops.h"

#ifdef __wasm_simd128__
#define RELU_ISA "wasmsimd"
#else
#define RELU_ISA "scalar"
#endif

template <template <class> class Op, class T>
void map(const T* x, T* y, size_t n, double a, double b) {
  const Params<T> p(a, b);
#ifdef __wasm_simd128__
  constexpr size_t L = 16 / sizeof(T);
  for (; n >= 4 * L; n -= 4 * L, x += 4 * L, y += 4 * L) {
    v128_t v0 = wasm_v128_load(x), v1 = wasm_v128_load(x + L);
    v128_t v2 = wasm_v128_load(x + 2 * L), v3 = wasm_v128_load(x + 3 * L);
    wasm_v128_store(y, Op<T>::simd(v0, p));
    wasm_v128_store(y + L, Op<T>::simd(v1, p));
    wasm_v128_store(y + 2 * L, Op<T>::simd(v2, p));
    wasm_v128_store(y + 3 * L, Op<T>::simd(v3, p));
  }
  for (; n >= L; n -= L, x += L, y += L) wasm_v128_store(y, Op<T>::simd(wasm_v128_load(x), p));
#endif
  for (; n; --n) *y++ = Op<T>::scalar(*x++, p);
}

template <template <class> class Op, class T>
void bulk(const T* x, T* y, size_t n, double, double) {
  __builtin_memcpy(y, x, n * sizeof(T));  // memory.copy with -mbulk-memory (SIMD build)
}

// Elements per iteration of the main loop, for kernel names (XNNPACK style: _u16).
template <class T> constexpr size_t unroll() {
#ifdef __wasm_simd128__
  return 4 * 16 / sizeof(T);
#else
  return 1;
#endif
}
