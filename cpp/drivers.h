// The loops, one per kind (the `kind` column of js/ops.js); the math is the ops' (ops.h).
// SIMD bodies take 4 vectors per iteration, loads before stores, so out == input works in
// place; then single vectors; then a scalar tail that touches only [0, n). v128.load/store
// accept any alignment. All pointers are element-aligned (JS typed arrays guarantee it).
// Kernel signatures (what JS calls; params are the row's scalar parameters, as doubles):
//   map       (x, y, n, params...)
//   map2      (dy, x, out, n, params...)
//   packed    (x, out, n, width, layout, limit, upBias, params...)   (the gated kind's one-array form)
//   gated2    (dy, gate, up, dgate, dup, n, params...)
//   channel   (x, slope, tiled, y, n, C, inner, phase)
//   channel2  (dy, x, slope, dx, acc, n, C, inner, phase)
//   count     (y, counts, n, units, phase)
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <type_traits>
#include <utility>
#include "ops.h"

#ifdef __wasm_simd128__
#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
// Tails are shorter than a vector step: unrolling or vectorising them only adds code.
#define TAIL _Pragma("clang loop vectorize(disable) unroll(disable)")
#else
#define TAIL
#endif

// An op's parameter struct, or an empty one for ops without parameters.
struct NoParams {};
template <class O, class = void> struct ParamsOf {
  using type = NoParams;
};
template <class O> struct ParamsOf<O, std::void_t<typename O::Params>> {
  using type = typename O::Params;
};
template <class O> using params_t = typename ParamsOf<O>::type;
template <class O> constexpr bool has_params = !std::is_same<params_t<O>, NoParams>::value;

// Number of SIMD forms of an op (1 unless it declares `forms`; always 1 in the scalar build).
template <class O, class = void> struct FormsOf {
  static constexpr int n = 1;
};
#ifdef __wasm_simd128__
template <class O> struct FormsOf<O, std::void_t<decltype(O::forms)>> {
  static constexpr int n = O::forms;
};
#endif

// The op on one element (or one vector) of each input, whatever its parameters and forms.
template <class O, class... V> inline auto scalar_op(const params_t<O>& p, V... v) {
  if constexpr (has_params<O>) return O::scalar(v..., p);
  else return O::scalar(v...);
}
// (The smooth family: its ops and their fast tier share their loops with the 16-bit formats.)
template <class O> concept shared_smooth = requires(params_t<O> p) { p.odd = true; };
// The smooth family's float32 loops: their last elements go through the loop itself (padded).
template <class O, class T> concept padded = shared_smooth<O> && std::is_same_v<T, float>;
#ifdef __wasm_simd128__
template <class O, int F, class... V> inline v128_t simd_op(const params_t<O>& p, V... v) {
  if constexpr (FormsOf<O>::n > 1) return O::template simd<F>(v..., p);
  else if constexpr (has_params<O>) return O::simd(v..., p);
  else return O::simd(v...);
}

// Vectors per main-loop iteration: 4, or an op's `unroll` (the smooth ops, compute-bound,
// whose long bodies would only grow the code 4×), or for its two-input loop `unroll2`.
template <class O, int K = 1> struct UnrollOf {
  static constexpr size_t n = [] {
    if constexpr (K == 2 && requires { O::unroll2; }) return size_t(O::unroll2);
    else if constexpr (requires { O::unroll; }) return size_t(O::unroll);
    else return size_t(4);
  }();
};

// The one vector loop, U× unrolled, over the whole vectors of n elements: store(k, load(k))
// at offsets k = 0, L, .., (U-1)L from the caller's pointers, which advance(step) moves on; the
// loads of an iteration come before its stores. Pointer bumps, not x + i: Emscripten builds
// without loop strength reduction (-disable-lsr), and indexing cost relu 25 % at n = 4096.
// Returns the elements left (fewer than L).
// (Whole = true: n is a multiple of U L, and the loop for the last vectors is not compiled.)
// Always inlined: inlined late, its closures stayed in memory and the loop reloaded its
// pointers and the op's parameters from the stack on every vector (the fast tier's elu 1.7x
// slower).
template <size_t L, size_t U = 4, bool Whole = false, class Load, class Store, class Advance>
__attribute__((always_inline)) inline size_t vector_loop(size_t n, Load load, Store store, Advance advance) {
  if constexpr (U == 4) {
    for (; n >= 4 * L; n -= 4 * L, advance(4 * L)) {
      const auto v0 = load(0), v1 = load(L), v2 = load(2 * L), v3 = load(3 * L);
      store(0, v0);
      store(L, v1);
      store(2 * L, v2);
      store(3 * L, v3);
    }
  } else if constexpr (U == 2) {
    for (; n >= 2 * L; n -= 2 * L, advance(2 * L)) {
      const auto v0 = load(0), v1 = load(L);
      store(0, v0);
      store(L, v1);
    }
  }
  if constexpr (Whole && U > 1) return n;
  // At most three vectors (or all of them, U = 1): unrolling them only adds code.
  _Pragma("clang loop vectorize(disable) unroll(disable)")
  for (; n >= L; n -= L, advance(L)) store(0, load(0));
  return n;
}

struct Pair {
  v128_t a, b;
};
// The smooth family's last elements (m, fewer than a step of S) run by their loop itself,
// `again` (the loop's out-of-line function: its one copy of the kernel), on a block of S on the
// stack: the inputs' last elements, zeros after them. No scalar copy of the kernel is compiled
// for them (the whole build had one in every loop of the family: 5 KB).
template <size_t S, size_t K, class Again>
inline void padded_tail(const float* const (&in)[K], float* out, size_t m, Again again) {
  alignas(16) float pad[K + 1][S];
  for (size_t k = 0; k < K; ++k) {
    TAIL
    for (size_t i = 0; i < S; ++i) pad[k][i] = i < m ? in[k][i] : 0.0f;
  }
  again(pad);
  TAIL
  for (size_t i = 0; i < m; ++i) out[i] = pad[K][i];
}
// Two vectors a step (smooth.h simd2: the fast tier's long kernels, each operation done on
// both vectors before the next, where one vector's chain of dependent operations left the
// core idle: gelu 2x faster), over K inputs.
template <size_t K, class Kernel>
__attribute__((always_inline)) inline void pairs_loop(const float* (&in)[K], float* out, size_t n, Kernel kernel) {
  for (; n >= 8; n -= 8, out += 8) {
    const ff::F8 r = [&]<size_t... I>(std::index_sequence<I...>) { return kernel(ff::F8{LOAD(in[I]), LOAD(in[I] + 4)}...); }(std::make_index_sequence<K>());
    STORE(out, r.a.v), STORE(out + 4, r.b.v);
    for (size_t k = 0; k < K; ++k) in[k] += 8;
  }
}
// Vectors a step of a padded loop: two where the op has simd2.
template <class O, size_t K> constexpr bool pair_step = K == 1 ? requires(ff::F8 v, const params_t<O>& p) { O::simd2(v, p); } : requires(ff::F8 v, const params_t<O>& p) { O::simd2(v, v, p); };
template <class O, int F, class T> void map_loop_shared(const T* x, T* y, size_t n, const params_t<O>& p);
template <class O, int F, class T> void map2_loop_shared(const T* dy, const T* x, T* out, size_t n, const params_t<O>& p);
#endif

