// Saving an ImageSet into a project and loading it back.
import { z } from 'zod';
import { sha256 } from './atomic';
import type { ProjectStore } from './store';
import type { DatasetRecord } from './manifest';
import type { ImageSet } from '../data/image-set';
import { EngineError } from '../jobs/errors';

const IndexSchema = z.object({
  ids: z.array(z.string()),
  labels: z.array(z.number().int().nonnegative()),
  split: z.array(z.enum(['train', 'val', 'test'])),
  attributes: z.record(z.string(), z.array(z.string().nullable())),
});

export async function saveImageSet(
  store: ProjectStore,
  set: ImageSet,
  source: DatasetRecord['source'],
  importReport?: DatasetRecord['importReport'],
): Promise<DatasetRecord> {
  const index = JSON.stringify({ ids: set.ids, labels: Array.from(set.labels), split: set.split, attributes: set.attributes });
  const pixels = await store.writeBlob(set.images, 'u8');
  const indexRef = await store.writeBlob(Buffer.from(index), 'json');
  const record: DatasetRecord = {
    name: set.name,
    source,
    size: set.size,
    count: set.labels.length,
    classNames: set.classNames,
    positiveClass: set.positiveClass,
    pixels,
    index: indexRef,
    contentHash: sha256(pixels.sha256 + indexRef.sha256),
    importReport,
  };
  await store.update((m) => {
    m.dataset = record;
  });
  return record;
}

export async function loadImageSet(store: ProjectStore): Promise<ImageSet> {
  const rec = store.manifest.dataset;
  if (!rec) throw new EngineError('not_found', `${store.dir}: the project has no image set yet`);
  const pixels = await store.readBlob(rec.pixels);
  const parsed = IndexSchema.safeParse(JSON.parse((await store.readBlob(rec.index)).toString('utf8')));
  if (!parsed.success) throw new EngineError('bad_input', `${store.dir}: image index is invalid`);
  const idx = parsed.data;
  if (pixels.length !== rec.count * rec.size * rec.size || idx.labels.length !== rec.count) {
    throw new EngineError('bad_input', `${store.dir}: image data does not match the manifest's count`);
  }
  return {
    name: rec.name,
    size: rec.size,
    images: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.length),
    labels: Int32Array.from(idx.labels),
    classNames: rec.classNames,
    positiveClass: rec.positiveClass,
    ids: idx.ids,
    split: idx.split,
    attributes: idx.attributes,
  };
}
