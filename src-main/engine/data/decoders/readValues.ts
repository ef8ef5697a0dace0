import type { DataSet } from 'dicom-parser';

/**
 * dicom-parser getters throw on values that run past the buffer and happily read megabytes
 * of garbage as a string; these wrappers bound both, so a fuzzed header yields "absent".
 */
const MAX_VALUE_BYTES = 4096;

function present(ds: DataSet, tag: string): boolean {
  const el = ds.elements[tag];
  return (
    el !== undefined &&
    el.length > 0 &&
    el.length <= MAX_VALUE_BYTES &&
    el.dataOffset >= 0 &&
    el.dataOffset + el.length <= ds.byteArray.length
  );
}

export function readString(ds: DataSet, tag: string, index?: number): string | undefined {
  if (!present(ds, tag)) return undefined;
  try {
    const s = ds.string(tag, index);
    return s === undefined || s === '' ? undefined : s;
  } catch {
    return undefined;
  }
}

export function readUint16(ds: DataSet, tag: string, index = 0): number | undefined {
  const el = ds.elements[tag];
  if (!present(ds, tag) || el.length < 2 * (index + 1)) return undefined;
  try {
    return ds.uint16(tag, index);
  } catch {
    return undefined;
  }
}

/** Decimal String / Integer String value, first of a multi-value unless index is given. */
export function readNumberString(ds: DataSet, tag: string, index = 0): number | undefined {
  const s = readString(ds, tag, index);
  if (s === undefined) return undefined;
  const v = Number(s.trim());
  return Number.isFinite(v) && s.trim() !== '' ? v : undefined;
}

export function readNumberStrings(ds: DataSet, tag: string): number[] | undefined {
  const s = readString(ds, tag);
  if (s === undefined) return undefined;
  const values = s.split('\\').map((p) => Number(p.trim()));
  return values.every(Number.isFinite) ? values : undefined;
}
