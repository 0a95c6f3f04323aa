// One unit of kernels (js/kinds/index.js UNITS) as a wasm of its own, for pages that load only what
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
  // (only its size is used: no data)
  constexpr char one_per_kernel[] = {
#define KERNEL(...) 1,
#include UNIT
#undef KERNEL
  };
  return sizeof one_per_kernel;
}
