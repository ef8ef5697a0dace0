import type { DecodedImage, WindowOptions } from './DecodedImage';
import { valueRange } from './applyModalityLut';

export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export interface VoiWindow {
  center: number;
  width: number;
  fn: VoiFunction;
}

/**
 * The window to show: the caller's, else the file's first, else the full range of the modality
 * values (mapped exactly, so the darkest pixel is 0 and the brightest 255).
 */
export function chooseWindow(values: Float64Array, img: DecodedImage, opts: WindowOptions = {}): VoiWindow {
  const fileFn = img.header.VOILUTFunction?.toUpperCase();
  const fn: VoiFunction = fileFn === 'SIGMOID' || fileFn === 'LINEAR_EXACT' ? fileFn : 'LINEAR';
  const usable = (w: number | undefined): w is number => w !== undefined && Number.isFinite(w) && w > 0;
  let center = opts.windowCenter ?? img.windowCenter;
  let width = usable(opts.windowWidth) ? opts.windowWidth : img.windowWidth;
  if (center !== undefined && Number.isFinite(center) && usable(width)) return { center, width, fn };
  const { min, max } = valueRange(values);
  if (!Number.isFinite(min)) return { center: 0, width: 1, fn: 'LINEAR_EXACT' };
  center = (min + max) / 2;
  width = Math.max(max - min, 1e-9);
  return { center, width, fn: 'LINEAR_EXACT' };
}

/** VOI LUT functions of PS3.3 C.11.2.1.2 to 8 bits; MONOCHROME1 is inverted afterwards. */
export function applyWindow(values: Float64Array, w: VoiWindow, invert: boolean): Uint8Array {
  const out = new Uint8Array(values.length);
  const { center: c, width } = w;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    let y: number;
    if (w.fn === 'SIGMOID') {
      y = 255 / (1 + Math.exp((-4 * (x - c)) / width));
    } else if (w.fn === 'LINEAR_EXACT') {
      y = ((x - c) / width + 0.5) * 255;
    } else if (width <= 1) {
      y = x <= c - 0.5 ? 0 : 255;
    } else {
      y = ((x - (c - 0.5)) / (width - 1) + 0.5) * 255;
    }
    const v = y <= 0 ? 0 : y >= 255 ? 255 : Math.round(y);
    out[i] = invert ? 255 - v : v;
  }
  return out;
}
