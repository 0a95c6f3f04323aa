// Compiled where the lib declares Symbol.dispose (esnext, esnext.disposable): a WasmArray is
// Disposable, for `using`.
import { alloc, from, relu, WasmArray } from 'relu-wasm';
import type { Equal, Expect } from './expect.js';

export function scoped(): number {
  using w = alloc(16);
  using y = relu(w);
  const d: Disposable = from(new Float32Array(4));
  d[Symbol.dispose]();
  const i8 = alloc(16, 'int8');
  i8[Symbol.dispose]();
  type _ = Expect<Equal<Extract<keyof WasmArray, symbol>, typeof Symbol.toStringTag | typeof Symbol.dispose>>;
  // @ts-expect-error: a typed array result is not disposable (nothing to free)
  using t = relu(new Float32Array(4));
  return w.length + y.length + t.length;
}
