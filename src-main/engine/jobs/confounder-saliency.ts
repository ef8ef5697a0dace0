// Saliency mass on a declared confounder: on a seeded sample of the split's images where the
// confounder is present and its region known, each method's map (explaining the positive class)
// is judged by the share of its positive mass inside the region (vs the region's area) and by the
// effective heat ratio; means with 95% bootstrap intervals. Saved in the project (artefact
// `confounder-saliency`) for the Bias screen and the report.
import { ConfounderSaliencyParamsSchema, type ConfounderSaliencyParams, type ConfounderSaliencyResult } from '../../api/schemas/confounder';
import { count } from '../data/image-set';
import { makeRng, permutation } from '../data/synthetic/rng';
import { disposeReference, saliencyMethods, type ReferenceImages } from '../explain/saliency';
import { greyPng, overlayPng, pngDataUrl } from '../explain/saliency/render';
import { boxMask, effectiveHeatRatio } from '../metrics/saliency';
import { toHeat } from '../metrics/saliency/ranking';
import { imageBatch } from '../models/batches';
import { modelRecord, projectModel } from '../models/project-model';
import type { ProjectStore } from '../project/store';
import { projectImages, requireProject } from '../session';
import type { JobContext } from './context';
import { EngineError } from './errors';
import type { JobDefinition } from './registry';
import { referenceImages, resolveRegion } from './saliency';

export const CONFOUNDER_ARTEFACT = 'confounder-saliency';
const BATCH = 8;
const EXAMPLES = 3;

/** Share of the positive mass of `map` inside the 0/1 mask (0 when the map has none). */
export function massShare(map: ArrayLike<number>, mask: ArrayLike<number>): number {
  let inside = 0;
  let total = 0;
  for (let i = 0; i < map.length; i++) {
    const v = Math.max(0, map[i]);
    total += v;
    if (mask[i]) inside += v;
  }
  return total > 0 ? inside / total : 0;
}

/** Mean with a percentile bootstrap interval (seeded). */
export function meanInterval(values: number[], resamples: number, seed: number): { value: number | null; lo: number | null; hi: number | null } {
  if (!values.length) return { value: null, lo: null, hi: null };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const rng = makeRng(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < values.length; i++) s += values[Math.floor(rng() * values.length)];
    means[r] = s / values.length;
  }
  means.sort();
  return { value: mean, lo: means[Math.floor(0.025 * (resamples - 1))], hi: means[Math.ceil(0.975 * (resamples - 1))] };
}

export async function savedConfounderSaliency(store: ProjectStore): Promise<ConfounderSaliencyResult | null> {
  const a = store.manifest.artefacts[CONFOUNDER_ARTEFACT];
  if (!a?.blob) return null;
  const r = JSON.parse((await store.readBlob(a.blob)).toString('utf8')) as ConfounderSaliencyResult;
  return r.modelHash === (modelRecord(store)?.hash ?? null) ? r : null;
}

