// js/index.d.ts: scripts/index.head.d.ts plus one declaration per op of js/ops.js, with JSDoc
// from the table's doc strings. Called by scripts/gen-api.mjs, which writes (or --checks) it.
import { readFileSync } from 'node:fs';
import { DTYPES, OPS, QUANT } from '../js/ops.js';
import { KINDS, exampleValues, signature } from '../js/signature.js';

const root = new URL('../', import.meta.url);

// The 16-bit formats are Uint16Array of bits in the types (a Float16Array works where the
// engine has one, but TypeScript's default libs do not declare it).
const arrayType = (dtypes) => [...new Set(dtypes.map((d) => (DTYPES[d].half ? 'Uint16Array' : DTYPES[d].Array.name)))].join(' | ');
// (Only the 16-bit names in the types: a WasmArray, which has a dtype, must not pass for options.)
const halfOption = (row) => (row.dtypes.some((d) => DTYPES[d].half) ? `; dtype?: ${row.dtypes.filter((d) => DTYPES[d].half).map((d) => `'${DTYPES[d].name}'`).join(' | ')}` : '');
const dtypeNames = (dtypes) => dtypes.map((d) => DTYPES[d].name).join(', ');
// A param's type: a choice is the union of its strings.
const ptype = (p) => (p.choices ? p.choices.map((c) => `'${c}'`).join(' | ') : 'number');
const literal = (v) => (typeof v === 'string' ? `'${v}'` : Object.is(v, -0) ? '-0' : String(v));

function paramDoc(p) {
  const bits = [p.doc.replace(/\.?$/, '.')];
  if (p.init) bits.push(`Default: init()'s ${p.name} option, else ${literal(p.default)}.`);
  else if (p.default !== undefined) bits.push(`Default ${literal(p.default)}.`);
  else if (!p.optional) bits.push('Required.');
  if (p.ints) bits.push('Integer dtypes only.');
  return bits.join(' ');
}

// An example call with the table's typical values.
function example(row) {
  const sig = signature(row);
  const dt = row.dtypes.find((d) => !DTYPES[d].float) && row.params.some((p) => p.ints) ? row.dtypes.find((d) => !DTYPES[d].float) : row.dtypes[0];
  const values = exampleValues(row, dt);
  const decl = `const ${sig.inputs.map((k) => (k === 'slope' ? `${k} = new ${DTYPES[dt].Array.name}([0.25])` : `${k} = new ${DTYPES[dt].Array.name}(${row.kind === 'count' ? 8 : 4})`)).join(', ')};`;
  const args = [...sig.inputs, ...sig.positional.map((p) => literal(values[p.name]))];
  const opts = sig.options.filter((p) => values[p.name] !== undefined && !p.init).map((p) => `${p.name}: ${literal(values[p.name])}`);
  if (opts.length) args.push(`{ ${opts.join(', ')} }`);
  return `${decl}\n * ${row.kind === 'channel2' ? 'const { dx, dslope } = ' : row.kind === 'gated2' ? 'const { dgate, dup } = ' : 'const y = '}${row.name}(${args.join(', ')});`;
}

