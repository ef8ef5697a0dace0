import type { DecodedImage } from './DecodedImage';

/**
 * Stored values -> modality values (rescale slope/intercept), for grey images. Bits above
 * BitsStored are cleared (unsigned) or sign-extended (signed) first: some writers keep overlay
 * planes or junk there, and they must not reach the window.
 */
export function applyModalityLut(img: DecodedImage): Float64Array {
  const src = img.pixelData;
  const out = new Float64Array(src.length);
  const { rescaleSlope: m, rescaleIntercept: b } = img;
  const integer = !(src instanceof Float32Array || src instanceof Float64Array);
  const clip = integer && img.bitsAllocated > 1 && img.bitsStored < img.bitsAllocated && img.bitsStored < 32;
  const shift = 32 - img.bitsStored;
  const mask = 2 ** img.bitsStored - 1;
  const signed = img.pixelRepresentation === 1;
  for (let i = 0; i < src.length; i++) {
    let v = src[i];
    if (clip) v = signed ? (v << shift) >> shift : v & mask;
    out[i] = v * m + b;
  }
  return out;
}

export function valueRange(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
