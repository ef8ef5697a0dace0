// The engine's request/response calls (projects, dataset browsing), run inside the worker.
import * as fs from 'node:fs';
import sharp from 'sharp';
import type { DatasetInfo, DatasetItem, ProjectInfo } from '../api/contract';
import { initBackend } from './backend';
import { demoProjectDir, readRecent } from './config';
import { concatSets, select, summarize } from './data/image-set';
import { loadDemoPneumonia } from './data/importers/medmnist';
import { markerPairs } from './data/synthetic/marker';
import { EngineError } from './jobs/errors';
import type { EngineCallName, EngineCalls } from './protocol';
import { saveImageSet } from './project/dataset-io';
import type { ProjectStore } from './project/store';
import { resourcesDir } from './resources';
import { viewFile } from './data/inspect';
import { previewImport } from './data/importers/files';
import { attachModel, modelRecord, projectModel } from './models/project-model';
import { modelsDir } from './resources';
import { listReports, printReportWithChromium, readReportFile, reportDir } from './report/files';
import * as path from 'node:path';
import type { EvaluationResult, ModelInfo } from '../api/contract';
import { DecodeError } from './data/decoders';
import { createProject, currentProject, openProject, projectImages, requireProject } from './session';
import { causalQueryCalls } from './explain/causal-features/query-calls';
import { explainerInfos } from './explain/exaggeration/list';
import { latestInvarianceAnalysis, listInvariances } from './explain/invariance/saved';
import { latestCausalFactors } from './explain/causal/saved';
import { savedConfounderSaliency } from './jobs/confounder-saliency';
import { savedExaggerationMetrics } from './jobs/exaggeration-metrics';

async function modelInfo(store: ProjectStore): Promise<ModelInfo | null> {
  const rec = modelRecord(store);
  if (!rec) return null;
  const model = await projectModel(store);
  return {
    name: rec.name,
    hash: rec.hash,
    inputSize: model.inputSize,
    channels: model.channels,
    classNames: model.classNames,
    positiveClass: model.positiveClass,
    kind: model.kind,
    hasLayers: model.hasLayers,
    layerNames: model.hasLayers ? model.layerNames() : [],
    provenance: { ...rec.sidecar.provenance },
    card: rec.card,
    attachedAt: rec.attachedAt,
  };
}

export type CallTable = { [K in EngineCallName]: (args: EngineCalls[K]['args']) => Promise<EngineCalls[K]['result']> };

export async function projectInfo(store: ProjectStore): Promise<ProjectInfo> {
  const m = store.manifest;
  let dataset: DatasetInfo | null = null;
  if (m.dataset) {
    const s = summarize(await projectImages());
    dataset = {
      name: m.dataset.name,
      source: m.dataset.source,
      size: m.dataset.size,
      count: m.dataset.count,
      classNames: m.dataset.classNames,
      positiveClass: m.dataset.positiveClass,
      contentHash: m.dataset.contentHash,
      perClass: s.perClass,
      perSplit: s.perSplit,
      perAttribute: s.perAttribute,
      importReport: m.dataset.importReport,
    };
  }
  return { dir: store.dir, id: m.id, name: m.name, revision: m.revision, updatedAt: m.updatedAt, keepIdentifiers: m.keepIdentifiers, dataset };
}

