// Example images for the UI and report: grey 0..1 images as PNG data URLs (nearest-neighbour
// upscaled so 10x10 GRATING images stay readable).
import sharp from 'sharp';
import { imageAt, type Images } from './images';

export async function pngDataUrl(img: ArrayLike<number>, size: number, scale = 1): Promise<string> {
  const px = new Uint8Array(size * size);
  for (let p = 0; p < px.length; p++) px[p] = Math.round(255 * Math.min(1, Math.max(0, img[p])));
  let s = sharp(Buffer.from(px), { raw: { width: size, height: size, channels: 1 } });
  if (scale > 1) s = s.resize(size * scale, size * scale, { kernel: 'nearest' });
  return `data:image/png;base64,${(await s.png().toBuffer()).toString('base64')}`;
}

export interface ExamplePair {
  original: string;
  manipulated: string;
  fromClass: number;
  targetClass: number;
  answerClass: number;
}

/** The first `count` manipulations of a batch as PNG pairs. */
export async function examplePairs(b: { originals: Images; manipulated: Images; fromClass: Int32Array; targetClass: Int32Array; answerClass: Int32Array }, count: number, scale = 1): Promise<ExamplePair[]> {
  const out: ExamplePair[] = [];
  for (let k = 0; k < Math.min(count, b.fromClass.length); k++) {
    out.push({
      original: await pngDataUrl(imageAt(b.originals, k), b.originals.size, scale),
      manipulated: await pngDataUrl(imageAt(b.manipulated, k), b.manipulated.size, scale),
      fromClass: b.fromClass[k],
      targetClass: b.targetClass[k],
      answerClass: b.answerClass[k],
    });
  }
  return out;
}
