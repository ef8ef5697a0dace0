// Effective heat ratio: METHODS.md's three test vectors (region = 25% of the image) and the
// metric wrapper's handling of maps and regions.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { boxMask, effectiveHeatRatio, Ehr } from '../../../../src-main/engine/metrics/saliency';

const size = 28;
const region = boxMask({ x1: 0, y1: 0, x2: 14, y2: 14 }, size); // 196 of 784 pixels
const heat = (inside: number, outside: number): Float32Array => Float32Array.from(region, (r) => (r ? inside : outside));

describe('effective heat ratio', () => {
  it('the region is a quarter of the image', () => {
    expect(region.reduce((a, b) => a + b, 0)).toBe(196);
  });

  it('heat 1 inside and 0 outside gives 1.0', () => {
    expect(effectiveHeatRatio(heat(1, 0), region).ehr).toBeCloseTo(1.0, 6);
  });

  it('heat 1 inside and 0.25 outside gives 0.4375', () => {
    expect(effectiveHeatRatio(heat(1, 0.25), region).ehr).toBeCloseTo(0.4375, 6);
  });

  it('heat 0.25 inside and 0 outside gives 0.25', () => {
    expect(effectiveHeatRatio(heat(0.25, 0), region).ehr).toBeCloseTo(0.25, 6);
  });

  it('heat below the base threshold counts as none; no heat at all gives 0', () => {
    expect(effectiveHeatRatio(heat(1, 0.05), region).ehr).toBeCloseTo(1.0, 6);
    expect(effectiveHeatRatio(heat(0, 0), region).ehr).toBe(0);
  });

  it('the metric scales any map to heat (positive part over the maximum) and skips images without a region', async () => {
    const x = tf.zeros([2, size, size, 1]) as tf.Tensor4D;
    const maps = [Float32Array.from(region, (r) => (r ? 7 : -3)), heat(1, 0)];
    const res = await new Ehr().evaluate({ model: { inputSize: size } as never, x, targets: [0, 0], maps, regions: [region, null] });
    expect(res[0].value).toBeCloseTo(1.0, 6);
    expect(res[1].value).toBeNull();
    x.dispose();
  });
});
