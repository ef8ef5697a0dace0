// Series for rows of the open project's image set with one of its explainers: for each image,
// K frames (PNG data URLs), f(x_delta) and the target bin per frame, and difference-to-query maps.
// The latest result is saved in the project as artefact `exaggeration-series:latest`.
//
// Wiring (for all.ts and the API contract): kind 'exaggeration-series', params
// GenerateSeriesParamsSchema (src-main/api/schemas/exaggeration.ts).
import { projectExplainer } from '../explain/exaggeration/project';
import { seriesForRows, seriesJson, type SeriesJson } from '../explain/exaggeration/series';
import { projectModel } from '../models/project-model';
import { projectImages, requireProject } from '../session';
import type { JobContext } from './context';
import { EngineError } from './errors';

export { GenerateSeriesParamsSchema, type GenerateSeriesParams } from '../../api/schemas/exaggeration';
import type { GenerateSeriesParams } from '../../api/schemas/exaggeration';

/** Manifest key of the latest saved series. */
export const SERIES_ARTEFACT = 'exaggeration-series:latest';

export interface SeriesItem {
  index: number;
  id: string;
  label: string;
  split: string;
  series: SeriesJson;
}

export interface SeriesResult {
  explainer: string;
  explainerHash: string;
  classifierHash: string | null;
  positiveClass: string;
  items: SeriesItem[];
}

export const exaggerationSeriesJob = {
  kind: 'exaggeration-series' as const,
  title: (p: GenerateSeriesParams): string => `Exaggeration series (${p.indices.length} image${p.indices.length === 1 ? '' : 's'})`,
  async run(params: GenerateSeriesParams, ctx: JobContext): Promise<SeriesResult> {
    const store = requireProject();
    const set = await projectImages();
    const model = await projectModel(store);
    const bad = params.indices.filter((i) => i >= set.labels.length);
    if (bad.length) throw new EngineError('invalid_request', `image index ${bad[0]} is out of range (the set has ${set.labels.length} images)`);
    ctx.progress({ stage: 'loading explainer', fraction: 0.05 });
    const { explainer, record } = await projectExplainer(store, params.explainer, model);
    await ctx.checkpoint();
    ctx.progress({ stage: 'generating', fraction: 0.2 });
    const s = await seriesForRows(explainer, model, set, params.indices, { calibrate: params.calibrate });
    const items: SeriesItem[] = [];
    for (let i = 0; i < params.indices.length; i++) {
      await ctx.checkpoint();
      const row = params.indices[i];
      items.push({ index: row, id: set.ids[row], label: set.classNames[set.labels[row]], split: set.split[row], series: await seriesJson(s, i, { differences: params.differences }) });
      ctx.progress({ stage: 'rendering', fraction: 0.2 + (0.8 * (i + 1)) / params.indices.length });
    }
    const result: SeriesResult = { explainer: record.name, explainerHash: record.hash, classifierHash: record.classifierHash, positiveClass: model.classNames[model.positiveClass], items };
    // The latest series is kept in the project (the report's exaggeration section shows it).
    const blob = await store.writeBlob(Buffer.from(JSON.stringify(result)), 'json');
    await store.update((m) => {
      m.artefacts[SERIES_ARTEFACT] = { kind: 'exaggeration-series', blob, meta: { explainer: record.name, explainerHash: record.hash, indices: params.indices, at: new Date().toISOString() } };
    });
    return result;
  },
};