export const confounderSaliencyJob: JobDefinition<'confounder-saliency'> = {
  kind: 'confounder-saliency',
  title: (p) => `Saliency mass on '${p.attribute}'`,
  async run(input: ConfounderSaliencyParams, ctx: JobContext): Promise<ConfounderSaliencyResult> {
    const p = ConfounderSaliencyParamsSchema.parse(input);
    const store = requireProject();
    const set = await projectImages();
    const model = await projectModel(store);
    const column = set.attributes[p.attribute];
    if (!column) throw new EngineError('bad_input', `The image set has no attribute '${p.attribute}' (it has: ${Object.keys(set.attributes).join(', ') || 'none'})`);
    const values = [...new Set(column.filter((v): v is string => v !== null))];
    const present = p.present ?? (values.includes('present') ? 'present' : [...values].sort((a, b) => column.filter((v) => v === a).length - column.filter((v) => v === b).length)[0]);
    if (!values.includes(present)) throw new EngineError('bad_input', `Attribute '${p.attribute}' never takes the value '${present}' (values: ${values.join(', ')})`);
    const size = model.inputSize;
    const candidates: { row: number; mask: Uint8Array }[] = [];
    for (let row = 0; row < count(set); row++) {
      if (set.split[row] !== p.split || column[row] !== present) continue;
      const region = p.attribute === 'marker' ? resolveRegion('marker', set, row, size) : resolveRegion('auto', set, row, size);
      if (region) candidates.push({ row, mask: boxMask(region, size) });
    }
    if (!candidates.length) throw new EngineError('bad_input', `No ${p.split} image with ${p.attribute} = ${present} has a known region: declare a 'box' column (x1,y1,x2,y2) in the manifest, or use the burned-in marker`);
    const picked = permutation(candidates.length, makeRng(p.seed)).slice(0, p.images).map((j) => candidates[j]);
    const methods = p.methods.map((id) => saliencyMethods.get(id)).filter((m) => !m.needsLayers || model.hasLayers);
    if (!methods.length) throw new EngineError('bad_input', 'None of the chosen methods works on this model (they need named layers)');

    let reference: ReferenceImages | undefined;
    const shares = methods.map(() => [] as number[]);
    const ehrs = methods.map(() => [] as number[]);
    const examples: ConfounderSaliencyResult['examples'] = [];
    const area = picked.reduce((s, c) => s + c.mask.reduce((a, b) => a + b, 0) / c.mask.length, 0) / picked.length;
    try {
      if (methods.some((m) => m.needsReference)) reference = referenceImages(set, 256, size, p.seed + 1);
      const units = methods.length * Math.ceil(picked.length / BATCH);
      let unit = 0;
      for (let b = 0; b < picked.length; b += BATCH) {
        const chunk = picked.slice(b, b + BATCH);
        const x = imageBatch(set, chunk.map((c) => c.row), size);
        try {
          const pixels = b === 0 ? ((await x.data()) as Float32Array) : null;
          for (const [k, m] of methods.entries()) {
            await ctx.checkpoint();
            ctx.progress({ stage: m.label, fraction: unit / units });
            const out = await m.attribute({ model, x, targets: chunk.map(() => model.positiveClass), reference }, {} as never, { checkpoint: () => ctx.checkpoint() });
            out.maps.forEach((map, i) => {
              shares[k].push(massShare(map, chunk[i].mask));
              ehrs[k].push(effectiveHeatRatio(toHeat(map), chunk[i].mask).ehr);
            });
            if (pixels) {
              for (let i = 0; i < Math.min(EXAMPLES, chunk.length); i++) {
                const img = pixels.subarray(i * size * size, (i + 1) * size * size);
                if (k === 0) examples.push({ image: pngDataUrl(await greyPng(img, size, { unit: true, side: 112 })), maps: [] });
                examples[i].maps.push({ method: m.label, png: pngDataUrl(await overlayPng(img, out.maps[i], size, { unit: true, side: 112 })) });
              }
            }
            unit++;
          }
        } finally {
          x.dispose();
        }
      }
    } finally {
      if (reference) disposeReference(reference);
    }
    const result: ConfounderSaliencyResult = {
      attribute: p.attribute,
      present,
      split: p.split,
      images: picked.length,
      regionArea: area,
      target: model.classNames[model.positiveClass],
      methods: methods.map((m, k) => {
        const share = meanInterval(shares[k], p.bootstrap, p.seed + 11 * k);
        return { method: m.id, label: m.label, share, ratio: share.value !== null && area > 0 ? share.value / area : null, ehr: meanInterval(ehrs[k], p.bootstrap, p.seed + 13 * k) };
      }),
      examples,
      modelHash: model.hash,
      computedAt: new Date().toISOString(),
    };
    ctx.progress({ stage: 'saving', fraction: 0.98 });
    const blob = await store.writeBlob(Buffer.from(JSON.stringify(result)), 'json');
    await store.update((m) => {
      m.artefacts[CONFOUNDER_ARTEFACT] = { kind: CONFOUNDER_ARTEFACT, blob, meta: { attribute: p.attribute, modelHash: model.hash, at: result.computedAt } };
    });
    ctx.progress({ stage: 'done', fraction: 1 });
    return result;
  },
};
