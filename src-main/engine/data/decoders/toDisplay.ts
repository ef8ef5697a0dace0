import type { DecodedImage, DisplayImage, WindowOptions } from './DecodedImage';
import { applyModalityLut } from './applyModalityLut';
import { applyWindow, chooseWindow } from './applyVoi';
import { colourToRgb8, paletteToRgb8 } from './convertColorSpace';

/**
 * What a viewer shows: colour -> RGB; palette -> lookup; grey -> rescale, then the VOI window,
 * then MONOCHROME1 inversion (in that order, PS3.4 N.2). Colour images are not windowed.
 */
export function toDisplay(img: DecodedImage, opts: WindowOptions = {}): DisplayImage {
  const { width, height } = img;
  if (img.samplesPerPixel === 3) return { width, height, channels: 3, data: colourToRgb8(img) };
  if (img.photometricInterpretation === 'PALETTE COLOR' && img.palette) {
    return { width, height, channels: 3, data: paletteToRgb8(img, img.palette) };
  }
  const values = applyModalityLut(img);
  const window = chooseWindow(values, img, opts);
  const data = applyWindow(values, window, img.photometricInterpretation === 'MONOCHROME1');
  return { width, height, channels: 1, data };
}

/** ITU-R BT.601 luma: how a grey model sees a colour image. */
export function toGrey8(d: DisplayImage): Uint8Array {
  if (d.channels === 1) return d.data;
  const out = new Uint8Array(d.width * d.height);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) {
    out[i] = Math.round(0.299 * d.data[j] + 0.587 * d.data[j + 1] + 0.114 * d.data[j + 2]);
  }
  return out;
}
