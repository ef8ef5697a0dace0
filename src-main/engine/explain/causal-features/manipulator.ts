// The manipulation of Algorithm 2, step 6: i^ = argmin_j (1 - a)(C(j) - c)^2 + a ||j - i||^2 / n,
// solved for a whole batch at once by projected gradient descent (Adam) from j = i, kept in
// [0, 1]. For binary images (GRATING) the projection is the seed's "minor modification imposed
// by the binary nature of the images": flip the m pixels that moved most towards their other
// value, with m chosen (0..maxFlips) to minimise the same objective on the binary candidates.
import * as tf from '@tensorflow/tfjs';
import { countOf, pixels, type Images } from './images';
import type { Mlp } from './mlp';

export interface ManipulateOptions {
  /** Weight of the distance term (the seed: 0.5). */
  alpha?: number;
  steps?: number;
  learningRate?: number;
  /** Project the result onto binary images (GRATING). */
  binarise?: boolean;
  /** Most pixels the binary projection may flip (default n / 4). */
  maxFlips?: number;
}

export function manipulate(c: Mlp, start: Images, targets: ArrayLike<number>, o: ManipulateOptions = {}): Images {
  const a = o.alpha ?? 0.5;
  const q = countOf(start);
  const n = pixels(start);
  const i0 = tf.tensor2d(start.data, [q, n]);
  const t = tf.tensor2d(Float32Array.from(targets), [q, 1]);
  const j = tf.variable(i0.clone()) as tf.Variable<tf.Rank.R2>;
  const opt = tf.train.adam(o.learningRate ?? 0.02);
  for (let s = 0; s < (o.steps ?? 150); s++) {
    tf.tidy(() => {
      opt.minimize(() => {
        const fit = c.prob(j).sub(t).square().sum().mul(1 - a);
        const dist = j.sub(i0).square().sum().mul(a / n);
        return fit.add(dist) as tf.Scalar;
      }, false, [j]);
      j.assign(j.clipByValue(0, 1) as tf.Tensor2D);
    });
  }
  const relaxed = Float32Array.from(j.dataSync());
  tf.dispose([i0, t, j]);
  opt.dispose();
  const maxFlips = o.maxFlips ?? Math.floor(n / 4);
  const data = o.binarise ? binaryProjection(c, start, relaxed, targets, a, maxFlips) : relaxed;
  return { size: start.size, data };
}

/** Per image: candidates flipping the top-m moved pixels, m = 0..maxFlips; the one of least objective. */
function binaryProjection(c: Mlp, start: Images, relaxed: Float32Array, targets: ArrayLike<number>, a: number, maxFlips: number): Float32Array {
  const q = countOf(start);
  const n = pixels(start);
  const m = maxFlips + 1;
  const out = new Float32Array(q * n);
  for (let k = 0; k < q; k++) {
    const i = start.data.subarray(k * n, (k + 1) * n);
    const jr = relaxed.subarray(k * n, (k + 1) * n);
    // Pixels ordered by how far they moved towards their other binary value.
    const order = Array.from({ length: n }, (_, p) => p).sort((x, y) => Math.abs(jr[y] - i[y]) - Math.abs(jr[x] - i[x]));
    const cands = new Float32Array(m * n);
    for (let f = 0; f < m; f++) {
      const b = cands.subarray(f * n, (f + 1) * n);
      for (let p = 0; p < n; p++) b[p] = i[p] >= 0.5 ? 1 : 0;
      for (let r = 0; r < f; r++) b[order[r]] = 1 - b[order[r]];
    }
    const pc = c.predict({ size: start.size, data: cands });
    let best = 0;
    let bestLoss = Infinity;
    for (let f = 0; f < m; f++) {
      const loss = (1 - a) * (pc[f] - targets[k]) ** 2 + (a * f) / n;
      if (loss < bestLoss) {
        bestLoss = loss;
        best = f;
      }
    }
    out.set(cands.subarray(best * n, (best + 1) * n), k * n);
  }
  return out;
}

