// Threshold metrics: confusion counts, accuracy, sensitivity, specificity, PPV, NPV, positive rate.
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  confusionCounts,
  confusionMatrix,
  multiclassAccuracy,
  npv,
  positiveRate,
  ppv,
  sensitivity,
  specificity,
} from '../../../src-main/engine/metrics';

// At 0.5 (score >= 0.5 is positive): tp = 3 (0.9, 0.6, 0.5), fn = 1 (0.4), fp = 1 (0.7), tn = 3.
const scores = [0.9, 0.6, 0.5, 0.4, 0.7, 0.2, 0.1, 0.3];
const labels = [1, 1, 1, 1, 0, 0, 0, 0];

describe('binary threshold metrics', () => {
  it('count a score equal to the threshold as positive', () => {
    expect(confusionCounts(scores, labels, 0.5)).toEqual({ tp: 3, fp: 1, tn: 3, fn: 1 });
    expect(confusionCounts(scores, labels, 0.50001)).toEqual({ tp: 2, fp: 1, tn: 3, fn: 2 });
  });

  it('derive the rates from the counts', () => {
    expect(accuracy(scores, labels, 0.5).value).toBe(6 / 8);
    expect(sensitivity(scores, labels, 0.5).value).toBe(3 / 4);
    expect(specificity(scores, labels, 0.5).value).toBe(3 / 4);
    expect(ppv(scores, labels, 0.5).value).toBe(3 / 4);
    expect(npv(scores, labels, 0.5).value).toBe(3 / 4);
    expect(positiveRate(scores, labels, 0.5).value).toBe(4 / 8);
    expect(ppv(scores, labels, 0.8).value).toBe(1);
    expect(npv(scores, labels, 0.8).value).toBe(4 / 7);
  });

  it('are NaN with a reason where their denominator is empty', () => {
    const onlyNeg = [0, 0, 0];
    const s = [0.2, 0.6, 0.1];
    expect(sensitivity(s, onlyNeg, 0.5).value).toBeNaN();
    expect(sensitivity(s, onlyNeg, 0.5).reason).toMatch(/no positive samples/);
    expect(specificity(s, onlyNeg, 0.5).value).toBeCloseTo(2 / 3, 12);
    expect(specificity([0.9], [1], 0.5).reason).toMatch(/no negative samples/);
    expect(ppv(s, onlyNeg, 0.99).reason).toMatch(/no predicted positives/);
    expect(npv(s, onlyNeg, 0).reason).toMatch(/no predicted negatives/);
    expect(accuracy(s, onlyNeg, 0.5).value).toBeCloseTo(2 / 3, 12);
  });

  it('reject a non-finite threshold and empty input', () => {
    expect(() => sensitivity(scores, labels, NaN)).toThrow(/threshold/);
    expect(() => accuracy([], [], 0.5)).toThrow(/empty/);
  });
});

describe('multiclass accuracy and confusion matrix', () => {
  const probs = [
    [0.7, 0.2, 0.1],
    [0.3, 0.5, 0.2],
    [0.2, 0.3, 0.5],
    [0.5, 0.4, 0.1],
    [0.1, 0.2, 0.7],
    [0.3, 0.3, 0.4],
  ];
  const y = [0, 1, 2, 1, 2, 0];

  it('uses the argmax class, rows = true class', () => {
    expect(confusionMatrix(probs, y)).toEqual([
      [1, 0, 1],
      [1, 1, 0],
      [0, 0, 2],
    ]);
    expect(multiclassAccuracy(probs, y).value).toBe(4 / 6);
  });

  it('validates shapes and labels', () => {
    expect(() => multiclassAccuracy(probs, [0, 1])).toThrow(/differ in length/);
    expect(() => multiclassAccuracy(probs, [0, 1, 2, 1, 2, 3])).toThrow(/not a class/);
    expect(() => multiclassAccuracy({ values: [0.5, 0.5, 1], classes: 2 }, [0])).toThrow(/multiple of 2/);
    expect(() => multiclassAccuracy([], [])).toThrow(/empty/);
  });
});