// The highest of an op's forms set in `valid` (a mask; bit 0, the general form, always set),
// and F itself where the op has form F, else 0: so a switch over forms compiles for any op.
template <class O> inline int best_form(unsigned valid) {
  constexpr int n = FormsOf<O>::n;
  return n > 2 && (valid & 4u) ? 2 : n > 1 && (valid & 2u) ? 1 : 0;
}
template <class O, int F> constexpr int form_or_0 = F < FormsOf<O>::n ? F : 0;

template <class O> inline unsigned valid_forms(const params_t<O>& p) {
  if constexpr (FormsOf<O>::n > 1) return O::valid_forms(p);
  else return 1u;
}

// The fast tier's forward loop (O::any_hard): blocks of kClearBlock elements. A block with no
// lane its float32 path leaves to the exact tier runs the vector kernel with no such test: no
// branch and no call in the loop (a call never taken still made a sigmoid loop 1.6x slower in
// V8, measured; it keeps no vector in a register across one). A block with one, and the tail
// (fewer than U vectors), run element by element (the scalar form: the same bits).
constexpr size_t kClearBlock = 64;
template <class O> concept checks_blocks = requires(const float* x, const params_t<O>& p) { O::any_hard(x, size_t(0), p); };
// The loops take the parameters by value: a copy the stores cannot alias, so what an op derives
// from them (a split, a mask) can be computed once, not per vector.
template <class O, int F, class T> void map_loop(const T* x, T* y, size_t n, const params_t<O> p) {
#ifdef __wasm_simd128__
  if constexpr (checks_blocks<O>) {
    constexpr size_t L = 16 / sizeof(T), U = UnrollOf<O>::n;
    for (size_t m; n; n -= m) {
      m = n < kClearBlock ? n : kClearBlock;
      const size_t v = m - m % (U * L);
      if (v && !O::any_hard(x, v, p)) {
        vector_loop<L, U, true>(v, [&](size_t k) { return LOAD(x + k); }, [&](size_t k, v128_t r) { STORE(y + k, O::clear_simd(r, p)); },
                                       [&](size_t step) { x += step, y += step; });
        m = v;
      } else {
        TAIL
        for (size_t i = 0; i < m; ++i) *y++ = scalar_op<O>(p, *x++);
      }
    }
    return;
  }
  if constexpr (padded<O, T>) {
    constexpr size_t S = pair_step<O, 1> ? 8 : 4;
    const size_t m = n % S;
    if constexpr (S == 8) {
      const float* in[1] = {x};
      pairs_loop(in, y, n - m, [&](ff::F8 v) { return O::simd2(v, p); });
      x = in[0], y += n - m;
    } else {
      vector_loop<4, UnrollOf<O>::n>(n - m, [&](size_t k) { return LOAD(x + k); }, [&](size_t k, v128_t v) { STORE(y + k, (simd_op<O, F>(p, v))); },
                                     [&](size_t step) { x += step, y += step; });
    }
    if (m) padded_tail<S>({x}, y, m, [&](float (&b)[2][S]) { map_loop_shared<O, F>(b[0], b[1], S, p); });
    return;
  } else {
    n = vector_loop<16 / sizeof(T), UnrollOf<O>::n>(n, [&](size_t k) { return LOAD(x + k); },
                                    [&](size_t k, v128_t v) { STORE(y + k, (simd_op<O, F>(p, v))); },
                                    [&](size_t step) { x += step, y += step; });
  }
#endif
  TAIL
  for (; n; --n) *y++ = scalar_op<O>(p, *x++);
}

// 16-bit floats (half.h): blocks widened to float32 on the stack, the op run there, rounded
// back; a block of 512 keeps the three passes in L1. Which float32 form runs:
//  - the selection ops (relu, reluGrad, reluBackward, clip and relu6, clipBackward,
//    thresholdedRelu and its backward) work on the bits themselves, no widening (Half<S>);
//  - the smooth ops share float32's loops (one copy of the code for three formats): the fast
//    tier's where it has one, each result kept where its proven bound decides the rounding to
//    the format (half.h: settles), and the exact tier's, told to round to odd (Params::odd) so
//    that rounding to the format afterwards is correct, on the vectors it does not decide;
//  - the others (leakyRelu, the hard ops, their backward passes) are float32's own kernel
//    with the parameters as float32 takes them, rounded once to the format: what PyTorch and
//    onnxruntime compute for a 16-bit tensor (widened, float32 arithmetic, one rounding).
constexpr size_t kHalfBlock = 512;
template <class S> __attribute__((noinline)) void widen_block(const S* x, float* w, size_t m) {
  size_t i = 0;
#ifdef __wasm_simd128__
  for (; i + 8 <= m; i += 8) {
    const hf::F2 f = hf::widen8(LOAD(x + i), S{});
    STORE(w + i, f.lo);
    STORE(w + i + 4, f.hi);
  }
#endif
  TAIL
  for (; i < m; ++i) w[i] = hf::widen(x[i]);
}
template <class S> __attribute__((noinline)) void narrow_block(const float* w, S* y, size_t m) {
  size_t i = 0;
#ifdef __wasm_simd128__
  for (; i + 8 <= m; i += 8) STORE(y + i, hf::narrow8(hf::F2{LOAD(w + i), LOAD(w + i + 4)}, S{}));
#endif
  TAIL
  for (; i < m; ++i) y[i] = hf::narrow<S>(w[i]);
}
// Selection ops declare a form on the 16-bit bits themselves (ops.h: Half<S>, built from the
// call's parameters), which needs no widening.
template <class O, class S> concept on_half_bits = requires { typename O::template Half<S>; };

template <class O, int F, class T> __attribute__((noinline)) void map_loop_shared(const T* x, T* y, size_t n, const params_t<O>& p) {
  map_loop<O, F>(x, y, n, p);
}
template <class O, int F, class T>
__attribute__((noinline)) void map2_loop_shared(const T* dy, const T* x, T* out, size_t n, const params_t<O>& p) {
  map2_loop<O, F>(dy, x, out, n, p);
}
template <template <class> class Op, class T, class... D> __attribute__((noinline)) void map(const T* x, T* y, size_t n, D... params);
template <template <class> class Op, class T, class... D> __attribute__((noinline)) void map2(const T* dy, const T* x, T* out, size_t n, D... params);

