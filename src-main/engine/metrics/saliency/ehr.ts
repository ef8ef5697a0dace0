// Effective heat ratio (InputIBA's metric; METHODS.md 3): heat in [0, 1], heat below the base
// threshold (0.1) set to zero; for q = 0, 0.1, ..., 1 the threshold t = min(q-quantile of the
// remaining heat, 0.99 max), ratio(q) = heat inside the region over pixels >= t divided by the
// number of pixels >= t; EHR = trapezoid area of ratio over q. The metric wrapper turns any map
// into heat by its positive part over its maximum.
import { EhrSettingsSchema, type RegionBox } from '../../../api/schemas/saliency';
import { SaliencyMetricBase } from './base';
import { quantileSorted, toHeat, trapezoid } from './ranking';
import type { MetricResult, SaliencyMetricInput } from './types';

const QUANTILES = Array.from({ length: 11 }, (_, i) => i / 10);

export interface EhrResult {
  ehr: number;
  quantiles: number[];
  ratios: number[];
}

/** EHR of heat (values in [0, 1], used as given) for a 0/1 region mask of the same length. */
export function effectiveHeatRatio(heatIn: ArrayLike<number>, region: ArrayLike<number>, baseThreshold = 0.1): EhrResult {
  const heat = Float32Array.from(heatIn, (v) => (v >= baseThreshold ? v : 0));
  const poi = Float32Array.from(Array.from(heatIn).filter((v) => v >= baseThreshold)).sort();
  let max = 0;
  for (const v of heat) max = Math.max(max, v);
  const ratios = QUANTILES.map((q) => {
    if (poi.length === 0) return 0;
    const t = Math.min(quantileSorted(poi, q), 0.99 * max);
    let inside = 0;
    let count = 0;
    for (let i = 0; i < heat.length; i++) {
      if (heat[i] < t) continue;
      count++;
      if (region[i]) inside += heat[i];
    }
    return inside / (count + 1e-8);
  });
  return { ehr: trapezoid(ratios, QUANTILES), quantiles: QUANTILES, ratios };
}

/** A 0/1 mask of the pixels whose centres lie in the box (x2, y2 exclusive, as the authors' slicing). */
export function boxMask(box: RegionBox, size: number): Uint8Array {
  const m = new Uint8Array(size * size);
  const [x1, y1] = [Math.max(0, Math.round(box.x1)), Math.max(0, Math.round(box.y1))];
  const [x2, y2] = [Math.min(size, Math.round(box.x2)), Math.min(size, Math.round(box.y2))];
  for (let y = y1; y < y2; y++) m.fill(1, y * size + x1, y * size + Math.max(x1, x2));
  return m;
}

export class Ehr extends SaliencyMetricBase<typeof EhrSettingsSchema> {
  constructor() {
    super('ehr', 'Effective heat ratio', true, EhrSettingsSchema, true);
  }
  protected async compute({ maps, regions }: SaliencyMetricInput, s: { baseThreshold: number }): Promise<MetricResult[]> {
    return maps.map((m, i): MetricResult => {
      const region = regions?.[i];
      if (!region) return { value: null, details: { reason: ['no region for this image'] } };
      const r = effectiveHeatRatio(toHeat(m), region, s.baseThreshold);
      return { value: r.ehr, details: { quantiles: r.quantiles, ratios: r.ratios } };
    });
  }
}
