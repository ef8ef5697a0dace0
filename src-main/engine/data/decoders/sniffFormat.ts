import type { ImageFormat } from './DecodedImage';

export type SniffedFormat = ImageFormat | 'dicom-no-preamble' | 'unknown';

const startsWith = (b: Uint8Array, sig: number[], at = 0): boolean =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

/**
 * Decides by content, never by file name (hospital exports are often extension-less).
 * 'dicom-no-preamble' is only a guess; the DICOM parser confirms it.
 */
export function sniffFormat(b: Uint8Array): SniffedFormat {
  if (startsWith(b, [0x44, 0x49, 0x43, 0x4d], 128)) return 'dicom';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(b, [0x49, 0x49, 0x2b, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff'; // BigTIFF
  if (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(b, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (looksLikeRawDataset(b)) return 'dicom-no-preamble';
  return 'unknown';
}

/**
 * A data set written without the Part 10 preamble starts with a low even group: the meta
 * group (0002) or the identifying groups (0008, sometimes 0000 command / 0004 directory).
 */
function looksLikeRawDataset(b: Uint8Array): boolean {
  if (b.length < 8) return false;
  const group = b[0] | (b[1] << 8);
  return group === 0x0002 || group === 0x0008 || group === 0x0000 || group === 0x0004;
}

/** Explicit VR data sets carry two upper-case letters right after the first tag. */
export function looksExplicitVr(b: Uint8Array, at = 0): boolean {
  const a = b[at + 4];
  const c = b[at + 5];
  return a >= 0x41 && a <= 0x5a && c >= 0x41 && c <= 0x5a;
}
