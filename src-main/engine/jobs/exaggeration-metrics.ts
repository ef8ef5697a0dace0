// Quality metrics of one of the project's explainers on a seeded sample of a split:
// compatibility, self-consistency (reconstruction, cycle, LSC), the Frechet distance in a fixed
// feature space and, with an attribute column, the confounding metric through an oracle CNN
// (trained on that column, cached in <project>/oracles/, or given) with series strips per
// subgroup. The result is saved in the project as artefact `exaggeration-metrics:<name>`.
//
// Wiring (for all.ts and the API contract): kind 'exaggeration-metrics', params
// ExaggerationMetricsParamsSchema (src-main/api/schemas/exaggeration.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeRng, permutation } from '../data/synthetic/rng';
import { projectExplainer } from '../explain/exaggeration/project';
import { evaluateExplainerQuality, type ExaggerationQuality, type OracleInput } from '../metrics/exaggeration/evaluate';
import { trainOracle } from '../metrics/exaggeration/oracle';
import type { AuditedModel } from '../models/audited-model';
import { loadAuditedModel } from '../models/load';
import { projectModel } from '../models/project-model';
import { MODEL_JSON } from '../models/io';
import { projectImages, requireProject } from '../session';
import type { ProjectStore } from '../project/store';
import type { ImageSet } from '../data/image-set';
import type { JobContext } from './context';
import { EngineError } from './errors';

export { ExaggerationMetricsParamsSchema, type ExaggerationMetricsParams } from '../../api/schemas/exaggeration';
import type { ExaggerationMetricsParams } from '../../api/schemas/exaggeration';

export interface ExaggerationMetricsResult extends ExaggerationQuality {
  explainer: string;
  explainerHash: string;
  classifierHash: string | null;
  split: string;
  rows: number[];
  evaluatedAt: string;
}

/** Saved metrics results (artefacts `exaggeration-metrics:<name>`) for the classifier with this hash. */
export async function savedExaggerationMetrics(store: ProjectStore, modelHash: string | null): Promise<ExaggerationMetricsResult[]> {
  const out: ExaggerationMetricsResult[] = [];
  for (const [, a] of Object.entries(store.manifest.artefacts).sort(([x], [y]) => x.localeCompare(y))) {
    if (a.kind !== 'exaggeration-metrics' || !a.blob) continue;
    try {
      const r = JSON.parse((await store.readBlob(a.blob)).toString('utf8')) as ExaggerationMetricsResult;
      if (r.classifierHash === modelHash) out.push(r);
    } catch {
      /* an unreadable result is skipped */
    }
  }
  return out;
}

/** Seeded sample of a split's rows (sorted). */
export function sampleRows(set: ImageSet, split: string, count: number, seed: number): number[] {
  const rows = set.split.flatMap((s, i) => (s === split ? [i] : []));
  return permutation(rows.length, makeRng(seed))
    .slice(0, count)
    .map((j) => rows[j])
    .sort((a, b) => a - b);
}

const slug = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);

async function oracleFor(store: ProjectStore, set: ImageSet, rows: number[], p: ExaggerationMetricsParams, ctx: JobContext): Promise<{ oracle: OracleInput; owned: AuditedModel } | null> {
  if (p.oracleModelDir) {
    if (!path.isAbsolute(p.oracleModelDir)) throw new EngineError('invalid_request', `oracleModelDir must be an absolute path (got "${p.oracleModelDir}")`);
    const model = await loadAuditedModel(p.oracleModelDir);
    return { oracle: { model, attribute: p.oracleAttribute ?? 'attribute', positive: model.classNames[model.positiveClass] }, owned: model };
  }
  if (!p.oracleAttribute) return null;
  // One oracle per attribute, value, data set, queries left out and recipe, reused by later runs.
  const dataset = store.manifest.dataset?.contentHash.slice(0, 12) ?? 'nodata';
  const dir = path.join(store.dir, 'oracles', `${slug(p.oracleAttribute)}-${slug(p.oraclePositive ?? 'auto')}-${dataset}-${p.split}${p.queries}-e${p.oracleEpochs}-s${p.seed}`);
  if (fs.existsSync(path.join(dir, MODEL_JSON))) {
    const model = await loadAuditedModel(dir);
    const prov = model.sidecar.provenance as { oracle?: { attribute: string; positive: string }; valAuc?: number };
    return { oracle: { model, attribute: p.oracleAttribute, positive: prov.oracle?.positive ?? model.classNames[model.positiveClass] }, owned: model };
  }
  const o = await trainOracle(
    { set, exclude: rows, attribute: p.oracleAttribute, positive: p.oraclePositive, outDir: dir, epochs: p.oracleEpochs, seed: p.seed },
    { progress: (u) => ctx.progress({ stage: `oracle: ${u.stage}`, fraction: 0.05 + 0.25 * u.fraction, metrics: u.metrics }), checkpoint: () => ctx.checkpoint() },
  );
  return { oracle: { model: o.model, attribute: o.attribute, positive: o.positive, valAuc: o.valAuc }, owned: o.model };
}

export const exaggerationMetricsJob = {
  kind: 'exaggeration-metrics' as const,
  title: (p: ExaggerationMetricsParams): string => `Exaggeration quality of ${p.explainer}${p.oracleAttribute ? ` (bias: ${p.oracleAttribute})` : ''}`,
  async run(params: ExaggerationMetricsParams, ctx: JobContext): Promise<ExaggerationMetricsResult> {
    const store = requireProject();
    const set = await projectImages();
    const model = await projectModel(store);
    const { explainer, record } = await projectExplainer(store, params.explainer, model);
    const rows = sampleRows(set, params.split, params.queries, params.seed);
    if (rows.length < 2) throw new EngineError('bad_input', `The '${params.split}' split has ${rows.length} image(s); the metrics need at least 2`);
    const oracle = await oracleFor(store, set, rows, params, ctx);
    try {
      const quality = await evaluateExplainerQuality(explainer, model, set, rows, {
        frechet: params.frechetFeatures,
        calibrate: params.calibrate,
        oracle: oracle?.oracle ?? null,
        bootstrap: params.bootstrap,
        seed: params.seed,
        strips: params.oracleAttribute && params.stripQueries > 0 ? { attribute: params.oracleAttribute, perGroup: params.stripQueries } : null,
        progress: (stage, f) => ctx.progress({ stage, fraction: 0.3 + 0.65 * f }),
        checkpoint: () => ctx.checkpoint(),
      });
      const result: ExaggerationMetricsResult = {
        explainer: record.name,
        explainerHash: record.hash,
        classifierHash: record.classifierHash,
        split: params.split,
        rows,
        evaluatedAt: new Date().toISOString(),
        ...quality,
      };
      ctx.progress({ stage: 'saving', fraction: 0.97 });
      const blob = await store.writeBlob(Buffer.from(JSON.stringify(result)), 'json');
      await store.update((m) => {
        m.artefacts[`exaggeration-metrics:${record.name}`] = {
          kind: 'exaggeration-metrics',
          blob,
          meta: { explainer: record.name, explainerHash: record.hash, split: params.split, queries: rows.length, at: result.evaluatedAt },
        };
      });
      return result;
    } finally {
      oracle?.owned.dispose();
    }
  },
};
