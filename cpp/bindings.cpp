// Embind is the binding layer: it registers `kernel(i)`, which hands JS the table index of
// every kernel once at start-up. JS then calls the kernels as plain wasm functions from the
// indirect function table: a raw call costs ~10 ns, an Embind invoker built without eval
// (-sDYNAMIC_EXECUTION=0, needed for a strict CSP) ~80 ns.
#include <emscripten/bind.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include "kernels.h"

namespace {

size_t heap_used() { return mallinfo().uordblks; }

// In the order of js/ops.js (the same table generates both lists), then the allocator.
const uintptr_t table[] = {
#define KERNEL(kind, ...) reinterpret_cast<uintptr_t>(&kind<__VA_ARGS__>),
#include "kernels.inc"
#undef KERNEL
    reinterpret_cast<uintptr_t>(&lut),
    reinterpret_cast<uintptr_t>(&malloc),
    reinterpret_cast<uintptr_t>(&free),
    reinterpret_cast<uintptr_t>(&heap_used),
};

// Their names (js/ops.js's), so a page's JS needs the rows of only the ops it imports to use
// this module: kernel_name(i) is the address of a NUL-terminated ASCII string.
const char* const names[] = {
#define KERNEL(name, ...) name,
#include "names.inc"
#undef KERNEL
    "lut", "malloc", "free", "heap_used",
};
static_assert(sizeof names / sizeof names[0] == sizeof table / sizeof table[0]);

unsigned kernel_count() { return sizeof table / sizeof table[0]; }
uintptr_t kernel_at(unsigned i) { return i < kernel_count() ? table[i] : 0; }
uintptr_t kernel_name(unsigned i) { return i < kernel_count() ? reinterpret_cast<uintptr_t>(names[i]) : 0; }

bool simd() {
#ifdef __wasm_simd128__
  return true;
#else
  return false;
#endif
}

}  // namespace

EMSCRIPTEN_BINDINGS(relu_wasm) {
  emscripten::function("count", &kernel_count);
  emscripten::function("kernel", &kernel_at);
  emscripten::function("name", &kernel_name);
  emscripten::function("simd", &simd);
}
