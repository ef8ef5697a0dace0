// Imports image files (DICOM, PNG, JPEG, TIFF, WebP) listed by a folder tree or a manifest CSV.
// Each image is decoded, windowed and resized to the project's input size. Images get a
// de-identified key (salted hash of the relative path); file names, paths and header
// identifiers are not stored. Files that fail are skipped and reported with the reason.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { decodeImage, DecodeError, toModelInput } from '../decoders';
import type { ImageSet, Split } from '../image-set';
import type { JobContext } from '../../jobs/context';
import { EngineError } from '../../jobs/errors';
import { parseCsv, CsvError } from './csv';

const IMAGE_EXT = new Set(['.dcm', '.dicom', '.dic', '.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp', '']);
const RESERVED = new Set(['path', 'label', 'split', 'x1', 'y1', 'x2', 'y2', 'mask']);
const MAX_FILES = 200_000;
const CONCURRENCY = 4;

/** Maps with at most `limit` calls in flight, keeping the input order. */
async function mapPool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k], k);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface FileImportOptions {
  kind: 'folder' | 'manifest';
  source: string;
  size: number;
  name?: string;
  keySalt: string;
  /** Collect header identifiers and file names per image (only when the project keeps them). */
  keepIdentifiers?: boolean;
  ctx: JobContext;
}

interface Entry {
  file: string;
  rel: string;
  label: string;
  split?: Split;
  attributes: Record<string, string>;
  box?: [number, number, number, number];
}

export interface Skipped {
  file: string;
  reason: string;
}

export interface ImportPreview {
  files: number;
  perLabel: Record<string, number>;
  attributes: string[];
  hasSplit: boolean;
  hasBoxes: boolean;
  skipped: Skipped[];
  /** The first few mapped rows: relative path, label, split and attributes. */
  sample: { file: string; label: string; split: string | null; attributes: Record<string, string> }[];
}

/** What an import would do, without decoding anything: the mapping preview. */
export async function previewImport(kind: 'folder' | 'manifest', source: string): Promise<ImportPreview> {
  const skipped: Skipped[] = [];
  const entries = kind === 'folder' ? await listFolder(source, skipped) : await readManifest(source, skipped);
  const perLabel: Record<string, number> = {};
  for (const e of entries) perLabel[e.label] = (perLabel[e.label] ?? 0) + 1;
  return {
    files: entries.length,
    perLabel,
    attributes: [...new Set(entries.flatMap((e) => Object.keys(e.attributes)))].sort(),
    hasSplit: entries.some((e) => e.split),
    hasBoxes: entries.some((e) => e.box),
    skipped,
    sample: entries.slice(0, 8).map((e) => ({ file: e.rel, label: e.label, split: e.split ?? null, attributes: e.attributes })),
  };
}

export async function importFiles(opts: FileImportOptions): Promise<{ set: ImageSet; skipped: Skipped[]; identifiers: Record<string, Record<string, string>> }> {
  const skipped: Skipped[] = [];
  const identifiers: Record<string, Record<string, string>> = {};
  const entries = opts.kind === 'folder' ? await listFolder(opts.source, skipped) : await readManifest(opts.source, skipped);
  if (!entries.length) throw new EngineError('bad_input', `${path.basename(opts.source)}: no images found${skipped.length ? ` (${skipped.length} skipped: ${skipped[0].reason})` : ''}`);
  const classNames = [...new Set(entries.map((e) => e.label))].sort();
  const attrNames = [...new Set(entries.flatMap((e) => Object.keys(e.attributes)))].sort();
  const px = opts.size * opts.size;
  const images = new Uint8Array(entries.length * px);
  const labels: number[] = [];
  const ids: string[] = [];
  const split: Split[] = [];
  const attributes: Record<string, (string | null)[]> = Object.fromEntries(attrNames.map((a) => [a, []]));
  const hasBoxes = entries.some((e) => e.box);
  if (hasBoxes) attributes.box = [];
  const burned: (string | null)[] = [];
  // Decode a few files at once: sharp and the codecs work off the JS thread for part of it.
  const decoded = await mapPool(entries, CONCURRENCY, async (e, k) => {
    if (k % 8 === 0) {
      await opts.ctx.checkpoint();
      opts.ctx.progress({ stage: 'decoding', fraction: (0.9 * k) / entries.length, metrics: { files: k, skipped: skipped.length } });
    }
    try {
      const img = await decodeImage({ path: e.file });
      return { img, input: await toModelInput(img, opts.size) };
    } catch (err) {
      if ((err as Error).name === 'CancelledError') throw err;
      skipped.push({ file: e.rel, reason: err instanceof DecodeError ? err.reason : (err as Error).message });
      return null;
    }
  });
  let n = 0;
  decoded.forEach((d, k) => {
    if (!d) return;
    const e = entries[k];
    const { img, input } = d;
    for (let i = 0; i < px; i++) images[n * px + i] = Math.round(Math.min(1, Math.max(0, input[i])) * 255);
    const key = createHash('sha256').update(opts.keySalt).update(e.rel).digest('hex').slice(0, 16);
    ids.push(`img-${key}`);
    labels.push(classNames.indexOf(e.label));
    split.push(e.split ?? splitFromKey(key));
    for (const a of attrNames) attributes[a].push(e.attributes[a] ?? null);
    if (hasBoxes) attributes.box.push(e.box ? scaleBox(e.box, img.width, img.height, opts.size) : null);
    burned.push(img.header.BurnedInAnnotation ?? null);
    if (opts.keepIdentifiers) identifiers[ids[ids.length - 1]] = { file: e.rel, ...img.phi };
    n++;
  });
  if (!n) throw new EngineError('bad_input', `${path.basename(opts.source)}: none of ${entries.length} images could be read (first: ${skipped[0]?.file}: ${skipped[0]?.reason})`);
  if (burned.some((b) => b !== null)) attributes.burned_in_annotation = burned;
  const set: ImageSet = {
    name: opts.name ?? path.basename(opts.source),
    size: opts.size,
    images: images.slice(0, n * px),
    labels: Int32Array.from(labels),
    classNames,
    positiveClass: positiveIndex(classNames),
    ids,
    split,
    attributes,
  };
  skipped.sort((a, b) => a.file.localeCompare(b.file));
  return { set, skipped, identifiers };
}

