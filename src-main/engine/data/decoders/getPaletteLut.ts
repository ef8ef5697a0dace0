import type { DataSet } from 'dicom-parser';
import type { PaletteLut } from './DecodedImage';
import { readUint16 } from './readValues';

const CHANNELS = [
  ['x00281101', 'x00281201'],
  ['x00281102', 'x00281202'],
  ['x00281103', 'x00281203'],
] as const;

/**
 * Palette Color LUTs (PS3.3 C.7.6.3.1.5-6). Returns undefined (with a warning) when they are
 * missing or malformed; display then falls back to grey rather than failing the image.
 */
export function getPaletteLut(ds: DataSet, warnings: string[]): PaletteLut | undefined {
  const luts: Uint16Array[] = [];
  let entries = 0;
  let firstMapped = 0;
  let bits = 16;
  for (const [descTag, dataTag] of CHANNELS) {
    const n = readUint16(ds, descTag, 0);
    const first = readUint16(ds, descTag, 1);
    const b = readUint16(ds, descTag, 2);
    const el = ds.elements[dataTag];
    if (n === undefined || first === undefined || b === undefined || !el || el.dataOffset + el.length > ds.byteArray.length) {
      warnings.push('Palette Color lookup tables are missing or incomplete (segmented palettes are not read)');
      return undefined;
    }
    entries = n === 0 ? 65536 : n;
    firstMapped = first;
    bits = b;
    const lut = new Uint16Array(entries);
    if (el.length >= entries * 2) {
      for (let i = 0; i < entries; i++) lut[i] = ds.byteArrayParser.readUint16(ds.byteArray, el.dataOffset + 2 * i);
    } else if (bits === 8 && el.length >= entries) {
      for (let i = 0; i < entries; i++) lut[i] = ds.byteArray[el.dataOffset + i]; // packed 8-bit entries
    } else {
      warnings.push(`Palette Color lookup table ${dataTag} holds ${el.length} bytes for ${entries} entries`);
      return undefined;
    }
    luts.push(lut);
  }
  return { entries, firstMapped, bits, red: luts[0], green: luts[1], blue: luts[2] };
}