function jsdoc(row, sig) {
  const lines = [row.doc, ''];
  const refs = [['numpy', row.numpy], ['PyTorch', row.torch], ['ONNX', row.onnx], ['TensorFlow.js', row.tfjs]].filter(([, v]) => v);
  lines.push(refs.map(([k, v]) => `${k}: \`${v}\``).join(' · '));
  lines.push(`dtypes: ${dtypeNames(row.dtypes)}${row.quantized ? `; requantized ${dtypeNames(QUANT.dtypes)} with { ${QUANT.params.map((p) => p.name).join(', ')} }` : ''}. Semantics of special values: README.md, "Semantics".`);
  for (const k of sig.inputs) lines.push(`@param ${k} ${k === 'slope' ? 'per-channel slope, length 1 or C' : 'input'} (a typed array or a WasmArray)`);
  for (const p of sig.positional) lines.push(`@param ${p.name} ${paramDoc(p)}`);
  if (sig.layout) lines.push("@param layout 'nhwc' (default: channel = i mod C), { layout: 'nchw', inner: H·W } or { layout: 'nchw', shape: [N, C, ...] }; a layout object may carry the fused bias, { bias } (C values added to x first, rounded to the dtype)");
  if (row.kind === 'channel2') lines.push('@param outs where to write dx (may be dy or x: in place) and dslope; dbias: true (or an array of C) returns the bias gradient too');
  else if (row.kind === 'gated2') {
    lines.push(`@param options { dgate?, dup? }: where to write each (either may be an input: in place)${sig.options.length ? `, and ${sig.options.map((p) => `${p.name}: ${paramDoc(p)}`).join(' ')}` : ''}; any param may also be given by name there`);
    lines.push(`Packed form: ${row.name}(dy, x, { packed, gate?, width?, limit?, upBias?, dx?, …params }): x holds gate and up as the forward pass's packed form has them; returns dx in x's layout (dgate and dup at gate's and up's places, 0 where limit's clamp held the input).`);
  }
  else if (row.kind !== 'count') {
    const opts = sig.options.map((p) => `${p.name}: ${paramDoc(p)}`);
    lines.push(`@param out where to write the result (may be an input: in place), or an options object { out${opts.length ? `, ${sig.options.map((p) => p.name).join(', ')}` : ''}${sig.bias ? ', bias, layout, inner, shape' : ''} }${opts.length ? `; ${opts.join(' ')}` : ''}; any param may also be given by name there`);
    if (sig.bias) {
      lines.push(`Fused bias: { bias } adds bias[c] (C values, x's dtype; channel c = i mod C, or with layout: 'nchw' and inner, floor(i / inner) mod C) to ${sig.inputs[sig.inputs.length - 1]} first, rounded to the dtype: the bits of the unfused graph; float dtypes only.` +
        (sig.optionKeys.includes('dbias') ? ' { dbias: true } (or an array of C to write) returns { dx, dbias }, dbias[c] = Σ dx over channel c, summed in double and rounded once.' : ''));
    }
  }
  const packing = KINDS[row.kind].packing;
  if (packing) lines.push(`Packed form: ${row.name}(x, { ${packing.map((p) => `${p.name}${p.default === undefined && !p.optional ? '' : '?'}`).join(', ')}, out?, …params }): gate and up in one array, x.length / 2 results. ${packing.map((p) => `${p.name}: ${paramDoc(p)}`).join(' ')}`);
  lines.push(`@example\n * ${example(row)}`);
  return `/**\n${lines.map((l) => (l ? ` * ${l}` : ' *')).join('\n')}\n */`;
}

