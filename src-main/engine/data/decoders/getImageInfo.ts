import type { DataSet } from 'dicom-parser';
import { PixelError } from './DecodeError';
import { readNumberString, readString, readUint16 } from './readValues';

/** The Image Pixel module as this layer needs it, checked for consistency. */
export interface FrameInfo {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  planarConfiguration: number;
  photometricInterpretation: string;
  numberOfFrames: number;
  /** Float (7FE0,0008) and double (7FE0,0009) pixel data store IEEE samples. */
  float: boolean;
  pixelTag: string;
}

const PIXEL_TAGS = ['x7fe00010', 'x7fe00008', 'x7fe00009'] as const;

const GREY = new Set(['MONOCHROME1', 'MONOCHROME2', 'PALETTE COLOR']);
const COLOUR = new Set(['RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_PARTIAL_422', 'YBR_PARTIAL_420', 'YBR_ICT', 'YBR_RCT']);

/** A guard so a header cannot ask for more than a very large radiograph needs. */
export const MAX_FRAME_BYTES = 512 * 1024 * 1024;

export function findPixelTag(ds: DataSet): string | undefined {
  return PIXEL_TAGS.find((t) => ds.elements[t] !== undefined);
}

export function getImageInfo(ds: DataSet, pixelTag: string, warnings: string[]): FrameInfo {
  const rows = readUint16(ds, 'x00280010');
  const columns = readUint16(ds, 'x00280011');
  if (!rows || !columns) throw new PixelError(`missing or zero Rows/Columns (${rows ?? '-'} x ${columns ?? '-'})`);
  const float = pixelTag !== 'x7fe00010';

  const bitsAllocated = readUint16(ds, 'x00280100') ?? (pixelTag === 'x7fe00009' ? 64 : pixelTag === 'x7fe00008' ? 32 : undefined);
  if (bitsAllocated === undefined) throw new PixelError('missing BitsAllocated');
  const allowed = float ? [pixelTag === 'x7fe00009' ? 64 : 32] : [1, 8, 16, 32];
  if (!allowed.includes(bitsAllocated)) {
    throw new PixelError(`BitsAllocated ${bitsAllocated} is not supported`, 'unsupported');
  }
  const bitsStored = readUint16(ds, 'x00280101') ?? bitsAllocated;
  if (bitsStored < 1 || bitsStored > bitsAllocated) {
    throw new PixelError(`BitsStored ${bitsStored} does not fit BitsAllocated ${bitsAllocated}`);
  }

  const samplesPerPixel = readUint16(ds, 'x00280002') ?? 1;
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) {
    throw new PixelError(`SamplesPerPixel ${samplesPerPixel} is not supported`, 'unsupported');
  }
  let photometricInterpretation = readString(ds, 'x00280004')?.trim().toUpperCase();
  if (!photometricInterpretation) {
    photometricInterpretation = samplesPerPixel === 1 ? 'MONOCHROME2' : 'RGB';
    warnings.push(`PhotometricInterpretation missing, assumed ${photometricInterpretation}`);
  }
  const family = samplesPerPixel === 1 ? GREY : COLOUR;
  if (!family.has(photometricInterpretation)) {
    throw new PixelError(
      `PhotometricInterpretation ${photometricInterpretation} with ${samplesPerPixel} sample(s) per pixel is not supported`,
      'unsupported',
    );
  }
  if (samplesPerPixel === 3 && bitsAllocated === 1) throw new PixelError('1-bit colour data is not valid');

  const pixelRepresentation = readUint16(ds, 'x00280103') ?? 0;
  if (pixelRepresentation > 1) throw new PixelError(`PixelRepresentation ${pixelRepresentation} is not 0 or 1`);
  const planarConfiguration = samplesPerPixel === 3 ? (readUint16(ds, 'x00280006') ?? 0) : 0;
  if (planarConfiguration > 1) throw new PixelError(`PlanarConfiguration ${planarConfiguration} is not 0 or 1`);

  // NumberOfFrames is an IS; absent means one frame (PS3.3 C.7.6.6).
  const framesText = readString(ds, 'x00280008');
  let numberOfFrames = 1;
  if (framesText !== undefined) {
    const n = readNumberString(ds, 'x00280008');
    if (n === undefined || !Number.isInteger(n) || n < 0) throw new PixelError(`NumberOfFrames "${framesText.slice(0, 16)}" is not a count`);
    numberOfFrames = n === 0 ? 1 : n; // some writers put 0 for single-frame images
  }

  const frameBytes = (rows * columns * samplesPerPixel * bitsAllocated) / 8;
  if (frameBytes > MAX_FRAME_BYTES) {
    throw new PixelError(`a ${columns} x ${rows} x ${samplesPerPixel} x ${bitsAllocated}-bit frame exceeds the ${MAX_FRAME_BYTES >> 20} MiB limit`, 'limit');
  }

  return {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    pixelRepresentation,
    planarConfiguration,
    photometricInterpretation,
    numberOfFrames,
    float,
    pixelTag,
  };
}
