// Loading and saving audited models: a folder with model.json, weight shards and xray-audit.json.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../jobs/errors';
import { GraphAuditedModel, LayersAuditedModel, type AuditedModel } from './audited-model';
import { hashModelDir } from './hash';
import { fileLoadHandler, fileSaveHandler, readModelFiles, writeFileAtomic, MODEL_JSON } from './io';
import { parseSidecar, readSidecar, sidecarBytes, SIDECAR_FILE, type Sidecar, type SidecarInput } from './sidecar';

function formatOf(json: tf.io.ModelJSON): 'layers' | 'graph' {
  if (json.format === 'graph-model') return 'graph';
  if (json.format === 'layers-model') return 'layers';
  // Older converters leave `format` out: a GraphDef has a node list, a Keras config a class name.
  const topo = json.modelTopology as Record<string, unknown>;
  return Array.isArray(topo.node) ? 'graph' : 'layers';
}

function checkInputShape(shape: (number | null)[] | undefined, s: Sidecar, file: string): void {
  if (!shape || shape.length !== 4) return; // unknown or dynamic: checked on first predict
  const [, h, w, c] = shape;
  if ((h !== null && h !== -1 && h !== s.inputSize) || (w !== null && w !== -1 && w !== s.inputSize)) {
    throw new EngineError('bad_input', `${file}: field inputSize: ${s.inputSize} does not match the model's input ${h}x${w}`);
  }
  if (c !== null && c !== -1 && c !== s.channels) throw new EngineError('bad_input', `${file}: field channels: ${s.channels} does not match the model's ${c} input channels`);
}

/** The sidecar must describe the network: input size, channels, one output per class. */
function checkLayersModel(model: tf.LayersModel, s: Sidecar, file: string): void {
  checkInputShape(model.inputs[0].shape, s, file);
  const out = model.outputs[0].shape;
  const k = s.classNames.length;
  if (model.outputs.length !== 1 || (out[1] !== k && !(out[1] === 1 && k === 2))) {
    throw new EngineError('bad_input', `${file}: field classNames: ${k} classes, but the model's output has shape [${out.join(', ')}]`);
  }
}

/** Loads a model folder (LayersModel or GraphModel), validating the sidecar against the model. */
export async function loadAuditedModel(dir: string): Promise<AuditedModel> {
  const sidecar = readSidecar(dir);
  const { json } = readModelFiles(dir);
  const hash = hashModelDir(dir);
  const handler = fileLoadHandler(dir);
  try {
    if (formatOf(json) === 'graph') {
      const model = await tf.loadGraphModel(handler);
      const inputShape = model.inputs[0]?.shape;
      try {
        checkInputShape(inputShape, sidecar, path.join(dir, SIDECAR_FILE));
      } catch (e) {
        model.dispose();
        throw e;
      }
      return new GraphAuditedModel(model, sidecar, hash);
    }
    const model = await tf.loadLayersModel(handler);
    try {
      checkLayersModel(model, sidecar, path.join(dir, SIDECAR_FILE));
    } catch (e) {
      model.dispose();
      throw e;
    }
    return new LayersAuditedModel(model, sidecar, hash);
  } catch (e) {
    if (e instanceof EngineError) throw e;
    throw new EngineError('bad_input', `${path.join(dir, MODEL_JSON)}: tfjs could not load the model: ${(e as Error).message}`);
  }
}

/** Saves a LayersModel with its sidecar; returns the folder's model hash. */
export async function saveLayersModel(model: tf.LayersModel, dir: string, sidecar: SidecarInput | Sidecar): Promise<string> {
  const s = parseSidecar(sidecar, path.join(dir, SIDECAR_FILE));
  await model.save(fileSaveHandler(dir));
  writeFileAtomic(path.join(dir, SIDECAR_FILE), sidecarBytes(s));
  return hashModelDir(dir);
}

/** Wraps an in-memory LayersModel (e.g. just trained) as an AuditedModel; the wrapper owns it. */
export function wrapLayersModel(model: tf.LayersModel, sidecar: SidecarInput | Sidecar, hash: string | null = null): AuditedModel {
  const s = parseSidecar(sidecar);
  checkLayersModel(model, s, SIDECAR_FILE);
  return new LayersAuditedModel(model, s, hash);
}