// The float32 form (see above) on blocks of widened 16-bit data: run(buf, m) with the blocks
// buf[k] widened from ins[k], and buf[K] (the result) narrowed into `y`.
template <class S, size_t K, class Run>
void on_blocks(const S* const (&ins)[K], S* y, size_t n, Run run) {
  alignas(16) float buf[K + 1][kHalfBlock];
  for (size_t i = 0, m; i < n; i += m) {
    m = n - i < kHalfBlock ? n - i : kHalfBlock;
    for (size_t k = 0; k < K; ++k) widen_block(ins[k] + i, buf[k], m);
    run(buf, m);
    narrow_block(buf[K], y + i, m);
  }
}

// The fast tier's bound (js/ops.js PRECISION_ULPS.fast: forward ops, backward passes), in ulps
// of the correctly rounded result, proven at dy = 1; tests/half.test.mjs checks the two agree.
// How far, in float32 steps, a result r lies from the real value v (steps a binade below v
// are half as wide): forward, |r - v| <= (B + 1/2) ulp(v), 2B + 1 steps; backward, dy times
// f' within B + 1/2 of its ulps is within 2B + 1 of the product's (|dy| ulp(f') < 2 ulp(dy f')),
// plus r's own rounding: 4B + 3 steps. k (kFastSteps) leaves a margin over both.
constexpr uint32_t kFastUlps[2] = {2, 3};
constexpr uint32_t kFastSteps[2] = {4 * kFastUlps[0], 4 * kFastUlps[1] + 4};
// Per vector of y (the fast tier's results), whether its lanes settle (half.h); where not, the
// exact tier again on that vector's inputs: run(i, count).
template <class S, class Exact> __attribute__((noinline)) void settle(const float* y, size_t m, uint32_t k, Exact exact) {
  size_t i = 0;
#ifdef __wasm_simd128__
  for (; i + 4 <= m; i += 4)
    if (!hf::settle4<S>(LOAD(y + i), k)) exact(i, 4);
#endif
  TAIL
  for (; i < m; ++i)
    if (!hf::settles<S>(y[i], k)) exact(i, 1);
}

// The smooth ops on the 16-bit formats (see above), one copy per format and arity K: the op's
// float32 loops come by pointer (HalfLoops: exact, and fast where the function has it, on K
// input blocks), so an op adds two small thunks, not its own copy of the blocks, the widening
// and the settling (which kept the wasm with every kernel past 244 KiB, webpack's warning).
struct HalfLoops {
  void (*exact)(const float* const* in, float* y, size_t m, const void* p);
  void (*fast)(const float* const* in, float* y, size_t m, const void* p);  // null: none
  const void* p;  // the op's params_t
  uint32_t steps; // kFastSteps of the kind
};
template <class O, size_t K, bool F> void run_loop(const float* const* in, float* y, size_t m, const void* vp) {
  const params_t<O>& p = *static_cast<const params_t<O>*>(vp);
  if constexpr (F) {
    if constexpr (K == 1) map_loop_shared<typename O::Fast, 0>(in[0], y, m, p);
    else map2_loop_shared<typename O::Fast, 0>(in[0], in[1], y, m, p);
  } else {
    if constexpr (K == 1) map_loop_shared<O, 0>(in[0], y, m, p);
    else map2_loop_shared<O, 0>(in[0], in[1], y, m, p);
  }
}
template <class S, size_t K> __attribute__((noinline)) void smooth_half(const S* const (&ins)[K], S* y, size_t n, const HalfLoops& L) {
  on_blocks<S, K>(ins, y, n, [&](float (*b)[kHalfBlock], size_t m) {
    const auto exact = [&](size_t i, size_t c) {
      const float* in[K];
      for (size_t k = 0; k < K; ++k) in[k] = b[k] + i;
      L.exact(in, b[K] + i, c, L.p);
    };
    if (L.fast != nullptr) {
      const float* in[K];
      for (size_t k = 0; k < K; ++k) in[k] = b[k];
      L.fast(in, b[K], m, L.p);
      return settle<S>(b[K], m, L.steps, exact);
    }
    exact(0, m);
  });
}

template <template <class> class Op, class S, class... D> void map_half(const S* x, S* y, size_t n, D... params) {
  using O = Op<float>;
  if constexpr (on_half_bits<O, S>) {
    const typename O::template Half<S> h(params...);
#ifdef __wasm_simd128__
    n = vector_loop<8>(n, [&](size_t k) { return LOAD(x + k); }, [&](size_t k, v128_t v) { STORE(y + k, h.simd(v)); },
                       [&](size_t step) { x += step, y += step; });
#endif
    TAIL
    for (; n; --n, ++x, ++y) y->b = h.scalar(x->b);
  } else if constexpr (shared_smooth<O>) {
    params_t<O> p{params...};
    p.odd = true;
    HalfLoops L{&run_loop<O, 1, false>, nullptr, &p, kFastSteps[0]};
    if constexpr (O::fast_kernels)
      if (O::fast_for(p)) L.fast = &run_loop<O, 1, true>;
    smooth_half<S, 1>({x}, y, n, L);
  } else {
    on_blocks<S, 1>({x}, y, n, [&](float (*b)[kHalfBlock], size_t m) { map<Op, float>(b[0], b[1], m, params...); });
  }
}

template <template <class> class Op, class S, class... D> void map2_half(const S* dy, const S* x, S* out, size_t n, D... params) {
  using O = Op<float>;
  if constexpr (on_half_bits<O, S>) {
    const typename O::template Half<S> h(params...);
#ifdef __wasm_simd128__
    n = vector_loop<8>(n, [&](size_t k) { return Pair{LOAD(dy + k), LOAD(x + k)}; },
                       [&](size_t k, Pair v) { STORE(out + k, h.simd(v.a, v.b)); },
                       [&](size_t step) { dy += step, x += step, out += step; });
#endif
    TAIL
    for (; n; --n, ++dy, ++x, ++out) out->b = h.scalar(dy->b, x->b);
  } else if constexpr (shared_smooth<O>) {
    params_t<O> p{params...};
    p.odd = true;
    HalfLoops L{&run_loop<O, 2, false>, nullptr, &p, kFastSteps[1]};
    if constexpr (O::fast_kernels2)
      if (O::fast_for2(p)) L.fast = &run_loop<O, 2, true>;
    smooth_half<S, 2>({dy, x}, out, n, L);
  } else {
    on_blocks<S, 2>({dy, x}, out, n, [&](float (*b)[kHalfBlock], size_t m) { map2<Op, float>(b[0], b[1], b[2], m, params...); });
  }
}

