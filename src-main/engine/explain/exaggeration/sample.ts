// Sample series during training: a grid (rows: preview queries; columns: the query, then one
// frame per bin) written to <outDir>/samples/step-NNNNNN.png, with f of every frame.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImageSet } from '../../data/image-set';
import type { AuditedModel } from '../../models/audited-model';
import { writeFileAtomic } from '../../models/io';
import { binOf } from './bins';
import type { ExaggerationExplainer } from './explainer';
import { gridPng } from './render';
import { frameOf, queryOf, seriesForRows } from './series';

export const SAMPLES_DIR = 'samples';

export interface TrainingSample {
  step: number;
  /** The grid PNG, relative to the explainer folder. */
  file: string;
  rows: number[];
  /** f(x) of each preview query and f(x_delta) of its frames (bin 0..K-1). */
  fQuery: number[];
  f: number[][];
  /** Fraction of the preview frames whose f landed in their target bin. */
  inTargetBin: number;
}

export async function renderSample(explainer: ExaggerationExplainer, model: AuditedModel, set: ImageSet, rows: number[], outDir: string, step: number): Promise<TrainingSample> {
  const s = await seriesForRows(explainer, model, set, rows);
  const k = s.bins;
  const grid = rows.map((_, i) => [queryOf(s, i), ...Array.from({ length: k }, (_, j) => frameOf(s, i, j))]);
  const file = path.join(SAMPLES_DIR, `step-${String(step).padStart(6, '0')}.png`);
  fs.mkdirSync(path.join(outDir, SAMPLES_DIR), { recursive: true });
  writeFileAtomic(path.join(outDir, file), await gridPng(grid, s.side));
  const f = rows.map((_, i) => Array.from(s.fFrames.subarray(i * k, (i + 1) * k)));
  const hits = f.flat().filter((v, j) => binOf(v, k) === j % k).length;
  return { step, file, rows, fQuery: Array.from(s.fQuery), f, inTargetBin: hits / (rows.length * k) };
}
