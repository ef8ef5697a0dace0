import type { DecodedImage } from './DecodedImage';
import { PixelError } from './DecodeError';
import { getImageFrame } from './getImageFrame';
import { findPixelTag, getImageInfo } from './getImageInfo';
import { getPaletteLut } from './getPaletteLut';
import { getScalingParameters, getWindow } from './getScalingParameters';
import { parseDicom } from './parseDicom';
import { readString } from './readValues';
import { readHeaderFacts, readPhi } from './splitHeader';
import { toPixelArray } from './toPixelArray';

/** DICOM pipeline: parse -> pixel module -> frame bytes -> decode -> typed array. */
export async function decodeDicom(bytes: Uint8Array, hasPreamble: boolean, frame: number): Promise<DecodedImage> {
  const { dataSet: ds, syntax, brokenAt } = parseDicom(bytes, hasPreamble);
  const warnings = ds.warnings ? ds.warnings.slice(0, 20) : [];
  const pixelTag = findPixelTag(ds);
  if (!pixelTag) {
    if (brokenAt) throw new PixelError(`data set is broken before any pixel data: ${brokenAt}`);
    const modality = readString(ds, 'x00080060');
    throw new PixelError(`no image: the data set has no pixel data${modality ? ` (${modality.slice(0, 16)})` : ''}`, 'no-image');
  }
  // A break after complete pixel data (trailing garbage) still leaves a usable image.
  if (brokenAt) warnings.push(`data set parsing stopped early: ${brokenAt}`);

  const info = getImageInfo(ds, pixelTag, warnings);
  const encoded = getImageFrame(ds, info, frame, syntax.encapsulated);
  const pixelData = toPixelArray(await syntax.decodeFrame(encoded, info), info);
  const { slope, intercept } = getScalingParameters(ds, warnings);
  const window = getWindow(ds);

  return {
    format: 'dicom',
    width: info.columns,
    height: info.rows,
    samplesPerPixel: info.samplesPerPixel,
    numberOfFrames: info.numberOfFrames,
    frame,
    pixelData,
    photometricInterpretation: info.photometricInterpretation,
    bitsAllocated: info.bitsAllocated,
    bitsStored: info.bitsStored,
    pixelRepresentation: info.pixelRepresentation,
    rescaleSlope: slope,
    rescaleIntercept: intercept,
    ...window,
    palette: info.photometricInterpretation === 'PALETTE COLOR' ? getPaletteLut(ds, warnings) : undefined,
    transferSyntaxUid: syntax.uid,
    header: readHeaderFacts(ds),
    phi: readPhi(ds),
    warnings,
  };
}
