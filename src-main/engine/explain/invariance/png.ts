// Images for the UI and report as PNG data URLs: grey images (0..1) and signed attribution
// maps in a diverging colour map (blue negative, white zero, red positive; scaled by max |a|).
import sharp from 'sharp';

async function encode(pixels: Uint8Array, size: number, channels: 1 | 3): Promise<string> {
  const png = await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width: size, height: size, channels } }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** One grey image of `size` x `size` values in 0..1 (row-major). */
export function greyPng(values: ArrayLike<number>, size: number): Promise<string> {
  const px = new Uint8Array(size * size);
  for (let i = 0; i < px.length; i++) px[i] = Math.round(255 * Math.min(1, Math.max(0, values[i])));
  return encode(px, size, 1);
}

/** A signed map, blue-white-red, symmetric around zero. */
export function divergingPng(values: ArrayLike<number>, size: number): Promise<string> {
  let m = 0;
  for (let i = 0; i < size * size; i++) m = Math.max(m, Math.abs(values[i]));
  const px = new Uint8Array(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    const t = m > 0 ? values[i] / m : 0;
    const fade = Math.round(255 * (1 - Math.abs(t)));
    px.set(t >= 0 ? [255, fade, fade] : [fade, fade, 255], i * 3);
  }
  return encode(px, size, 3);
}

/** Row `i` of a batch of images, as numbers. */
export function rowOf(data: ArrayLike<number>, i: number, size: number): Float32Array {
  return Float32Array.from({ length: size * size }, (_, p) => data[i * size * size + p]);
}
