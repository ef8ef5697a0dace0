// The explainer's quality on a set of queries, in one pass over their series: compatibility,
// self-consistency (reconstruction, cycle, LSC), the Frechet distance in a fixed feature space
// and, with an oracle, the confounding metric and series strips per subgroup.
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../data/image-set';
import type { ExaggerationExplainer } from '../../explain/exaggeration/explainer';
import { frameOf, seriesForRows, type SeriesBatch } from '../../explain/exaggeration/series';
import type { AuditedModel } from '../../models/audited-model';
import { compatibility, type CompatibilityResult } from './compatibility';
import { confoundingMetric, type ConfoundingResult } from './confounding';
import { frechetDistance, openFeatureSpace, type FrechetFeatureKind } from './frechet';
import { selfConsistency, type SelfConsistencyResult } from './self-consistency';
import { oracleDecisions, seriesStrips, type SubgroupStrip } from './strips';

export interface FrechetResult {
  kind: FrechetFeatureKind;
  description: string;
  featureModelHash: string | null;
  /** Real queries vs every frame. */
  overall: number;
  /** Real queries with f(x) in the lowest / highest bin vs frames targeting that bin (null with fewer than 10 such queries). */
  low: number | null;
  high: number | null;
  realLow: number;
  realHigh: number;
}

export interface OracleInput {
  model: AuditedModel;
  attribute: string;
  positive: string;
  valAuc?: number;
}

export interface ConfoundingReport extends ConfoundingResult {
  attribute: string;
  positive: string;
  oracleValAuc: number | null;
  /** Oracle accuracy on the queries themselves (against the attribute column), when known. */
  oracleQueryAccuracy: number | null;
}

export interface ExaggerationQuality {
  queries: number;
  bins: number;
  compatibility: CompatibilityResult;
  selfConsistency: SelfConsistencyResult;
  frechet: FrechetResult | null;
  confounding: ConfoundingReport | null;
  strips: SubgroupStrip[];
  /** Whether the series used the calibrated knob (not seed 004; see series.ts). */
  calibrated: boolean;
}

export interface QualityOptions {
  frechet?: FrechetFeatureKind | null;
  oracle?: OracleInput | null;
  bootstrap?: number;
  seed?: number;
  /** Monotonicity tolerance (see compatibility.ts). */
  tolerance?: number;
  /** Series with the calibrated knob (see series.ts); default false: seed 004's plain bins. */
  calibrate?: boolean;
  /** Strips per value of this column (default: the oracle's attribute). */
  strips?: { attribute: string; perGroup: number } | null;
  progress?(stage: string, fraction: number): void;
  checkpoint?(): Promise<void>;
}

async function frechetOf(kind: FrechetFeatureKind, s: SeriesBatch): Promise<FrechetResult> {
  const space = await openFeatureSpace(kind);
  try {
    const { n, bins: k, side } = s;
    const feats = async (data: Float32Array, m: number): Promise<Float32Array> => {
      const out = new Float32Array(m * space.dims);
      for (let i = 0; i < m; i += 256) {
        const c = Math.min(256, m - i);
        const x = tf.tensor4d(data.subarray(i * side * side, (i + c) * side * side), [c, side, side, 1]);
        out.set(await space.features(x), i * space.dims);
        x.dispose();
      }
      return out;
    };
    const real = await feats(s.queries, n);
    const fake = await feats(s.frames, n * k);
    const d = space.dims;
    const pick = (src: Float32Array, rows: number[]): Float32Array => {
      const out = new Float32Array(rows.length * d);
      rows.forEach((r, j) => out.set(src.subarray(r * d, (r + 1) * d), j * d));
      return out;
    };
    const end = (bin: number): { value: number | null; real: number } => {
      const realRows = Array.from({ length: n }, (_, i) => i).filter((i) => Math.min(k - 1, Math.floor(s.fQuery[i] * k)) === bin);
      if (realRows.length < 10) return { value: null, real: realRows.length };
      const fakeRows = Array.from({ length: n }, (_, i) => i * k + bin);
      return { value: frechetDistance(pick(real, realRows), realRows.length, pick(fake, fakeRows), fakeRows.length, d), real: realRows.length };
    };
    const low = end(0);
    const high = end(k - 1);
    return {
      kind,
      description: space.description,
      featureModelHash: space.modelHash,
      overall: frechetDistance(real, n, fake, n * k, d),
      low: low.value,
      high: high.value,
      realLow: low.real,
      realHigh: high.real,
    };
  } finally {
    space.dispose();
  }
}

/** Oracle accuracy against the column, over the queries with a known value. */
function oracleAccuracy(set: ImageSet, rows: number[], o: OracleInput, decided: boolean[]): number | null {
  const col = set.attributes[o.attribute];
  if (!col) return null;
  const known = rows.map((r, i) => [col[r], decided[i]] as const).filter(([v]) => v !== null);
  return known.length ? known.filter(([v, d]) => (v === o.positive) === d).length / known.length : null;
}

export async function evaluateExplainerQuality(explainer: ExaggerationExplainer, model: AuditedModel, set: ImageSet, rows: number[], o: QualityOptions = {}): Promise<ExaggerationQuality> {
  const step = async (stage: string, fraction: number): Promise<void> => {
    o.progress?.(stage, fraction);
    await o.checkpoint?.();
  };
  await step('generating series', 0.05);
  const s = await seriesForRows(explainer, model, set, rows, { calibrate: o.calibrate ?? false });
  const k = s.bins;
  await step('self-consistency', 0.4);
  const comp = compatibility(s.fFrames, k, o.tolerance);
  const self = await selfConsistency(explainer, s);
  await step('Frechet distance', 0.6);
  const frechet = o.frechet === null ? null : await frechetOf(o.frechet ?? 'demo-pool', s);
  let confounding: ConfoundingReport | null = null;
  let strips: SubgroupStrip[] = [];
  if (o.oracle) {
    await step('confounding metric', 0.8);
    const side = s.side;
    const px = side * side;
    const ends = (bin: number): Float32Array => {
      const out = new Float32Array(s.n * px);
      for (let i = 0; i < s.n; i++) out.set(frameOf(s, i, bin), i * px);
      return out;
    };
    const q = await oracleDecisions(o.oracle.model, s.queries, s.n, side);
    const lo = await oracleDecisions(o.oracle.model, ends(0), s.n, side);
    const hi = await oracleDecisions(o.oracle.model, ends(k - 1), s.n, side);
    confounding = {
      attribute: o.oracle.attribute,
      positive: o.oracle.positive,
      oracleValAuc: o.oracle.valAuc ?? null,
      oracleQueryAccuracy: oracleAccuracy(set, rows, o.oracle, q),
      ...confoundingMetric(q, lo, hi, { resamples: o.bootstrap ?? 1000, seed: o.seed }),
    };
  }
  const stripSpec = o.strips === undefined ? (o.oracle ? { attribute: o.oracle.attribute, perGroup: 2 } : null) : o.strips;
  if (stripSpec) {
    await step('series strips', 0.9);
    strips = await seriesStrips(explainer, model, set, rows, stripSpec.attribute, stripSpec.perGroup, o.oracle?.model, o.calibrate ?? false);
  }
  return { queries: s.n, bins: k, compatibility: comp, selfConsistency: self, frechet, confounding, strips, calibrated: o.calibrate ?? false };
}
