// The quality metrics on hand-made inputs: Pearson, monotone series, bins and compatibility;
// latent space closeness; the Frechet distance against closed forms; the confounding metric
// and its bootstrap interval; the symmetric eigensolver.
import { describe, expect, it } from 'vitest';
import { compatibility, isMonotone, pearson } from '../../../../src-main/engine/metrics/exaggeration/compatibility';
import { confoundingMetric } from '../../../../src-main/engine/metrics/exaggeration/confounding';
import { frechetDistance, projectionMatrix } from '../../../../src-main/engine/metrics/exaggeration/frechet';
import { latentSpaceCloseness } from '../../../../src-main/engine/metrics/exaggeration/latent-closeness';
import { largestSingularValue, sqrtPsd, symmetricEigen } from '../../../../src-main/engine/metrics/exaggeration/linalg';
import { attributeSet } from '../../../../src-main/engine/metrics/exaggeration/oracle';
import { meanAbsDiff } from '../../../../src-main/engine/metrics/exaggeration/self-consistency';
import type { ImageSet } from '../../../../src-main/engine/data/image-set';

describe('compatibility', () => {
  it('pearson: +1, -1, a hand-computed value, NaN when constant', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    // x = 1..4, y = 1, 3, 2, 4: sxy = 4, sxx = syy = 5 -> 0.8
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it('monotone with a tolerance for saturated jitter', () => {
    expect(isMonotone([0.01, 0.2, 0.5, 0.9])).toBe(true);
    expect(isMonotone([0.01, 0.005, 0.5, 0.9])).toBe(true); // a 0.005 dip is noise
    expect(isMonotone([0.01, 0.3, 0.2, 0.9])).toBe(false);
    expect(isMonotone([0.3, 0.2], 0)).toBe(false);
  });

  it('a perfect series, a flat one and a reversed one', () => {
    const k = 4;
    const perfect = [0.125, 0.375, 0.625, 0.875];
    const flat = [0.5, 0.5, 0.5, 0.5];
    const reversed = [0.9, 0.6, 0.4, 0.1];
    const one = compatibility(perfect, k);
    expect(one.targetCorrelation).toBeCloseTo(1, 12);
    expect(one.inTargetBin).toBe(1);
    expect(one.monotone).toBe(1);
    expect(one.meanAbsError).toBeCloseTo(0, 12);
    const all = compatibility([...perfect, ...flat, ...reversed], k);
    expect(all.queries).toBe(3);
    // In bin: perfect 4 of 4, flat 1 (0.5 is in bin 2, its frame 2), reversed 0 (bins 3, 2, 1, 0 for targets 0..3).
    expect(all.inTargetBin).toBeCloseTo(5 / 12, 12);
    expect(all.monotone).toBeCloseTo(2 / 3, 12);
    expect(all.perBin[0]).toEqual({ bin: 0, target: 0.125, meanF: expect.closeTo((0.125 + 0.5 + 0.9) / 3, 12), inBin: expect.closeTo(1 / 3, 12) });
    expect(() => compatibility([0.1, 0.2, 0.3], 4)).toThrow(/whole number/);
  });
});

describe('latent space closeness (seed 004 Eq. 10)', () => {
  it('counts explanations nearer their own query than every other query\'s explanation', () => {
    // d = 1, n = 3, K = 2. Queries at 0, 10, 20.
    const q = [0, 10, 20];
    // Bin 0: explanations 1, 11, 21 (each nearest its own query): 3/3.
    // Bin 1: 5, 6, 21: query 0's (5) is 5 from its query but 1 from query 1's (6): fail; query 1's (6)
    // is 4 from 10 but 1 from 5: fail; query 2's (21) succeeds: 1/3.
    const f = [1, 5, 11, 6, 21, 21];
    const r = latentSpaceCloseness(q, f, 3, 2);
    expect(r.perBin[0]).toBeCloseTo(1, 12);
    expect(r.perBin[1]).toBeCloseTo(1 / 3, 12);
    expect(r.lsc).toBeCloseTo(2 / 3, 12);
  });
});

describe('Frechet distance', () => {
  const gauss = (n: number, d: number, mean: number[], sd: number[], seed: number): Float64Array => {
    let s = seed;
    const u = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) + 1) / 2147483649;
    const out = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = mean[j] + sd[j] * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    return out;
  };

  it('is 0 for identical sets and |mu_a - mu_b|^2 for shifted copies', () => {
    const a = gauss(400, 3, [0, 0, 0], [1, 2, 0.5], 3);
    expect(frechetDistance(a, 400, a, 400, 3)).toBeLessThan(1e-8);
    const b = a.map((v, i) => v + [1, -2, 0.5][i % 3]);
    expect(frechetDistance(a, 400, b, 400, 3)).toBeCloseTo(1 + 4 + 0.25, 6);
  });

  it('matches the 1-D closed form (mu_a - mu_b)^2 + (sd_a - sd_b)^2 on sample moments', () => {
    const a = [1, 2, 3, 4, 5];
    const b = [2, 4, 6, 8, 10];
    // means 3, 6; unbiased sds sqrt(2.5), 2 sqrt(2.5)
    expect(frechetDistance(a, 5, b, 5, 1)).toBeCloseTo(9 + 2.5, 10);
  });

  it('the random projection is fixed', () => {
    const p = projectionMatrix();
    expect(p.length).toBe(784 * 64);
    expect(Array.from(projectionMatrix().subarray(0, 8))).toEqual(Array.from(p.subarray(0, 8)));
    const mean = p.reduce((s, v) => s + v, 0) / p.length;
    const v = p.reduce((s, x) => s + (x - mean) ** 2, 0) / p.length;
    expect(Math.abs(mean)).toBeLessThan(1e-3);
    expect(v * 784).toBeCloseTo(1, 1);
  });
});

