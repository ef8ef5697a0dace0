import sharp from 'sharp';
import type { DecodedImage, WindowOptions } from './DecodedImage';
import { toDisplay, toGrey8 } from './toDisplay';

/**
 * Model input: the displayed grey image (so MONOCHROME1 and windowing are already handled),
 * resized to size x size without keeping the aspect ratio, scaled to [0, 1].
 */
export async function toModelInput(img: DecodedImage, size: number, opts: WindowOptions = {}): Promise<Float32Array> {
  if (!Number.isInteger(size) || size < 1 || size > 8192) throw new RangeError(`model input size ${size} is not an integer in 1..8192`);
  const shown = toDisplay(img, opts);
  const grey = toGrey8(shown);
  const resized =
    shown.width === size && shown.height === size
      ? grey
      : await sharp(grey, { raw: { width: shown.width, height: shown.height, channels: 1 } })
          .resize(size, size, { fit: 'fill', kernel: 'lanczos3' })
          // libvips promotes one-band raw input to sRGB on resize: ask for one band back.
          .toColourspace('b-w')
          .raw()
          .toBuffer();
  const out = new Float32Array(size * size);
  for (let i = 0; i < out.length; i++) out[i] = resized[i] / 255;
  return out;
}
