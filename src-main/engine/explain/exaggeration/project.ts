// Explainers inside a project: trained into <project>/explainers/<name>/, recorded in the
// manifest as artefact `explainer:<name>` with their hash and the classifier's hash, loaded
// (and cached) only against the project's current classifier. The explainers shipped in
// models/exaggeration-* are installed into a project on first use, when the project's
// classifier is the one they explain (the demo project and its demo classifiers).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { EngineError } from '../../jobs/errors';
import type { AuditedModel } from '../../models/audited-model';
import type { ProjectStore } from '../../project/store';
import { modelsDir } from '../../resources';
import type { ExplainerArch } from './config';
import type { ExaggerationExplainer } from './explainer';
import { EXPLAINER_JSON, EXPLAINER_WEIGHTS, hashExplainerDir, loadExplainer, readExplainerFile } from './io';

export const EXPLAINERS_DIR = 'explainers';
export const EXPLAINER_ARTEFACT_KIND = 'exaggeration-explainer';

export interface ExplainerRecord {
  name: string;
  /** Folder relative to the project. */
  dir: string;
  hash: string;
  classifierHash: string | null;
  architecture: ExplainerArch;
  steps: number;
  trainSeconds: number;
  trainedAt: string;
}

export const explainerArtefactKey = (name: string): string => `explainer:${name}`;

export function explainerDir(store: ProjectStore, name: string): string {
  return path.join(store.dir, EXPLAINERS_DIR, name);
}

export async function recordExplainer(store: ProjectStore, rec: ExplainerRecord): Promise<void> {
  await store.update((m) => {
    m.artefacts[explainerArtefactKey(rec.name)] = { kind: EXPLAINER_ARTEFACT_KIND, meta: rec as unknown as Record<string, unknown> };
  });
}

export function explainerRecord(store: ProjectStore, name: string): ExplainerRecord | null {
  const a = store.manifest.artefacts[explainerArtefactKey(name)];
  return a?.kind === EXPLAINER_ARTEFACT_KIND ? (a.meta as unknown as ExplainerRecord) : null;
}

export function listExplainers(store: ProjectStore): ExplainerRecord[] {
  return Object.values(store.manifest.artefacts)
    .filter((a) => a.kind === EXPLAINER_ARTEFACT_KIND)
    .map((a) => a.meta as unknown as ExplainerRecord);
}

/** Names of the explainers shipped in models/ (folders exaggeration-*). */
export function shippedExplainers(): string[] {
  const root = modelsDir();
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((n) => n.startsWith('exaggeration-') && fs.existsSync(path.join(root, n, EXPLAINER_JSON)))
    .sort();
}

/**
 * Copies an explainer folder (explainer.json and weights.bin) into the project under `name`
 * and records it; refuses one trained for another classifier than `model`.
 */
export async function installExplainer(store: ProjectStore, srcDir: string, name: string, model: AuditedModel): Promise<ExplainerRecord> {
  const file = readExplainerFile(srcDir);
  if (file.classifier.hash !== model.hash) {
    throw new EngineError('bad_input', `${srcDir}: this explainer was trained for the classifier with hash ${String(file.classifier.hash).slice(0, 12)}…, not the project's (${String(model.hash).slice(0, 12)}…)`);
  }
  const dest = explainerDir(store, name);
  const tmp = path.join(store.dir, EXPLAINERS_DIR, `.tmp-${randomBytes(4).toString('hex')}`);
  await fs.promises.mkdir(tmp, { recursive: true });
  for (const f of [EXPLAINER_JSON, EXPLAINER_WEIGHTS]) await fs.promises.copyFile(path.join(srcDir, f), path.join(tmp, f));
  await fs.promises.rm(dest, { recursive: true, force: true });
  await fs.promises.rename(tmp, dest);
  const training = file.training as { steps?: number; trainSeconds?: number };
  const rec: ExplainerRecord = {
    name,
    dir: path.relative(store.dir, dest),
    hash: hashExplainerDir(dest),
    classifierHash: file.classifier.hash,
    architecture: file.architecture,
    steps: training.steps ?? 0,
    trainSeconds: training.trainSeconds ?? 0,
    trainedAt: fs.statSync(path.join(srcDir, EXPLAINER_JSON)).mtime.toISOString(),
  };
  await recordExplainer(store, rec);
  return rec;
}

let cached: { key: string; explainer: ExaggerationExplainer } | null = null;

/** The project's explainer `name`, checked against its record and against `model`. */
export async function projectExplainer(store: ProjectStore, name: string, model: AuditedModel): Promise<{ explainer: ExaggerationExplainer; record: ExplainerRecord }> {
  let record = explainerRecord(store, name);
  if (!record && shippedExplainers().includes(name)) record = await installExplainer(store, path.join(modelsDir(), name), name, model);
  if (!record) {
    const names = [...new Set([...listExplainers(store).map((r) => r.name), ...shippedExplainers()])];
    throw new EngineError('not_found', `The project has no explainer '${name}'${names.length ? ` (it has: ${names.join(', ')})` : ': train one first'}`);
  }
  const dir = path.join(store.dir, record.dir);
  const key = `${dir}:${record.hash}:${model.hash}`;
  if (cached?.key === key) return { explainer: cached.explainer, record };
  if (!fs.existsSync(dir)) throw new EngineError('not_found', `${record.dir}: the explainer's folder is missing`);
  const hash = hashExplainerDir(dir);
  if (hash !== record.hash) throw new EngineError('bad_input', `${record.dir}: explainer files changed since training (hash mismatch)`);
  const { explainer } = await loadExplainer(dir, model);
  cached?.explainer.dispose();
  cached = { key, explainer };
  return { explainer, record };
}
