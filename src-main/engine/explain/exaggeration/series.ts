// Inference: the full series of an image or a batch (one frame per bin, K frames), the
// classifier's f(x_delta) for every frame, and JSON-ready views (PNG data URLs, difference maps).
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../data/image-set';
import type { AuditedModel } from '../../models/audited-model';
import { imageBatch } from '../../models/batches';
import { binCentre, binOf } from './bins';
import type { ExaggerationExplainer } from './explainer';
import { greyPngDataUrl } from './render';

/** Series of n queries, K frames each; images row-major side x side in [0, 1]. */
export interface SeriesBatch {
  n: number;
  bins: number;
  side: number;
  /** [n * side^2] */
  queries: Float32Array;
  /** [n * K * side^2], query-major: frame k of query i at (i * K + k). */
  frames: Float32Array;
  /** f(x) of each query. */
  fQuery: Float32Array;
  /** f(x_delta) of each frame [n * K]. */
  fFrames: Float32Array;
}

/** Queries per forward pass (K frames each). */
const CHUNK = 16;

async function positive(model: AuditedModel, x: tf.Tensor4D): Promise<Float32Array> {
  const p = tf.tidy(() => model.predict(x).slice([0, model.positiveClass], [-1, 1]));
  const v = (await p.data()) as Float32Array;
  p.dispose();
  return Float32Array.from(v);
}

/** The series of every image of x ([n, S, S, 1] in [0, 1]) with f of queries and frames. */
export async function computeSeries(explainer: ExaggerationExplainer, model: AuditedModel, x: tf.Tensor4D): Promise<SeriesBatch> {
  explainer.checkClassifier(model);
  const [n, side] = x.shape;
  const k = explainer.bins;
  const px = side * side;
  const out: SeriesBatch = { n, bins: k, side, queries: Float32Array.from(await x.data()), frames: new Float32Array(n * k * px), fQuery: await positive(model, x), fFrames: new Float32Array(n * k) };
  for (let i = 0; i < n; i += CHUNK) {
    const m = Math.min(CHUNK, n - i);
    const xi = x.slice([i, 0, 0, 0], [m, -1, -1, -1]);
    const frames = explainer.series(xi);
    out.frames.set(await frames.data(), i * k * px);
    out.fFrames.set(await positive(model, frames), i * k);
    tf.dispose([xi, frames]);
  }
  return out;
}

/** computeSeries for rows of an image set. */
export async function seriesForRows(explainer: ExaggerationExplainer, model: AuditedModel, set: ImageSet, rows: number[]): Promise<SeriesBatch> {
  const x = imageBatch(set, rows, explainer.arch.imageSize);
  try {
    return await computeSeries(explainer, model, x);
  } finally {
    x.dispose();
  }
}

/** Frame k of query i (a view). */
export function frameOf(s: SeriesBatch, i: number, k: number): Float32Array {
  const px = s.side * s.side;
  return s.frames.subarray((i * s.bins + k) * px, (i * s.bins + k + 1) * px);
}

export function queryOf(s: SeriesBatch, i: number): Float32Array {
  const px = s.side * s.side;
  return s.queries.subarray(i * px, (i + 1) * px);
}

/** |frame - query| per pixel. */
export function differenceMap(s: SeriesBatch, i: number, k: number): Float32Array {
  const q = queryOf(s, i);
  const f = frameOf(s, i, k);
  return Float32Array.from(f, (v, p) => Math.abs(v - q[p]));
}

/** One query's series as JSON (what the generate-series job returns per image). */
export interface SeriesJson {
  side: number;
  bins: number;
  query: { png: string; f: number; bin: number };
  frames: {
    /** Target bin k; its centre (k + 0.5) / K is the target of f. */
    targetBin: number;
    target: number;
    f: number;
    /** Whether f(x_delta) landed in the target bin. */
    inTargetBin: boolean;
    png: string;
    /** |frame - query|, scaled so the series' largest difference is white. */
    differencePng?: string;
    /** Mean |frame - query| in [0, 1] units. */
    meanDifference: number;
  }[];
  /** The scale of the difference PNGs: the series' largest per-pixel difference. */
  maxDifference: number;
}

export async function seriesJson(s: SeriesBatch, i: number, opts: { differences?: boolean } = {}): Promise<SeriesJson> {
  const k = s.bins;
  const diffs = Array.from({ length: k }, (_, j) => differenceMap(s, i, j));
  const maxDifference = Math.max(1e-6, ...diffs.map((d) => d.reduce((a, v) => Math.max(a, v), 0)));
  const frames: SeriesJson['frames'] = [];
  for (let j = 0; j < k; j++) {
    const f = s.fFrames[i * k + j];
    frames.push({
      targetBin: j,
      target: binCentre(j, k),
      f,
      inTargetBin: binOf(f, k) === j,
      png: await greyPngDataUrl(frameOf(s, i, j), s.side),
      ...(opts.differences !== false ? { differencePng: await greyPngDataUrl(diffs[j], s.side, 1 / maxDifference) } : {}),
      meanDifference: diffs[j].reduce((a, v) => a + v, 0) / diffs[j].length,
    });
  }
  return { side: s.side, bins: k, query: { png: await greyPngDataUrl(queryOf(s, i), s.side), f: s.fQuery[i], bin: binOf(s.fQuery[i], k) }, frames, maxDifference };
}
