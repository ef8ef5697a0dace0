// The model under audit inside a project: copied into the project folder (so the project is
// self-contained and the model cannot change underneath the audit), recorded with its hash.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ProjectStore } from '../project/store';
import { EngineError } from '../jobs/errors';
import { loadAuditedModel } from './load';
import type { AuditedModel } from './audited-model';
import type { Sidecar } from './sidecar';

export interface ModelRecord {
  /** Folder inside the project, relative to it. */
  dir: string;
  hash: string;
  name: string;
  sidecar: Sidecar;
  /** The model card shipped with the model, when there is one. */
  card: Record<string, unknown> | null;
  attachedAt: string;
}

export function modelRecord(store: ProjectStore): ModelRecord | null {
  const a = store.manifest.artefacts.model;
  return a ? (a.meta as unknown as ModelRecord) : null;
}

/** Validates a model folder by loading it, then copies it into the project and records it. */
export async function attachModel(store: ProjectStore, srcDir: string, name?: string): Promise<ModelRecord> {
  const model = await loadAuditedModel(srcDir);
  const hash = model.hash!;
  const sidecar = model.sidecar;
  model.dispose();
  const rel = path.join('models', hash.slice(0, 16));
  const dest = path.join(store.dir, rel);
  if (!fs.existsSync(dest)) {
    // Copy into a temp folder, then rename: a crash never leaves a half-copied model.
    const tmp = path.join(store.dir, 'models', `.tmp-${randomBytes(4).toString('hex')}`);
    await fs.promises.mkdir(tmp, { recursive: true });
    for (const f of await fs.promises.readdir(srcDir, { withFileTypes: true })) {
      if (f.isFile()) await fs.promises.copyFile(path.join(srcDir, f.name), path.join(tmp, f.name));
    }
    await fs.promises.rename(tmp, dest);
  }
  let card: Record<string, unknown> | null = null;
  try {
    card = JSON.parse(await fs.promises.readFile(path.join(srcDir, 'model-card.json'), 'utf8'));
  } catch {
    card = null;
  }
  const record: ModelRecord = { dir: rel, hash, name: name ?? path.basename(path.resolve(srcDir)), sidecar, card, attachedAt: new Date().toISOString() };
  await store.update((m) => {
    m.artefacts.model = { kind: 'model', meta: record as unknown as Record<string, unknown> };
  });
  return record;
}

let cached: { key: string; model: AuditedModel } | null = null;

/** The project's model, loaded once per project and hash; the hash is re-checked on load. */
export async function projectModel(store: ProjectStore): Promise<AuditedModel> {
  const rec = modelRecord(store);
  if (!rec) throw new EngineError('not_found', 'The project has no model yet: load one on the Model screen (or train one)');
  const key = `${store.dir}:${rec.hash}`;
  if (cached?.key === key) return cached.model;
  const model = await loadAuditedModel(path.join(store.dir, rec.dir));
  if (model.hash !== rec.hash) {
    model.dispose();
    throw new EngineError('bad_input', `${path.join(rec.dir)}: model files changed since they were attached (hash mismatch)`);
  }
  cached?.model.dispose();
  cached = { key, model };
  return model;
}

/**
 * Dataset labels as the model's binary target: 1 where the image's class is the model's
 * positive class (matched by name, or by index when the names differ but both are binary).
 */
export function positiveLabels(datasetClasses: string[], datasetLabels: Int32Array, model: AuditedModel): Int32Array {
  const want = model.classNames[model.positiveClass];
  let idx = datasetClasses.indexOf(want);
  if (idx < 0) {
    if (datasetClasses.length === 2 && model.classNames.length === 2) idx = model.positiveClass;
    else throw new EngineError('bad_input', `The model's positive class '${want}' is not a class of the image set (${datasetClasses.join(', ')})`);
  }
  return Int32Array.from(datasetLabels, (l) => (l === idx ? 1 : 0));
}