// noinline: the 16-bit kernels call float32's rather than copy it.
template <template <class> class Op, class T, class... D>
__attribute__((noinline)) void map(const T* x, T* y, size_t n, D... params) {
  if constexpr (is_half<T>) {
    return map_half<Op>(x, y, n, params...);
  } else {
  using O = Op<T>;
  const params_t<O> p{params...};
  if constexpr (shared_smooth<O>) {
    if constexpr (O::fast_kernels)
      if (p.precision != 0 && O::fast_for(p)) return map_loop_shared<typename O::Fast, 0>(x, y, n, p);
    return map_loop_shared<O, 0>(x, y, n, p);
  }
  switch (best_form<O>(valid_forms<O>(p))) {
    case 2: return map_loop<O, form_or_0<O, 2>>(x, y, n, p);
    case 1: return map_loop<O, form_or_0<O, 1>>(x, y, n, p);
    default: return map_loop<O, 0>(x, y, n, p);
  }
  }
}

template <class O, int F, class T> void map2_loop(const T* dy, const T* x, T* out, size_t n, const params_t<O> p) {
#ifdef __wasm_simd128__
  if constexpr (padded<O, T>) {
    constexpr size_t S = pair_step<O, 2> ? 8 : 4;
    const size_t m = n % S;
    if constexpr (S == 8) {
      const float* in[2] = {dy, x};
      pairs_loop(in, out, n - m, [&](ff::F8 a, ff::F8 b) { return O::simd2(a, b, p); });
      dy = in[0], x = in[1], out += n - m;
    } else {
      vector_loop<4, UnrollOf<O, 2>::n>(n - m, [&](size_t k) { return Pair{LOAD(dy + k), LOAD(x + k)}; },
                                        [&](size_t k, Pair v) { STORE(out + k, (simd_op<O, F>(p, v.a, v.b))); },
                                        [&](size_t step) { dy += step, x += step, out += step; });
    }
    if (m) padded_tail<S>({dy, x}, out, m, [&](float (&b)[3][S]) { map2_loop_shared<O, F>(b[0], b[1], b[2], S, p); });
    return;
  } else {
    n = vector_loop<16 / sizeof(T), UnrollOf<O, 2>::n>(n, [&](size_t k) { return Pair{LOAD(dy + k), LOAD(x + k)}; },
                                    [&](size_t k, Pair v) { STORE(out + k, (simd_op<O, F>(p, v.a, v.b))); },
                                    [&](size_t step) { dy += step, x += step, out += step; });
  }
#endif
  TAIL
  for (; n; --n) *out++ = scalar_op<O>(p, *dy++, *x++);
}

template <template <class> class Op, class T, class... D>
__attribute__((noinline)) void map2(const T* dy, const T* x, T* out, size_t n, D... params) {
  if constexpr (is_half<T>) {
    return map2_half<Op>(dy, x, out, n, params...);
  } else {
  using O = Op<T>;
  const params_t<O> p{params...};
  if constexpr (shared_smooth<O>) {
    if constexpr (O::fast_kernels2)
      if (p.precision != 0 && O::fast_for2(p)) return map2_loop_shared<typename O::Fast, 0>(dy, x, out, n, p);
    return map2_loop_shared<O, 0>(dy, x, out, n, p);
  }
  switch (best_form<O>(valid_forms<O>(p))) {
    case 2: return map2_loop<O, form_or_0<O, 2>>(dy, x, out, n, p);
    case 1: return map2_loop<O, form_or_0<O, 1>>(dy, x, out, n, p);
    default: return map2_loop<O, 0>(dy, x, out, n, p);
  }
  }
}

// The gated kind's packed form: gate and up in one array x, out[i] = f(gate)·up for n outputs.
// layout: 0 / 1 halves (rows of `width` = 2h elements, the gate the first / second half of
// each: PyTorch's F.glu(x, -1) is gate second), 2 / 3 interleaved (pairs, the gate first /
// second: GPT-OSS is gate first). GPT-OSS's clamp, gate <= limit and -limit <= up <= limit,
// and upBias added to up (the sum rounded to the format, as an unfused graph has it) are
// applied while gathering blocks of gate and up, which the gated kernel (map2) then runs on;
// halves without them need no gathering: the kernel on each row's two halves.
// gated2 (the gated ops' backward passes): two results per element, dgate and dup, from dy,
// gate and up, each output allowed to be one of the inputs (in place). regluBackward: one loop,
// loads before stores. The smooth ones (gated_backward: Forward, dgate) in blocks on the stack:
// dup by the forward op's own loop on (gate, dy), dy's NaNs then put first, dgate by its loop,
// each at the call's precision on float32; then both stored. The 16-bit formats: blocks widened, float32's loops told to round to odd
// (smooth) or float32's arithmetic rounded once (regluBackward, PyTorch's), narrowed.
template <class O> concept split_gated2 = requires { typename O::Forward; };
// (noinline: the 16-bit kernels call float32's loops rather than copy them)
template <class O, class T> __attribute__((noinline)) void gated2_loop(const T* dy, const T* g, const T* u, T* dg, T* du, size_t n, const params_t<O>&) {
#ifdef __wasm_simd128__
  constexpr size_t L = 16 / sizeof(T);
  for (; n >= L; n -= L, dy += L, g += L, u += L, dg += L, du += L) {
    v128_t a, b;
    O::simd(LOAD(dy), LOAD(g), LOAD(u), a, b);
    STORE(dg, a);
    STORE(du, b);
  }
#endif
  TAIL
  for (; n; --n) {
    T a, b;
    O::scalar(*dy++, *g++, *u++, a, b);
    *dg++ = a;
    *du++ = b;
  }
}
template <class O> __attribute__((noinline)) void dgate_loop(const float* dy, const float* g, const float* u, float* dg, size_t n, const params_t<O>& p) {
#ifdef __wasm_simd128__
  if constexpr (requires(ff::F8 v) { O::dgate2(v, v, v, p); }) {
    const size_t m = n % 8;
    const float* in[3] = {dy, g, u};
    pairs_loop(in, dg, n - m, [&](ff::F8 a, ff::F8 b, ff::F8 c) { return O::dgate2(a, b, c, p); });
    if (m) padded_tail<8>({in[0], in[1], in[2]}, dg + n - m, m, [&](float (&b)[4][8]) { dgate_loop<O>(b[0], b[1], b[2], b[3], 8, p); });
    return;
  }
  for (; n >= 4; n -= 4, dy += 4, g += 4, u += 4, dg += 4) STORE(dg, O::dgate(LOAD(dy), LOAD(g), LOAD(u), p));
#endif
  TAIL
  for (; n; --n) *dg++ = O::dgate(*dy++, *g++, *u++, p);
}
// dy's NaNs (quieted) over du's results: the backward passes' NaN order.
inline __attribute__((noinline)) void dy_nan_first(const float* dy, float* du, size_t n) {
  size_t i = 0;
#ifdef __wasm_simd128__
  for (; i + 4 <= n; i += 4) {
    const v128_t d = LOAD(dy + i);
    STORE(du + i, wasm_v128_bitselect(wasm_v128_or(d, wasm_i32x4_splat(0x00400000)), LOAD(du + i), wasm_f32x4_ne(d, d)));
  }
#endif
  TAIL
  for (; i < n; ++i)
    if (dy[i] != dy[i]) du[i] = quiet(dy[i]);
}
// (fast: precision 'fast' on float32, where the function has the fast tier's kernels)
template <class O> void gated2_blocks(const float* dy, const float* g, const float* u, float* dg, float* du, size_t n, const params_t<O>& p, bool fast) {
  alignas(16) float a[kHalfBlock], b[kHalfBlock];
  for (size_t i = 0, m; i < n; i += m) {
    m = n - i < kHalfBlock ? n - i : kHalfBlock;
    bool done = false;
    if constexpr (O::fast_kernels2) {
      if (fast) {
        map2_loop_shared<typename O::Forward::Fast, 0>(g + i, dy + i, b, m, p);
        dgate_loop<typename O::Fast>(dy + i, g + i, u + i, a, m, p);
        done = true;
      }
    }
    if (!done) {
      map2_loop_shared<typename O::Forward, 0>(g + i, dy + i, b, m, p);
      dgate_loop<O>(dy + i, g + i, u + i, a, m, p);
    }
    dy_nan_first(dy + i, b, m);
    __builtin_memcpy(dg + i, a, m * sizeof(float));
    __builtin_memcpy(du + i, b, m * sizeof(float));
  }
}
template <template <class> class Op, class T, class... D>
__attribute__((noinline)) void gated2(const T* dy, const T* g, const T* u, T* dg, T* du, size_t n, D... params) {
  using O = Op<std::conditional_t<is_half<T>, float, T>>;
  params_t<O> p{params...};
  if constexpr (!is_half<T>) {
    if constexpr (split_gated2<O>) gated2_blocks<O>(dy, g, u, dg, du, n, p, p.precision != 0 && O::fast_for2(p));
    else gated2_loop<O>(dy, g, u, dg, du, n, p);
  } else {
    if constexpr (shared_smooth<O>) p.odd = true;
    alignas(16) float b[5][kHalfBlock];
    for (size_t i = 0, m; i < n; i += m) {
      m = n - i < kHalfBlock ? n - i : kHalfBlock;
      widen_block(dy + i, b[0], m);
      widen_block(g + i, b[1], m);
      widen_block(u + i, b[2], m);
      if constexpr (split_gated2<O>) gated2_blocks<O>(b[0], b[1], b[2], b[3], b[4], m, p, false);  // (correctly rounded)
      else gated2_loop<O>(b[0], b[1], b[2], b[3], b[4], m, p);
      narrow_block(b[3], dg + i, m);
      narrow_block(b[4], du + i, m);
    }
  }
}

