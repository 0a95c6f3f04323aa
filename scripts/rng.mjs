// xorshift32 in [0, 1): deterministic pseudo-random numbers, reproducible from the seed. Used
// by the benchmarks (bench/) for their inputs and by the differential test, whose failures name
// their seed. No imports: it runs in Node and in browsers.

/** A generator of numbers in [0, 1) from a 32-bit seed (0 is taken as 1). */
export function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
