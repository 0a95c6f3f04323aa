// Per-dtype names for the few wasm SIMD operations the ops use, so each op is written once
// for every dtype. Compiled only in the SIMD build (__wasm_simd128__).
#pragma once
#include <stdint.h>
#include <wasm_simd128.h>
#include "half.h"

template <class T> struct Vec;

template <> struct Vec<float> {
  static v128_t zero() { return wasm_i64x2_const(0, 0); }
  // An integer in every lane (lanes as wide as the element), and the AND of all lanes.
  static v128_t lanes(int32_t v) { return wasm_i32x4_splat(v); }
  static uint32_t and_lanes(v128_t v) {
    return uint32_t(wasm_i32x4_extract_lane(v, 0) & wasm_i32x4_extract_lane(v, 1) & wasm_i32x4_extract_lane(v, 2) &
                    wasm_i32x4_extract_lane(v, 3));
  }
  static v128_t splat(float a) { return wasm_f32x4_splat(a); }
  static v128_t eq(v128_t a, v128_t b) { return wasm_f32x4_eq(a, b); }
  static v128_t le(v128_t a, v128_t b) { return wasm_f32x4_le(a, b); }
  static v128_t lt(v128_t a, v128_t b) { return wasm_f32x4_lt(a, b); }
  static v128_t gt(v128_t a, v128_t b) { return wasm_f32x4_gt(a, b); }
  static v128_t ge(v128_t a, v128_t b) { return wasm_f32x4_ge(a, b); }
  static v128_t mul(v128_t a, v128_t b) { return wasm_f32x4_mul(a, b); }
  static v128_t add(v128_t a, v128_t b) { return wasm_f32x4_add(a, b); }
  static v128_t sub(v128_t a, v128_t b) { return wasm_f32x4_sub(a, b); }
  static v128_t div(v128_t a, v128_t b) { return wasm_f32x4_div(a, b); }
  static v128_t pmax(v128_t a, v128_t b) { return wasm_f32x4_pmax(a, b); }
  static v128_t pmin(v128_t a, v128_t b) { return wasm_f32x4_pmin(a, b); }
};

template <> struct Vec<double> {
  static v128_t zero() { return wasm_i64x2_const(0, 0); }
  static v128_t lanes(int32_t v) { return wasm_i64x2_splat(v); }
  static uint32_t and_lanes(v128_t v) { return uint32_t(wasm_i64x2_extract_lane(v, 0) & wasm_i64x2_extract_lane(v, 1)); }
  static v128_t splat(double a) { return wasm_f64x2_splat(a); }
  static v128_t eq(v128_t a, v128_t b) { return wasm_f64x2_eq(a, b); }
  static v128_t le(v128_t a, v128_t b) { return wasm_f64x2_le(a, b); }
  static v128_t lt(v128_t a, v128_t b) { return wasm_f64x2_lt(a, b); }
  static v128_t gt(v128_t a, v128_t b) { return wasm_f64x2_gt(a, b); }
  static v128_t ge(v128_t a, v128_t b) { return wasm_f64x2_ge(a, b); }
  static v128_t mul(v128_t a, v128_t b) { return wasm_f64x2_mul(a, b); }
  static v128_t add(v128_t a, v128_t b) { return wasm_f64x2_add(a, b); }
  static v128_t sub(v128_t a, v128_t b) { return wasm_f64x2_sub(a, b); }
  static v128_t div(v128_t a, v128_t b) { return wasm_f64x2_div(a, b); }
  static v128_t pmax(v128_t a, v128_t b) { return wasm_f64x2_pmax(a, b); }
  static v128_t pmin(v128_t a, v128_t b) { return wasm_f64x2_pmin(a, b); }
};

template <> struct Vec<int32_t> {
  static v128_t zero() { return wasm_i64x2_const(0, 0); }
  static v128_t splat(int32_t a) { return wasm_i32x4_splat(a); }
  static v128_t gt(v128_t a, v128_t b) { return wasm_i32x4_gt(a, b); }
  static v128_t lt(v128_t a, v128_t b) { return wasm_i32x4_lt(a, b); }
  static v128_t max(v128_t a, v128_t b) { return wasm_i32x4_max(a, b); }
  static v128_t min(v128_t a, v128_t b) { return wasm_i32x4_min(a, b); }
};

template <> struct Vec<int16_t> {
  static v128_t zero() { return wasm_i64x2_const(0, 0); }
  static v128_t splat(int16_t a) { return wasm_i16x8_splat(a); }
  static v128_t gt(v128_t a, v128_t b) { return wasm_i16x8_gt(a, b); }
  static v128_t lt(v128_t a, v128_t b) { return wasm_i16x8_lt(a, b); }
  static v128_t max(v128_t a, v128_t b) { return wasm_i16x8_max(a, b); }
  static v128_t min(v128_t a, v128_t b) { return wasm_i16x8_min(a, b); }
};

template <> struct Vec<int8_t> {
  static v128_t zero() { return wasm_i64x2_const(0, 0); }
  static v128_t splat(int8_t a) { return wasm_i8x16_splat(a); }
  static v128_t gt(v128_t a, v128_t b) { return wasm_i8x16_gt(a, b); }
  static v128_t lt(v128_t a, v128_t b) { return wasm_i8x16_lt(a, b); }
  static v128_t max(v128_t a, v128_t b) { return wasm_i8x16_max(a, b); }
  static v128_t min(v128_t a, v128_t b) { return wasm_i8x16_min(a, b); }
};

template <> struct Vec<uint8_t> {
  static v128_t zero() { return wasm_i64x2_const(0, 0); }
  static v128_t splat(uint8_t a) { return wasm_u8x16_splat(a); }
  static v128_t gt(v128_t a, v128_t b) { return wasm_u8x16_gt(a, b); }
  static v128_t lt(v128_t a, v128_t b) { return wasm_u8x16_lt(a, b); }
  static v128_t max(v128_t a, v128_t b) { return wasm_u8x16_max(a, b); }
  static v128_t min(v128_t a, v128_t b) { return wasm_u8x16_min(a, b); }
};
