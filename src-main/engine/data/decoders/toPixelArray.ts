import type { PixelArray } from './DecodedImage';
import type { FrameInfo } from './getImageInfo';

/** Little-endian sample bytes -> the typed array the file's pixel module describes. */
export function toPixelArray(bytes: Uint8Array, info: FrameInfo): PixelArray {
  // Typed arrays need an aligned offset; decoders hand back fresh buffers, but be sure.
  const b = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const signed = info.pixelRepresentation === 1;
  const { buffer, byteOffset } = b;
  switch (info.bitsAllocated) {
    case 1:
      return b;
    case 8:
      return signed ? new Int8Array(buffer, byteOffset, b.length) : b;
    case 16:
      return signed ? new Int16Array(buffer, byteOffset, b.length >> 1) : new Uint16Array(buffer, byteOffset, b.length >> 1);
    case 32:
      if (info.float) return new Float32Array(buffer, byteOffset, b.length >> 2);
      return signed ? new Int32Array(buffer, byteOffset, b.length >> 2) : new Uint32Array(buffer, byteOffset, b.length >> 2);
    default:
      return new Float64Array(buffer, byteOffset, b.length >> 3);
  }
}
