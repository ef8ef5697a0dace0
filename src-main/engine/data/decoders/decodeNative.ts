import type { FrameInfo } from './getImageInfo';
import { storedSamplesPerPixel, type FrameBytes } from './getImageFrame';

/**
 * Uncompressed frame -> little-endian, interleaved, full-resolution samples (a fresh copy, so
 * typed arrays over it are aligned and independent of the file buffer).
 */
export function decodeNative(frame: FrameBytes, info: FrameInfo, bigEndian: boolean): Uint8Array {
  if (info.bitsAllocated === 1) return unpackBits(frame.data, frame.bitOffset, info.rows * info.columns);
  let out: Uint8Array = frame.data.slice(0, info.rows * info.columns * storedSamplesPerPixel(info) * (info.bitsAllocated / 8));
  if (bigEndian) swapBytes(out, info.bitsAllocated / 8);
  if (storedSamplesPerPixel(info) !== info.samplesPerPixel) out = expandYbr422(out, info);
  else if (info.samplesPerPixel === 3 && info.planarConfiguration === 1) out = interleave(out, info);
  return out;
}

/** 1-bit data (segmentations, overlays) is packed LSB first and may cross frame bytes. */
export function unpackBits(src: Uint8Array, bitOffset: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const bit = bitOffset + i;
    out[i] = (src[bit >> 3] >> (bit & 7)) & 1;
  }
  return out;
}

function swapBytes(b: Uint8Array, width: number): void {
  if (width < 2) return;
  for (let i = 0; i + width <= b.length; i += width) {
    for (let j = 0; j < width >> 1; j++) {
      const t = b[i + j];
      b[i + j] = b[i + width - 1 - j];
      b[i + width - 1 - j] = t;
    }
  }
}

/** Y0 Y1 Cb Cr per pixel pair -> Y Cb Cr per pixel (what pydicom returns for native 4:2:2). */
function expandYbr422(src: Uint8Array, info: FrameInfo): Uint8Array {
  const bps = info.bitsAllocated / 8;
  const pairs = (info.rows * info.columns) / 2;
  const out = new Uint8Array(pairs * 6 * bps);
  for (let p = 0; p < pairs; p++) {
    const s = p * 4 * bps;
    const d = p * 6 * bps;
    for (let k = 0; k < bps; k++) {
      const y0 = src[s + k], y1 = src[s + bps + k], cb = src[s + 2 * bps + k], cr = src[s + 3 * bps + k];
      out[d + k] = y0; out[d + bps + k] = cb; out[d + 2 * bps + k] = cr;
      out[d + 3 * bps + k] = y1; out[d + 4 * bps + k] = cb; out[d + 5 * bps + k] = cr;
    }
  }
  return out;
}

/** Planar RRR..GGG..BBB.. -> RGBRGB.. */
function interleave(src: Uint8Array, info: FrameInfo): Uint8Array {
  const bps = info.bitsAllocated / 8;
  const n = info.rows * info.columns;
  const out = new Uint8Array(src.length);
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < bps; k++) out[(i * 3 + s) * bps + k] = src[(s * n + i) * bps + k];
    }
  }
  return out;
}