describe('linear algebra', () => {
  it('symmetric eigenvalues, PSD square root, largest singular value', () => {
    const { values } = symmetricEigen([2, 1, 1, 2], 2);
    expect(Array.from(values).sort()).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
    const s = sqrtPsd([4, 0, 0, 9], 2);
    expect(Array.from(s)).toEqual([expect.closeTo(2, 12), 0, 0, expect.closeTo(3, 12)]);
    // [[3, 0], [4, 5]]: singular values sqrt(45) and sqrt(5)
    expect(largestSingularValue([3, 0, 4, 5], 2, 2)).toBeCloseTo(Math.sqrt(45), 10);
  });
});

describe('confounding metric', () => {
  it('fractions per end and overall with an interval around them', () => {
    const n = 40;
    const query = Array.from({ length: n }, (_, i) => i % 2 === 0);
    // f -> 1: everything 'present' (half of the queries change); f -> 0: unchanged.
    const high = query.map(() => true);
    const low = query.slice();
    const r = confoundingMetric(query, low, high, { resamples: 500, seed: 3 });
    expect(r.queries).toBe(n);
    expect(r.queryPresent).toBe(0.5);
    expect(r.low.changed.value).toBe(0);
    expect(r.high.changed.value).toBe(0.5);
    expect(r.high.present).toBe(1);
    expect(r.overall.value).toBe(0.25);
    expect(r.overall.lo!).toBeLessThan(0.25);
    expect(r.overall.hi!).toBeGreaterThan(0.25);
    expect(r.low.changed.lo).toBe(0);
    expect(() => confoundingMetric([true], [], [])).toThrow();
  });
});

describe('helpers', () => {
  it('meanAbsDiff; attributeSet relabels by the attribute and drops unknowns', () => {
    expect(meanAbsDiff([0, 1, 0.5], [1, 1, 0])).toBeCloseTo(0.5, 12);
    const set: ImageSet = {
      name: 't',
      size: 1,
      images: new Uint8Array([1, 2, 3, 4]),
      labels: new Int32Array([0, 1, 0, 1]),
      classNames: ['n', 'p'],
      positiveClass: 1,
      ids: ['a', 'b', 'c', 'd'],
      split: ['train', 'train', 'val', 'test'],
      attributes: { marker: ['present', 'absent', null, 'absent'] },
    };
    const r = attributeSet(set, 'marker');
    expect(r.positive).toBe('present'); // the less frequent value
    expect(Array.from(r.set.labels)).toEqual([1, 0, 0]);
    expect(r.set.ids).toEqual(['a', 'b', 'd']);
    expect(r.set.split).toEqual(['train', 'train', 'train']);
    expect(r.set.classNames).toEqual(['not present', 'present']);
    expect(attributeSet(set, 'marker', 'absent', [3]).set.ids).toEqual(['a', 'b']);
    expect(() => attributeSet(set, 'marker', undefined, [0])).toThrow(/do not hold both/);
    expect(() => attributeSet(set, 'sex')).toThrow(/no attribute 'sex'/);
  });
});
