// One unit of kernels (js/ops.js UNITS) as a wasm of its own, for pages that load only what
// they import. It shares the core's memory (imported) and has no data of its own, so it needs
// no relocation: scripts/build.mjs checks it has no data segment. Its function table and its
// stack pointer are exported; JS points the stack at a region the core allocated.
#include "kernels.h"

// A switch, not an array of pointers: an array would be data at a fixed address in the
// core's memory.
extern "C" __attribute__((export_name("kernel_at"))) uintptr_t kernel_at(unsigned i) {
  enum { first = __COUNTER__ + 1 };
  switch (i) {
#define KERNEL(kind, ...) \
  case __COUNTER__ - first: return reinterpret_cast<uintptr_t>(&kind<__VA_ARGS__>);
#include UNIT
#undef KERNEL
  default: return 0;
  }
}

extern "C" __attribute__((export_name("kernel_count"))) unsigned kernel_count() {
  enum { first = __COUNTER__ + 1 };
#define KERNEL(kind, ...) +(__COUNTER__ - first + 1 > 0)
  return 0
#include UNIT
      ;
#undef KERNEL
}
