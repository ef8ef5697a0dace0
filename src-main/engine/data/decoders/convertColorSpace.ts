import type { DecodedImage, PaletteLut } from './DecodedImage';

const clamp8 = (v: number): number => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** Colour samples -> 8-bit RGB. YBR data was kept as stored, so it is converted here. */
export function colourToRgb8(img: DecodedImage): Uint8Array {
  const src = img.pixelData;
  const out = new Uint8Array(src.length);
  const down = Math.max(0, img.bitsStored - 8); // 12/16-bit colour: keep the top 8 bits
  const scale = 2 ** -down;
  const pi = img.photometricInterpretation;
  const full = pi === 'YBR_FULL' || pi === 'YBR_FULL_422';
  const partial = pi === 'YBR_PARTIAL_422' || pi === 'YBR_PARTIAL_420';
  for (let i = 0; i < src.length; i += 3) {
    const a = src[i] * scale, b = src[i + 1] * scale, c = src[i + 2] * scale;
    if (full) {
      out[i] = clamp8(a + 1.402 * (c - 128));
      out[i + 1] = clamp8(a - 0.344136 * (b - 128) - 0.714136 * (c - 128));
      out[i + 2] = clamp8(a + 1.772 * (b - 128));
    } else if (partial) {
      const y = 1.164383 * (a - 16);
      out[i] = clamp8(y + 1.596027 * (c - 128));
      out[i + 1] = clamp8(y - 0.391762 * (b - 128) - 0.812968 * (c - 128));
      out[i + 2] = clamp8(y + 2.017232 * (b - 128));
    } else {
      // RGB, and YBR_ICT/RCT whose inverse transform the JPEG 2000 decoder already applied.
      out[i] = clamp8(a); out[i + 1] = clamp8(b); out[i + 2] = clamp8(c);
    }
  }
  return out;
}

/** Palette Color indices -> 8-bit RGB through the red/green/blue tables. */
export function paletteToRgb8(img: DecodedImage, lut: PaletteLut): Uint8Array {
  const src = img.pixelData;
  const out = new Uint8Array(src.length * 3);
  const shift = lut.bits > 8 ? lut.bits - 8 : 0;
  const last = lut.entries - 1;
  for (let i = 0; i < src.length; i++) {
    let k = src[i] - lut.firstMapped;
    k = k < 0 ? 0 : k > last ? last : k;
    out[3 * i] = (lut.red[k] >> shift) & 0xff;
    out[3 * i + 1] = (lut.green[k] >> shift) & 0xff;
    out[3 * i + 2] = (lut.blue[k] >> shift) & 0xff;
  }
  return out;
}
