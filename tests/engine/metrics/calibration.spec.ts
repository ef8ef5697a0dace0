// ECE with its reliability diagram, and the Brier score.
import { describe, expect, it } from 'vitest';
import { brierScore, calibration, expectedCalibrationError, multiclassBrierScore, multiclassCalibration, mulberry32 } from '../../../src-main/engine/metrics';

/** Labels drawn from the stated probabilities: calibrated by construction. */
function calibratedSet(n: number, seed: number): { probs: Float64Array; labels: Int32Array } {
  const rng = mulberry32(seed);
  const probs = new Float64Array(n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    probs[i] = rng();
    labels[i] = rng() < probs[i] ? 1 : 0;
  }
  return { probs, labels };
}

describe('expected calibration error', () => {
  it('is near 0 on a perfectly calibrated synthetic set, larger when overconfident', () => {
    const { probs, labels } = calibratedSet(20000, 11);
    const calibrated = calibration(probs, labels);
    expect(calibrated.ece).toBeLessThan(0.015);
    // Same labels, probabilities pushed towards 0 and 1 (temperature 1/3 on the logit).
    const sharp = probs.map((p) => 1 / (1 + Math.exp(-3 * Math.log(p / (1 - p)))));
    const over = calibration(sharp, labels);
    expect(over.ece).toBeGreaterThan(0.1);
    expect(over.ece).toBeGreaterThan(5 * calibrated.ece);
    // Overconfidence: in the upper bins, confidence exceeds accuracy.
    const top = over.bins[9];
    expect(top.meanConfidence as number).toBeGreaterThan(top.accuracy as number);
    // The positive-class view agrees on the ordering.
    expect(calibration(sharp, labels, { mode: 'positive' }).ece).toBeGreaterThan(calibration(probs, labels, { mode: 'positive' }).ece);
  });

  it('returns the reliability diagram bins (hand computed)', () => {
    // Top-label confidences: 0.9 (pred 1, right), 0.8 (pred 0 for p=0.2, right), 0.85 (pred 1, wrong), 0.6 (pred 1, right).
    const probs = [0.9, 0.2, 0.85, 0.6];
    const labels = [1, 0, 0, 1];
    const c = calibration(probs, labels, { bins: 5 });
    expect(c.bins.map((b) => b.count)).toEqual([0, 0, 0, 1, 3]);
    expect(c.bins[0]).toEqual({ lower: 0, upper: 0.2, count: 0, meanConfidence: null, accuracy: null });
    expect(c.bins[3].meanConfidence).toBeCloseTo(0.6, 12);
    expect(c.bins[3].accuracy).toBe(1);
    expect(c.bins[4].meanConfidence).toBeCloseTo(0.85, 12);
    expect(c.bins[4].accuracy).toBeCloseTo(2 / 3, 12);
    // ECE = 1/4 * |1 - 0.6| + 3/4 * |2/3 - 0.85| = 0.1 + 0.1375.
    expect(c.ece).toBeCloseTo(0.2375, 12);
    expect(c.mce).toBeCloseTo(0.4, 12);
    expect(expectedCalibrationError(probs, labels, { bins: 5 }).value).toBeCloseTo(0.2375, 12);
    // Positive view: p = 1 lands in the last bin, p = 0 in the first.
    const pos = calibration([0, 1, 1], [0, 1, 0], { bins: 10, mode: 'positive' });
    expect(pos.bins[0].count).toBe(1);
    expect(pos.bins[9]).toMatchObject({ count: 2, meanConfidence: 1, accuracy: 0.5 });
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });

  it('rejects probabilities outside [0, 1] and bad bin counts', () => {
    expect(() => calibration([1.2], [1])).toThrow(/outside \[0, 1\]/);
    expect(() => calibration([0.2], [1], { bins: 0 })).toThrow(/bins/);
  });

  it('multiclass top-label ECE uses the max probability', () => {
    const c = multiclassCalibration([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]], [0, 2], { bins: 10 });
    // 0.7 right, 0.6 wrong: 1/2 * 0.3 + 1/2 * 0.6.
    expect(c.ece).toBeCloseTo(0.45, 12);
  });
});

describe('Brier score', () => {
  it('is the mean squared error of the probabilities', () => {
    // sklearn's brier_score_loss doc example: y = [0, 1, 1, 0], p = [0.1, 0.9, 0.8, 0.3] -> 0.0375.
    expect(brierScore([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0]).value).toBeCloseTo(0.0375, 12);
    expect(brierScore([1, 0], [1, 0]).value).toBe(0);
    expect(multiclassBrierScore([[1, 0], [0.5, 0.5]], [0, 1]).value).toBeCloseTo(0.25, 12);
    expect(() => brierScore([], [])).toThrow(/empty/);
  });
});
