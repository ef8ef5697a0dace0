// Data consistency: the Frechet distance between real images and explanations in a fixed
// feature space (an offline stand-in for the paper's FID; Inception features cannot be had
// offline, and FIDs from different feature spaces are not comparable). Two spaces:
//   'demo-pool'          the 64 `pool` features (global average of the last residual block) of
//                        the shipped classifier models/pneumonia-demo, images resized to 28 px;
//                        learned chest X-ray features (like Inception's role in FID). Recorded
//                        with that model's hash. Note: when the audited classifier is that same
//                        model, this space is also the one the explainer was steered through.
//   'random-projection'  images resized to 28 px, flattened, times a fixed Gaussian 784 x 64
//                        matrix (mulberry32 seed 0x5eed, Box-Muller, variance 1/784): no learned
//                        features, only intensity layout; independent of any classifier.
// d^2 = |mu_a - mu_b|^2 + Tr(S_a) + Tr(S_b) - 2 Tr((S_a^1/2 S_b S_a^1/2)^1/2).
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { makeRng } from '../../data/synthetic/rng';
import type { AuditedModel } from '../../models/audited-model';
import { loadAuditedModel } from '../../models/load';
import { modelsDir } from '../../resources';
import { matMul, sqrtPsd, symmetricEigen } from './linalg';

export type FrechetFeatureKind = 'demo-pool' | 'random-projection';

/** Mean [d] and covariance [d x d] (unbiased) of n feature rows. */
export function meanCov(features: ArrayLike<number>, n: number, d: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += features[i * d + j] / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const da = features[i * d + a] - mean[a];
      for (let b = a; b < d; b++) cov[a * d + b] += da * (features[i * d + b] - mean[b]);
    }
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) {
    cov[a * d + b] /= Math.max(1, n - 1);
    cov[b * d + a] = cov[a * d + b];
  }
  return { mean, cov };
}

/** Frechet distance (squared, as FID reports it) between two Gaussians. */
export function frechetFromMoments(a: { mean: ArrayLike<number>; cov: ArrayLike<number> }, b: { mean: ArrayLike<number>; cov: ArrayLike<number> }, d: number): number {
  let diff = 0;
  let tr = 0;
  for (let j = 0; j < d; j++) {
    diff += (a.mean[j] - b.mean[j]) ** 2;
    tr += a.cov[j * d + j] + b.cov[j * d + j];
  }
  const sa = sqrtPsd(a.cov, d);
  const m = matMul(matMul(sa, b.cov, d, d, d), sa, d, d, d);
  // Symmetrise away rounding before the eigendecomposition.
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) m[i * d + j] = m[j * d + i] = (m[i * d + j] + m[j * d + i]) / 2;
  const { values } = symmetricEigen(m, d);
  const trSqrt = values.reduce((s, v) => s + Math.sqrt(Math.max(0, v)), 0);
  return Math.max(0, diff + tr - 2 * trSqrt);
}

/** Frechet distance between two sets of feature rows. */
export function frechetDistance(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number, d: number): number {
  return frechetFromMoments(meanCov(a, na, d), meanCov(b, nb, d), d);
}

const SIDE = 28;
const DIMS = 64;
const PROJECTION_SEED = 0x5eed;

/** The fixed projection matrix [784, 64]. */
export function projectionMatrix(): Float32Array {
  const rng = makeRng(PROJECTION_SEED);
  const out = new Float32Array(SIDE * SIDE * DIMS);
  const sd = 1 / Math.sqrt(SIDE * SIDE);
  for (let i = 0; i < out.length; i += 2) {
    const u = Math.max(1e-12, rng());
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u)) * sd;
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export interface FeatureSpace {
  kind: FrechetFeatureKind;
  dims: number;
  /** What the features are, for reports. */
  description: string;
  /** Hash of the feature model, when there is one. */
  modelHash: string | null;
  /** Features [n * dims] of grey images [n, S, S, 1] in [0, 1]. */
  features(x: tf.Tensor4D): Promise<Float32Array>;
  dispose(): void;
}

function resized(x: tf.Tensor4D): tf.Tensor4D {
  return x.shape[1] === SIDE ? x.clone() : (tf.image.resizeBilinear(x, [SIDE, SIDE], true) as tf.Tensor4D);
}

export async function openFeatureSpace(kind: FrechetFeatureKind): Promise<FeatureSpace> {
  if (kind === 'random-projection') {
    const w = tf.tensor2d(projectionMatrix(), [SIDE * SIDE, DIMS]);
    return {
      kind,
      dims: DIMS,
      description: 'pixels resized to 28x28 times a fixed Gaussian 784x64 projection (seed 0x5eed)',
      modelHash: null,
      async features(x) {
        const f = tf.tidy(() => tf.matMul(resized(x).reshape([x.shape[0], SIDE * SIDE]), w));
        const v = Float32Array.from(await f.data());
        f.dispose();
        return v;
      },
      dispose: () => w.dispose(),
    };
  }
  const model: AuditedModel = await loadAuditedModel(path.join(modelsDir(), 'pneumonia-demo'));
  return {
    kind,
    dims: DIMS,
    description: "the 64 'pool' features of the shipped models/pneumonia-demo classifier, images resized to 28x28",
    modelHash: model.hash,
    async features(x) {
      const r = resized(x);
      const f = model.activations(r, 'pool');
      const v = Float32Array.from(await f.data());
      tf.dispose([r, f]);
      return v;
    },
    dispose: () => model.dispose(),
  };
}
