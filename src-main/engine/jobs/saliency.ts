// Saliency maps for images of the open project: the chosen methods (papers' defaults unless
// overridden) on the project's model, each map as a colour-mapped PNG and as raw values, with
// the method's diagnostics, the chosen metrics and the latency per image. Progress per method
// and metric; cancel between steps.
//
// Wiring (for all.ts and the API contract): kind 'saliency', params SaliencyParamsSchema
// (src-main/api/schemas/saliency.ts), result SaliencyResult.
import { SaliencyParamsSchema, type RegionBox, type SaliencyMapResult, type SaliencyMetricId, type SaliencyParams, type SaliencyResult, type SaliencyTarget } from '../../api/schemas/saliency';
import { count, type ImageSet } from '../data/image-set';
import { markerBox } from '../data/synthetic/marker';
import { makeRng, permutation } from '../data/synthetic/rng';
import { disposeReference, makeReference, saliencyMethods, type ExplainHooks, type ReferenceImages } from '../explain/saliency';
import { greyPng, heatmapPng, pngDataUrl } from '../explain/saliency/render';
import { boxMask, saliencyMetrics, type MetricResult } from '../metrics/saliency';
import type { AuditedModel } from '../models/audited-model';
import { imageBatch } from '../models/batches';
import { projectModel } from '../models/project-model';
import { projectImages, requireProject } from '../session';
import type { JobContext } from './context';
import { EngineError } from './errors';

export { SaliencyParamsSchema, type SaliencyParams, type SaliencyResult } from '../../api/schemas/saliency';

const DEFAULT_METRICS: SaliencyMetricId[] = ['deletion', 'insertion', 'pixel-perturbation', 'ehr'];
/** Points kept of each deletion/insertion curve in the result (for plotting). */
const CURVE_POINTS = 101;

function resolveTarget(t: SaliencyTarget, model: AuditedModel, probs: Float32Array, i: number): number {
  const k = model.classNames.length;
  if (t === 'positive') return model.positiveClass;
  if (t === 'predicted') {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
    return best;
  }
  if (t >= k) throw new EngineError('invalid_request', `target class ${t} out of range 0..${k - 1}`);
  return t;
}

/** The EHR region of one image in model-input pixels, or null. */
export function resolveRegion(region: SaliencyParams['region'], set: ImageSet, row: number, size: number): RegionBox | null {
  const scale = size / set.size;
  const scaled = (b: RegionBox): RegionBox => ({ x1: b.x1 * scale, y1: b.y1 * scale, x2: b.x2 * scale, y2: b.y2 * scale });
  const marker = (): RegionBox => {
    const m = markerBox(set.size);
    return scaled({ x1: m.x, y1: m.y, x2: m.x + m.side, y2: m.y + m.side });
  };
  if (region === 'none') return null;
  if (region === 'marker') return marker();
  if (typeof region === 'object') return region;
  const box = set.attributes.box?.[row];
  if (box) {
    const [x1, y1, x2, y2] = box.split(',').map(Number);
    if ([x1, y1, x2, y2].every(Number.isFinite)) return scaled({ x1, y1, x2, y2 });
  }
  return set.attributes.marker?.[row] === 'present' ? marker() : null;
}

/** Seeded random training images (all images when there is no train split). */
export function referenceImages(set: ImageSet, n: number, size: number, seed: number): ReferenceImages {
  let rows = set.split.flatMap((s, i) => (s === 'train' ? [i] : []));
  if (!rows.length) rows = Array.from({ length: count(set) }, (_, i) => i);
  const pick = permutation(rows.length, makeRng(seed)).slice(0, n).map((j) => rows[j]);
  return makeReference(imageBatch(set, pick, size));
}

/** Average-pools a size x size map to at most `side` x `side` (area weights), rounded to 5 significant digits. */
export function poolMap(map: Float32Array, size: number, side: number): { raw: number[]; rawSide: number } {
  const out = Math.min(size, side);
  const f = size / out;
  const raw: number[] = [];
  for (let oy = 0; oy < out; oy++) {
    for (let ox = 0; ox < out; ox++) {
      let s = 0;
      let w = 0;
      for (let y = Math.floor(oy * f); y < Math.min(size, Math.ceil((oy + 1) * f)); y++) {
        const wy = Math.min(y + 1, (oy + 1) * f) - Math.max(y, oy * f);
        for (let x = Math.floor(ox * f); x < Math.min(size, Math.ceil((ox + 1) * f)); x++) {
          const wx = Math.min(x + 1, (ox + 1) * f) - Math.max(x, ox * f);
          s += map[y * size + x] * wx * wy;
          w += wx * wy;
        }
      }
      raw.push(Number((s / w).toPrecision(5)));
    }
  }
  return { raw, rawSide: out };
}

function thinCurve(details: MetricResult['details']): { x: number[]; y: number[] } | null {
  const x = details.fractions as number[] | undefined;
  const y = details.scores as number[] | undefined;
  if (!x || !y) return null;
  const step = Math.max(1, Math.ceil((x.length - 1) / (CURVE_POINTS - 1)));
  const keep = x.map((_, i) => i).filter((i) => i % step === 0 || i === x.length - 1);
  return { x: keep.map((i) => x[i]), y: keep.map((i) => Number(y[i].toPrecision(4))) };
}

