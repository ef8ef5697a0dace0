// The manipulation of Algorithm 2, step 6: i^ = argmin_j (1 - a)(C(j) - c)^2 + a ||j - i||^2 / n,
// solved for a whole batch at once by projected gradient descent (Adam) from j = i, kept in
// [0, 1]. For binary images (GRATING) the seed's "minor modification imposed by the binary nature
// of the images": project the relaxed solution (flip the m pixels that moved most, m chosen to
// minimise the objective), then descend the same objective on binary images one flip at a time
// from several starts (see `manipulate`), keeping per image the binary image of least objective.
import * as tf from '@tensorflow/tfjs';
import { countOf, imageAt, pixels, type Images } from './images';
import { distance } from './metrics';
import type { Mlp } from './mlp';
import { makeRng } from '../../data/synthetic/rng';

export interface ManipulateOptions {
  /** Weight of the distance term (the seed: 0.5). */
  alpha?: number;
  steps?: number;
  learningRate?: number;
  /** Project the result onto binary images (GRATING). */
  binarise?: boolean;
  /** Most pixels the binary projection may flip (default n / 4). */
  maxFlips?: number;
  /**
   * Binary search strategy: 'greedy' (default) descends the objective on binary images directly,
   * one pixel flip at a time, the flip that lowers it most; 'projection' keeps the top-m
   * projection of the relaxed solution.
   */
  binarySearch?: 'greedy' | 'projection';
  /** Seed of the noise start of the greedy search. */
  seed?: number;
}

/** The objective for one image: (1 - a)(C(j) - c)^2 + a d(j, i), given C(j) and d(j, i). */
const objective = (a: number, p: number, target: number, dist: number): number => (1 - a) * (p - target) ** 2 + a * dist;

export function manipulate(c: Mlp, start: Images, targets: ArrayLike<number>, o: ManipulateOptions = {}): Images {
  const a = o.alpha ?? 0.5;
  const relaxed = relaxedSolve(c, start, start.data, targets, a, o);
  if (!o.binarise) return { size: start.size, data: relaxed };
  const maxFlips = o.maxFlips ?? Math.floor(pixels(start) / 4);
  const projected = binaryProjection(c, start, relaxed, targets, a, maxFlips);
  if ((o.binarySearch ?? 'greedy') === 'projection') return { size: start.size, data: projected };
  // Greedy descent from four starts, the best per image: i itself, the projection above, and the
  // projections of cross-entropy relaxed solutions from i and (as the authors' code does) from
  // uniform noise. Cross-entropy keeps a gradient where C saturates (a flat squared error there
  // leaves j at i); every candidate is judged on the seed's objective.
  const rng = makeRng(o.seed ?? 0);
  const noise = Float32Array.from(start.data, () => rng());
  const project = (init: Float32Array): Float32Array => binaryProjection(c, start, relaxedSolve(c, start, init, targets, a, o, 'cross-entropy'), targets, a, maxFlips);
  const starts = [start.data, projected, project(start.data), project(noise)].map((init) => greedyFlips(c, start, init, targets, a, maxFlips));
  return { size: start.size, data: bestPerImage(c, start, starts, targets, a) };
}

/** The relaxed problem by projected gradient descent (Adam) from `init`, kept in [0, 1]. */
function relaxedSolve(c: Mlp, start: Images, init: Float32Array, targets: ArrayLike<number>, a: number, o: ManipulateOptions, fitLoss: 'squared' | 'cross-entropy' = 'squared'): Float32Array {
  const q = countOf(start);
  const n = pixels(start);
  const i0 = tf.tensor2d(start.data, [q, n]);
  const t = tf.tensor2d(Float32Array.from(targets), [q, 1]);
  const j = tf.variable(tf.tensor2d(init, [q, n])) as tf.Variable<tf.Rank.R2>;
  const opt = tf.train.adam(o.learningRate ?? 0.02);
  for (let s = 0; s < (o.steps ?? 150); s++) {
    tf.tidy(() => {
      opt.minimize(() => {
        const fit = (fitLoss === 'squared' ? c.prob(j).sub(t).square() : tf.losses.sigmoidCrossEntropy(t, c.logits(j), undefined, 0, tf.Reduction.NONE)).sum().mul(1 - a);
        const dist = j.sub(i0).square().sum().mul(a / n);
        return fit.add(dist) as tf.Scalar;
      }, false, [j]);
      j.assign(j.clipByValue(0, 1) as tf.Tensor2D);
    });
  }
  const relaxed = Float32Array.from(j.dataSync());
  tf.dispose([i0, t, j]);
  opt.dispose();
  return relaxed;
}

