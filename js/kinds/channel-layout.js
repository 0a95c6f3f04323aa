// The channel kinds' layouts (js/kinds/channel.js): 'nhwc' (default; channel = i mod C),
// { layout: 'nchw', inner } (channel = floor(i / inner) mod C) or { layout: 'nchw', shape }.
import { checkCount, describe } from '../args.js';

const LAYOUT_HELP = "'nhwc', { layout: 'nhwc', shape?: [N, ..., C] }, { layout: 'nchw', inner: H*W } or { layout: 'nchw', shape: [N, C, ...] }";

/**
 * A layout argument as plain values, each of the user's read once: { format, inner, shape,
 * dtype } (a layout object may carry the call's dtype). Checked against the data by checkLayout.
 */
export function readLayout(layout, name) {
  if (layout === undefined || typeof layout !== 'object' || layout === null) {
    if (layout === 'nchw') throw new TypeError(`${name}: 'nchw' needs the inner size: { layout: 'nchw', inner: H*W } or { layout: 'nchw', shape: [N, C, H, W] }`);
    if (layout !== undefined && layout !== 'nhwc') throw new TypeError(`${name}: layout must be ${LAYOUT_HELP} (got ${describe(layout)})`);
    return { format: 'nhwc', inner: undefined, shape: undefined, dtype: undefined, bias: undefined };
  }
  for (const k in layout) {
    if (k !== 'layout' && k !== 'inner' && k !== 'shape' && k !== 'dtype' && k !== 'bias') throw new TypeError(`${name}: unknown layout key '${k}' (layout is ${LAYOUT_HELP}; it may also carry the fused bias, { bias })`);
  }
  const { layout: given, inner, shape: shapeGiven, dtype, bias } = layout; // each read once
  const format = given ?? (inner === undefined && shapeGiven === undefined ? 'nhwc' : given); // { dtype } or { bias } alone: nhwc
  // The dims, read once each (a shape may be any array-like the user made).
  const shape = shapeGiven === undefined ? undefined : Array.isArray(shapeGiven) ? Array.from(shapeGiven) : shapeGiven;
  if (shape !== undefined && (!Array.isArray(shape) || shape.length < 2 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))) {
    throw new TypeError(`${name}: layout.shape must be an array of at least 2 non-negative integers (got ${describe(shapeGiven)})`);
  }
  if (format !== 'nchw' && format !== 'nhwc') throw new TypeError(`${name}: layout.layout must be 'nhwc' or 'nchw' (got ${describe(format)})`);
  if (format === 'nchw' && (inner === undefined) === (shape === undefined)) {
    throw new TypeError(`${name}: an nchw layout needs exactly one of inner (H*W) or shape ([N, C, ...])`);
  }
  // Channels last: a shape is checked against x and the slope, never ignored.
  if (format === 'nhwc' && inner !== undefined) throw new TypeError(`${name}: layout.inner applies to 'nchw' only (an nhwc layout's channel is i mod C)`);
  return { format, inner: format === 'nchw' && shape === undefined ? checkCount(inner, name, 'layout.inner') : undefined, shape, dtype, bias };
}

/** The inner size (1 for channels-last) of a read layout, after checking it against n elements and C channels. */
export function checkLayout({ format, inner = 1, shape }, n, C, name) {
  const size = shape?.reduce((a, b) => a * b, 1);
  if (shape !== undefined && size !== n) throw new RangeError(`${name}: layout.shape [${shape}] has ${size} elements but x has ${n}`);
  if (shape !== undefined && format === 'nchw') {
    if (C !== 1 && shape[1] !== C) throw new RangeError(`${name}: layout.shape has ${shape[1]} channels but slope has length ${C}`);
    inner = Math.max(1, shape.slice(2).reduce((a, b) => a * b, 1));
  } else if (shape !== undefined && C !== 1 && shape[shape.length - 1] !== C) {
    throw new RangeError(`${name}: layout.shape [${shape}] has ${shape[shape.length - 1]} channels (last) but slope has length ${C}`);
  }
  if (n % (C * inner) !== 0) {
    throw new RangeError(`${name}: x has ${n} elements, not a whole number of ${inner > 1 ? `${C} channels × inner ${inner}` : `rows of ${C} channels`}`);
  }
  return inner;
}

// Elements of prelu's tiled slope (cpp/drivers.h, channel): C repeated to a whole number of
// 4-vector steps, lcm(C, 64 bytes / element size).
export function tiledLength(C, bytes) {
  const step = 64 / bytes;
  let period = C;
  while (period % step !== 0) period += C;
  return period;
}
