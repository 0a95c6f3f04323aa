// Compiled where the lib has no Symbol.dispose (es2020 to es2023): the declarations compile
// there, and WasmArray claims no dispose method the engine may lack (free() it).
import type { WasmArray } from 'relu-wasm';
import type { Equal, Expect } from './expect.js';

export type NoDispose = Expect<Equal<Extract<keyof WasmArray, symbol>, typeof Symbol.toStringTag>>;
