// The labels a surrogate learns, in the audited model's class indices: the model's own decisions
// (the audit default) or the data set's labels mapped onto the model's classes.
import type { ImageSet } from '../../data/image-set';
import type { AuditedModel } from '../../models/audited-model';
import { predictRows } from '../../models/batches';
import { argmaxRows } from './evaluate';

/** Data set labels as model class indices (by class name, or by the positive class for two binary sets); null when they do not match. */
export function labelsInModelSpace(set: ImageSet, model: Pick<AuditedModel, 'classNames' | 'positiveClass'>): Int32Array | null {
  const byName = set.classNames.map((c) => model.classNames.indexOf(c));
  if (byName.every((i) => i >= 0)) return Int32Array.from(set.labels, (l) => byName[l]);
  if (set.classNames.length === 2 && model.classNames.length === 2) {
    const other = 1 - model.positiveClass;
    return Int32Array.from(set.labels, (l) => (l === set.positiveClass ? model.positiveClass : other));
  }
  return null;
}

/** The audited model's decisions (argmax) for the rows; -1 for rows not asked for. */
export async function auditedDecisions(model: AuditedModel, set: ImageSet, rows: number[]): Promise<Int32Array> {
  const out = new Int32Array(set.labels.length).fill(-1);
  const pred = argmaxRows(await predictRows(model, set, rows), model.classNames.length);
  rows.forEach((r, j) => (out[r] = pred[j]));
  return out;
}
