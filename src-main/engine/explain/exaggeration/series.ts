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
  /** With calibration: the knob position of each frame [n * K] (k = the paper's bin k). */
  knobs?: Float32Array;
}

export interface SeriesOptions {
  /**
   * Calibrate the knob (a departure from seed 004, off by default): per frame, bisect a
   * continuous condition between bins until f(x_delta) meets the bin's centre, keeping the plain
   * bin-k frame when it is closer. Costs BISECTIONS + 1 more generator and classifier passes.
   */
  calibrate?: boolean;
}

const BISECTIONS = 7;

/** Queries per forward pass (K frames each). */
const CHUNK = 16;

async function positive(model: AuditedModel, x: tf.Tensor4D): Promise<Float32Array> {
  const p = tf.tidy(() => model.predict(x).slice([0, model.positiveClass], [-1, 1]));
  const v = (await p.data()) as Float32Array;
  p.dispose();
  return Float32Array.from(v);
}

/** The series of every image of x ([n, S, S, 1] in [0, 1]) with f of queries and frames. */
export async function computeSeries(explainer: ExaggerationExplainer, model: AuditedModel, x: tf.Tensor4D, opts: SeriesOptions = {}): Promise<SeriesBatch> {
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
    if (opts.calibrate) {
      out.knobs ??= Float32Array.from({ length: n * k }, (_, j) => j % k);
      await calibrateChunk(explainer, model, xi, out, i, m);
    }
    tf.dispose([xi, frames]);
  }
  return out;
}

/** Replaces the frames of queries i..i+m with calibrated ones where they land closer to their bin's centre. */
async function calibrateChunk(explainer: ExaggerationExplainer, model: AuditedModel, xi: tf.Tensor4D, out: SeriesBatch, i: number, m: number): Promise<void> {
  const k = out.bins;
  const px = out.side * out.side;
  const z = explainer.encode(xi);
  const zr = tf.gather(z, tf.tensor1d(Array.from({ length: m * k }, (_, j) => Math.floor(j / k)), 'int32')) as tf.Tensor4D;
  const target = Float32Array.from({ length: m * k }, (_, j) => binCentre(j % k, k));
  const lo = new Float32Array(m * k).fill(-0.5);
  const hi = new Float32Array(m * k).fill(k - 0.5);
  const mid = new Float32Array(m * k);
  try {
    for (let b = 0; b < BISECTIONS; b++) {
      for (let j = 0; j < mid.length; j++) mid[j] = (lo[j] + hi[j]) / 2;
      const g = explainer.decodeAt(zr, mid);
      const f = await positive(model, g);
      g.dispose();
      for (let j = 0; j < mid.length; j++) (f[j] < target[j] ? lo : hi)[j] = mid[j];
    }
    for (let j = 0; j < mid.length; j++) mid[j] = (lo[j] + hi[j]) / 2;
    const g = explainer.decodeAt(zr, mid);
    const f = await positive(model, g);
    const pixels = (await g.data()) as Float32Array;
    g.dispose();
    for (let j = 0; j < mid.length; j++) {
      const at = i * k + j;
      if (Math.abs(f[j] - target[j]) >= Math.abs(out.fFrames[at] - target[j])) continue;
      out.frames.set(pixels.subarray(j * px, (j + 1) * px), at * px);
      out.fFrames[at] = f[j];
      out.knobs![at] = mid[j];
    }
  } finally {
    tf.dispose([z, zr]);
  }
}

/** computeSeries for rows of an image set. */
export async function seriesForRows(explainer: ExaggerationExplainer, model: AuditedModel, set: ImageSet, rows: number[], opts: SeriesOptions = {}): Promise<SeriesBatch> {
  const x = imageBatch(set, rows, explainer.arch.imageSize);
  try {
    return await computeSeries(explainer, model, x, opts);
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
    /** With the calibrated knob: the condition used (k = the plain bin-k frame). */
    knob?: number;
  }[];
  /** Whether the frames come from the calibrated knob. */
  calibrated?: boolean;
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
      ...(s.knobs ? { knob: Number(s.knobs[i * k + j].toFixed(3)) } : {}),
    });
  }
  return { side: s.side, bins: k, query: { png: await greyPngDataUrl(queryOf(s, i), s.side), f: s.fQuery[i], bin: binOf(s.fQuery[i], k) }, frames, maxDifference, calibrated: Boolean(s.knobs) };
}
