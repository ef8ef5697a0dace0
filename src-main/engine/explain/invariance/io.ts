// Saving a trained surrogate: its config, weight specs, the audited classifier's hash and a
// training summary (JSON), plus one weights buffer. A surrogate explains one model, so loading
// it against a model with another hash is refused. Stored as a folder (weights.bin +
// surrogate.json) or in a project (artefact `invariance-<name>`, weights as a blob).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { EngineError } from '../../jobs/errors';
import { writeFileAtomic } from '../../models/io';
import type { ProjectStore } from '../../project/store';
import { createSurrogate } from './factory';
import type { Surrogate, SurrogateConfig } from './surrogate';

export const SURROGATE_FORMAT = 'xray-audit-invariance-surrogate';
const META_FILE = 'surrogate.json';
const WEIGHTS_FILE = 'weights.bin';

export interface SurrogateMeta {
  format: typeof SURROGATE_FORMAT;
  version: 1;
  config: SurrogateConfig;
  /** SHA-256 of the audited classifier the surrogate was trained against (null: none, e.g. true labels outside a project). */
  modelHash: string | null;
  specs: tf.io.WeightsManifestEntry[];
  /** Epochs, metrics, timings: what the UI and report show about the training. */
  training: Record<string, unknown>;
}

export async function encodeSurrogate(s: Surrogate, modelHash: string | null, training: Record<string, unknown>): Promise<{ meta: SurrogateMeta; weights: Uint8Array }> {
  const { specs, data } = await s.params.encode();
  return { meta: { format: SURROGATE_FORMAT, version: 1, config: s.config, modelHash, specs, training }, weights: data };
}

/** Rebuilds a surrogate; `expectHash` (when not undefined) must equal the hash it was trained against. */
export function decodeSurrogate(meta: SurrogateMeta, weights: Uint8Array, expectHash: string | null | undefined, what: string): Surrogate {
  if (meta?.format !== SURROGATE_FORMAT || meta.version !== 1) throw new EngineError('bad_input', `${what}: not an invariance surrogate (format ${String(meta?.format)})`);
  if (expectHash !== undefined && meta.modelHash !== expectHash) {
    throw new EngineError(
      'bad_input',
      `${what}: trained against model ${String(meta.modelHash).slice(0, 12)}, not the current model ${String(expectHash).slice(0, 12)}: train the surrogate again for this model`,
    );
  }
  const s = createSurrogate(meta.config);
  try {
    s.params.load(meta.specs, weights, what);
  } catch (e) {
    s.dispose();
    throw e;
  }
  return s;
}

export async function saveSurrogateDir(dir: string, s: Surrogate, modelHash: string | null, training: Record<string, unknown> = {}): Promise<SurrogateMeta> {
  const { meta, weights } = await encodeSurrogate(s, modelHash, training);
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(path.join(dir, WEIGHTS_FILE), weights);
  writeFileAtomic(path.join(dir, META_FILE), JSON.stringify(meta, null, 1));
  return meta;
}

export function readSurrogateMeta(dir: string): SurrogateMeta {
  const file = path.join(dir, META_FILE);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SurrogateMeta;
  } catch (e) {
    throw new EngineError('not_found', `${file}: no readable surrogate (${(e as Error).message})`);
  }
}

export function loadSurrogateDir(dir: string, expectHash: string | null | undefined): Surrogate {
  const meta = readSurrogateMeta(dir);
  const weights = fs.readFileSync(path.join(dir, WEIGHTS_FILE));
  return decodeSurrogate(meta, new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength), expectHash, dir);
}

export const artefactKey = (name: string): string => `invariance-${name}`;

export async function saveSurrogateToProject(store: ProjectStore, name: string, s: Surrogate, modelHash: string | null, training: Record<string, unknown>): Promise<SurrogateMeta> {
  const { meta, weights } = await encodeSurrogate(s, modelHash, training);
  const blob = await store.writeBlob(weights, 'bin');
  await store.update((m) => {
    m.artefacts[artefactKey(name)] = { kind: 'invariance-surrogate', blob, meta: meta as unknown as Record<string, unknown> };
  });
  return meta;
}

export function projectSurrogateMeta(store: ProjectStore, name: string): SurrogateMeta | null {
  const a = store.manifest.artefacts[artefactKey(name)];
  return a?.kind === 'invariance-surrogate' ? (a.meta as unknown as SurrogateMeta) : null;
}

export async function loadSurrogateFromProject(store: ProjectStore, name: string, expectHash: string | null | undefined): Promise<Surrogate> {
  const a = store.manifest.artefacts[artefactKey(name)];
  if (!a?.blob || a.kind !== 'invariance-surrogate') throw new EngineError('not_found', `The project has no invariance surrogate '${name}': train one first (job invariance-train)`);
  const bytes = await store.readBlob(a.blob);
  return decodeSurrogate(a.meta as unknown as SurrogateMeta, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), expectHash, `surrogate '${name}'`);
}
