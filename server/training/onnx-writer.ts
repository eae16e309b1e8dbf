/**
 * @module Writes a dense network as an ONNX model (opset 13): MatMul and Add
 * per layer, Relu between layers and a Softmax at the end, with one input
 * `features` [batch, F] and one output `probabilities` [batch, C].
 */
import { ModelProto, ONNX_ATTRIBUTE, ONNX_FLOAT } from '../inference/onnx-schema.ts';
import type { DenseLayer } from './dense.ts';

/** Descriptive fields stored in the ONNX file. */
export interface OnnxModelInfo {
  readonly version: string;
  readonly description: string;
}

const OPSET_VERSION = 13;
const IR_VERSION = 8;

/** Encodes `layers` as ONNX protobuf bytes; the same layers give the same bytes. */
export function writeDenseOnnx(layers: readonly DenseLayer[], info: OnnxModelInfo): Uint8Array {
  const nodes: object[] = [];
  const initializers: object[] = [];
  let current = 'features';

  layers.forEach((layer, index) => {
    const weightName = `dense${index}_weights`;
    const biasName = `dense${index}_bias`;
    initializers.push(tensor(weightName, [layer.inputSize, layer.outputSize], layer.weights));
    initializers.push(tensor(biasName, [layer.outputSize], layer.bias));

    const product = `dense${index}_product`;
    const sum = index === layers.length - 1 && layer.activation === 'softmax' ? 'logits' : `dense${index}_sum`;
    nodes.push(node('MatMul', [current, weightName], [product], `dense${index}_matmul`));
    nodes.push(node('Add', [product, biasName], [sum], `dense${index}_add`));

    if (layer.activation === 'relu') {
      current = `dense${index}_relu`;
      nodes.push(node('Relu', [sum], [current], `dense${index}_relu`));
    } else {
      current = 'probabilities';
      nodes.push({
        ...node('Softmax', [sum], [current], `dense${index}_softmax`),
        attribute: [{ name: 'axis', type: ONNX_ATTRIBUTE.int, i: -1 }],
      });
    }
  });

  const inputSize = layers[0].inputSize;
  const outputSize = layers[layers.length - 1].outputSize;
  const message = ModelProto.fromObject({
    ir_version: IR_VERSION,
    producer_name: '2jz-monitor train',
    producer_version: info.version,
    model_version: 1,
    doc_string: info.description,
    opset_import: [{ domain: '', version: OPSET_VERSION }],
    graph: {
      name: 'engine_health',
      node: nodes,
      initializer: initializers,
      input: [valueInfo('features', inputSize)],
      output: [valueInfo('probabilities', outputSize)],
    },
  });
  return ModelProto.encode(message).finish();
}

function node(opType: string, input: string[], output: string[], name: string): Record<string, unknown> {
  return { op_type: opType, input, output, name };
}

function tensor(name: string, dims: number[], values: Float32Array): object {
  return { name, dims, data_type: ONNX_FLOAT, float_data: Array.from(values) };
}

function valueInfo(name: string, width: number): object {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: ONNX_FLOAT,
        shape: { dim: [{ dim_param: 'batch' }, { dim_value: width }] },
      },
    },
  };
}
