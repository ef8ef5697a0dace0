// Seeded synthetic predictions for the metrics tests.
import { mulberry32 } from '../../../src-main/engine/metrics';

export interface Synth {
  probs: Float64Array;
  labels: Int32Array;
}

/** Standard normal draws from a seeded uniform source (Box-Muller). */
export function normals(rng: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * n samples with prevalence `prevalence`; logit = separation * (y - 0.5) + noise, so larger
 * separation gives a better classifier (AUC about 0.84 at separation 2).
 */
export function binarySample(n: number, seed: number, separation = 2, prevalence = 0.4): Synth {
  const rng = mulberry32(seed);
  const z = normals(rng);
  const probs = new Float64Array(n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng() < prevalence ? 1 : 0;
    probs[i] = sigmoid(separation * (labels[i] - 0.5) + z());
  }
  return { probs, labels };
}

/** Fisher-Yates shuffle of the values at the given positions, seeded. */
export function shuffleAt(values: Float64Array, positions: number[], seed: number): void {
  const rng = mulberry32(seed);
  const vals = positions.map((p) => values[p]);
  for (let i = vals.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [vals[i], vals[j]] = [vals[j], vals[i]];
  }
  positions.forEach((p, i) => (values[p] = vals[i]));
}
