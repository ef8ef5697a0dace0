// Reads back what the invariance jobs saved in a project: the surrogates (artefacts
// `invariance-<name>`) and the analyses (artefacts `invariance-analysis-<name>`), for the
// Explain view's list and the report section.
import type { InvarianceAnalysisResult } from '../../../api/schemas/invariance';
import type { InvarianceSaved, SavedAnalysisInfo, SavedSurrogate } from '../../../api/schemas/invariance-saved';
import { modelRecord } from '../../models/project-model';
import type { ProjectStore } from '../../project/store';
import type { SurrogateMeta } from './io';

const ANALYSIS = 'invariance-analysis-';
const SURROGATE = 'invariance-';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function listInvariances(store: ProjectStore): InvarianceSaved {
  const hash = modelRecord(store)?.hash ?? null;
  const surrogates: SavedSurrogate[] = [];
  const analyses: SavedAnalysisInfo[] = [];
  for (const [key, a] of Object.entries(store.manifest.artefacts)) {
    if (a.kind === 'invariance-surrogate' && key.startsWith(SURROGATE)) {
      const meta = a.meta as unknown as SurrogateMeta;
      const t = (meta.training ?? {}) as Record<string, unknown>;
      const final = Object.fromEntries(Object.entries((t.final ?? {}) as Record<string, unknown>).filter((e): e is [string, number] => num(e[1]) !== null));
      surrogates.push({
        name: key.slice(SURROGATE.length),
        kind: meta.config.kind,
        labels: meta.config.labels,
        matchesModel: meta.modelHash === hash,
        z1: meta.config.architecture.z1,
        z2: meta.config.architecture.z2,
        epochsRun: num(t.epochsRun),
        final,
      });
    } else if (a.kind === 'invariance-analysis' && key.startsWith(ANALYSIS) && a.blob) {
      analyses.push({ name: key.slice(ANALYSIS.length), split: String(a.meta.split ?? ''), at: String(a.meta.at ?? ''), matchesModel: a.meta.modelHash === hash });
    }
  }
  surrogates.sort((a, b) => a.name.localeCompare(b.name));
  analyses.sort((a, b) => b.at.localeCompare(a.at));
  return { surrogates, analyses };
}

/**
 * The newest saved analysis made against the project's current model (of surrogate `name` when
 * given), or null. Analyses of another model are skipped: their curves describe that model.
 */
export async function latestInvarianceAnalysis(store: ProjectStore, name?: string): Promise<InvarianceAnalysisResult | null> {
  const pick = listInvariances(store).analyses.find((a) => a.matchesModel && (name === undefined || a.name === name));
  const blob = pick ? store.manifest.artefacts[ANALYSIS + pick.name]?.blob : undefined;
  if (!blob) return null;
  return JSON.parse((await store.readBlob(blob)).toString('utf8')) as InvarianceAnalysisResult;
}
