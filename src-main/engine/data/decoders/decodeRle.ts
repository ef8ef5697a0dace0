import { PixelError } from './DecodeError';
import { unpackBits } from './decodeNative';
import type { FrameInfo } from './getImageInfo';

/**
 * RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, one PackBits segment per
 * byte plane (most significant first) per sample. Output is interleaved little endian.
 */
export function decodeRle(src: Uint8Array, info: FrameInfo): Uint8Array {
  if (src.length < 64) throw new PixelError(`RLE frame has ${src.length} bytes, shorter than its 64-byte header`);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const pixels = info.rows * info.columns;
  const packed = info.bitsAllocated === 1;
  const bytesPerSample = packed ? 1 : info.bitsAllocated / 8;
  const planeLength = packed ? Math.ceil(pixels / 8) : pixels;
  const segments = view.getUint32(0, true);
  const expected = info.samplesPerPixel * bytesPerSample;
  if (segments !== expected) throw new PixelError(`RLE header lists ${segments} segments, expected ${expected}`);

  // PackBits expands at most 64x (2 bytes -> 128); refuse before allocating for a forged size.
  if ((src.length - 64) * 64 < planeLength * expected) {
    throw new PixelError(`RLE frame of ${src.length} bytes cannot hold ${planeLength * expected} decoded bytes`);
  }
  const out = new Uint8Array(planeLength * expected);
  const stride = expected; // bytes per pixel in the output
  for (let seg = 0; seg < segments; seg++) {
    const start = view.getUint32(4 + 4 * seg, true);
    const stop = seg + 1 < segments ? view.getUint32(8 + 4 * seg, true) : src.length;
    if (start < 64 || stop > src.length || stop < start) throw new PixelError(`RLE segment ${seg + 1} offsets ${start}..${stop} are outside the frame`);
    const sample = Math.floor(seg / bytesPerSample);
    const byte = bytesPerSample - 1 - (seg % bytesPerSample); // segment 0 is the MSB
    const got = unpackSegment(src, start, stop, out, sample * bytesPerSample + byte, stride, planeLength);
    if (got < planeLength) throw new PixelError(`RLE segment ${seg + 1} decodes to ${got} bytes, expected ${planeLength}`);
  }
  return packed ? unpackBits(out, 0, pixels) : out;
}

/** PackBits into every `stride`-th byte of out; stops at `limit` bytes (extra data is padding). */
function unpackSegment(src: Uint8Array, start: number, stop: number, out: Uint8Array, first: number, stride: number, limit: number): number {
  let i = start;
  let n = 0;
  while (i < stop && n < limit) {
    const h = src[i++];
    if (h < 128) {
      const count = Math.min(h + 1, stop - i, limit - n);
      for (let k = 0; k < count; k++) out[first + (n++) * stride] = src[i + k];
      i += h + 1;
    } else if (h > 128) {
      if (i >= stop) break;
      const v = src[i++];
      const count = Math.min(257 - h, limit - n);
      for (let k = 0; k < count; k++) out[first + (n++) * stride] = v;
    }
  }
  return n;
}
