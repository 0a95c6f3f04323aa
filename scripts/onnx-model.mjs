// Minimal ONNX protobuf encoder for small benchmark models (no dependencies; runs in browsers
// too). Field numbers from onnx/onnx.proto3:
//   ModelProto   ir_version=1 producer_name=2 graph=7 opset_import=8
//   OperatorSetIdProto domain=1 version=2
//   GraphProto   node=1 name=2 initializer=5 input=11 output=12
//   NodeProto    input=1 output=2 name=3 op_type=4 attribute=5 domain=7
//   AttributeProto name=1 f=2 i=3 type=20 (FLOAT=1, INT=2)
//   ValueInfoProto name=1 type=2;  TypeProto tensor_type=1;  TypeProto.Tensor elem_type=1 shape=2
//   TensorShapeProto dim=1;  Dimension dim_value=1 dim_param=2
//   TensorProto  dims=1 data_type=2 name=8 raw_data=9

export const ELEM = { float32: 1, uint8: 2, int8: 3, int32: 6, float16: 10 };
const ARRAY = { float32: Float32Array, uint8: Uint8Array, int8: Int8Array, int32: Int32Array, float16: Uint16Array };

const enc = new TextEncoder();

function varint(out, v) {
  // v: non-negative integer below 2^53
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

const key = (out, field, wire) => varint(out, field * 8 + wire);

/** A message is an array of bytes; helpers append one field each. */
const int = (out, field, v) => (key(out, field, 0), varint(out, v));
function bytes(out, field, b) {
  key(out, field, 2);
  varint(out, b.length);
  for (let i = 0; i < b.length; i++) out.push(b[i]);
}
const str = (out, field, s) => bytes(out, field, enc.encode(s));
function float(out, field, f) {
  key(out, field, 5);
  const b = new Uint8Array(new Float32Array([f]).buffer);
  out.push(b[0], b[1], b[2], b[3]);
}
const msg = (build) => {
  const out = [];
  build(out);
  return out;
};

/** dims: numbers (fixed) or strings (symbolic, e.g. 'n'). */
function valueInfo(name, dtype, dims) {
  return msg((o) => {
    str(o, 1, name);
    bytes(o, 2, msg((t) =>
      bytes(t, 1, msg((tt) => {
        int(tt, 1, ELEM[dtype]);
        bytes(tt, 2, msg((s) => {
          for (const d of dims) bytes(s, 1, msg((dm) => (typeof d === 'number' ? int(dm, 1, d) : str(dm, 2, d))));
        }));
      })),
    ));
  });
}

function tensor(name, dtype, dims, values) {
  const data = ARRAY[dtype].from(values);
  return msg((o) => {
    for (const d of dims) int(o, 1, d);
    int(o, 2, ELEM[dtype]);
    str(o, 8, name);
    bytes(o, 9, new Uint8Array(data.buffer));
  });
}

const attribute = (name, v, ints) => msg((a) => {
  str(a, 1, name);
  if (typeof v === 'string') (str(a, 4, v), int(a, 20, 3));
  else if (ints.includes(name)) (int(a, 3, v), int(a, 20, 2));
  else (float(a, 2, v), int(a, 20, 1));
});

/**
 * A model of a few nodes, in order.
 * spec: { nodes: [{ op, inputs: [names], outputs: [names], attributes?: {name: number or
 *         string}, intAttributes?: [names] (the others are floats), domain? ('com.microsoft':
 *         onnxruntime's contrib ops) }], inputs: [{name, dtype, dims}], outputs: [...],
 *         initializers: [{name, dtype, dims, values}], opset (the default domain's) }
 */
export function graphModel(spec) {
  const { nodes, inputs, outputs, initializers = [], opset = 17 } = spec;
  const domains = [...new Set(nodes.map((n) => n.domain).filter(Boolean))];
  const graph = msg((o) => {
    nodes.forEach((n, k) => bytes(o, 1, msg((m) => {
      for (const v of n.inputs) str(m, 1, v);
      for (const v of n.outputs) str(m, 2, v);
      str(m, 3, `${n.op}_${k}`);
      str(m, 4, n.op);
      for (const [name, v] of Object.entries(n.attributes ?? {})) bytes(m, 5, attribute(name, v, n.intAttributes ?? []));
      if (n.domain) str(m, 7, n.domain);
    })));
    str(o, 2, 'relu_wasm_graph');
    for (const t of initializers) bytes(o, 5, tensor(t.name, t.dtype, t.dims, t.values));
    for (const v of inputs) bytes(o, 11, valueInfo(v.name, v.dtype, v.dims));
    for (const v of outputs) bytes(o, 12, valueInfo(v.name, v.dtype, v.dims));
  });
  return new Uint8Array(msg((o) => {
    int(o, 1, 8); // IR version 8 (ONNX 1.10+), enough for opset 17
    str(o, 2, 'relu-wasm-bench');
    bytes(o, 7, graph);
    bytes(o, 8, msg((s) => (str(s, 1, ''), int(s, 2, opset))));
    for (const d of domains) bytes(o, 8, msg((s) => (str(s, 1, d), int(s, 2, 1))));
  }));
}

/**
 * One-node model.
 * spec: { op, inputs: [{name, dtype, dims}], outputs: [...], initializers: [{name, dtype, dims, values}],
 *         nodeInputs?: [names] (default: inputs then initializers), attributes: {name: number
 *         or string} (numbers are floats unless listed in intAttributes), opset }
 */
export function oneNodeModel(spec) {
  const { op, inputs, outputs, initializers = [], attributes = {}, intAttributes = [], opset = 17 } = spec;
  const nodeInputs = spec.nodeInputs ?? [...inputs.map((i) => i.name), ...initializers.map((i) => i.name)];
  return graphModel({ nodes: [{ op, inputs: nodeInputs, outputs: outputs.map((v) => v.name), attributes, intAttributes }], inputs, outputs, initializers, opset });
}
