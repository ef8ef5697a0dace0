// The 'causal-factors' results kept in a project: one artefact `causal-factors-<name>` per
// explainer name (the JSON result as a blob, the latest run of that name), read back by the
// Explain view and the report section.
import type { CausalFactorsResult } from '../../../api/schemas/causal-factors';
import type { SavedCausalFactors } from '../../../api/schemas/causal-factors-saved';
import { modelRecord } from '../../models/project-model';
import type { ProjectStore } from '../../project/store';

export const CAUSAL_FACTORS_ARTEFACT = 'causal-factors-';
const KIND = 'causal-factors';

export async function saveCausalFactors(store: ProjectStore, name: string, result: CausalFactorsResult): Promise<string> {
  const savedAt = new Date().toISOString();
  const blob = await store.writeBlob(Buffer.from(JSON.stringify(result)), 'json');
  await store.update((m) => {
    m.artefacts[CAUSAL_FACTORS_ARTEFACT + name] = {
      kind: KIND,
      blob,
      meta: { name, classifierHash: result.classifierHash, at: savedAt, steps: result.steps, I_alpha_Y: result.influence.joint, k: result.options.k, l: result.options.l },
    };
  });
  return savedAt;
}

/** Saved results, newest first: name, date, and whether each explains the current classifier. */
export function listCausalFactors(store: ProjectStore): { name: string; at: string; matchesModel: boolean }[] {
  const hash = modelRecord(store)?.hash ?? null;
  return Object.entries(store.manifest.artefacts)
    .filter(([key, a]) => a.kind === KIND && key.startsWith(CAUSAL_FACTORS_ARTEFACT) && a.blob)
    .map(([key, a]) => ({ name: key.slice(CAUSAL_FACTORS_ARTEFACT.length), at: String(a.meta.at ?? ''), matchesModel: a.meta.classifierHash === hash }))
    .sort((a, b) => b.at.localeCompare(a.at));
}

/**
 * The newest saved result (of explainer `name` when given); with `matchingOnly`, only results
 * for the project's current classifier count (the report: another model's factors say nothing
 * about this one). Null when none.
 */
export async function latestCausalFactors(store: ProjectStore, opts: { name?: string; matchingOnly?: boolean } = {}): Promise<SavedCausalFactors | null> {
  const pick = listCausalFactors(store).find((a) => (opts.name === undefined || a.name === opts.name) && (!opts.matchingOnly || a.matchesModel));
  const blob = pick ? store.manifest.artefacts[CAUSAL_FACTORS_ARTEFACT + pick.name]?.blob : undefined;
  if (!pick || !blob) return null;
  const result = JSON.parse((await store.readBlob(blob)).toString('utf8')) as CausalFactorsResult;
  return { name: pick.name, savedAt: pick.at, matchesModel: pick.matchesModel, result };
}