export const saliencyJob = {
  kind: 'saliency' as const,
  title: (p: SaliencyParams): string => `Saliency (${p.methods.join(', ')}) on ${p.index !== undefined ? `image ${p.index}` : `${p.indices!.length} images`}`,
  async run(input: SaliencyParams, ctx: JobContext): Promise<SaliencyResult> {
    const params = SaliencyParamsSchema.parse(input);
    const store = requireProject();
    const set = await projectImages();
    const model = await projectModel(store);
    const indices = params.index !== undefined ? [params.index] : params.indices!;
    const bad = indices.find((i) => i >= count(set));
    if (bad !== undefined) throw new EngineError('invalid_request', `image index ${bad} out of range: the image set has ${count(set)} images`);
    const methods = params.methods.map((id) => saliencyMethods.get(id));
    for (const m of methods) if (m.needsLayers && !model.hasLayers) throw new EngineError('bad_input', `${m.label} needs named layers; the project's model is a GraphModel`);
    const metricIds: SaliencyMetricId[] = params.metrics === true ? DEFAULT_METRICS : params.metrics === false ? [] : params.metrics;
    const size = model.inputSize;

    ctx.progress({ stage: 'preparing', fraction: 0 });
    const x = imageBatch(set, indices, size);
    let reference: ReferenceImages | undefined;
    try {
      const p = model.predict(x);
      const probs = (await p.data()) as Float32Array;
      p.dispose();
      const k = model.classNames.length;
      const targets = indices.map((_, i) => resolveTarget(params.target, model, probs, i));
      const labels = indices.map((row) => model.classNames.indexOf(set.classNames[set.labels[row]]));
      const regions = indices.map((row) => resolveRegion(params.region, set, row, size));
      const pixels = (await x.data()) as Float32Array;
      if (methods.some((m) => m.needsReference)) reference = referenceImages(set, params.referenceSize, size, params.seed);

      const perImage: SaliencyMapResult[][] = indices.map(() => []);
      const units = methods.length * (1 + metricIds.length);
      let unit = 0;
      const hooksFor = (stage: string): ExplainHooks => {
        const base = unit;
        return { progress: (f) => ctx.progress({ stage, fraction: Math.min(1, (base + f) / units) }), checkpoint: () => ctx.checkpoint() };
      };
      for (const method of methods) {
        await ctx.checkpoint();
        const settings = params.settings[method.id] ?? {};
        const t0 = performance.now();
        const out = await method.attribute({ model, x, targets, reference }, settings as never, hooksFor(method.label));
        const latencyMs = (performance.now() - t0) / indices.length;
        unit++;
        const metricValues: Record<string, (number | null)[]> = {};
        const curves: Record<string, ({ x: number[]; y: number[] } | null)[]> = {};
        for (const id of metricIds) {
          const metric = saliencyMetrics.get(id);
          const masks = regions.map((r) => (r ? boxMask(r, size) : null));
          const results = id === 'ehr' && masks.every((m) => !m) ? null : await metric.evaluate({ model, x, targets, labels: labels.every((l) => l >= 0) ? labels : undefined, maps: out.maps, regions: masks, method, methodSettings: settings, reference }, undefined, hooksFor(`${method.label}: ${metric.label}`));
          metricValues[id] = results ? results.map((r) => r.value) : indices.map(() => null);
          if (id === 'deletion' || id === 'insertion') curves[id] = results ? results.map((r) => thinCurve(r.details)) : [];
          unit++;
        }
        for (let i = 0; i < indices.length; i++) {
          const map = out.maps[i];
          let min = Infinity;
          let max = -Infinity;
          for (const v of map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
          const c = Object.fromEntries(Object.entries(curves).flatMap(([id, list]) => (list[i] ? [[id, list[i]!]] : [])));
          perImage[i].push({
            method: method.id,
            heatmapPng: pngDataUrl(await heatmapPng(map, size, { colormap: params.colormap })),
            ...poolMap(map, size, params.rawSize),
            signed: method.signed,
            min,
            max,
            diagnostics: out.diagnostics[i],
            metrics: Object.fromEntries(metricIds.map((id) => [id, metricValues[id][i]])),
            ...(Object.keys(c).length ? { curves: c } : {}),
            latencyMs,
          });
        }
      }
      const images = await Promise.all(
        indices.map(async (row, i) => ({
          index: row,
          id: set.ids[row],
          label: set.classNames[set.labels[row]],
          target: targets[i],
          targetName: model.classNames[targets[i]],
          probability: probs[i * k + targets[i]],
          imagePng: pngDataUrl(await greyPng(pixels.subarray(i * size * size, (i + 1) * size * size), size, { unit: true })),
          region: regions[i],
          maps: perImage[i],
        })),
      );
      ctx.progress({ stage: 'done', fraction: 1 });
      return { modelHash: model.hash, imageSize: size, classNames: model.classNames, methods: params.methods, images, computedAt: new Date().toISOString() };
    } finally {
      x.dispose();
      if (reference) disposeReference(reference);
    }
  },
};
