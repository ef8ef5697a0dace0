// The project manifest (project.json): the single source of truth of a project folder. It names
// content-addressed blobs (data/<sha256>.<ext>) by hash, so a manifest that was written is
// always backed by complete data, whatever crashed afterwards.
import { z } from 'zod';

export const PROJECT_FORMAT = 'xray-audit-project';
export const PROJECT_VERSION = 1;

export const BlobRefSchema = z.object({
  file: z.string().regex(/^blobs\/[0-9a-f]{64}\.[a-z0-9]+$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
});
export type BlobRef = z.infer<typeof BlobRefSchema>;

export const DatasetRecordSchema = z.object({
  name: z.string(),
  source: z.object({ kind: z.enum(['npz', 'folder', 'manifest', 'demo']), description: z.string() }),
  size: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  classNames: z.array(z.string()).min(1),
  positiveClass: z.number().int().nonnegative(),
  /** uint8 pixels, N x size x size. */
  pixels: BlobRefSchema,
  /** JSON: ids, labels, split, attributes. */
  index: BlobRefSchema,
  /** SHA-256 over pixels and index: identifies the data set in reports. */
  contentHash: z.string(),
  importReport: z.object({ imported: z.number().int(), skipped: z.array(z.object({ file: z.string(), reason: z.string() })) }).optional(),
});
export type DatasetRecord = z.infer<typeof DatasetRecordSchema>;

export const ProjectManifestSchema = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  id: z.string(),
  name: z.string().min(1).max(200),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Monotone counter of saves: tells which of two states is newer. */
  revision: z.number().int().nonnegative(),
  /** Keep patient identifiers from DICOM headers (off unless the auditor asks). */
  keepIdentifiers: z.boolean(),
  /** Per-project salt for de-identified image keys. */
  keySalt: z.string(),
  dataset: DatasetRecordSchema.nullable(),
  /** Free-form records of later features (models, explainers, reports), each by name. */
  artefacts: z.record(z.string(), z.object({ kind: z.string(), blob: BlobRefSchema.optional(), meta: z.record(z.string(), z.unknown()) })),
});
export type ProjectManifest = z.infer<typeof ProjectManifestSchema>;
