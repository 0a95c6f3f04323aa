// A typed array's real type, length, offset and buffer, read with %TypedArray%.prototype's own
// getters and methods: an own `length` (or `buffer`, `subarray`, …) property on a view, or an
// object that only looks like a typed array, must not steer where an op reads or writes.
const proto = Object.getPrototypeOf(Int8Array.prototype);
const getter = (key) => Object.getOwnPropertyDescriptor(proto, key).get;
const tagOf = getter(Symbol.toStringTag);
const lengthOf = getter('length');
const offsetOf = getter('byteOffset');
const bufferOf = getter('buffer');
const { subarray, slice, set, keys } = proto;

/** The constructor name ('Float32Array', …) of a real typed array, else undefined. */
export const typedTag = (v) => tagOf.call(v);
export const typedLength = (v) => lengthOf.call(v);
export const typedOffset = (v) => offsetOf.call(v);
export const typedBuffer = (v) => bufferOf.call(v);
export const typedSubarray = (v, begin, end) => subarray.call(v, begin, end);
export const typedSlice = (v) => slice.call(v);
/** A 16-bit typed array as a Uint16Array of its bits: itself, or a view of the same memory (a Float16Array). */
export const typedBits = (v) => (tagOf.call(v) === 'Uint16Array' ? v : new Uint16Array(bufferOf.call(v), offsetOf.call(v), lengthOf.call(v)));

/** target.set(source, offset), the built-in one. */
export const typedSet = (target, source, offset) => set.call(target, source, offset);

/** False for a view of a detached buffer, or one out of bounds of a shrunk resizable buffer (both have length 0). */
export function typedInBounds(v) {
  try {
    keys.call(v);
    return true;
  } catch {
    return false;
  }
}
