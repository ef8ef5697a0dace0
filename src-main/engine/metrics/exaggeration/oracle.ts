// The oracle attribute classifier g of the confounding metric: a small CNN of the project's
// family trained on an attribute column (e.g. `marker`: present/absent), with the classifier
// training loop. Rows with an unknown value, and the queries to be judged, are left out; the
// rest is one training pool (the attribute may vary only in some split, as in the demo project
// where only the test split carries the marker) with a stratified validation cut.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ImageSet } from '../../data/image-set';
import { select } from '../../data/image-set';
import { EngineError } from '../../jobs/errors';
import type { AuditedModel } from '../../models/audited-model';
import { loadAuditedModel } from '../../models/load';
import { trainClassifier, type TrainHooks } from '../../models/train';
import type { TrainOptionsInput } from '../../models/train-options';

export interface OracleRequest {
  set: ImageSet;
  /** Rows not to train on (the queries the oracle will judge). */
  exclude?: ArrayLike<number>;
  attribute: string;
  /** The value counted as 'present'; default the less frequent value of the column. */
  positive?: string;
  /** Where the oracle model is written; default a fresh temp folder. */
  outDir?: string;
  epochs?: number;
  seed?: number;
}

export interface Oracle {
  model: AuditedModel;
  attribute: string;
  positive: string;
  /** Best validation ROC AUC of the oracle on the attribute. */
  valAuc: number;
  dir: string;
}

/**
 * The set relabelled by the attribute: class 1 = `positive`, rows with a null value or listed in
 * `exclude` dropped, all in split 'train'.
 */
export function attributeSet(set: ImageSet, attribute: string, positive?: string, exclude: ArrayLike<number> = []): { set: ImageSet; positive: string } {
  const col = set.attributes[attribute];
  if (!col) throw new EngineError('invalid_request', `the image set has no attribute '${attribute}' (has: ${Object.keys(set.attributes).join(', ') || 'none'})`);
  const counts = new Map<string, number>();
  for (const v of col) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  if (counts.size < 2) throw new EngineError('bad_input', `attribute '${attribute}' has ${counts.size} value(s); an oracle needs at least two`);
  const pos = positive ?? [...counts.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0][0];
  if (!counts.has(pos)) throw new EngineError('invalid_request', `attribute '${attribute}' has no value '${pos}'`);
  const skip = new Set(Array.from(exclude));
  const rows = col.flatMap((v, i) => (v === null || skip.has(i) ? [] : [i]));
  const labels = Int32Array.from(rows, (i) => (col[i] === pos ? 1 : 0));
  if (!labels.includes(1) || !labels.includes(0)) throw new EngineError('bad_input', `attribute '${attribute}': the rows left for training the oracle do not hold both '${pos}' and other values`);
  const sub = select(set, rows);
  return { set: { ...sub, name: `${set.name}: ${attribute}`, labels, classNames: [`not ${pos}`, pos], positiveClass: 1, split: sub.split.map(() => 'train') }, positive: pos };
}

const ORACLE_OPTIONS: TrainOptionsInput = {
  architecture: { family: 'plain', widths: [8, 16], batchNorm: false, dropout: 0 },
  batchSize: 64,
  learningRate: 3e-3,
  augment: false,
  classWeighting: 'balanced',
  earlyStopping: { monitor: 'val_auc', patience: 3, minDelta: 0 },
  keepCheckpoint: false,
};

/** Trains the oracle and loads it. */
export async function trainOracle(req: OracleRequest, hooks: TrainHooks = {}): Promise<Oracle> {
  const { set, positive } = attributeSet(req.set, req.attribute, req.positive, req.exclude);
  const dir = req.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'xa-oracle-'));
  const r = await trainClassifier({ set, outDir: dir, options: { ...ORACLE_OPTIONS, epochs: req.epochs ?? 6, seed: req.seed ?? 0 }, provenance: { oracle: { attribute: req.attribute, positive } } }, hooks);
  return { model: await loadAuditedModel(dir), attribute: req.attribute, positive, valAuc: r.best.val_auc, dir };
}
