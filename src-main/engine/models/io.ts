// tfjs model folders on disk (model.json + weight shards) through tf.io handlers that use fs:
// in Node tfjs would otherwise try fetch or the tfjs-node file:// router, which we do not ship.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../jobs/errors';

export const MODEL_JSON = 'model.json';
/** tfjs's own shard size, so that big models stay loadable by other tfjs tools. */
const SHARD_BYTES = 4 * 1024 * 1024;

/** A model's files as bytes, in the order they are hashed: model.json, then its shards. */
export interface ModelFiles {
  modelJson: Buffer;
  shards: { name: string; bytes: Buffer }[];
}

/** Writes via a temp file in the same folder and a rename, so readers never see half a file. */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

function shardPath(dir: string, rel: string, jsonFile: string): string {
  const full = path.resolve(dir, rel);
  if (path.isAbsolute(rel) || !full.startsWith(path.resolve(dir) + path.sep)) {
    throw new EngineError('bad_input', `${jsonFile}: weightsManifest path "${rel}" must stay inside the model folder`);
  }
  return full;
}

function readJson(file: string): tf.io.ModelJSON {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new EngineError('not_found', `${file}: missing: a model folder needs a tfjs ${MODEL_JSON} with its weight shards`);
  }
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new EngineError('bad_input', `${file}: not valid JSON: ${(e as Error).message}`);
  }
  if (!json || typeof json !== 'object' || !json.modelTopology) throw new EngineError('bad_input', `${file}: field modelTopology: missing (not a tfjs model.json)`);
  if (!Array.isArray(json.weightsManifest)) throw new EngineError('bad_input', `${file}: field weightsManifest: missing or not a list`);
  return json;
}

/** Reads model.json and the shards it names, in manifest order. */
export function readModelFiles(dir: string): { json: tf.io.ModelJSON; files: ModelFiles } {
  const jsonFile = path.join(dir, MODEL_JSON);
  const json = readJson(jsonFile);
  const shards: ModelFiles['shards'] = [];
  for (const group of json.weightsManifest) {
    for (const rel of group.paths ?? []) {
      const file = shardPath(dir, rel, jsonFile);
      try {
        shards.push({ name: rel, bytes: fs.readFileSync(file) });
      } catch {
        throw new EngineError('bad_input', `${jsonFile}: weight shard "${rel}" is missing`);
      }
    }
  }
  return { json, files: { modelJson: fs.readFileSync(jsonFile), shards } };
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** A tf.io load handler for a model folder. */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const { json, files } = readModelFiles(dir);
      const weightData = tf.io.concatenateArrayBuffers(files.shards.map((s) => toArrayBuffer(s.bytes)));
      const expected = tf.io.getWeightSpecs(json.weightsManifest).length;
      if (expected && weightData.byteLength === 0) throw new EngineError('bad_input', `${path.join(dir, MODEL_JSON)}: weight shards are empty`);
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => [tf.io.getWeightSpecs(manifest), weightData]);
    },
  };
}

/** The files a save writes, as bytes (shared with hashing so both see the same bytes). */
export function artifactsToFiles(a: tf.io.ModelArtifacts): ModelFiles {
  const data = a.weightData ? Buffer.from(tf.io.CompositeArrayBuffer.join(a.weightData)) : Buffer.alloc(0);
  const shards: ModelFiles['shards'] = [];
  const n = Math.max(1, Math.ceil(data.length / SHARD_BYTES));
  for (let i = 0; i < n; i++) {
    shards.push({ name: n === 1 ? 'weights.bin' : `group1-shard${i + 1}of${n}.bin`, bytes: data.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES) });
  }
  const json: Record<string, unknown> = {
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy ?? null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: shards.map((s) => s.name), weights: a.weightSpecs ?? [] }],
  };
  if (a.trainingConfig) json.trainingConfig = a.trainingConfig;
  if (a.signature) json.signature = a.signature;
  if (a.userDefinedMetadata) json.userDefinedMetadata = a.userDefinedMetadata;
  if (a.modelInitializer) json.modelInitializer = a.modelInitializer;
  if (a.initializerSignature) json.initializerSignature = a.initializerSignature;
  return { modelJson: Buffer.from(JSON.stringify(json)), shards };
}

/** Serialises a model without touching disk. */
export async function modelToFiles(model: tf.LayersModel): Promise<ModelFiles> {
  let files: ModelFiles | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      files = artifactsToFiles(a);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files!;
}

/** Writes a model folder: shards first, model.json last, each file atomically. */
export function writeModelFiles(dir: string, files: ModelFiles): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const s of files.shards) writeFileAtomic(path.join(dir, s.name), s.bytes);
  writeFileAtomic(path.join(dir, MODEL_JSON), files.modelJson);
}

/** A tf.io save handler for a model folder (atomic per file). */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    save: async (a) => {
      const files = artifactsToFiles(a);
      writeModelFiles(dir, files);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: files.modelJson.length,
          weightDataBytes: files.shards.reduce((n, s) => n + s.bytes.length, 0),
        },
      };
    },
  };
}
