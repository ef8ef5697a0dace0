// The explainers a project can offer in the UI: its own (trained or installed) and the shipped
// ones in models/exaggeration-* that are not installed yet, each marked usable or not with the
// project's current classifier (an explainer is bound to the hash of the classifier it explains).
import * as path from 'node:path';
import type { ExplainerInfo } from '../../../api/contract';
import { modelRecord } from '../../models/project-model';
import type { ProjectStore } from '../../project/store';
import { modelsDir } from '../../resources';
import { readExplainerFile } from './io';
import { listExplainers, shippedExplainers } from './project';

export function explainerInfos(store: ProjectStore): ExplainerInfo[] {
  const modelHash = modelRecord(store)?.hash ?? null;
  const own: ExplainerInfo[] = listExplainers(store).map((r) => ({
    name: r.name,
    source: 'project',
    classifierHash: r.classifierHash,
    matches: modelHash !== null && r.classifierHash === modelHash,
    bins: r.architecture.bins,
    imageSize: r.architecture.imageSize,
    steps: r.steps,
  }));
  const taken = new Set(own.map((e) => e.name));
  const shipped: ExplainerInfo[] = [];
  for (const name of shippedExplainers()) {
    if (taken.has(name)) continue;
    try {
      const f = readExplainerFile(path.join(modelsDir(), name));
      shipped.push({
        name,
        source: 'shipped',
        classifierHash: f.classifier.hash,
        matches: modelHash !== null && f.classifier.hash === modelHash,
        bins: f.architecture.bins,
        imageSize: f.architecture.imageSize,
        steps: (f.training as { steps?: number }).steps ?? 0,
      });
    } catch {
      // An unreadable shipped folder is simply not offered.
    }
  }
  return [...own, ...shipped].sort((a, b) => Number(b.matches) - Number(a.matches) || a.name.localeCompare(b.name));
}
