// A batch of flat grey images (0..1, row-major) as the causal-feature code passes them around:
// plain Float32Arrays, so the generator, agents and metrics need no tensors.
export interface Images {
  /** Side of the square images. */
  size: number;
  /** count * size * size values in 0..1. */
  data: Float32Array;
}

export const pixels = (im: Images): number => im.size * im.size;
export const countOf = (im: Images): number => im.data.length / pixels(im);

/** Image k as a view (no copy). */
export function imageAt(im: Images, k: number): Float32Array {
  const n = pixels(im);
  return im.data.subarray(k * n, (k + 1) * n);
}

/** The listed images, copied. */
export function pick(im: Images, rows: ArrayLike<number>): Images {
  const n = pixels(im);
  const data = new Float32Array(rows.length * n);
  for (let j = 0; j < rows.length; j++) data.set(imageAt(im, rows[j]), j * n);
  return { size: im.size, data };
}

/** Two batches of the same size, one after the other. */
export function concatImages(a: Images, b: Images): Images {
  const data = new Float32Array(a.data.length + b.data.length);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return { size: a.size, data };
}

/** A copy of every image with `edit` applied to each (in place on the copy). */
export function mapImages(im: Images, edit: (img: Float32Array, k: number) => void): Images {
  const out = { size: im.size, data: im.data.slice() };
  for (let k = 0; k < countOf(out); k++) edit(imageAt(out, k), k);
  return out;
}
