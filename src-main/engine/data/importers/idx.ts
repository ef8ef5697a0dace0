// IDX files (the MNIST / Fashion-MNIST format), optionally gzipped: two zero bytes, a type code,
// the number of dimensions, one big-endian uint32 per dimension, then big-endian values.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EngineError } from '../../jobs/errors';
import type { ImageSet, Split } from '../image-set';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
export interface IdxArray {
  dtype: 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
  shape: number[];
  data: IdxData;
}

const TYPES: Record<number, { dtype: IdxArray['dtype']; bytes: number }> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

/** Decodes an IDX buffer (gunzipped first when it starts with the gzip magic). */
export function parseIdx(input: Uint8Array, name = 'IDX'): IdxArray {
  let buf = input;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new EngineError('bad_input', `${name}: corrupt gzip stream (${(e as Error).message})`);
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw new EngineError('bad_input', `${name}: not an IDX file (bad magic)`);
  const type = TYPES[buf[2]];
  if (!type) throw new EngineError('bad_input', `${name}: unknown IDX type code 0x${buf[2].toString(16)}`);
  const ndim = buf[3];
  if (ndim < 1 || buf.length < 4 + 4 * ndim) throw new EngineError('bad_input', `${name}: truncated IDX header`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const shape = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * ndim;
  if (buf.length - start !== count * type.bytes) throw new EngineError('bad_input', `${name}: ${buf.length - start} data bytes for shape [${shape.join(', ')}] of ${type.dtype} (expected ${count * type.bytes})`);
  let data: IdxData;
  if (type.dtype === 'uint8') data = buf.slice(start);
  else if (type.dtype === 'int8') data = new Int8Array(buf.slice(start).buffer);
  else {
    const read = { int16: (o: number) => view.getInt16(o, false), int32: (o: number) => view.getInt32(o, false), float32: (o: number) => view.getFloat32(o, false), float64: (o: number) => view.getFloat64(o, false) }[type.dtype];
    const Ctor = { int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[type.dtype];
    data = new Ctor(count);
    for (let i = 0; i < count; i++) data[i] = read(start + i * type.bytes);
  }
  return { dtype: type.dtype, shape, data };
}

export function readIdxFile(file: string): IdxArray {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new EngineError('not_found', `${file}: missing`);
  }
  return parseIdx(bytes, path.basename(file));
}

export interface IdxSplitFiles {
  images: string;
  labels: string;
}

/** An image set from IDX image/label file pairs, one per split. */
export function loadIdxImageSet(files: Partial<Record<Split, IdxSplitFiles>>, opts: { name: string; classNames: string[]; positiveClass?: number }): ImageSet {
  let size = 0;
  const parts: { split: Split; images: Uint8Array; labels: IdxData; n: number }[] = [];
  for (const split of ['train', 'val', 'test'] as Split[]) {
    const f = files[split];
    if (!f) continue;
    const im = readIdxFile(f.images);
    const lb = readIdxFile(f.labels);
    if (im.dtype !== 'uint8' || im.shape.length !== 3 || im.shape[1] !== im.shape[2]) throw new EngineError('bad_input', `${path.basename(f.images)}: expected N x S x S uint8 images, got ${im.dtype} [${im.shape.join(', ')}]`);
    if (lb.shape.length !== 1 || lb.shape[0] !== im.shape[0]) throw new EngineError('bad_input', `${path.basename(f.labels)}: expected ${im.shape[0]} labels, got [${lb.shape.join(', ')}]`);
    if (size && im.shape[1] !== size) throw new EngineError('bad_input', `${opts.name}: splits have different image sizes`);
    size = im.shape[1];
    parts.push({ split, images: im.data as Uint8Array, labels: lb.data, n: im.shape[0] });
  }
  if (!parts.length) throw new EngineError('invalid_request', `${opts.name}: no split files given`);
  const total = parts.reduce((a, p) => a + p.n, 0);
  const images = new Uint8Array(total * size * size);
  const labels = new Int32Array(total);
  const ids: string[] = [];
  const split: Split[] = [];
  let n = 0;
  for (const p of parts) {
    images.set(p.images, n * size * size);
    for (let i = 0; i < p.n; i++, n++) {
      const l = Number(p.labels[i]);
      if (!(l >= 0 && l < opts.classNames.length)) throw new EngineError('bad_input', `${opts.name}: label ${l} has no class name`);
      labels[n] = l;
      ids.push(`${p.split}-${String(i).padStart(5, '0')}`);
      split.push(p.split);
    }
  }
  return { name: opts.name, size, images, labels, classNames: opts.classNames, positiveClass: opts.positiveClass ?? opts.classNames.length - 1, ids, split, attributes: {} };
}

/** Where Debian's dataset-fashion-mnist package installs the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** The file (gzipped or not) for a standard MNIST-layout name in `dir`, or null. */
export function findIdxFile(dir: string, base: string): string | null {
  for (const f of [`${base}.gz`, base]) if (fs.existsSync(path.join(dir, f))) return path.join(dir, f);
  return null;
}

/** Fashion-MNIST (60,000 train, 10,000 test), or null when its files are absent. */
export function loadFashionMnist(dir = FASHION_MNIST_DIR): ImageSet | null {
  const pick = (prefix: string): IdxSplitFiles | null => {
    const images = findIdxFile(dir, `${prefix}-images-idx3-ubyte`);
    const labels = findIdxFile(dir, `${prefix}-labels-idx1-ubyte`);
    return images && labels ? { images, labels } : null;
  };
  const train = pick('train');
  const test = pick('t10k');
  if (!train || !test) return null;
  return loadIdxImageSet({ train, test }, { name: 'Fashion-MNIST', classNames: FASHION_MNIST_CLASSES });
}
