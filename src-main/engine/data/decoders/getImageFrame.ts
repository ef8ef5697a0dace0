import type { DataSet, Element, Fragment } from 'dicom-parser';
import { PixelError } from './DecodeError';
import type { FrameInfo } from './getImageInfo';

/** One frame's encoded bytes; 1-bit frames may start inside a byte. */
export interface FrameBytes {
  data: Uint8Array;
  bitOffset: number;
}

const isYbr422 = (pi: string): boolean => pi === 'YBR_FULL_422' || pi === 'YBR_PARTIAL_422';

/** Samples stored per pixel in native data: 4:2:2 keeps two luma and one chroma pair per two pixels. */
export function storedSamplesPerPixel(info: FrameInfo): number {
  return info.samplesPerPixel === 3 && isYbr422(info.photometricInterpretation) ? 2 : info.samplesPerPixel;
}

/**
 * Slices frame `index` out of the pixel data element, checking every length against the
 * bytes really present so nothing downstream reads or allocates past the file.
 */
export function getImageFrame(ds: DataSet, info: FrameInfo, index: number, encapsulated: boolean): FrameBytes {
  if (!Number.isInteger(index) || index < 0 || index >= info.numberOfFrames) {
    throw new PixelError(`frame ${index} does not exist (${info.numberOfFrames} frame(s))`, 'unsupported');
  }
  const el = ds.elements[info.pixelTag];
  if (encapsulated !== Boolean(el.encapsulatedPixelData)) {
    throw new PixelError(
      encapsulated
        ? 'the transfer syntax is compressed but the pixel data is not encapsulated'
        : 'the transfer syntax is uncompressed but the pixel data is encapsulated',
    );
  }
  return encapsulated ? encapsulatedFrame(ds, el, info, index) : nativeFrame(ds, el, info, index);
}

function nativeFrame(ds: DataSet, el: Element, info: FrameInfo, index: number): FrameBytes {
  const fileEnd = ds.byteArray.length;
  const end = el.dataOffset + el.length;
  if (el.length === 0xffffffff || end > fileEnd) {
    throw new PixelError(`pixel data ends at byte ${fileEnd}, expected ${el.length === 0xffffffff ? 'a defined length' : end}`, 'truncated');
  }
  if (isYbr422(info.photometricInterpretation) && info.columns % 2 !== 0) {
    throw new PixelError(`${info.photometricInterpretation} needs an even number of columns, got ${info.columns}`);
  }
  const frameBits = info.rows * info.columns * storedSamplesPerPixel(info) * info.bitsAllocated;
  const expected = Math.ceil((frameBits * info.numberOfFrames) / 8);
  if (el.length < expected) {
    throw new PixelError(
      `pixel data has ${el.length} bytes, expected ${expected} (${info.columns} x ${info.rows} x ${storedSamplesPerPixel(info)} x ${info.bitsAllocated} bits x ${info.numberOfFrames} frame(s))`,
      'truncated',
    );
  }
  const startBit = index * frameBits;
  const startByte = Math.floor(startBit / 8);
  const bitOffset = startBit % 8;
  const byteLength = Math.ceil((bitOffset + frameBits) / 8);
  const from = el.dataOffset + startByte;
  return { data: ds.byteArray.subarray(from, from + byteLength), bitOffset };
}

function encapsulatedFrame(ds: DataSet, el: Element, info: FrameInfo, index: number): FrameBytes {
  const fileEnd = ds.byteArray.length;
  const fragments = el.fragments ?? [];
  if (fragments.length === 0) throw new PixelError('encapsulated pixel data has no fragments');
  fragments.forEach((f, i) => {
    if (f.position + f.length > fileEnd) {
      throw new PixelError(`pixel data fragment ${i + 1} ends at byte ${fileEnd}, expected ${f.position + f.length}`, 'truncated');
    }
  });
  const frames = info.numberOfFrames;
  if (fragments.length < frames) {
    throw new PixelError(`${frames} frames declared but the pixel data holds only ${fragments.length} fragment(s)`, 'truncated');
  }
  const parts = selectFragments(fragments, el.basicOffsetTable ?? [], frames, index, ds.byteArray);
  return { data: concat(ds.byteArray, parts), bitOffset: 0 };
}

/** Which fragments make frame `index`: whole item for one frame, else BOT, 1:1, or start markers. */
function selectFragments(fragments: Fragment[], bot: number[], frames: number, index: number, bytes: Uint8Array): Fragment[] {
  if (frames === 1) return fragments;
  if (bot.length === frames && bot.every((v, i) => i === 0 ? v === 0 : v > bot[i - 1])) {
    const start = bot[index];
    const stop = index + 1 < frames ? bot[index + 1] : Infinity;
    const parts = fragments.filter((f) => f.offset >= start && f.offset < stop);
    if (parts.length > 0 && parts[0].offset === start) return parts;
    throw new PixelError(`basic offset table entry ${index} (${start}) does not point at a fragment`);
  }
  if (fragments.length === frames) return [fragments[index]];
  // No usable offset table and more fragments than frames: a frame starts where a codestream does.
  const starts = fragments.map((f, i) => (startsCodestream(bytes, f.position) ? i : -1)).filter((i) => i >= 0);
  if (starts.length !== frames || starts[0] !== 0) {
    throw new PixelError(`cannot tell which of ${fragments.length} fragments belong to which of ${frames} frames`);
  }
  return fragments.slice(starts[index], starts[index + 1] ?? fragments.length);
}

function startsCodestream(b: Uint8Array, p: number): boolean {
  if (p + 2 > b.length) return false;
  if (b[p] === 0xff && (b[p + 1] === 0xd8 || b[p + 1] === 0x4f || b[p + 1] === 0x0a)) return true; // JPEG/JPEG-LS, J2K, JPEG XL
  // JP2 / JPEG XL container signature box
  return p + 8 <= b.length && b[p] === 0 && b[p + 1] === 0 && b[p + 2] === 0 && b[p + 3] === 0x0c;
}

function concat(bytes: Uint8Array, parts: Fragment[]): Uint8Array {
  if (parts.length === 1) return bytes.subarray(parts[0].position, parts[0].position + parts[0].length);
  const out = new Uint8Array(parts.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of parts) {
    out.set(bytes.subarray(f.position, f.position + f.length), at);
    at += f.length;
  }
  return out;
}
