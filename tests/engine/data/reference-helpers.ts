import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PixelArray } from '../../../src-main/engine/data/decoders';

/** CI puts shared/ beside the clone; the reference files are pydicom 2.3 + GDCM decodes. */
export const DATA_DIR = path.resolve(process.cwd(), '../shared/data');
export const hasData = existsSync(path.join(DATA_DIR, 'dicom', 'reference.json'));

export interface Frame0 {
  dtype: string;
  shape: number[];
  min: number;
  max: number;
  mean: number;
  sha256: string;
  grid8: number[][];
}

export interface ReferenceEntry {
  parse: string;
  pixels: 'ok' | 'error' | 'none';
  exact?: boolean;
  error?: string;
  transferSyntax: string;
  frame0?: Frame0;
  modality?: { min: number; max: number; mean: number };
  [keyword: string]: unknown;
}

export function loadReference(set: 'dicom' | 'cxr'): Record<string, ReferenceEntry> {
  if (!hasData) return {};
  return JSON.parse(readFileSync(path.join(DATA_DIR, set, 'reference.json'), 'utf8')) as Record<string, ReferenceEntry>;
}

/** numpy dtype names (with byte order) -> the typed array the decoder should return. */
export const DTYPES: Record<string, string> = {
  uint8: 'Uint8Array', int8: 'Int8Array', uint16: 'Uint16Array', int16: 'Int16Array', '>u2': 'Uint16Array', '>i2': 'Int16Array',
  uint32: 'Uint32Array', int32: 'Int32Array', '>u4': 'Uint32Array', '>i4': 'Int32Array', float32: 'Float32Array', float64: 'Float64Array',
};

/** SHA-256 of the little-endian bytes (this host is little endian, as the typed array is). */
export function sha256(a: PixelArray): string {
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

/**
 * 8x8 block means with channels averaged; block edges at floor(i * n / 8), each block at least
 * one row/column wide (this reproduces the reference for a 3x3 image).
 */
export function grid8(a: PixelArray, rows: number, cols: number, spp: number): number[][] {
  const edges = (n: number): Array<[number, number]> =>
    Array.from({ length: 8 }, (_, i) => {
      const lo = Math.floor((i * n) / 8);
      return [lo, Math.max(Math.floor(((i + 1) * n) / 8), lo + 1)] as [number, number];
    });
  const re = edges(rows);
  const ce = edges(cols);
  return re.map(([r0, r1]) =>
    ce.map(([c0, c1]) => {
      let sum = 0;
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) for (let s = 0; s < spp; s++) sum += a[(r * cols + c) * spp + s];
      return sum / ((r1 - r0) * (c1 - c0) * spp);
    }),
  );
}

export function stats(a: ArrayLike<number>): { min: number; max: number; mean: number } {
  let min = Infinity, max = -Infinity, sum = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, mean: sum / a.length };
}
