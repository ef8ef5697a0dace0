// The burned-in marker confounder: exact seeded rates per class and split, geometry, records.
import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../../../src-main/engine/data/image-set';
import { addMarker, decorrelatedRates, markerBox, markerPairs, shortcutRates } from '../../../src-main/engine/data/synthetic/marker';
import { demoSet } from './helpers';

function rate(set: ImageSet, split: string, positive: boolean): number {
  const rows = set.labels.reduce<number[]>((a, l, i) => (set.split[i] === split && (l === set.positiveClass) === positive ? [...a, i] : a), []);
  return rows.filter((i) => set.attributes.marker[i] === 'present').length / rows.length;
}

describe('burned-in marker', () => {
  const clean = demoSet();

  it('marks the requested fraction of each class in each split, and leaves other splits absent', () => {
    const set = addMarker(clean, { seed: 1, rates: { train: shortcutRates(0.9, 0.1), test: decorrelatedRates(0.5) } });
    expect(rate(set, 'train', true)).toBeCloseTo(0.9, 2);
    expect(rate(set, 'train', false)).toBeCloseTo(0.1, 2);
    expect(rate(set, 'test', true)).toBeCloseTo(0.5, 2);
    expect(rate(set, 'test', false)).toBeCloseTo(0.5, 2);
    expect(rate(set, 'val', true)).toBe(0);
    expect(set.attributes.marker.every((v) => v === 'present' || v === 'absent')).toBe(true);
    expect(clean.attributes.marker).toBeUndefined(); // the input set is not modified
  });

  it('paints a bright square only on marked images, only inside the box', () => {
    const set = addMarker(clean, { seed: 2, rates: { train: { positive: 0.5, negative: 0.5 } } });
    const s = clean.size;
    const box = markerBox(s);
    expect(box).toEqual({ x: 23, y: 2, side: 3 }); // 3x3 in the top-right corner at 28 px
    let checked = 0;
    for (let i = 0; i < 200; i++) {
      const a = clean.images.subarray(i * s * s, (i + 1) * s * s);
      const b = set.images.subarray(i * s * s, (i + 1) * s * s);
      const changed = [...b.keys()].filter((p) => a[p] !== b[p]);
      const inBox = (p: number) => p % s >= box.x && p % s < box.x + box.side && Math.floor(p / s) >= box.y && Math.floor(p / s) < box.y + box.side;
      expect(changed.every(inBox)).toBe(true);
      if (set.attributes.marker[i] === 'present') {
        for (let p = 0; p < s * s; p++) if (inBox(p)) expect(b[p]).toBe(255);
        checked++;
      } else expect(changed).toEqual([]);
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('is reproducible from its seed and differs between seeds', () => {
    const opts = { rates: { train: shortcutRates() } };
    const a = addMarker(clean, { ...opts, seed: 3 }).attributes.marker;
    expect(addMarker(clean, { ...opts, seed: 3 }).attributes.marker).toEqual(a);
    expect(addMarker(clean, { ...opts, seed: 4 }).attributes.marker).not.toEqual(a);
  });

  it('scales with the image size and honours the corner', () => {
    expect(markerBox(128, 'bottom-left')).toEqual({ x: 9, y: 105, side: 14 });
    expect(markerBox(56, 'top-left')).toEqual({ x: 4, y: 4, side: 6 });
    expect(() => addMarker(clean, { seed: 0, rates: { train: { positive: 1.5, negative: 0 } } })).toThrow(/within 0..1/);
  });
});

describe('paired marker split', () => {
  it('holds each test image twice, unmarked and marked', () => {
    const clean = demoSet();
    const pairs = markerPairs(clean);
    const n = clean.split.filter((s) => s === 'test').length;
    expect(pairs.labels.length).toBe(2 * n);
    expect(pairs.attributes.marker.filter((v) => v === 'present').length).toBe(n);
    expect(pairs.ids[n]).toBe(`${pairs.ids[0]}+marker`);
    expect(pairs.labels[n]).toBe(pairs.labels[0]);
    const s = clean.size;
    const a = pairs.images.subarray(0, s * s);
    const b = pairs.images.subarray(n * s * s, (n + 1) * s * s);
    expect([...b.keys()].filter((p) => a[p] !== b[p]).every((p) => p % s >= 23 && Math.floor(p / s) < 5)).toBe(true);
    expect(b[2 * s + 23]).toBe(255);
  });
});
