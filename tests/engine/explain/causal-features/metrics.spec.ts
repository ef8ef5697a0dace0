// MErr / MDist (seed 001 Eqs. 2-3) on hand-made examples, the observational binning, effects and verdict.
import { describe, expect, it } from 'vitest';
import { auditVerdict, mdist, meanInterval, merr, observationalPartition } from '../../../../src-main/engine/explain/causal-features';

describe('MErr and MDist', () => {
  it('MErr is the mean |A(i^) - c^| (the fraction missed with 0/1 classes)', () => {
    expect(merr([1, 0, 1, 1], [1, 1, 1, 0])).toBe(0.5);
    expect(merr([0.85, 0.25], [0.85, 0.85])).toBeCloseTo(0.3, 6);
    expect(() => merr([], [])).toThrow();
  });

  it('MDist is the mean of ||i^ - i||^2 / n', () => {
    // Two 2x2 images: one with 1 of 4 pixels flipped, one with a 0.5 change on 2 pixels.
    const originals = { size: 2, data: Float32Array.from([0, 0, 1, 1, 0, 0, 0, 0]) };
    const manipulated = { size: 2, data: Float32Array.from([1, 0, 1, 1, 0.5, 0.5, 0, 0]) };
    expect(mdist(originals, manipulated)).toBeCloseTo((1 / 4 + 0.5 / 4) / 2, 6);
    expect(mdist(originals, originals)).toBe(0);
  });
});

describe('observational partition', () => {
  it('bins outputs into classes of equal P(T | i), stray outputs joining the nearest class', () => {
    const outputs = [...Array(50).fill(0.1), ...Array(50).fill(0.42), ...Array(50).fill(0.7), ...Array(49).fill(0.98), 0.6];
    const p = observationalPartition(outputs);
    expect(p.means.length).toBe(4);
    expect(p.sizes).toEqual([50, 50, 51, 49]);
    expect(p.classOf[199]).toBe(2);
  });
});

describe('effects and verdict', () => {
  it('gives the mean change with a bootstrap interval and flags a spurious effect', () => {
    const e = meanInterval(Array.from({ length: 200 }, (_, k) => 0.3 + (k % 2 ? 0.05 : -0.05)), { resamples: 200 });
    expect(e.mean).toBeCloseTo(0.3, 6);
    expect(e.lo).toBeLessThan(0.3);
    expect(e.hi).toBeGreaterThan(0.3);
    const none = meanInterval(Array.from({ length: 200 }, (_, k) => (k % 2 ? 0.01 : -0.01)), { resamples: 200 });
    const v = auditVerdict(e, none, { causal: 'an h-bar', nonCausal: 'a v-bar' });
    expect(v.followsCause).toBe(true);
    expect(v.leansOnSpurious).toBe(false);
    expect(auditVerdict(e, e, { causal: 'x', nonCausal: 'y' }).leansOnSpurious).toBe(true);
  });
});
