// Helpers behind the metrics: pixel ranking, trapezoid areas, numpy-style quantiles, Spearman
// correlation, heat scaling, the scaled blur and step of seed 002 D.3.
import { describe, expect, it } from 'vitest';
import { gaussianBlur, quantileSorted, rankPixels, scaledBlur, scaledStep, spearman, toHeat, trapezoid } from '../../../../src-main/engine/metrics/saliency';

describe('metric helpers', () => {
  it('ranks pixels by decreasing value, ties in index order', () => {
    expect(Array.from(rankPixels([0.1, 0.5, 0.5, -1, 2]))).toEqual([4, 1, 2, 0, 3]);
  });

  it('integrates by the trapezoid rule', () => {
    expect(trapezoid([0, 1, 1], [0, 0.5, 1])).toBeCloseTo(0.75, 12);
  });

  it('takes linear quantiles as numpy does', () => {
    const s = [1, 2, 3, 4];
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 0.5)).toBeCloseTo(2.5, 12);
    expect(quantileSorted(s, 0.9)).toBeCloseTo(3.7, 12); // numpy.quantile([1,2,3,4], 0.9)
  });

  it('Spearman: 1 for monotone, -1 for reversed, average ranks for ties', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 1000])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // scipy.stats.spearmanr([1, 2, 2, 3], [1, 3, 2, 4]).correlation = 0.9486832980505138
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(0.9486832980505138, 10);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it('heat is the positive part over the maximum', () => {
    expect(Array.from(toHeat([-2, 0, 1, 4]))).toEqual([0, 0, 0.25, 1]);
    expect(Array.from(toHeat([-1, -2]))).toEqual([0, 0]);
  });

  it('scales seed 002 D.3 to the image size: 10 px per step and a 29 px, sd 15 blur at 224 px', () => {
    expect(scaledStep(224)).toBe(10);
    expect(scaledStep(28)).toBe(1);
    expect(scaledBlur(224)).toEqual({ kernel: 29, sigma: 15 });
    expect(scaledBlur(28)).toEqual({ kernel: 3, sigma: 1.875 });
  });

  it('blurs with a normalised kernel (a constant image stays constant)', () => {
    const flat = new Float32Array(64).fill(0.3);
    expect(Array.from(gaussianBlur(flat, 8, 5, 2)).every((v) => Math.abs(v - 0.3) < 1e-6)).toBe(true);
    const spike = new Float32Array(64);
    spike[27] = 1;
    const b = gaussianBlur(spike, 8, 3, 1);
    expect(b.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
    expect(b[27]).toBeLessThan(1);
  });
});
