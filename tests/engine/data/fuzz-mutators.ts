import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as DicomParser from 'dicom-parser';
import { DATA_DIR, hasData } from './reference-helpers';

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser;

/** mulberry32: small, seedable, good enough to pick mutations reproducibly. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
export const int = (r: Rand, n: number): number => Math.floor(r() * n);
export const pick = <T>(r: Rand, a: readonly T[]): T => a[int(r, a.length)];

/** Where a top-level element's tag, length field and value sit in the original file. */
export interface ElementSite {
  tag: string;
  vr?: string;
  tagPos: number;
  lengthPos: number;
  lengthSize: 2 | 4;
  dataOffset: number;
  length: number;
  bigEndian: boolean;
}

export interface FileMap {
  explicit: boolean;
  bigEndian: boolean;
  /** Start of the data set after the file meta (or 0). */
  dataSetStart: number;
  sites: ElementSite[];
  pixel?: ElementSite & { fragments: Array<{ position: number; length: number }> };
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/** Maps a (valid) file once, so length corruption can aim at real length fields. */
export function mapFile(b: Uint8Array): FileMap | undefined {
  let ds: DicomParser.DataSet;
  try {
    const meta = dicomParser.readPart10Header(b);
    // A deflated data set has no byte positions to aim at: map its meta group only.
    ds = meta.string('x00020010') === '1.2.840.10008.1.2.1.99' ? meta : dicomParser.parseDicom(b);
  } catch (e) {
    const partial = (e as DicomParser.ParseDicomFailure | undefined)?.dataSet;
    if (!partial?.elements) return undefined;
    ds = partial;
  }
  const ts = ds.string('x00020010') ?? '';
  const explicit = ts !== '1.2.840.10008.1.2';
  const bigEndian = ts === '1.2.840.10008.1.2.2';
  const sites: ElementSite[] = [];
  let dataSetStart = 0;
  for (const el of Object.values(ds.elements)) {
    const meta = el.tag.startsWith('x0002');
    const ex = meta || explicit;
    const long = !ex || (el.vr !== undefined && LONG_VRS.has(el.vr));
    const lengthSize = long ? 4 : 2;
    const lengthPos = el.dataOffset - lengthSize;
    const tagPos = lengthPos - (ex ? (long ? 4 : 2) : 0) - 4;
    if (tagPos < 0) continue;
    sites.push({ tag: el.tag, vr: el.vr, tagPos, lengthPos, lengthSize, dataOffset: el.dataOffset, length: el.length, bigEndian: bigEndian && !meta });
    if (meta) dataSetStart = Math.max(dataSetStart, el.dataOffset + el.length);
  }
  sites.sort((a, c) => a.tagPos - c.tagPos);
  const pe = ds.elements.x7fe00010;
  const pixelSite = sites.find((s) => s.tag === 'x7fe00010');
  const pixel = pixelSite && pe ? { ...pixelSite, fragments: (pe.fragments ?? []).map((f) => ({ position: f.position, length: f.length })) } : undefined;
  return { explicit, bigEndian, dataSetStart, sites, pixel };
}

export function writeUint(b: Uint8Array, pos: number, size: 2 | 4, value: number, bigEndian: boolean): void {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (pos < 0 || pos + size > b.length) return;
  if (size === 2) v.setUint16(pos, value & 0xffff, !bigEndian);
  else v.setUint32(pos, value >>> 0, !bigEndian);
}

export function flipBits(b: Uint8Array, r: Rand, from: number, to: number, count: number): Uint8Array {
  const out = b.slice();
  const span = Math.max(1, Math.min(to, out.length) - from);
  for (let i = 0; i < count; i++) out[from + int(r, span)] ^= 1 << int(r, 8);
  return out;
}

export function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at));
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
}

/** An explicit or implicit VR element header with a little- or big-endian length. */
function header(group: number, element: number, vr: string | undefined, length: number, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(vr ? (LONG_VRS.has(vr) ? 12 : 8) : 8);
  const v = new DataView(out.buffer);
  v.setUint16(0, group, !bigEndian);
  v.setUint16(2, element, !bigEndian);
  if (!vr) v.setUint32(4, length >>> 0, !bigEndian);
  else {
    out[4] = vr.charCodeAt(0);
    out[5] = vr.charCodeAt(1);
    if (LONG_VRS.has(vr)) v.setUint32(8, length >>> 0, !bigEndian);
    else v.setUint16(6, length, !bigEndian);
  }
  return out;
}

