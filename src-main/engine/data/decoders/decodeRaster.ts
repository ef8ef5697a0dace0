import sharp from 'sharp';
import type { DecodedImage, ImageFormat } from './DecodedImage';
import { PixelError } from './DecodeError';

/** Larger than any radiograph; stops a forged header from asking libvips for gigabytes. */
const MAX_PIXELS = 20000 * 20000;

/**
 * PNG (8/16-bit), JPEG, TIFF, WebP, GIF through sharp. Grey stays one channel, alpha is
 * dropped, EXIF orientation is applied. Text metadata is never read, so nothing from it can
 * reach `header`.
 */
export async function decodeRaster(bytes: Uint8Array, format: ImageFormat, frame: number): Promise<DecodedImage> {
  const options = { limitInputPixels: MAX_PIXELS, failOn: 'warning' as const };
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, options).metadata();
  } catch (e) {
    throw new PixelError(`${format} header is unreadable: ${message(e)}`);
  }
  const pages = meta.pages ?? 1;
  if (!Number.isInteger(frame) || frame < 0 || frame >= pages) {
    throw new PixelError(`frame ${frame} does not exist (${pages} frame(s))`, 'unsupported');
  }
  const grey = meta.space === 'b-w' || meta.space === 'grey16' || (meta.channels ?? 3) <= 2;
  const deep = meta.depth === 'ushort' || meta.space === 'grey16' || meta.space === 'rgb16';
  let out: { data: Buffer; info: sharp.OutputInfo };
  try {
    out = await sharp(bytes, { ...options, page: frame, pages: 1 })
      .rotate()
      .removeAlpha()
      .toColourspace(grey ? (deep ? 'grey16' : 'b-w') : deep ? 'rgb16' : 'srgb')
      .raw({ depth: deep ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new PixelError(`${format} data could not be decoded: ${message(e)}`);
  }
  const { width, height, channels } = out.info;
  if (channels !== 1 && channels !== 3) throw new PixelError(`${format} decoded to ${channels} channels`, 'unsupported');
  const copy = new Uint8Array(out.data); // own, aligned buffer (sharp's may be pooled)
  const pixelData = deep ? new Uint16Array(copy.buffer, 0, copy.length >> 1) : copy;
  const bits = deep ? 16 : 8;
  return {
    format,
    width,
    height,
    samplesPerPixel: channels,
    numberOfFrames: pages,
    frame,
    pixelData,
    photometricInterpretation: channels === 1 ? 'MONOCHROME2' : 'RGB',
    bitsAllocated: bits,
    bitsStored: bits,
    pixelRepresentation: 0,
    rescaleSlope: 1,
    rescaleIntercept: 0,
    transferSyntaxUid: '',
    header: { rasterSpace: meta.space, rasterDepth: meta.depth, rasterHasAlpha: meta.hasAlpha },
    phi: {},
    warnings: [],
  };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).slice(0, 200);