/** The objective of every image of every candidate batch, and per image the candidate of least objective. */
function bestPerImage(c: Mlp, start: Images, cands: Float32Array[], targets: ArrayLike<number>, a: number): Float32Array {
  const q = countOf(start);
  const n = pixels(start);
  const out = new Float32Array(q * n);
  const best = new Float64Array(q).fill(Infinity);
  for (const cand of cands) {
    const p = c.predict({ size: start.size, data: cand });
    for (let k = 0; k < q; k++) {
      const l = objective(a, p[k], targets[k], distance(cand.subarray(k * n, (k + 1) * n), imageAt(start, k)));
      if (l < best[k]) {
        best[k] = l;
        out.set(cand.subarray(k * n, (k + 1) * n), k * n);
      }
    }
  }
  return out;
}

/**
 * Coordinate descent on binary images: every step evaluates all n single-pixel flips of every
 * image still improving and keeps the one that lowers (1 - a)(C(j) - c)^2 + a d(j, i) most; an
 * image stops when no flip lowers it or it is maxFlips pixels away from i. Starts from `init`.
 */
function greedyFlips(c: Mlp, start: Images, init: Float32Array, targets: ArrayLike<number>, a: number, maxFlips: number): Float32Array {
  const q = countOf(start);
  const n = pixels(start);
  const cur = init.slice();
  const differs = (k: number, p: number): boolean => (cur[k * n + p] >= 0.5) !== (start.data[k * n + p] >= 0.5);
  // Pixels flipped from i, per image (d(j, i) = flips / n on binary images).
  const flips = Int32Array.from({ length: q }, (_, k) => {
    let f = 0;
    for (let p = 0; p < n; p++) if (differs(k, p)) f++;
    return f;
  });
  const p0 = c.predict({ size: start.size, data: cur });
  const loss = Float64Array.from({ length: q }, (_, k) => objective(a, p0[k], targets[k], flips[k] / n));
  let active = Array.from({ length: q }, (_, k) => k);
  while (active.length > 0) {
    const cands = new Float32Array(active.length * n * n);
    active.forEach((k, j) => {
      const img = cur.subarray(k * n, (k + 1) * n);
      for (let p = 0; p < n; p++) {
        const b = cands.subarray((j * n + p) * n, (j * n + p + 1) * n);
        b.set(img);
        b[p] = 1 - b[p];
      }
    });
    const pc = c.predict({ size: start.size, data: cands });
    const next: number[] = [];
    active.forEach((k, j) => {
      let best = -1;
      let bestLoss = loss[k] - 1e-9;
      for (let p = 0; p < n; p++) {
        const nf = differs(k, p) ? flips[k] - 1 : flips[k] + 1;
        if (nf > maxFlips) continue;
        const l = objective(a, pc[j * n + p], targets[k], nf / n);
        if (l < bestLoss) {
          bestLoss = l;
          best = p;
        }
      }
      if (best >= 0) {
        flips[k] += differs(k, best) ? -1 : 1;
        cur[k * n + best] = 1 - cur[k * n + best];
        loss[k] = bestLoss;
        next.push(k);
      }
    });
    active = next;
  }
  return cur;
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
      const loss = objective(a, pc[f], targets[k], f / n);
      if (loss < bestLoss) {
        bestLoss = loss;
        best = f;
      }
    }
    out.set(cands.subarray(best * n, (best + 1) * n), k * n);
  }
  return out;
}

