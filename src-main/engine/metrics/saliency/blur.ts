// Gaussian blur of one grey image (insertion's starting canvas), separable, reflect padding as
// torchvision's GaussianBlur. Seed 002 D.3 uses kernel 29, sd 15 at 224 px; scaledBlur gives the
// same blur relative to another image size.
import { gaussianKernel1d } from '../../explain/saliency/common';

/** Kernel size (odd, nearest to 29 S / 224, at least 3) and sd (15 S / 224) for S px images. */
export function scaledBlur(size: number): { kernel: number; sigma: number } {
  const k = (29 * size) / 224;
  const odd = Math.max(3, 2 * Math.round((k - 1) / 2) + 1);
  return { kernel: odd, sigma: (15 * size) / 224 };
}

const reflect = (i: number, n: number): number => {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
};

/** Blurs a size x size row-major image. */
export function gaussianBlur(image: ArrayLike<number>, size: number, kernel: number, sigma: number): Float32Array {
  const k = gaussianKernel1d(sigma, kernel);
  const r = (k.length - 1) / 2;
  const tmp = new Float32Array(size * size);
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let s = 0;
      for (let j = -r; j <= r; j++) s += k[j + r] * image[y * size + reflect(x + j, size)];
      tmp[y * size + x] = s;
    }
  }
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let s = 0;
      for (let j = -r; j <= r; j++) s += k[j + r] * tmp[reflect(y + j, size) * size + x];
      out[y * size + x] = s;
    }
  }
  return out;
}
