// NumPy .npy arrays and .npz archives (C order, little-endian numeric dtypes).
import { listZip, readZipEntry } from './zip';

export type NpyArray =
  | { dtype: 'uint8'; shape: number[]; data: Uint8Array }
  | { dtype: 'int8'; shape: number[]; data: Int8Array }
  | { dtype: 'uint16'; shape: number[]; data: Uint16Array }
  | { dtype: 'int16'; shape: number[]; data: Int16Array }
  | { dtype: 'int32'; shape: number[]; data: Int32Array }
  | { dtype: 'int64'; shape: number[]; data: Float64Array } // converted: labels, counts
  | { dtype: 'float32'; shape: number[]; data: Float32Array }
  | { dtype: 'float64'; shape: number[]; data: Float64Array }
  | { dtype: 'bool'; shape: number[]; data: Uint8Array };

export class NpyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NpyError';
  }
}

const DESCR: Record<string, NpyArray['dtype']> = {
  '|u1': 'uint8', '<u1': 'uint8', '|i1': 'int8', '<i1': 'int8', '<u2': 'uint16', '<i2': 'int16',
  '<i4': 'int32', '<i8': 'int64', '<f4': 'float32', '<f8': 'float64', '|b1': 'bool',
};

export function parseNpy(buf: Buffer, name = 'array'): NpyArray {
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new NpyError(`${name}: not a .npy array`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLen;
  if (start > buf.length) throw new NpyError(`${name}: header runs past the end`);
  const header = buf.toString('latin1', major === 1 ? 10 : 12, start);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw new NpyError(`${name}: header unreadable`);
  if (fortran) throw new NpyError(`${name}: Fortran-ordered arrays are not supported`);
  const dtype = DESCR[descr];
  if (!dtype) throw new NpyError(`${name}: dtype ${descr} is not supported`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyError(`${name}: bad shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const bytesPer = { uint8: 1, int8: 1, bool: 1, uint16: 2, int16: 2, int32: 4, int64: 8, float32: 4, float64: 8 }[dtype];
  if (start + count * bytesPer > buf.length) throw new NpyError(`${name}: data shorter than shape ${JSON.stringify(shape)} needs`);
  // Copy into an aligned buffer: the payload offset inside the file need not be aligned.
  const bytes = new Uint8Array(count * bytesPer);
  bytes.set(buf.subarray(start, start + count * bytesPer));
  const ab = bytes.buffer;
  switch (dtype) {
    case 'uint8': return { dtype, shape, data: bytes };
    case 'bool': return { dtype, shape, data: bytes };
    case 'int8': return { dtype, shape, data: new Int8Array(ab) };
    case 'uint16': return { dtype, shape, data: new Uint16Array(ab) };
    case 'int16': return { dtype, shape, data: new Int16Array(ab) };
    case 'int32': return { dtype, shape, data: new Int32Array(ab) };
    case 'float32': return { dtype, shape, data: new Float32Array(ab) };
    case 'float64': return { dtype, shape, data: new Float64Array(ab) };
    case 'int64': {
      const big = new BigInt64Array(ab);
      return { dtype, shape, data: Float64Array.from(big, (v) => Number(v)) };
    }
  }
}

/** All arrays of an .npz archive, keyed by name without the .npy suffix. */
export function parseNpz(buf: Buffer): Record<string, NpyArray> {
  const out: Record<string, NpyArray> = {};
  for (const entry of listZip(buf)) {
    if (!entry.name.endsWith('.npy')) continue;
    const key = entry.name.slice(0, -4);
    out[key] = parseNpy(readZipEntry(buf, entry), entry.name);
  }
  return out;
}
