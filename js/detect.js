// Feature detection, one tiny module per feature (as wasm-feature-detect does).
// A function doing i8x16.popcnt(i8x16.splat(0)): valid only where final wasm SIMD is; engines
// with pre-final SIMD opcodes (Chrome 90) reject it.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253,
  15, 253, 98, 11,
]);

export const simdSupported = () => {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
};