function declaration(row) {
  const sig = signature(row);
  // Activations take requantized int8 / uint8 too (README, "Requantized int8 and uint8").
  const A = arrayType(row.quantized ? [...new Set([...row.dtypes, ...QUANT.dtypes])] : row.dtypes);
  // A param is optional in the types only if every param after it is too.
  const optional = sig.positional.map((p, i) => sig.positional.slice(i).every((q) => q.default !== undefined));
  const params = sig.positional.map((p, i) => `${p.name}${optional[i] ? '?' : ''}: ${ptype(p)}`);
  // Integer-only options (a quantized zero point) exist in the types only for integer inputs.
  const plainOptions = sig.options.filter((p) => !p.ints);
  const intOptions = [...sig.options.filter((p) => p.ints), ...(row.quantized ? QUANT.params.filter((q) => !sig.options.some((p) => p.name === q.name)) : [])];
  // `out` is O, the result's type when given (Out<X, O>). Out alone and the options object are
  // separate overloads: were they one parameter `O | { out?: O ... }`, TypeScript would infer O
  // from an options object without out, and the result would be any array of X's dtype.
  const bias = sig.bias ? ' & BiasOptions<X>' : '';
  const options = `({ out?: O${plainOptions.map((p) => `; ${p.name}?: ${ptype(p)}`).join('')}${halfOption(row)} }${bias}${intOptions.length ? ` & IntOnly<X, { ${intOptions.map((p) => `${p.name}?: number`).join('; ')} }>` : ''})`;
  const generic = `<X extends Arg<${A}>, O extends Like<X> = never>`;
  let text;
  if (KINDS[row.kind].elementwise) {
    // New arrays are like the first input (dy for map2, gate for gated).
    const inputs = sig.inputs.map((k, i) => `${k}: ${i === 0 ? 'X' : 'Like<X>'}`);
    text = [
      // A backward pass asked for dbias returns { dx, dbias } (js/kinds/map-bias.js).
      // (Its params all given by position, or all by name: a required options object cannot follow optional params.)
      // (dbias: true and dbias: an array are overloads of their own: from `true | DB`, TypeScript
      // would infer DB as its constraint.)
      ...(sig.bias && sig.optionKeys.includes('dbias') ? [[], sig.positional].filter((ps, i) => i === 0 || ps.length > 0).flatMap((ps) => {
        const named = ps.length ? '' : row.params.filter((p) => !p.option).map((p) => `; ${p.name}?: ${ptype(p)}`).join('');
        const head = (db) => `export function ${row.name}<X extends Arg<${A}>, O extends Like<X> = never${db === 'DB' ? ', DB extends Like<X> = never' : ''}>(${[...inputs, ...ps.map((p) => `${p.name}: ${ptype(p)}`), `options: ${options.slice(0, -1)} & { dbias: ${db === 'DB' ? 'DB' : 'true'}${named} })`].join(', ')})`;
        return [`${head('true')}: { dx: Out<X, O>; dbias: Out<X> };`, `${head('DB')}: { dx: Out<X, O>; dbias: Out<X, DB> };`];
      }) : []),
      `export function ${row.name}${generic}(${[...inputs, ...params, 'out?: O'].join(', ')}): Out<X, O>;`,
      `export function ${row.name}${generic}(${[...inputs, ...params, `options?: ${options}`].join(', ')}): Out<X, O>;`,
    ].join('\n');
    const packing = KINDS[row.kind].packing;
    if (packing) {
      // The packed form (js/kinds/gated-packed.js): one array, the options object required.
      const members = packing.map((p) => `${p.name}${p.default === undefined && !p.optional ? '' : '?'}: ${ptype(p)}`);
      text += `\nexport function ${row.name}${generic}(x: X, options: { ${[...members, 'out?: O', ...row.params.map((p) => `${p.name}?: ${ptype(p)}`)].join('; ')}${halfOption(row)} }): Out<X, O>;`;
    }
    if (sig.positional.length > 0) {
      // Every param by name instead (required ones required there too).
      const named = `({ out?: O${row.params.filter((p) => !p.ints).map((p) => `; ${p.name}${p.default === undefined && !p.option ? '' : '?'}: ${ptype(p)}`).join('')}${halfOption(row)} }${bias}${intOptions.length ? ` & IntOnly<X, { ${intOptions.map((p) => `${p.name}?: number`).join('; ')} }>` : ''})`;
      text += `\nexport function ${row.name}${generic}(${[...inputs, `options: ${named}`].join(', ')}): Out<X, O>;`;
    }
  } else if (row.kind === 'channel') {
    // out in the layout's place is an overload of its own (a layout object must not be taken for O).
    text = `export function ${row.name}${generic}(x: X, slope: Like<X>, layout?: Layout | BiasLayout<X>, out?: O): Out<X, O>;\n` +
      `export function ${row.name}${generic}(x: X, slope: Like<X>, out: O): Out<X, O>;`;
  } else if (row.kind === 'gated2') {
    // dgate and dup, each given or new like dy.
    const g = `<X extends Arg<${A}>, DG extends Like<X> = never, DU extends Like<X> = never>`;
    const opts = `{ dgate?: DG; dup?: DU${row.params.map((p) => `; ${p.name}?: ${ptype(p)}`).join('')}${halfOption(row)} }`;
    text = `export function ${row.name}${g}(${['dy: X', 'gate: Like<X>', 'up: Like<X>', ...params, `options?: ${opts}`].join(', ')}): { dgate: Out<X, DG>; dup: Out<X, DU> };`;
    // The packed form (js/kinds/gated2-packed.js): x holds gate and up, dx has its layout.
    const packing = KINDS.gated.packing;
    const members = packing.map((p) => `${p.name}${p.default === undefined && !p.optional ? '' : '?'}: ${ptype(p)}`);
    text += `\nexport function ${row.name}<X extends Arg<${A}>, DX extends Like<X> = never>(dy: X, x: Like<X>, options: { ${[...members, 'dx?: DX', ...row.params.map((p) => `${p.name}?: ${ptype(p)}`)].join('; ')}${halfOption(row)} }): Out<X, DX>;`;
  } else if (row.kind === 'channel2') {
    // dx and dslope, each given or new like dy.
    text = `export function ${row.name}<X extends Arg<${A}>, DX extends Like<X> = never, DS extends Like<X> = never>(dy: X, x: Like<X>, slope: Like<X>, layout: Layout | BiasLayout<X> | undefined, outs: { dx?: DX; dslope?: DS; dbias: true }): { dx: Out<X, DX>; dslope: Out<X, DS>; dbias: Out<X> };\n` +
      `export function ${row.name}<X extends Arg<${A}>, DX extends Like<X> = never, DS extends Like<X> = never, DB extends Like<X> = never>(dy: X, x: Like<X>, slope: Like<X>, layout: Layout | BiasLayout<X> | undefined, outs: { dx?: DX; dslope?: DS; dbias: DB }): { dx: Out<X, DX>; dslope: Out<X, DS>; dbias: Out<X, DB> };\n` +
      `export function ${row.name}<X extends Arg<${A}>, DX extends Like<X> = never, DS extends Like<X> = never>(dy: X, x: Like<X>, slope: Like<X>, layout?: Layout | BiasLayout<X>, outs?: { dx?: DX; dslope?: DS }): { dx: Out<X, DX>; dslope: Out<X, DS> };`;
  } else {
    // Small summaries in JS memory, whatever y is.
    const result = row.summary === 'fraction' ? 'Float32Array' : 'Int32Array';
    text = `export function ${row.name}(y: Arg<${A}>, ${sig.positional.map((p) => `${p.name}: number | { ${p.name}: number }`).join(', ')}): ${result};`;
  }
  return `${jsdoc(row, sig)}\n${text}\n`;
}

// InitOptions' members for the table's init-able params (`init: true`): init()'s option of
// the same name is their default in every op that takes them.
function initMembers() {
  const byName = new Map();
  for (const row of OPS) for (const p of row.params) if (p.init) byName.set(p.name, { p, ops: [...(byName.get(p.name)?.ops ?? []), row.name] });
  return [...byName.values()].map(({ p, ops }) =>
    `  /**\n   * The default \`${p.name}\` of the ops that take one (${ops.join(', ')}); a call's own \`${p.name}\` overrides it. Default ${literal(p.default)}.\n   * ${p.doc.replace(/\.?$/, '.')}\n   */\n  ${p.name}?: ${ptype(p)};`).join('\n');
}

/** The text of js/index.d.ts after `header`. */
export function indexDts(header) {
  const marker = '  /* the table\'s init-able params (scripts/gen-types.mjs) */';
  const head = readFileSync(new URL('scripts/index.head.d.ts', root), 'utf8');
  if (!head.includes(marker)) throw new Error(`scripts/index.head.d.ts: InitOptions lacks the line ${marker.trim()}`);
  return `${header}${head.replace(marker, initMembers())}\n${OPS.map(declaration).join('\n')}`;
}

