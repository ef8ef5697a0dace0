import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, toDisplay, toModelInput } from '../../../src-main/engine/data/decoders';
import { DATA_DIR, hasData } from './reference-helpers';

const cxr = (name: string): string => path.join(DATA_DIR, 'cxr', name);
const dicom = (name: string): string => path.join(DATA_DIR, 'dicom', name);
const meanAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
};

describe.skipIf(!hasData)('decoders: display', () => {
  it('shows MONOCHROME1 inverted relative to its MONOCHROME2 twin', async () => {
    const m1 = await decodeImage({ path: cxr('Fake_MONOHR1.dcm') });
    const m2 = await decodeImage({ path: cxr('siim_pneumothorax_sample.dcm') });
    expect(m1.photometricInterpretation).toBe('MONOCHROME1');
    expect(m2.photometricInterpretation).toBe('MONOCHROME2');
    const d1 = toDisplay(m1);
    const d2 = toDisplay(m2);
    expect([d1.width, d1.height, d1.channels]).toEqual([1024, 1024, 1]);
    for (let i = 0; i < d1.data.length; i++) if (d1.data[i] !== 255 - d2.data[i]) throw new Error(`pixel ${i}: ${d1.data[i]} vs ${d2.data[i]}`);
    // Same for the model input (inverted after the VOI step, before resizing).
    const [x1, x2] = await Promise.all([toModelInput(m1, 224), toModelInput(m2, 224)]);
    expect(x1.length).toBe(224 * 224);
    let worst = 0;
    for (let i = 0; i < x1.length; i++) worst = Math.max(worst, Math.abs(x1[i] - (1 - x2[i])));
    expect(worst).toBeLessThanOrEqual(2 / 255 + 1e-6); // sharp's fixed-point resize rounds each side
    for (const v of x2) if (!(v >= 0 && v <= 1)) throw new Error(`model input ${v} outside [0, 1]`);
  });

  it('rescales before windowing and honours a caller window', async () => {
    const ct = await decodeImage({ path: dicom('CT_small.dcm') }); // intercept -1024
    const d = toDisplay(ct, { windowCenter: 40, windowWidth: 400 }); // soft-tissue window in HU
    const stored = ct.pixelData;
    for (let i = 0; i < stored.length; i += 97) {
      const hu = stored[i] - 1024;
      const expected = hu <= 40 - 0.5 - 199.5 ? 0 : hu > 40 - 0.5 + 199.5 ? 255 : Math.round(((hu - 39.5) / 399 + 0.5) * 255);
      expect(d.data[i]).toBe(expected);
    }
  });

  it('decodes the PNG and JPEG radiographs with their sizes', async () => {
    for (const name of ['00000001_000.png', '00027426_000.png']) {
      const img = await decodeImage({ path: cxr(name) });
      expect([img.format, img.width, img.height, img.samplesPerPixel, img.bitsStored]).toEqual(['png', 512, 512, 1, 8]);
      expect(toDisplay(img).data.length).toBe(512 * 512);
    }
    const jpg = await decodeImage({ path: cxr('16747_3_1.jpg') });
    expect([jpg.format, jpg.width, jpg.height, jpg.samplesPerPixel]).toEqual(['jpeg', 1036, 885, 3]);
    expect(toDisplay(jpg).channels).toBe(3);
    expect((await toModelInput(jpg, 64)).length).toBe(64 * 64);
  });

  it('keeps 16-bit PNG values and reads TIFF and WebP', async () => {
    const w = 40, h = 30;
    const raw = new Uint16Array(w * h).map((_, i) => (i * 977) % 65536);
    const png16 = await sharp(raw, { raw: { width: w, height: h, channels: 1 } }).toColourspace('grey16').png().toBuffer();
    const img = await decodeImage({ name: 'g16.png', bytes: png16 });
    expect(img.pixelData).toBeInstanceOf(Uint16Array);
    expect(Array.from(img.pixelData)).toEqual(Array.from(raw));
    const grey8 = Buffer.from(new Uint8Array(w * h).map((_, i) => i % 256));
    for (const fmt of ['tiff', 'webp'] as const) {
      const bytes = await sharp(grey8, { raw: { width: w, height: h, channels: 1 } })[fmt](fmt === 'webp' ? { lossless: true } : {}).toBuffer();
      const d = await decodeImage({ name: `x.${fmt}`, bytes });
      expect([d.format, d.width, d.height]).toEqual([fmt, w, h]);
    }
  });

  it('converts YBR to RGB and applies palettes', async () => {
    const ybr = await decodeImage({ path: dicom('SC_rgb_jpeg_dcmtk.dcm') }); // YBR_FULL, lossy
    const rgb = await decodeImage({ path: dicom('SC_rgb_rle.dcm') }); // the same picture, RGB
    expect(ybr.photometricInterpretation).toBe('YBR_FULL');
    expect(meanAbsDiff(toDisplay(ybr).data, toDisplay(rgb).data)).toBeLessThan(4);
    // Labelled RGB but holding a YCbCr JPEG stream: shown like the RGB twin, not as raw YCbCr.
    const relabelled = Buffer.from(readFileSync(dicom('SC_rgb_jpeg_dcmtk.dcm')));
    relabelled.write('RGB     ', relabelled.indexOf('YBR_FULL', 0, 'latin1'), 'latin1');
    const asRgb = await decodeImage({ name: 'rgb.dcm', bytes: new Uint8Array(relabelled) });
    expect(meanAbsDiff(toDisplay(asRgb).data, toDisplay(rgb).data)).toBeLessThan(4);
    const pal = await decodeImage({ path: dicom('examples_palette.dcm') });
    expect(pal.palette?.entries).toBeGreaterThan(0);
    const shown = toDisplay(pal);
    expect(shown.channels).toBe(3);
    const lut = pal.palette!;
    const i = pal.pixelData.findIndex((v) => v > lut.firstMapped + 10);
    const k = Math.min(pal.pixelData[i] - lut.firstMapped, lut.entries - 1);
    expect(shown.data[3 * i]).toBe(lut.red[k] >> (lut.bits - 8));
  });
});
