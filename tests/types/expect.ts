// Type-level assertions: `type _ = Expect<Equal<typeof y, Float32Array<ArrayBuffer>>>` fails to
// compile unless the two types are identical (not merely assignable either way).
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
export type Expect<T extends true> = T;
