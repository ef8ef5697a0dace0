// GRATING's causal semantics: P(T | do(I = i)) follows the h-bar only; toggling a v-bar never changes it.
import { describe, expect, it } from 'vitest';
import { GRATING_SIZE, hasHbar, hasVbar, imageAt, pDo, pObservational, paintHbar, paintVbar, sampleGrating } from '../../../../src-main/engine/explain/causal-features';

describe('GRATING generator', () => {
  const s = sampleGrating(3000, 11);

  it('is reproducible from its seed and draws 10x10 binary images with ~3% noise', () => {
    const again = sampleGrating(3000, 11);
    expect(Buffer.from(again.images.data.buffer).equals(Buffer.from(s.images.data.buffer))).toBe(true);
    expect(s.images.size).toBe(GRATING_SIZE);
    expect(s.images.data.every((v) => v === 0 || v === 1)).toBe(true);
    let noise = 0;
    let clean = 0;
    for (let k = 0; k < 3000; k++) {
      if (s.h1[k] || s.h2[k]) continue;
      clean += 100;
      noise += imageAt(s.images, k).reduce((a, v) => a + v, 0);
    }
    expect(noise / clean).toBeGreaterThan(0.02);
    expect(noise / clean).toBeLessThan(0.04);
  });

  it('puts one v-bar iff H1 and one h-bar iff H2, and samples T with the stated probabilities', () => {
    const hits = [[0, 0], [0, 0]];
    const counts = [[0, 0], [0, 0]];
    for (let k = 0; k < 3000; k++) {
      const img = imageAt(s.images, k);
      expect(hasVbar(img)).toBe(s.h1[k] === 1);
      expect(hasHbar(img)).toBe(s.h2[k] === 1);
      counts[s.h1[k]][s.h2[k]]++;
      hits[s.h1[k]][s.h2[k]] += s.t[k];
    }
    const rate = (a: number, b: number): number => hits[a][b] / counts[a][b];
    expect(rate(0, 0)).toBeCloseTo(0.1, 1);
    expect(rate(1, 0)).toBeCloseTo(0.4, 1);
    expect(rate(0, 1)).toBeCloseTo(0.7, 1);
    expect(rate(1, 1)).toBe(1);
  });

  it('P(T | do(I = i)) is 0.25 without an h-bar and 0.85 with one, and toggling a v-bar never changes it', () => {
    for (let k = 0; k < 300; k++) {
      const img = imageAt(s.images, k).slice();
      const base = pDo(img);
      expect(base).toBeCloseTo(hasHbar(img) ? 0.85 : 0.25, 6);
      for (let col = 0; col < GRATING_SIZE; col++) {
        const withV = img.slice();
        paintVbar(withV, col);
        expect(pDo(withV)).toBe(base);
        const withoutV = img.slice();
        for (let r = 0; r < GRATING_SIZE; r++) withoutV[r * GRATING_SIZE + col] = 0;
        if (!hasVbar(withoutV) && hasHbar(withoutV) === hasHbar(img)) expect(pDo(withoutV)).toBe(base);
      }
      const withH = img.slice();
      paintHbar(withH, k % GRATING_SIZE);
      expect(pDo(withH)).toBeCloseTo(0.85, 6);
    }
  });

  it('whereas the observational P(T | i) follows the v-bar', () => {
    const img = new Float32Array(100);
    expect(pObservational(img)).toBe(0.1);
    paintVbar(img, 3);
    expect(pObservational(img)).toBe(0.4);
    paintHbar(img, 6);
    expect(pObservational(img)).toBe(1);
    expect(pDo(img)).toBeCloseTo(0.85, 6);
  });
});