constexpr size_t kPackBlock = 512;
template <class T> struct Gather {
  bool clamps, biased;
  T lim, nlim, bias;
  static T of(double v) {
    if constexpr (is_half<T>) return hf::round<T>(v);
    else return T(v);
  }
  Gather(double limit, double upBias) : clamps(limit < __builtin_inf()), biased(upBias != 0), lim(of(limit)), nlim(of(-limit)), bias(of(upBias)) {}
  T gate(T g) const {
    if constexpr (is_half<T>) return clamps && hf::widen(g) > hf::widen(lim) ? lim : g;
    else return clamps ? pick(g > lim, lim, g) : g;
  }
  T up(T u) const {
    if constexpr (is_half<T>) {
      // (two values of a 16-bit format sum exactly in double; one rounding to the format)
      float v = hf::widen(u);
      if (clamps) v = v < hf::widen(nlim) ? hf::widen(nlim) : v > hf::widen(lim) ? hf::widen(lim) : v;
      return biased ? hf::round<T>(double(v) + double(hf::widen(bias))) : clamps ? hf::narrow<T>(v) : u;
    } else {
      if (clamps) u = pick(u < nlim, nlim, pick(u > lim, lim, u));
      return biased ? u + bias : u;
    }
  }
#ifdef __wasm_simd128__
  // The same on vectors (floats: pmin(g, lim) is lim < g ? lim : g, NaN kept, as pick above).
  static constexpr bool vectors = !is_half<T>;
  v128_t gate(v128_t g) const {
    if constexpr (vectors) return clamps ? Vec<T>::pmin(g, Vec<T>::splat(lim)) : g;
    else return g;
  }
  v128_t up(v128_t u) const {
    if constexpr (vectors) {
      if (clamps) u = Vec<T>::pmin(Vec<T>::pmax(u, Vec<T>::splat(nlim)), Vec<T>::splat(lim));
      return biased ? Vec<T>::add(u, Vec<T>::splat(bias)) : u;
    } else {
      return u;
    }
  }
#endif
};
#ifdef __wasm_simd128__
// Two vectors of pairs (a, b) into the pairs' first elements (e) and second ones (o).
template <size_t B> inline void deal(v128_t a, v128_t b, v128_t& e, v128_t& o) {
  if constexpr (B == 8) e = wasm_i64x2_shuffle(a, b, 0, 2), o = wasm_i64x2_shuffle(a, b, 1, 3);
  else if constexpr (B == 4) e = wasm_i32x4_shuffle(a, b, 0, 2, 4, 6), o = wasm_i32x4_shuffle(a, b, 1, 3, 5, 7);
  else e = wasm_i16x8_shuffle(a, b, 0, 2, 4, 6, 8, 10, 12, 14), o = wasm_i16x8_shuffle(a, b, 1, 3, 5, 7, 9, 11, 13, 15);
}
#endif
// One block of gate and up gathered (and clamped, biased) from x: per element type, not per op.
template <class T>
__attribute__((noinline)) void gather(const T* x, T* g, T* u, size_t r, size_t i, size_t m, size_t h, bool interleaved, size_t go, const Gather<T>& c) {
  // interleaved: pair k at p[2k]; halves: gate at pg[k], up at pu[k]
  const T* p = x + 2 * (r + i);
  const T* pg = x + 2 * r + go * h + i;
  const T* pu = x + 2 * r + (1 - go) * h + i;
  size_t k = 0;
#ifdef __wasm_simd128__
  constexpr size_t L = 16 / sizeof(T);
  if (Gather<T>::vectors || !(c.clamps || c.biased)) {
    for (; k + L <= m; k += L) {
      v128_t gv, uv;
      if (interleaved) {
        v128_t e, o;
        deal<sizeof(T)>(LOAD(p + 2 * k), LOAD(p + 2 * k + L), e, o);
        gv = go ? o : e, uv = go ? e : o;
      } else {
        gv = LOAD(pg + k), uv = LOAD(pu + k);
      }
      STORE(g + k, c.gate(gv));
      STORE(u + k, c.up(uv));
    }
  }
#endif
  TAIL
  for (; k < m; ++k) {
    g[k] = c.gate(interleaved ? p[2 * k + go] : pg[k]);
    u[k] = c.up(interleaved ? p[2 * k + 1 - go] : pu[k]);
  }
}
template <template <class> class Op, class T, class... D>
__attribute__((noinline)) void packed(const T* x, T* out, size_t n, double width, double layout, double limit, double upBias, D... params) {
  const int code = int(layout);
  const bool second = code & 1, interleaved = code & 2;
  const Gather<T> c(limit, upBias);
  const size_t h = interleaved ? n : size_t(width) / 2;
  if (h == 0) return;
  const size_t go = second ? 1 : 0;  // (interleaved: the gate's place in a pair; halves: which half)
  if (!interleaved && !c.clamps && !c.biased) {
    for (size_t r = 0; r < n; r += h) map2<Op, T>(x + 2 * r + go * h, x + 2 * r + (1 - go) * h, out + r, h, params...);
    return;
  }
  alignas(16) T g[kPackBlock], u[kPackBlock];
  for (size_t r = 0; r < n; r += h) {
    for (size_t i = 0, m; i < h; i += m) {
      m = h - i < kPackBlock ? h - i : kPackBlock;
      gather(x, g, u, r, i, m, h, interleaved, go, c);
      map2<Op, T>(g, u, out + r + i, m, params...);
    }
  }
}

