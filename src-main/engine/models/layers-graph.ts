// Runs part of a LayersModel's graph eagerly: from the input to a named layer (activations), or
// from a named layer's output to the model output (the head). Grad-CAM and IBA need both halves.
// The walk uses the model's own topology, so residual branches work as long as the layer is a
// cut point (every path from the input to the output passes through it).
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../jobs/errors';

type Sym = tf.SymbolicTensor;

function single(x: Sym | Sym[], what: string): Sym {
  if (Array.isArray(x)) {
    if (x.length !== 1) throw new EngineError('bad_input', `${what} has ${x.length} outputs; only single-output layers can be used`);
    return x[0];
  }
  return x;
}

/** Layers a caller may name: all but input layers, in topological order. */
export function namedLayers(model: tf.LayersModel): string[] {
  return model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name);
}

export function findLayer(model: tf.LayersModel, name: string): tf.layers.Layer {
  const layer = model.layers.find((l) => l.name === name);
  if (!layer || layer.getClassName() === 'InputLayer') {
    throw new EngineError('not_found', `model has no layer "${name}"; its layers are: ${namedLayers(model).join(', ')}`);
  }
  return layer;
}

/**
 * Evaluates `target` given values for some symbolic tensors, walking layers in topological
 * order (training = false). Throws when a layer needs both fed and unfed values: then the feeds
 * do not cut the graph. Call inside tf.tidy; intermediates are not disposed here.
 */
function evaluate(model: tf.LayersModel, feeds: Map<number, tf.Tensor>, target: Sym, cutName: string): tf.Tensor {
  const values = new Map(feeds);
  const startIndex = Math.max(0, ...[...feeds.keys()].map((id) => model.layers.findIndex((l) => l.inboundNodes.some((n) => n.outputTensors.some((t) => t.id === id)))));
  for (const layer of model.layers.slice(startIndex)) {
    if (values.has(target.id)) break;
    if (layer.getClassName() === 'InputLayer') continue;
    for (const node of layer.inboundNodes) {
      const ins = node.inputTensors;
      const known = ins.filter((t) => values.has(t.id)).length;
      if (known === 0 || node.outputTensors.every((t) => values.has(t.id))) continue;
      if (known < ins.length) {
        throw new EngineError('bad_input', `layer "${cutName}" is not a cut point of the model: layer "${layer.name}" also takes inputs from before it (e.g. a residual branch); choose a layer at a block output`);
      }
      const args = ins.map((t) => values.get(t.id)!);
      const out = layer.apply(args.length === 1 ? args[0] : args, { training: false }) as tf.Tensor | tf.Tensor[];
      const outs = Array.isArray(out) ? out : [out];
      node.outputTensors.forEach((t, i) => values.set(t.id, outs[i]));
    }
  }
  const result = values.get(target.id);
  if (!result) throw new EngineError('bad_input', `layer "${cutName}" does not lead to the requested output`);
  return result;
}

/** Output of the named layer for an already-normalised model input. */
export function layerActivations(model: tf.LayersModel, input: tf.Tensor, layerName: string): tf.Tensor {
  const layer = findLayer(model, layerName);
  const target = single(layer.output as Sym | Sym[], `layer "${layerName}"`);
  return tf.tidy(() => evaluate(model, new Map([[single(model.inputs, 'model input').id, input]]), target, layerName));
}

/** Model output computed from the named layer's output. */
export function headFrom(model: tf.LayersModel, activations: tf.Tensor, layerName: string): tf.Tensor {
  const layer = findLayer(model, layerName);
  const from = single(layer.output as Sym | Sym[], `layer "${layerName}"`);
  const expected = from.shape.slice(1);
  const got = activations.shape.slice(1);
  if (expected.length !== got.length || expected.some((d, i) => d !== null && d !== got[i])) {
    throw new EngineError('bad_input', `activations for layer "${layerName}" must have shape [N, ${expected.join(', ')}] (got [${activations.shape.join(', ')}])`);
  }
  return tf.tidy(() => evaluate(model, new Map([[from.id, activations]]), single(model.outputs, 'model output'), layerName));
}
