import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DecodedImage } from './DecodedImage';
import { DecodeError, describeThrown, PixelError } from './DecodeError';
import { decodeDicom } from './decodeDicom';
import { decodeRaster } from './decodeRaster';
import { sniffFormat } from './sniffFormat';

export type DecodeInput = { path: string } | { name: string; bytes: Uint8Array };

export interface DecodeOptions {
  /** Frame of a multi-frame image (DICOM, multi-page TIFF, animated WebP/GIF); default 0. */
  frame?: number;
}

const MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024 - 1;

/**
 * Decodes one image file, DICOM or raster, chosen by content. Rejects only with DecodeError
 * (file name and reason), whatever the input holds.
 */
export async function decodeImage(input: DecodeInput, opts: DecodeOptions = {}): Promise<DecodedImage> {
  const file = 'path' in input ? basename(input.path) : input.name;
  try {
    const frame = opts.frame ?? 0;
    if (!Number.isInteger(frame) || frame < 0) throw new PixelError(`frame ${frame} is not a frame index`, 'unsupported');
    const bytes = 'path' in input ? await readBounded(input.path) : input.bytes;
    const format = sniffFormat(bytes);
    switch (format) {
      case 'dicom':
      case 'dicom-no-preamble':
        return await decodeDicom(bytes, format === 'dicom', frame);
      case 'png':
      case 'jpeg':
      case 'tiff':
      case 'webp':
      case 'gif':
        return await decodeRaster(bytes, format, frame);
      default:
        throw new PixelError('not a DICOM, PNG, JPEG, TIFF or WebP file', 'format');
    }
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    if (e instanceof PixelError) throw new DecodeError(file, e.message, e.kind);
    // Anything else is a bug or an exhausted resource (stack, memory) met on hostile input.
    const reason = e instanceof RangeError ? `resource limit while decoding: ${e.message}` : `unexpected failure: ${describeThrown(e)}`;
    throw new DecodeError(file, reason.slice(0, 300), e instanceof RangeError ? 'limit' : 'corrupt');
  }
}

async function readBounded(path: string): Promise<Uint8Array> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new PixelError('not a regular file', 'io');
    size = s.size;
  } catch (e) {
    if (e instanceof PixelError) throw e;
    throw new PixelError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? describeThrown(e)}`, 'io');
  }
  if (size > MAX_FILE_BYTES) throw new PixelError(`file of ${size} bytes is too large`, 'limit');
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new PixelError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? describeThrown(e)}`, 'io');
  }
}