// The gated backward passes' packed form (js/kinds/gated2-packed.js runs the gated2 kernel
// between these, a block at a time): unpack, outputs [start, start + m) of x's gate and up
// into g and u, clamped and biased as the forward pass reads them; pack, dgate and dup back to
// their places in dx, zero where the clamp held the input (PyTorch's clamp backward: the
// gradient passes where gate <= limit and -limit <= up <= limit; a NaN there gives 0).
// Layouts as `packed`'s. Per element type, not per op.
struct PackWalk {
  size_t h, go;
  bool interleaved;
  PackWalk(double width, double layout, size_t end) : go(int(layout) & 1), interleaved(int(layout) & 2) { h = interleaved ? end : size_t(width) / 2; }
  // f(k, j, r, len) over the runs of outputs [start, start + m) within one row (r: its first
  // output; j: k - start); interleaved pairs are one run.
  template <class F> void rows(size_t start, size_t m, F f) const {
    for (size_t k = start, len; k < start + m; k += len) {
      const size_t r = interleaved ? 0 : k / h * h;
      len = interleaved ? m : r + h - k < start + m - k ? r + h - k : start + m - k;
      f(k, k - start, r, len);
    }
  }
};
template <class T>
void unpack(const T* x, T* g, T* u, size_t start, size_t m, double width, double layout, double limit, double upBias) {
  const PackWalk w(width, layout, start + m);
  const Gather<T> c(limit, upBias);
  w.rows(start, m, [&](size_t k, size_t j, size_t r, size_t len) { gather(x, g + j, u + j, r, k - r, len, w.h, w.interleaved, w.go, c); });
}
template <class T>
void pack(const T* dg, const T* du, const T* x, T* dx, size_t start, size_t m, double width, double layout, double limit) {
  const PackWalk w(width, layout, start + m);
  const bool clamps = limit < __builtin_inf();
  const auto value = [](T v) -> double {
    if constexpr (is_half<T>) return hf::widen(v);
    else return v;
  };
  TAIL  // (element by element: a scatter, and small beside the gated kernel between)
  for (size_t j = 0; j < m; ++j) {
    const size_t k = start + j, r = w.interleaved ? 0 : k / w.h * w.h;
    const size_t pg = w.interleaved ? 2 * k + w.go : 2 * r + w.go * w.h + k - r;
    const size_t pu = w.interleaved ? 2 * k + 1 - w.go : 2 * r + (1 - w.go) * w.h + k - r;
    dx[pg] = clamps && !(value(x[pg]) <= limit) ? T{} : dg[j];
    dx[pu] = clamps && !(value(x[pu]) >= -limit && value(x[pu]) <= limit) ? T{} : du[j];
  }
}

template <template <class> class Op, class T>
void bulk(const T* x, T* y, size_t n) {
  __builtin_memcpy(y, x, n * sizeof(T));  // memory.copy with -mbulk-memory (SIMD build)
}

// The channel of element i (counted from `phase`, the index of x[0] in the whole array, so
// JS can stream chunks) is c = (i / inner) mod C: inner == 1 is channels-last (NHWC),
// inner > 1 channels-first (NCHW).
inline size_t next_channel(size_t c, size_t C) { return c + 1 == C ? 0 : c + 1; }

// channel (prelu): Op with its one parameter taken per channel from slope[c]. Channels-first:
// each run of `inner` elements shares one parameter. Channels-last: the slope repeats with
// period C, so it is tiled into `tiled` (JS's, room for lcm(C, 4L) elements, L = lanes) to a
// period that is also a whole number of 4-vector steps, one slope vector per vector.
template <class O, int F, class T>
void channel_loop(const T* x, const T* slope, [[maybe_unused]] T* tiled, T* y, size_t n, size_t C, size_t inner, size_t phase) {
  using P = params_t<O>;
  size_t c = phase / inner % C;
  if (inner > 1) {
    for (size_t run = inner - phase % inner; n; n -= run, x += run, y += run, run = inner, c = next_channel(c, C)) {
      if (run > n) run = n;
      const P p{Param<T>(double(slope[c]))};
      const T* xr = x;
      T* yr = y;
      size_t m = run;
#ifdef __wasm_simd128__
      m = vector_loop<16 / sizeof(T)>(m, [&](size_t k) { return LOAD(xr + k); },
                                      [&](size_t k, v128_t v) { STORE(yr + k, (simd_op<O, F>(p, v))); },
                                      [&](size_t step) { xr += step, yr += step; });
#endif
      TAIL
      for (; m; --m) *yr++ = scalar_op<O>(p, *xr++);
    }
    return;
  }
  // Up to the next channel 0, so the tiled body starts in phase.
  for (; c != 0 && n; --n, ++x, ++y, c = next_channel(c, C)) *y = scalar_op<O>(P{Param<T>(double(slope[c]))}, *x);
#ifdef __wasm_simd128__
  constexpr size_t L = 16 / sizeof(T);
  size_t period = C;
  while (period % (4 * L)) period += C;
  const T* sp = slope;
  if (period != C) {
    for (size_t j = 0; j < period; ++j) tiled[j] = slope[j % C];
    sp = tiled;
  }
  for (; n >= period; n -= period) {
    const T* s = sp;  // x and y move on by the whole period (a whole number of 4-vector steps)
    vector_loop<L>(period, [&](size_t k) { return Pair{LOAD(x + k), LOAD(s + k)}; },
                   [&](size_t k, Pair v) { STORE(y + k, (simd_op<O, F>(P{Param<T>::lanes(v.b)}, v.a))); },
                   [&](size_t step) { x += step, y += step, s += step; });
  }
#endif
  TAIL
  for (size_t j = 0; j < n; ++j, c = next_channel(c, C)) y[j] = scalar_op<O>(P{Param<T>(double(slope[c]))}, x[j]);
}

