// A trained explainer on disk: a folder with explainer.json (architecture, loss weights, the
// hash of the classifier it explains, training record, weight specs) and weights.bin (encoder
// and generator, batch-norm running statistics included). The discriminator only lives in the
// training checkpoint. Loading against another classifier is refused.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { AuditedModel } from '../../models/audited-model';
import { writeFileAtomic } from '../../models/io';
import { EngineError } from '../../jobs/errors';
import { ExplainerArchSchema, LossWeightsSchema } from './config';
import { ExaggerationExplainer, type ClassifierRef } from './explainer';

export const EXPLAINER_JSON = 'explainer.json';
export const EXPLAINER_WEIGHTS = 'weights.bin';
export const EXPLAINER_FORMAT = 'xray-audit-explainer';

const WeightSpecSchema = z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), dtype: z.literal('float32') }).passthrough();

export const ExplainerFileSchema = z.object({
  format: z.literal(EXPLAINER_FORMAT),
  method: z.literal('progressive-exaggeration'),
  version: z.literal(1),
  architecture: ExplainerArchSchema,
  lossWeights: LossWeightsSchema,
  classifier: z.object({
    hash: z.string().nullable(),
    inputSize: z.number().int().positive(),
    classNames: z.array(z.string()).min(2),
    positiveClass: z.number().int().nonnegative(),
  }),
  weights: z.object({ file: z.literal(EXPLAINER_WEIGHTS), specs: z.array(WeightSpecSchema) }),
  /** Provenance and the training record (steps, options, losses, time, data). */
  training: z.record(z.string(), z.unknown()).default({}),
});
export type ExplainerFile = z.infer<typeof ExplainerFileSchema>;

/** Serialises the named tensors of a store (float32) to bytes and specs. */
export async function encodeTensors(tensors: tf.NamedTensorMap): Promise<{ bytes: Uint8Array; specs: tf.io.WeightsManifestEntry[] }> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  return { bytes: new Uint8Array(data as ArrayBuffer), specs };
}

export function decodeTensors(bytes: Buffer, specs: tf.io.WeightsManifestEntry[]): tf.NamedTensorMap {
  const total = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes.length !== total) throw new Error(`weights hold ${bytes.length} bytes but the specs need ${total}`);
  return tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, specs);
}

/** SHA-256 over explainer.json and weights.bin, each framed by name and length. */
export function hashExplainerDir(dir: string): string {
  const h = crypto.createHash('sha256');
  for (const name of [EXPLAINER_JSON, EXPLAINER_WEIGHTS]) {
    const bytes = fs.readFileSync(path.join(dir, name));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(bytes.length));
    h.update(`${name}\0`).update(len).update(bytes);
  }
  return h.digest('hex');
}

/** Writes the explainer (weights first, explainer.json last, each atomically); returns its hash. */
export async function saveExplainer(explainer: ExaggerationExplainer, dir: string, training: Record<string, unknown> = {}): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const { bytes, specs } = await encodeTensors(explainer.store.tensors(['encoder', 'generator']));
  const file: ExplainerFile = {
    format: EXPLAINER_FORMAT,
    method: 'progressive-exaggeration',
    version: 1,
    architecture: explainer.arch,
    lossWeights: explainer.weights,
    classifier: explainer.classifier,
    weights: { file: EXPLAINER_WEIGHTS, specs: specs as ExplainerFile['weights']['specs'] },
    training,
  };
  writeFileAtomic(path.join(dir, EXPLAINER_WEIGHTS), bytes);
  writeFileAtomic(path.join(dir, EXPLAINER_JSON), `${JSON.stringify(file, null, 1)}\n`);
  return hashExplainerDir(dir);
}

/** Reads and validates explainer.json. */
export function readExplainerFile(dir: string): ExplainerFile {
  const file = path.join(dir, EXPLAINER_JSON);
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    throw new EngineError('not_found', `${dir}: no trained explainer here (${EXPLAINER_JSON} missing)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new EngineError('bad_input', `${file}: not valid JSON (${(e as Error).message})`);
  }
  const r = ExplainerFileSchema.safeParse(json);
  if (!r.success) throw new EngineError('bad_input', `${file}: not an exaggeration explainer: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

export interface LoadedExplainer {
  explainer: ExaggerationExplainer;
  file: ExplainerFile;
  /** hashExplainerDir of the folder. */
  hash: string;
}

/**
 * Loads an explainer folder. With `model`, refuses (EngineError 'bad_input') unless it is the
 * classifier the explainer was trained for (same model hash).
 */
export async function loadExplainer(dir: string, model?: AuditedModel): Promise<LoadedExplainer> {
  const file = readExplainerFile(dir);
  const ref: ClassifierRef = file.classifier;
  const explainer = new ExaggerationExplainer(file.architecture, ref, file.lossWeights);
  try {
    if (model) explainer.checkClassifier(model, `the explainer in ${dir}`);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(dir, EXPLAINER_WEIGHTS));
    } catch {
      throw new EngineError('bad_input', `${dir}: ${EXPLAINER_WEIGHTS} is missing`);
    }
    let values: tf.NamedTensorMap;
    try {
      values = decodeTensors(bytes, file.weights.specs);
    } catch (e) {
      throw new EngineError('bad_input', `${path.join(dir, EXPLAINER_WEIGHTS)}: ${(e as Error).message}`);
    }
    try {
      explainer.store.assign(values, ['encoder', 'generator'], path.join(dir, EXPLAINER_WEIGHTS));
    } catch (e) {
      throw new EngineError('bad_input', (e as Error).message);
    } finally {
      tf.dispose(Object.values(values));
    }
    return { explainer, file, hash: hashExplainerDir(dir) };
  } catch (e) {
    explainer.dispose();
    throw e;
  }
}
