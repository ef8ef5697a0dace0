// Series strips per subgroup, for the bias report: for each value of an attribute column, a
// few queries' series as one PNG grid (rows: queries; columns: the query, then bins 0..K-1),
// with f of every frame and, when an oracle is given, its decision per frame.
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../data/image-set';
import type { ExaggerationExplainer } from '../../explain/exaggeration/explainer';
import { gridPng } from '../../explain/exaggeration/render';
import { frameOf, queryOf, seriesForRows } from '../../explain/exaggeration/series';
import type { AuditedModel } from '../../models/audited-model';

export interface SubgroupStrip {
  attribute: string;
  group: string;
  rows: number[];
  /** PNG data URL of the grid. */
  png: string;
  fQuery: number[];
  /** f(x_delta) per query and bin. */
  f: number[][];
  /** Oracle 'present' per query (column 0) and frame (columns 1..K); absent without an oracle. */
  oracle?: boolean[][];
}

async function oracleDecisions(oracle: AuditedModel, images: Float32Array, n: number, side: number): Promise<boolean[]> {
  const x = tf.tensor4d(images, [n, side, side, 1]);
  const p = tf.tidy(() => oracle.predict(x).slice([0, oracle.positiveClass], [-1, 1]));
  const v = await p.data();
  tf.dispose([x, p]);
  return Array.from(v, (q) => q >= 0.5);
}

export async function seriesStrips(
  explainer: ExaggerationExplainer,
  model: AuditedModel,
  set: ImageSet,
  rows: number[],
  attribute: string,
  perGroup: number,
  oracle?: AuditedModel,
  calibrate = false,
): Promise<SubgroupStrip[]> {
  const col = set.attributes[attribute];
  if (!col || perGroup <= 0) return [];
  const groups = [...new Set(rows.map((i) => col[i]).filter((v): v is string => v !== null))].sort();
  const strips: SubgroupStrip[] = [];
  for (const group of groups) {
    const picked = rows.filter((i) => col[i] === group).slice(0, perGroup);
    const s = await seriesForRows(explainer, model, set, picked, { calibrate });
    const k = s.bins;
    const grid = picked.map((_, i) => [queryOf(s, i), ...Array.from({ length: k }, (_, j) => frameOf(s, i, j))]);
    const png = `data:image/png;base64,${(await gridPng(grid, s.side)).toString('base64')}`;
    const strip: SubgroupStrip = { attribute, group, rows: picked, png, fQuery: Array.from(s.fQuery), f: picked.map((_, i) => Array.from(s.fFrames.subarray(i * k, (i + 1) * k))) };
    if (oracle) {
      const q = await oracleDecisions(oracle, s.queries, s.n, s.side);
      const fr = await oracleDecisions(oracle, s.frames, s.n * k, s.side);
      strip.oracle = picked.map((_, i) => [q[i], ...fr.slice(i * k, (i + 1) * k)]);
    }
    strips.push(strip);
  }
  return strips;
}

export { oracleDecisions };