// The channel kinds on 16-bit floats: blocks widened as map_half does, each element's slope
// widened beside it (channel c = (phase + i) / inner mod C), the float32 op's general form
// with the slopes as per-lane parameters, rounded back (one float32 product: the format's own
// arithmetic). Backward: the sums of x dy stay in double, as for float32.
struct ChannelWalk {
  size_t c, left, C, inner;  // the channel, elements left in its run
  ChannelWalk(size_t phase, size_t C_, size_t inner_) : c(phase / inner_ % C_), left(inner_ - phase % inner_), C(C_), inner(inner_) {}
  size_t next() {
    const size_t k = c;
    if (--left == 0) left = inner, c = next_channel(c, C);
    return k;
  }
};
template <template <class> class Op, class S>
void channel_half(const S* x, const S* slope, S* y, size_t n, size_t C, size_t inner, size_t phase) {
  using O = Op<float>;
  using P = params_t<O>;
  ChannelWalk w(phase, C, inner);
  alignas(16) float xb[kHalfBlock], sb[kHalfBlock];
  for (size_t i = 0, m; i < n; i += m) {
    m = n - i < kHalfBlock ? n - i : kHalfBlock;
    widen_block(x + i, xb, m);
    for (size_t j = 0; j < m; ++j) sb[j] = hf::widen(slope[w.next()]);
    size_t j = 0;
#ifdef __wasm_simd128__
    for (; j + 4 <= m; j += 4) STORE(xb + j, (O::template simd<0>(LOAD(xb + j), P{Param<float>::lanes(LOAD(sb + j))})));
#endif
    TAIL
    for (; j < m; ++j) xb[j] = O::scalar(xb[j], P{Param<float>(double(sb[j]))});
    narrow_block(xb, y + i, m);
  }
}
template <template <class> class Op, class S>
void channel2_half(const S* dy, const S* x, const S* slope, S* dx, double* acc, size_t n, size_t C, size_t inner, size_t phase) {
  using O = Op<float>;
  using P = params_t<O>;
  ChannelWalk w(phase, C, inner);
  alignas(16) float db[kHalfBlock], xb[kHalfBlock], sb[kHalfBlock];
  for (size_t i = 0, m; i < n; i += m) {
    m = n - i < kHalfBlock ? n - i : kHalfBlock;
    widen_block(dy + i, db, m);
    widen_block(x + i, xb, m);
    for (size_t j = 0; j < m; ++j) {
      const size_t c = w.next();
      sb[j] = hf::widen(slope[c]);
      acc[c] += O::alpha_grad(db[j], xb[j]);
    }
    size_t j = 0;
#ifdef __wasm_simd128__
    for (; j + 4 <= m; j += 4) STORE(db + j, O::simd(LOAD(db + j), LOAD(xb + j), P{Param<float>::lanes(LOAD(sb + j))}));
#endif
    TAIL
    for (; j < m; ++j) db[j] = O::scalar(db[j], xb[j], P{Param<float>(double(sb[j]))});
    narrow_block(db, dx + i, m);
  }
}

template <template <class> class Op, class T>
void channel(const T* x, const T* slope, T* tiled, T* y, size_t n, size_t C, size_t inner, size_t phase) {
  if constexpr (is_half<T>) {
    return channel_half<Op>(x, slope, y, n, C, inner, phase);
  } else {
  using O = Op<T>;
  // float64 (rare in inference) runs the general form only: its other forms' tiled loops
  // cost the whole build 3 KB it needs for other kernels.
  if constexpr (sizeof(T) == 8) return channel_loop<O, 0>(x, slope, tiled, y, n, C, inner, phase);
  unsigned valid = ~0u;
  if constexpr (FormsOf<O>::n > 1) {
    size_t c = 0;
#ifdef __wasm_simd128__
    // A vector of channels at a time where the op says which forms suit each lane: one
    // channel at a time cost ~1 ns each, a visible share of a call at C = 64.
    if constexpr (requires(v128_t v) { O::valid_forms(v); }) {
      constexpr size_t L = 16 / sizeof(T);
      v128_t all = wasm_i64x2_const(-1, -1);
      for (; c + L <= C; c += L) all = wasm_v128_and(all, O::valid_forms(LOAD(slope + c)));
      valid = Vec<T>::and_lanes(all);
    }
#endif
    for (; c < C; ++c) valid &= valid_forms<O>(params_t<O>{Param<T>(double(slope[c]))});
  }
  switch (best_form<O>(valid)) {
    case 2: return channel_loop<O, form_or_0<O, 2>>(x, slope, tiled, y, n, C, inner, phase);
    case 1: return channel_loop<O, form_or_0<O, 1>>(x, slope, tiled, y, n, C, inner, phase);
    default: return channel_loop<O, 0>(x, slope, tiled, y, n, C, inner, phase);
  }
  }
}