/** Deterministic 70/15/15 split from the de-identified key, when the source gives none. */
function splitFromKey(key: string): Split {
  const u = parseInt(key.slice(0, 8), 16) / 0x100000000;
  return u < 0.7 ? 'train' : u < 0.85 ? 'val' : 'test';
}

/** The class the audit explains: a finding rather than 'normal' when the names say so. */
function positiveIndex(classNames: string[]): number {
  const normal = /^(normal|negative|healthy|no[ _-]?finding|0|false|no)$/i;
  const idx = classNames.findIndex((c) => !normal.test(c));
  return classNames.length === 2 && idx >= 0 ? idx : classNames.length - 1;
}

function scaleBox(b: [number, number, number, number], w: number, h: number, size: number): string {
  return [b[0] * (size / w), b[1] * (size / h), b[2] * (size / w), b[3] * (size / h)].map((v) => v.toFixed(2)).join(',');
}

async function listFolder(root: string, skipped: Skipped[]): Promise<Entry[]> {
  const stat = await fs.promises.stat(root).catch(() => null);
  if (!stat?.isDirectory()) throw new EngineError('bad_input', `${root}: not a folder`);
  const out: Entry[] = [];
  const rootReal = await fs.promises.realpath(root);
  const walk = async (dir: string, label: string | null): Promise<void> => {
    for (const d of await fs.promises.readdir(dir, { withFileTypes: true })) {
      if (d.name.startsWith('.')) continue;
      const abs = path.join(dir, d.name);
      const rel = path.relative(root, abs);
      if (d.isDirectory()) await walk(abs, label ?? d.name);
      else if (d.isFile() || d.isSymbolicLink()) {
        if (!IMAGE_EXT.has(path.extname(d.name).toLowerCase())) continue;
        // Never follow a link out of the chosen folder.
        const real = await fs.promises.realpath(abs).catch(() => '');
        if (!real.startsWith(rootReal + path.sep)) skipped.push({ file: rel, reason: 'link points outside the folder' });
        else if (label === null) skipped.push({ file: rel, reason: 'not inside a class subfolder (the subfolder name is the label)' });
        else out.push({ file: abs, rel, label, attributes: {} });
        if (out.length > MAX_FILES) throw new EngineError('bad_input', `${root}: more than ${MAX_FILES} images`);
      }
    }
  };
  await walk(root, null);
  return out.sort((a, b) => a.rel.localeCompare(b.rel));
}

async function readManifest(csvPath: string, skipped: Skipped[]): Promise<Entry[]> {
  const base = path.basename(csvPath);
  let text: string;
  try {
    text = await fs.promises.readFile(csvPath, 'utf8');
  } catch {
    throw new EngineError('bad_input', `${csvPath}: cannot be read`);
  }
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(text);
  } catch (e) {
    throw new EngineError('bad_input', `${base}: ${e instanceof CsvError ? e.message : String(e)}`);
  }
  for (const need of ['path', 'label']) {
    if (!parsed.header.includes(need)) throw new EngineError('bad_input', `${base}: needs a '${need}' column (columns: ${parsed.header.join(', ')})`);
  }
  const dir = path.dirname(path.resolve(csvPath));
  const boxCols = ['x1', 'y1', 'x2', 'y2'].every((c) => parsed.header.includes(c));
  const out: Entry[] = [];
  parsed.rows.forEach((row, k) => {
    const rel = row.path;
    const where = `${base} row ${k + 2}`;
    if (!rel) return skipped.push({ file: where, reason: 'empty path' });
    if (!row.label) return skipped.push({ file: rel, reason: `${where}: empty label` });
    const file = path.resolve(dir, rel);
    if (!fs.existsSync(file)) return skipped.push({ file: rel, reason: `${where}: file not found` });
    let split: Split | undefined;
    if (row.split) {
      const s = row.split.toLowerCase();
      split = s === 'validation' || s === 'valid' ? 'val' : (s as Split);
      if (!['train', 'val', 'test'].includes(split)) return skipped.push({ file: rel, reason: `${where}: split '${row.split}' is not train, val or test` });
    }
    let box: Entry['box'];
    if (boxCols && row.x1 !== '') {
      const b = [row.x1, row.y1, row.x2, row.y2].map(Number) as [number, number, number, number];
      if (b.some((v) => !Number.isFinite(v)) || b[2] <= b[0] || b[3] <= b[1]) return skipped.push({ file: rel, reason: `${where}: box x1,y1,x2,y2 is not a valid rectangle` });
      box = b;
    }
    const attributes: Record<string, string> = {};
    for (const h of parsed.header) if (!RESERVED.has(h) && row[h] !== '') attributes[h] = row[h];
    out.push({ file, rel, label: row.label, split, attributes, box });
  });
  return out;
}
