// Self-consistency (seed 004 section 2.3 / 4.1), all in [0, 1] image units:
//   reconstruction  mean |I_f(x, 0) - x|, I_f(x, 0) = G(E(x), c_f(x, 0)), the frame of the bin
//                   holding f(x);
//   cycle           mean |G(E(x_delta), c_f(x, 0)) - x| over every frame of the series;
//   LSC             latent space closeness (Eq. 10), see latent-closeness.ts.
import * as tf from '@tensorflow/tfjs';
import { binOf } from '../../explain/exaggeration/bins';
import type { ExaggerationExplainer } from '../../explain/exaggeration/explainer';
import { frameOf, queryOf, type SeriesBatch } from '../../explain/exaggeration/series';
import { latentSpaceCloseness } from './latent-closeness';

export interface SelfConsistencyResult {
  queries: number;
  reconstructionL1: number;
  cycleL1: number;
  lsc: number;
  lscPerBin: number[];
}

/** Mean |a - b| of two equally long arrays. */
export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** Queries per forward pass (K frames each). */
const CHUNK = 16;

export async function selfConsistency(explainer: ExaggerationExplainer, s: SeriesBatch): Promise<SelfConsistencyResult> {
  const { n, bins: k, side } = s;
  const px = side * side;
  let rec = 0;
  for (let i = 0; i < n; i++) rec += meanAbsDiff(frameOf(s, i, binOf(s.fQuery[i], k)), queryOf(s, i));
  let cyc = 0;
  let dLatent = 0;
  let eq: Float32Array | null = null;
  let ef: Float32Array | null = null;
  for (let i0 = 0; i0 < n; i0 += CHUNK) {
    const m = Math.min(CHUNK, n - i0);
    const x = tf.tensor4d(s.queries.subarray(i0 * px, (i0 + m) * px), [m, side, side, 1]);
    const frames = tf.tensor4d(s.frames.subarray(i0 * k * px, (i0 + m) * k * px), [m * k, side, side, 1]);
    const back = Array.from({ length: m * k }, (_, j) => binOf(s.fQuery[i0 + Math.floor(j / k)], k));
    const zq = explainer.encode(x);
    const zf = explainer.encode(frames);
    const cycled = tf.tidy(() => explainer.decode(zf, tf.tensor1d(back, 'int32')));
    const cv = await cycled.data();
    for (let j = 0; j < m * k; j++) cyc += meanAbsDiff(cv.subarray(j * px, (j + 1) * px), queryOf(s, i0 + Math.floor(j / k)));
    const qv = await zq.data();
    const fv = await zf.data();
    dLatent = qv.length / m;
    eq ??= new Float32Array(n * dLatent);
    ef ??= new Float32Array(n * k * dLatent);
    eq.set(qv, i0 * dLatent);
    ef.set(fv, i0 * k * dLatent);
    tf.dispose([x, frames, zq, zf, cycled]);
  }
  const lsc = n >= 2 ? latentSpaceCloseness(eq!, ef!, n, k) : { lsc: NaN, perBin: [] };
  return { queries: n, reconstructionL1: rec / n, cycleL1: cyc / (n * k), lsc: lsc.lsc, lscPerBin: lsc.perBin };
}
