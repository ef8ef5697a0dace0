// Seeded percentile bootstrap: determinism, sanity of the interval, skipped resamples, strata.
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  bootstrapMetric,
  bootstrapMetrics,
  deriveSeed,
  mulberry32,
  quantileSorted,
  resampleStatistics,
  rocAuc,
} from '../../../src-main/engine/metrics';
import { binarySample } from './synth';

const auc = (s: Float64Array, y: Int32Array) => rocAuc(s, y);

describe('PRNG', () => {
  it('mulberry32 is deterministic, in [0, 1), roughly uniform', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(Array.from({ length: 10000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    expect(mulberry32(43)()).not.toBe(mulberry32(42)());
  });

  it('derived seeds differ by key and by base seed', () => {
    expect(deriveSeed(1, 'sex=F')).toBe(deriveSeed(1, 'sex=F'));
    expect(deriveSeed(1, 'sex=F')).not.toBe(deriveSeed(1, 'sex=M'));
    expect(deriveSeed(1, 'sex=F')).not.toBe(deriveSeed(2, 'sex=F'));
  });
});

describe('percentile bootstrap', () => {
  const { probs, labels } = binarySample(400, 3);

  it('is deterministic for a seed and changes with it', () => {
    const a = bootstrapMetric(probs, labels, auc, { seed: 9 });
    const b = bootstrapMetric(probs, labels, auc, { seed: 9 });
    const c = bootstrapMetric(probs, labels, auc, { seed: 10 });
    expect(a).toEqual(b);
    expect(c.lo).not.toBe(a.lo);
    expect(a).toMatchObject({ n: 400, resamples: 1000, used: 1000, confidence: 0.95 });
  });

  it('contains the full-sample value and has a plausible width', () => {
    const r = bootstrapMetric(probs, labels, auc);
    expect(r.value).toBeCloseTo(rocAuc(probs, labels).value, 12);
    expect(r.lo as number).toBeLessThan(r.value as number);
    expect(r.hi as number).toBeGreaterThan(r.value as number);
    // AUC near 0.84 with 400 samples: standard error about 0.02, so a 95% width near 0.08.
    expect((r.hi as number) - (r.lo as number)).toBeGreaterThan(0.04);
    expect((r.hi as number) - (r.lo as number)).toBeLessThan(0.15);
    // A 50% interval sits inside the 95% one.
    const narrow = bootstrapMetric(probs, labels, auc, { confidence: 0.5 });
    expect(narrow.lo as number).toBeGreaterThan(r.lo as number);
    expect(narrow.hi as number).toBeLessThan(r.hi as number);
  });

  it('shares resamples across metrics: same seed, same draws as one at a time', () => {
    const acc = (s: Float64Array, y: Int32Array) => accuracy(s, y, 0.5);
    const both = bootstrapMetrics(probs, labels, { auc, acc }, { seed: 5, resamples: 200 });
    expect(both.auc).toEqual(bootstrapMetric(probs, labels, auc, { seed: 5, resamples: 200 }));
    expect(both.acc).toEqual(bootstrapMetric(probs, labels, acc, { seed: 5, resamples: 200 }));
  });

  it('skips resamples that lack a class and reports how many were used', () => {
    // 1 positive in 12: P(resample has no positive) = (11/12)^12, about 35%.
    const s = Float64Array.from({ length: 12 }, (_, i) => i / 12);
    const y = Int32Array.from({ length: 12 }, (_, i) => (i === 11 ? 1 : 0));
    const r = bootstrapMetric(s, y, auc, { seed: 1 });
    expect(r.value).toBe(1);
    expect(r.used).toBeLessThan(800);
    expect(r.used).toBeGreaterThan(500);
    expect(r.lo).not.toBeNull();
    expect(Number.isFinite(r.lo as number)).toBe(true);
    // Stratified by class, every resample keeps its positive.
    const strat = bootstrapMetric(s, y, auc, { seed: 1, stratify: true });
    expect(strat.used).toBe(1000);
  });

  it('reports null bounds with a reason when the metric is undefined', () => {
    const r = bootstrapMetric([0.2, 0.4], [0, 0], auc);
    expect(r).toMatchObject({ value: null, lo: null, hi: null, used: 0, n: 2 });
    expect(r.reason).toMatch(/no positive samples/);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(() => bootstrapMetric([], [], auc)).toThrow(/empty/);
    expect(() => bootstrapMetric([0.1], [1], auc, { resamples: 0 })).toThrow(/resamples/);
  });

  it('stratified resamples keep class counts', () => {
    const y = Int32Array.from([0, 0, 0, 1, 1, 0, 1, 0, 0, 0]);
    resampleStatistics(
      y.length,
      (idx) => {
        let pos = 0;
        for (const i of idx) pos += y[i];
        expect(pos).toBe(3);
        return [pos];
      },
      { resamples: 50, seed: 3, strata: y },
    );
  });

  it('quantiles interpolate like numpy', () => {
    // np.quantile([1, 2, 3, 4], [0.025, 0.5, 0.975]) -> [1.075, 2.5, 3.925]
    expect(quantileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.975)).toBeCloseTo(3.925, 12);
    expect(quantileSorted([7], 0.3)).toBe(7);
  });
});