/**
 * A private sequence nested `depth` levels deep with undefined lengths; `closed` false leaves
 * every level open, as a cut or malicious file would.
 */
export function nestedSequence(depth: number, explicit: boolean, bigEndian: boolean, closed: boolean): Uint8Array {
  const open = [header(0x0009, 0x1010, explicit ? 'SQ' : undefined, 0xffffffff, bigEndian), header(0xfffe, 0xe000, undefined, 0xffffffff, bigEndian)];
  const close = [header(0xfffe, 0xe00d, undefined, 0, bigEndian), header(0xfffe, 0xe0dd, undefined, 0, bigEndian)];
  const unit = open[0].length + open[1].length;
  const out = new Uint8Array(depth * unit + (closed ? depth * 16 : 0));
  for (let i = 0; i < depth; i++) {
    out.set(open[0], i * unit);
    out.set(open[1], i * unit + open[0].length);
  }
  if (closed) for (let i = 0; i < depth; i++) {
    out.set(close[0], depth * unit + i * 16);
    out.set(close[1], depth * unit + i * 16 + 8);
  }
  return out;
}

/** Replaces a short-VR string element's value (e.g. NumberOfFrames) with `value`. */
export function replaceValue(b: Uint8Array, site: ElementSite, value: string): Uint8Array {
  const padded = value.length % 2 ? `${value} ` : value;
  const bytes = new TextEncoder().encode(padded);
  const out = splice(b, site.dataOffset, site.length, bytes);
  writeUint(out, site.lengthPos, site.lengthSize, bytes.length, site.bigEndian);
  return out;
}

/** Inserts a whole new element (used when the file has no NumberOfFrames to corrupt). */
export function insertElement(b: Uint8Array, at: number, group: number, element: number, vr: string, value: string, map: FileMap): Uint8Array {
  const padded = value.length % 2 ? `${value} ` : value;
  const bytes = new TextEncoder().encode(padded);
  const h = header(group, element, map.explicit ? vr : undefined, bytes.length, map.bigEndian);
  const el = new Uint8Array(h.length + bytes.length);
  el.set(h);
  el.set(bytes, h.length);
  return splice(b, at, 0, el);
}

export interface Source { name: string; bytes: Uint8Array; map?: FileMap }

export function fuzzSources(): Source[] {
  if (!hasData) return [];
  const out: Source[] = [];
  for (const set of ['dicom', 'cxr']) {
    for (const name of readdirSync(path.join(DATA_DIR, set)).sort()) {
      if (name.endsWith('.csv')) continue;
      const bytes = new Uint8Array(readFileSync(path.join(DATA_DIR, set, name)));
      out.push({ name: `${set}/${name}`, bytes, map: mapFile(bytes) });
    }
  }
  return out;
}

export type Mutation = (s: Source, r: Rand) => { label: string; bytes: Uint8Array };