// channel2 (preluBackward): dx = Op(dy, x) with Op's one parameter per channel, and
// acc[c] += Op::alpha_grad summed over channel c, in double. Channels as in `channel`. The
// caller zeroes acc once, then may stream chunks.
template <template <class> class Op, class T>
void channel2(const T* dy, const T* x, const T* slope, T* dx, double* acc, size_t n, size_t C, size_t inner,
              size_t phase) {
  if constexpr (is_half<T>) {
    return channel2_half<Op>(dy, x, slope, dx, acc, n, C, inner, phase);
  } else {
  using O = Op<T>;
  using P = params_t<O>;
  size_t c = phase / inner % C;
  // One element: read before writing, since dx may alias dy or x.
  const auto one = [&](size_t j, const P& p, double& sum) {
    const T xv = x[j], dv = dy[j];
    sum += O::alpha_grad(dv, xv);
    dx[j] = O::scalar(dv, xv, p);
  };
#ifdef __wasm_simd128__
  constexpr size_t L = 16 / sizeof(T);
  if (inner == 1 && C % L == 0) {
    // Channels-last, whole vectors per row. Blocks of rows that fit in L1, walked one channel
    // vector at a time down the rows, keep each channel's sums in registers: a per-row
    // read-modify-write of acc would cost two extra stores per vector.
    for (; c != 0 && n; --n, ++x, ++dy, ++dx, c = next_channel(c, C)) one(0, P{Param<T>(double(slope[c]))}, acc[c]);
    const size_t block = C * (C * sizeof(T) >= 8192 ? 1 : 8192 / (C * sizeof(T)));
    for (; n >= C;) {
      const size_t m = n >= block ? block : n - n % C;
      for (size_t j = 0; j < C; j += L) {
        const v128_t vs = LOAD(slope + j);
        const P p{Param<T>::lanes(vs)};
        v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
        for (size_t r = j; r < m; r += C) {
          const v128_t vx = LOAD(x + r), vd = LOAD(dy + r);
          O::add_alpha_grad(vd, vx, s0, s1);
          STORE(dx + r, O::simd(vd, vx, p));
        }
        STORE(acc + j, wasm_f64x2_add(LOAD(acc + j), s0));
        if (sizeof(T) == 4) STORE(acc + j + 2, wasm_f64x2_add(LOAD(acc + j + 2), s1));
      }
      n -= m, x += m, dy += m, dx += m;
    }
  }
#endif
  const size_t seg = inner > 1 ? inner : 1;
  for (size_t run = seg - phase % seg; n; n -= run, x += run, dy += run, dx += run, run = seg, c = next_channel(c, C)) {
    if (run > n) run = n;
    const P p{Param<T>(double(slope[c]))};
    size_t j = 0;
    double sum = 0;
#ifdef __wasm_simd128__
    if (run >= L) {
      v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
      for (; j + L <= run; j += L) {
        const v128_t vx = LOAD(x + j), vd = LOAD(dy + j);
        O::add_alpha_grad(vd, vx, s0, s1);
        STORE(dx + j, O::simd(vd, vx, p));
      }
      const v128_t t = wasm_f64x2_add(s0, s1);
      sum = wasm_f64x2_extract_lane(t, 0) + wasm_f64x2_extract_lane(t, 1);
    }
#endif
    TAIL
    for (; j < run; ++j) one(j, p, sum);
    acc[c] += sum;
  }
  }
}

// count (activity, deadUnits): counts[u] += 1 for every element of unit u where Op holds,
// where y is row-major [rows, units] and element i (counted from `phase`, the index of y[0]
// in the whole matrix) is in unit (i mod units). The caller zeroes counts once.
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

// Lane-wise c - m, for a mask m (a true lane is -1, so this counts).
template <class T> inline v128_t sub_lanes(v128_t c, v128_t m) {
  if constexpr (sizeof(T) == 1) return wasm_i8x16_sub(c, m);
  else if constexpr (sizeof(T) == 2) return wasm_i16x8_sub(c, m);
  else if constexpr (sizeof(T) == 4) return wasm_i32x4_sub(c, m);
  else return wasm_i64x2_sub(c, m);
}
#endif

template <template <class> class Op, class T>
void count(const T* y, uint32_t* counts, size_t n, size_t units, size_t phase) {
  using O = Op<T>;
  size_t u = phase % units;
  for (; u != 0 && n; --n, ++y, u = next_channel(u, units)) counts[u] += O::scalar(*y);
  size_t rows = n / units;
  n -= rows * units;
#ifdef __wasm_simd128__
  // Blocks of rows that fit in L1 (and at most 255, so 8-bit lanes cannot overflow), walked
  // one vector of units at a time down the rows: each lane counts in a register, widened into
  // counts once per block. (The 16-bit floats, a diagnostic on a rare dtype, element by
  // element: their vector code cost the whole build 3 KB it needs for other kernels.)
  if constexpr (!is_half<T>) {
  constexpr size_t L = 16 / sizeof(T);
  const size_t vu = units - units % L;
  const size_t fit = 8192 / (units * sizeof(T));
  const size_t block = fit < 1 ? 1 : fit > 255 ? 255 : fit;
  const v128_t zero = wasm_i64x2_const(0, 0);
  for (; rows;) {
    const size_t rb = rows < block ? rows : block;
    for (size_t j = 0; j < vu; j += L) {
      v128_t c0 = zero, c1 = zero;
      const T* p = y + j;
      size_t r = 0;
      for (; r + 4 <= rb; r += 4, p += 4 * units) {
        const v128_t m0 = O::simd(LOAD(p)), m1 = O::simd(LOAD(p + units));
        const v128_t m2 = O::simd(LOAD(p + 2 * units)), m3 = O::simd(LOAD(p + 3 * units));
        c0 = sub_lanes<T>(sub_lanes<T>(c0, m0), m2);
        c1 = sub_lanes<T>(sub_lanes<T>(c1, m1), m3);
      }
      for (; r < rb; ++r, p += units) c0 = sub_lanes<T>(c0, O::simd(LOAD(p)));
      add_counts<T>(counts + j, sub_lanes<T>(c0, sub_lanes<T>(zero, c1)));
    }
    for (size_t r = 0; r < rb; ++r) {
      TAIL
      for (size_t j = vu; j < units; ++j) counts[j] += O::scalar(y[r * units + j]);
    }
    rows -= rb, y += rb * units;
  }
  }
#endif
  for (; rows; --rows, y += units) {
    TAIL
    for (size_t j = 0; j < units; ++j) counts[j] += O::scalar(y[j]);
  }
  TAIL
  for (size_t j = 0; j < n; ++j) counts[j] += O::scalar(y[j]);
}

// lut (requantized int8 / uint8, js/quant.js): y[i] = table[x[i]], bytes indexed by their bit
// pattern (int8 too). Plain table lookups in both builds: wasm SIMD has no gather, and 256
// entries by i8x16.swizzle (16 lookups of 16-byte rows, OR-ed) ran at 0.53 ns a byte here,
// four bytes per 32-bit load and store at 0.46, this loop at 0.35.
inline void lut(const uint8_t* x, uint8_t* y, size_t n, const uint8_t* table);
// (lut as a kernel template, for the generated lists: the shared-memory build's, mt.inc)
template <class T> void lut_kernel(const T* x, T* y, size_t n, const T* table) { lut(x, y, n, table); }
inline void lut(const uint8_t* x, uint8_t* y, size_t n, const uint8_t* table) {
  _Pragma("clang loop vectorize(disable) unroll_count(4)")
  for (size_t i = 0; i < n; ++i) y[i] = table[x[i]];
}

// evaluate (the tables' source, internal): an op's exact function in double, unrounded, at
// the given points: the smooth family's f (error ~2^-50 relative), which no public kernel
// returns unrounded.
template <template <class> class Op, class... D> void evaluate(const double* x, double* y, size_t n, D... params) {
  using O = Op<float>;
  const params_t<O> p{params...};
  for (size_t i = 0; i < n; ++i) y[i] = O::f(x[i], p);
}
