// Heatmap rendering for the UI and the report (pure: arrays in, PNG bytes out, via sharp):
// colour maps, a heatmap PNG, an overlay of the heat on the grey image, PNG data URLs.
import sharp from 'sharp';
import { toHeat } from '../../metrics/saliency/ranking';

import type { ColormapName } from '../../../api/schemas/saliency';

export type { ColormapName };

// Anchor colours at evenly spaced positions, linearly interpolated (matplotlib's maps, sampled).
const ANCHORS: Record<ColormapName, [number, number, number][]> = {
  inferno: [[0, 0, 4], [31, 12, 72], [85, 15, 109], [136, 34, 106], [186, 54, 85], [227, 89, 51], [249, 140, 10], [249, 201, 50], [252, 255, 164]],
  viridis: [[68, 1, 84], [71, 45, 123], [59, 82, 139], [44, 114, 142], [33, 145, 140], [40, 174, 128], [94, 201, 98], [173, 220, 48], [253, 231, 37]],
  jet: [[0, 0, 128], [0, 0, 255], [0, 128, 255], [0, 255, 255], [128, 255, 128], [255, 255, 0], [255, 128, 0], [255, 0, 0], [128, 0, 0]],
  bwr: [[0, 0, 255], [128, 128, 255], [255, 255, 255], [255, 128, 128], [255, 0, 0]],
};

/** RGB of a colour map at t in [0, 1]. */
export function colormap(name: ColormapName, t: number): [number, number, number] {
  const a = ANCHORS[name];
  const x = Math.max(0, Math.min(1, t)) * (a.length - 1);
  const i = Math.min(a.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round(a[i][c] + (a[i + 1][c] - a[i][c]) * f)) as [number, number, number];
}

/** Map values -> colour-map positions: heat (positive part / max), or signed (-max..max -> 0..1) for 'bwr'. */
function positions(map: ArrayLike<number>, name: ColormapName): Float32Array {
  if (name !== 'bwr') return toHeat(map);
  let m = 0;
  for (let i = 0; i < map.length; i++) m = Math.max(m, Math.abs(map[i]));
  return Float32Array.from(map, (v) => (m > 0 ? 0.5 + v / (2 * m) : 0.5));
}

export interface RenderOptions {
  colormap?: ColormapName;
  /** Output side in pixels (default: the map's side); bilinear for the heat, nearest for tiny images. */
  side?: number;
}

async function encode(rgb: Uint8Array, size: number, channels: 1 | 3, side: number): Promise<Buffer> {
  let img = sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength), { raw: { width: size, height: size, channels } });
  if (side !== size) img = img.resize(side, side, { kernel: side > size ? 'nearest' : 'lanczos3' });
  return img.png().toBuffer();
}

/** A size x size map as a colour-mapped PNG. */
export async function heatmapPng(map: ArrayLike<number>, size: number, opts: RenderOptions = {}): Promise<Buffer> {
  const name = opts.colormap ?? 'inferno';
  const t = positions(map, name);
  const rgb = new Uint8Array(size * size * 3);
  for (let i = 0; i < t.length; i++) rgb.set(colormap(name, t[i]), 3 * i);
  return encode(rgb, size, 3, opts.side ?? size);
}

/** A grey image (0..255 ints, or 0..1 floats when `unit`) as a PNG. */
export async function greyPng(image: ArrayLike<number>, size: number, opts: { unit?: boolean; side?: number } = {}): Promise<Buffer> {
  const g = Uint8Array.from(image, (v) => Math.max(0, Math.min(255, Math.round(opts.unit ? v * 255 : v))));
  return encode(g, size, 1, opts.side ?? size);
}

/**
 * The heat laid over the grey image: colour = (1 - a) grey + a colour, with a = opacity * heat,
 * so cold pixels show the image untouched (the report's figure).
 */
export async function overlayPng(image: ArrayLike<number>, map: ArrayLike<number>, size: number, opts: RenderOptions & { opacity?: number; unit?: boolean } = {}): Promise<Buffer> {
  const name = opts.colormap ?? 'inferno';
  const opacity = opts.opacity ?? 0.6;
  const t = positions(map, name);
  const heat = name === 'bwr' ? t.map((v) => Math.abs(v - 0.5) * 2) : t;
  const rgb = new Uint8Array(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    const g = opts.unit ? image[i] * 255 : image[i];
    const c = colormap(name, t[i]);
    const a = opacity * heat[i];
    for (let k = 0; k < 3; k++) rgb[3 * i + k] = Math.max(0, Math.min(255, Math.round((1 - a) * g + a * c[k])));
  }
  return encode(rgb, size, 3, opts.side ?? size);
}

export function pngDataUrl(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}
