import { createHash } from 'node:crypto';
import type { DecodedImage } from './DecodedImage';
import { applyModalityLut } from './applyModalityLut';

/** The per-frame facts of the shared reference.json files, so any file can be checked against pydicom. */
export interface FrameSummary {
  shape: number[];
  /** numpy name of the stored type (always little endian here). */
  dtype: string;
  min: number;
  max: number;
  mean: number;
  /** SHA-256 of the little-endian stored bytes. */
  sha256: string;
  /** 8x8 block means, channels averaged, edges at floor(i * n / 8), blocks at least 1 wide. */
  grid8: number[][];
  /** Range after the modality LUT (grey images only). */
  modality?: { min: number; max: number; mean: number };
}

const DTYPE: Record<string, string> = {
  Uint8Array: 'uint8', Int8Array: 'int8', Uint16Array: 'uint16', Int16Array: 'int16',
  Uint32Array: 'uint32', Int32Array: 'int32', Float32Array: 'float32', Float64Array: 'float64',
};

export function summarizeFrame(img: DecodedImage): FrameSummary {
  const a = img.pixelData;
  const { width: cols, height: rows, samplesPerPixel: spp } = img;
  const edges = (n: number): Array<[number, number]> =>
    Array.from({ length: 8 }, (_, i) => {
      const lo = Math.floor((i * n) / 8);
      return [lo, Math.max(Math.floor(((i + 1) * n) / 8), lo + 1)];
    });
  const grid8 = edges(rows).map(([r0, r1]) =>
    edges(cols).map(([c0, c1]) => {
      let sum = 0;
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) for (let s = 0; s < spp; s++) sum += a[(r * cols + c) * spp + s];
      return round3(sum / ((r1 - r0) * (c1 - c0) * spp));
    }),
  );
  return {
    shape: spp === 1 ? [rows, cols] : [rows, cols, spp],
    dtype: DTYPE[a.constructor.name] ?? a.constructor.name,
    ...stats(a),
    sha256: createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex'),
    grid8,
    modality: spp === 1 ? stats(applyModalityLut(img)) : undefined,
  };
}

/** Three decimals, ties to even, as numpy/Python's round() writes the reference. */
function round3(v: number): number {
  const s = v * 1000;
  const f = Math.floor(s);
  const r = s - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(s);
  return r / 1000;
}

function stats(a: ArrayLike<number>): { min: number; max: number; mean: number } {
  let min = Infinity, max = -Infinity, sum = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, mean: sum / a.length };
}
