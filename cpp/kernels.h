// What a generated kernel list (scripts/gen-ops.mjs: KERNEL(kind, op, dtype, ...) lines)
// needs in scope: every kernel template, and the dtype names js/ops.js uses (f16 and bf16 are
// cpp/half.h's storage types).
#pragma once
#include <stdint.h>
#include "drivers.h"
#include "cast.h"
#include "bias.h"

using f32 = float;
using f64 = double;
using i32 = int32_t;
using i16 = int16_t;
using i8 = int8_t;
using u8 = uint8_t;