/** Opens the demo project, creating it from the bundled PneumoniaMNIST copy on first use. */
export async function openDemoProject(): Promise<ProjectStore> {
  const dir = demoProjectDir();
  if (fs.existsSync(`${dir}/project.json`)) {
    try {
      return await openProject(dir);
    } catch {
      // A damaged demo project is rebuilt rather than leaving the user stuck.
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }
  const store = await createProject(dir, 'Demo: PneumoniaMNIST');
  // A known confounder for the bias audit: the test split holds every test image twice, as it
  // is and with a burned-in marker (attribute `marker`), so the marker is independent of the
  // label and of the image. A model that learned the marker as a shortcut shows a gap by
  // `marker`; a clean one does not. (A random half of the test images marked instead made a
  // clean model's gap look significant for 2 of 10 seeds: which images got the marker mattered.)
  const base = loadDemoPneumonia(resourcesDir());
  const notTest = base.split.flatMap((s, i) => (s === 'test' ? [] : [i]));
  const rest = select(base, notTest);
  rest.attributes = { marker: rest.ids.map(() => 'absent') };
  const set = concatSets(rest, markerPairs(base, { splits: ['test'] }));
  await saveImageSet(store, set, {
    kind: 'demo',
    description: 'Bundled PneumoniaMNIST (MedMNIST v2, CC BY 4.0); test split: each image twice, without and with a 3x3 burned-in marker (attribute "marker")',
  });
  await attachModel(store, path.join(modelsDir(), 'pneumonia-demo'), 'pneumonia-demo');
  return store;
}

export const calls: CallTable = {
  backendInfo: async () => initBackend(),
  reportDir: async ({ reportId }) => ({ dir: reportDir(requireProject(), reportId) }),
  'projects.recent': async () => readRecent(),
  'projects.current': async () => {
    const s = currentProject();
    return s ? projectInfo(s) : null;
  },
  'projects.create': async ({ dir, name, keepIdentifiers }) => projectInfo(await createProject(dir, name, keepIdentifiers)),
  'projects.open': async ({ dir }) => projectInfo(await openProject(dir)),
  'projects.openDemo': async () => projectInfo(await openDemoProject()),
  'dataset.items': async ({ offset, limit, split }) => {
    const set = await projectImages();
    const indices: number[] = [];
    set.split.forEach((s, i) => (!split || s === split) && indices.push(i));
    const items: DatasetItem[] = indices.slice(offset, offset + limit).map((i) => ({
      index: i,
      id: set.ids[i],
      label: set.classNames[set.labels[i]],
      split: set.split[i],
      attributes: Object.fromEntries(Object.entries(set.attributes).map(([k, col]) => [k, col[i]])),
    }));
    return { total: indices.length, items };
  },
  'model.current': async () => {
    const s = currentProject();
    return s ? modelInfo(s) : null;
  },
  'model.attach': async ({ dir }) => {
    const s = requireProject();
    await attachModel(s, dir);
    return (await modelInfo(s))!;
  },
  'model.attachDemo': async ({ which }) => {
    const s = requireProject();
    await attachModel(s, path.join(modelsDir(), `${which}-demo`), `${which}-demo`);
    return (await modelInfo(s))!;
  },
  'model.attachTrained': async ({ name }) => {
    const s = requireProject();
    await attachModel(s, path.join(s.dir, 'models', name), name);
    return (await modelInfo(s))!;
  },
  'bias.confounderSaliency': async () => savedConfounderSaliency(requireProject()),
  'causalFeatures.latest': async () => {
    const s = requireProject();
    const newest = Object.values(s.manifest.artefacts)
      .filter((a) => a.kind === 'causal-features' && a.blob)
      .sort((a, b) => String(b.meta?.at ?? '').localeCompare(String(a.meta?.at ?? '')))[0];
    return newest?.blob ? (JSON.parse((await s.readBlob(newest.blob)).toString('utf8')) as Record<string, unknown>) : null;
  },
  'bias.exaggeration': async () => {
    const s = requireProject();
    return (await savedExaggerationMetrics(s, modelRecord(s)?.hash ?? null)).map((m) => ({
      explainer: m.explainer,
      calibrated: m.calibrated ?? false,
      split: m.split,
      queries: m.queries,
      bins: m.bins,
      evaluatedAt: m.evaluatedAt,
      confounding: m.confounding ? { attribute: m.confounding.attribute, positive: m.confounding.positive, oracleValAuc: m.confounding.oracleValAuc, low: m.confounding.low, high: m.confounding.high, overall: m.confounding.overall } : null,
      strips: m.strips.map((t) => ({ attribute: t.attribute, group: t.group, png: t.png, fQuery: t.fQuery, f: t.f, ...(t.oracle ? { oracle: t.oracle } : {}) })),
    }));
  },
  'model.evaluation': async ({ split }) => {
    const s = requireProject();
    const a = s.manifest.artefacts[`evaluation-${split}`];
    if (!a?.blob) return null;
    return JSON.parse((await s.readBlob(a.blob)).toString('utf8')) as EvaluationResult;
  },
  'report.list': async () => listReports(requireProject()),
  'report.file': async ({ reportId, file }) => readReportFile(requireProject(), reportId, file),
  'report.printPdf': async ({ reportId }) => printReportWithChromium(requireProject(), reportId),
  'dataset.previewImport': async ({ kind, path: source }) => previewImport(kind, source),
  'image.view': async ({ path: file, ...opts }) => {
    try {
      const view = await viewFile(file, opts);
      return { ...view, header: { ...view.header } };
    } catch (e) {
      if (e instanceof DecodeError) throw new EngineError('bad_input', e.message);
      throw e;
    }
  },
  'explainers.list': async () => explainerInfos(requireProject()),
  'invariance.saved': async () => listInvariances(requireProject()),
  'invariance.analysis': async ({ name }) => latestInvarianceAnalysis(requireProject(), name),
  'causalFactors.latest': async ({ name }) => latestCausalFactors(requireProject(), { name }),
  ...causalQueryCalls,
  'dataset.thumbnails': async ({ indices }) => {
    const set = await projectImages();
    const px = set.size * set.size;
    return Promise.all(
      indices.map(async (index) => {
        if (index >= set.labels.length) throw new EngineError('not_found', `No image ${index} (the set has ${set.labels.length})`);
        const png = await sharp(Buffer.from(set.images.subarray(index * px, (index + 1) * px)), { raw: { width: set.size, height: set.size, channels: 1 } })
          .png()
          .toBuffer();
        return `data:image/png;base64,${png.toString('base64')}`;
      }),
    );
  },
};
