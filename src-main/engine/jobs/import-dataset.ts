// Imports an image set into the open project: a MedMNIST-style .npz, a folder tree (class
// subfolders become labels) or a manifest CSV. Decoded images are stored at the model input
// size; patient identifiers never reach the project unless the project keeps them.
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { JobDefinition } from './registry';
import { EngineError } from './errors';
import { loadMedMnistNpz } from '../data/importers/medmnist';
import { importFiles } from '../data/importers/files';
import { saveImageSet } from '../project/dataset-io';
import { requireProject } from '../session';
import { summarize } from '../data/image-set';

export const importDatasetJob: JobDefinition<'import-dataset'> = {
  kind: 'import-dataset',
  title: (p) => `Import ${p.source.kind} ${path.basename(p.source.path)}`,
  async run(params, ctx) {
    const store = requireProject();
    const { kind, path: source } = params.source;
    ctx.progress({ stage: 'reading', fraction: 0 });
    if (kind === 'npz') {
      const set = loadMedMnistNpz(source, { name: params.name });
      if (params.size !== undefined && params.size !== set.size) {
        throw new EngineError('invalid_request', `${path.basename(source)}: stores ${set.size}px images; resizing npz sets is not supported, leave the size empty`);
      }
      await ctx.checkpoint();
      ctx.progress({ stage: 'saving', fraction: 0.8 });
      const rec = await saveImageSet(store, set, { kind: 'npz', description: path.basename(source) }, { imported: set.labels.length, skipped: [] });
      return { imported: rec.count, skipped: [], summary: summarize(set) };
    }
    const { set, skipped, identifiers } = await importFiles({
      kind,
      source,
      size: params.size ?? 128,
      name: params.name ?? (store.manifest.keepIdentifiers ? undefined : `Imported ${kind}`),
      keySalt: store.manifest.keySalt,
      keepIdentifiers: store.manifest.keepIdentifiers,
      ctx,
    });
    ctx.progress({ stage: 'saving', fraction: 0.95 });
    // File names can carry identifiers (Doe^John.dcm): the saved report names skipped files by
    // a salted key unless the project keeps identifiers; the job's own result has the names.
    const saltedKey = (rel: string): string => `file-${createHash('sha256').update(store.manifest.keySalt).update(rel).digest('hex').slice(0, 16)}`;
    const savedSkipped = store.manifest.keepIdentifiers ? skipped : skipped.map((s) => ({ file: saltedKey(s.file), reason: s.reason }));
    const description = store.manifest.keepIdentifiers ? path.basename(source) : `${kind} import`;
    if (store.manifest.keepIdentifiers) {
      // Kept only because the auditor asked for it when creating the project.
      const blob = await store.writeBlob(Buffer.from(JSON.stringify(identifiers)), 'json');
      await store.update((m) => {
        m.artefacts.identifiers = { kind: 'identifiers', blob, meta: { images: Object.keys(identifiers).length } };
      });
    }
    await saveImageSet(store, set, { kind, description }, { imported: set.labels.length, skipped: savedSkipped });
    return { imported: set.labels.length, skipped, summary: summarize(set) };
  },
};
