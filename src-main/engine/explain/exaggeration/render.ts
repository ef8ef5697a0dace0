// Images of series as PNG: single frames as data URLs (for the API) and strips/grids as files
// (training samples, report strips). Grey values in [0, 1] are mapped to 0..255.
import sharp from 'sharp';

function toBytes(values: ArrayLike<number>, scale = 1): Buffer {
  const out = Buffer.alloc(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(values[i] * scale * 255)));
  return out;
}

/** A grey image (row-major side x side, values in [0, 1]; `scale` multiplies first) as PNG bytes. */
export async function greyPng(values: ArrayLike<number>, side: number, scale = 1): Promise<Buffer> {
  return sharp(toBytes(values, scale), { raw: { width: side, height: side, channels: 1 } }).png().toBuffer();
}

export async function greyPngDataUrl(values: ArrayLike<number>, side: number, scale = 1): Promise<string> {
  return `data:image/png;base64,${(await greyPng(values, side, scale)).toString('base64')}`;
}

/**
 * A grid of equally sized grey images (`images[r][c]`, each side x side in [0, 1]) with a
 * `gap`-pixel mid-grey border, as PNG bytes.
 */
export async function gridPng(images: ArrayLike<number>[][], side: number, gap = 2): Promise<Buffer> {
  const rows = images.length;
  const cols = Math.max(...images.map((r) => r.length));
  const w = cols * side + (cols + 1) * gap;
  const h = rows * side + (rows + 1) * gap;
  const px = Buffer.alloc(w * h, 128);
  images.forEach((row, r) =>
    row.forEach((img, c) => {
      const x0 = gap + c * (side + gap);
      const y0 = gap + r * (side + gap);
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) px[(y0 + y) * w + x0 + x] = Math.max(0, Math.min(255, Math.round(img[y * side + x] * 255)));
      }
    }),
  );
  return sharp(px, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();
}