export const mutations: Mutation[] = [
  // Truncation anywhere, and close to the pixel data where readers trust lengths most.
  (s, r) => ({ label: 'truncate', bytes: s.bytes.slice(0, int(r, s.bytes.length)) }),
  (s, r) => {
    const at = s.map?.pixel ? s.map.pixel.dataOffset + int(r, Math.max(1, s.bytes.length - s.map.pixel.dataOffset)) - 8 : int(r, s.bytes.length);
    return { label: 'truncate-pixels', bytes: s.bytes.slice(0, Math.max(0, at)) };
  },
  // Bit flips: anywhere, and in the header where they change the structure.
  (s, r) => ({ label: 'flip', bytes: flipBits(s.bytes, r, 0, s.bytes.length, 1 + int(r, 16)) }),
  (s, r) => {
    const end = s.map?.pixel ? s.map.pixel.dataOffset + 16 : Math.min(s.bytes.length, 2048);
    return { label: 'flip-header', bytes: flipBits(s.bytes, r, 0, end, 1 + int(r, 4)) };
  },
  // Declared lengths: 0xFFFFFFFF, beyond the file, zero, odd, random.
  (s, r) => {
    if (!s.map || s.map.sites.length === 0) return { label: 'flip', bytes: flipBits(s.bytes, r, 0, s.bytes.length, 4) };
    const site = pick(r, s.map.sites);
    const out = s.bytes.slice();
    const choice = int(r, 6);
    const value = [0xffffffff, s.bytes.length + int(r, 1 << 20), 0, site.length + 1, (r() * 2 ** 32) >>> 0, Math.max(0, site.length - 1 - int(r, 16))][choice];
    writeUint(out, site.lengthPos, site.lengthSize, site.lengthSize === 2 && choice === 0 ? 0xffff : value, site.bigEndian);
    return { label: `length-${site.tag}`, bytes: out };
  },
  // Image pixel attributes: zero, tiny, huge; pixel data then no longer fits.
  (s, r) => {
    const sites = s.map?.sites.filter((t) => /^x00280(010|011|100|101|002|103|006)$/.test(t.tag) && t.length === 2) ?? [];
    if (sites.length === 0) return { label: 'flip', bytes: flipBits(s.bytes, r, 0, s.bytes.length, 2) };
    const site = pick(r, sites);
    const out = s.bytes.slice();
    writeUint(out, site.dataOffset, 2, pick(r, [0, 1, 2, 3, 7, 12, 33, 64, 0x7fff, 0xffff, int(r, 65536)]), site.bigEndian);
    return { label: `value-${site.tag}`, bytes: out };
  },
  // Huge or nonsensical NumberOfFrames.
  (s, r) => {
    const value = pick(r, ['999999999', '2147483647', '-1', '0', '1e9', 'abc', '3.5', String(2 + int(r, 100))]);
    const site = s.map?.sites.find((t) => t.tag === 'x00280008');
    if (site) return { label: 'frames', bytes: replaceValue(s.bytes, site, value) };
    const rows = s.map?.sites.find((t) => t.tag === 'x00280010');
    if (!rows || !s.map) return { label: 'truncate', bytes: s.bytes.slice(0, int(r, s.bytes.length)) };
    return { label: 'frames-insert', bytes: insertElement(s.bytes, rows.tagPos, 0x0028, 0x0008, 'IS', value, s.map) };
  },
  // Deeply nested sequences (closed or left open) before the image attributes.
  (s, r) => {
    if (!s.map || s.map.sites.length === 0) return { label: 'flip', bytes: flipBits(s.bytes, r, 0, s.bytes.length, 8) };
    const depth = pick(r, [8, 64, 512, 4096, 20000]);
    const closed = r() < 0.5;
    const after = s.map.sites.filter((t) => !t.tag.startsWith('x0002') && t.tagPos >= s.map!.dataSetStart);
    const at = after.length ? pick(r, after).tagPos : s.map.dataSetStart;
    return { label: `nest-${depth}-${closed ? 'closed' : 'open'}`, bytes: splice(s.bytes, at, 0, nestedSequence(depth, s.map.explicit, s.map.bigEndian, closed)) };
  },
  // Compressed streams: flip, zero or drop bytes inside fragments; shrink a fragment length.
  (s, r) => {
    const frags = s.map?.pixel?.fragments ?? [];
    if (frags.length === 0) {
      const p = s.map?.pixel;
      if (!p) return { label: 'flip', bytes: flipBits(s.bytes, r, 0, s.bytes.length, 8) };
      return { label: 'pixels-short', bytes: s.bytes.slice(0, p.dataOffset + int(r, Math.max(1, p.length))) };
    }
    const f = pick(r, frags);
    const kind = int(r, 4);
    if (kind === 0) return { label: 'stream-flip', bytes: flipBits(s.bytes, r, f.position, f.position + f.length, 1 + int(r, 32)) };
    if (kind === 1) {
      const out = s.bytes.slice();
      const at = f.position + int(r, f.length);
      out.fill(pick(r, [0, 0xff]), at, Math.min(at + 1 + int(r, 256), f.position + f.length));
      return { label: 'stream-fill', bytes: out };
    }
    if (kind === 2) return { label: 'stream-header', bytes: flipBits(s.bytes, r, f.position, f.position + Math.min(f.length, 64), 1 + int(r, 3)) };
    const out = s.bytes.slice();
    writeUint(out, f.position - 4, 4, int(r, f.length), s.map!.bigEndian);
    return { label: 'fragment-length', bytes: out };
  },
  // Cut-and-paste damage.
  (s, r) => {
    const at = int(r, s.bytes.length);
    return r() < 0.5
      ? { label: 'delete', bytes: splice(s.bytes, at, int(r, Math.min(4096, s.bytes.length - at)), new Uint8Array(0)) }
      : { label: 'duplicate', bytes: splice(s.bytes, at, 0, s.bytes.slice(int(r, s.bytes.length), int(r, s.bytes.length) + 64)) };
  },
];

