import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { parseNpy, parseNpz } from '../../../src-main/engine/data/npy';

const npz = path.resolve(process.cwd(), '../shared/data/pneumoniamnist.npz');

function npy(descr: string, shape: number[], payload: Buffer): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const h = Buffer.alloc(10);
  h.write('\x93NUMPY', 0, 'latin1');
  h[6] = 1;
  h.writeUInt16LE(header.length, 8);
  return Buffer.concat([h, Buffer.from(header, 'latin1'), payload]);
}

describe('npz reader', () => {
  it('reads PneumoniaMNIST with the shapes and values numpy reports', () => {
    const arrays = parseNpz(fs.readFileSync(npz));
    expect(Object.keys(arrays).sort()).toEqual(['test_images', 'test_labels', 'train_images', 'train_labels', 'val_images', 'val_labels']);
    expect(arrays.train_images.shape).toEqual([2428, 28, 28]);
    expect(arrays.val_images.shape).toEqual([270, 28, 28]);
    expect(arrays.test_labels.shape).toEqual([468, 1]);
    expect(arrays.train_images.dtype).toBe('uint8');
    // numpy: train_images[0, 14, :5] == [74, 110, 120, 97, 88]
    expect(Array.from(arrays.train_images.data.subarray(14 * 28, 14 * 28 + 5))).toEqual([74, 110, 120, 97, 88]);
    const labels = arrays.train_labels.data;
    const positives = Array.from(labels).filter((v) => v === 1).length;
    expect(positives).toBeGreaterThan(1000);
    expect(positives).toBeLessThan(1428);
  });

  it('reads int64 and float32 arrays and refuses corrupt ones', () => {
    const i64 = Buffer.alloc(16);
    i64.writeBigInt64LE(-3n, 0);
    i64.writeBigInt64LE(7n, 8);
    expect(Array.from(parseNpy(npy('<i8', [2], i64)).data)).toEqual([-3, 7]);
    const f = Buffer.from(new Float32Array([1.5, -2]).buffer);
    expect(Array.from(parseNpy(npy('<f4', [1, 2], f)).data)).toEqual([1.5, -2]);
    expect(() => parseNpy(npy('<f4', [3], f))).toThrow(/shorter than shape/);
    expect(() => parseNpy(npy('>f4', [2], f))).toThrow(/not supported/);
    expect(() => parseNpy(Buffer.from('hello world'))).toThrow(/not a .npy/);
    expect(() => parseNpz(Buffer.from('not a zip at all, definitely not'))).toThrow(/not a ZIP/);
  });

  it('reads deflated entries', () => {
    const arr = npy('|u1', [3], Buffer.from([1, 2, 3]));
    const comp = deflateRawSync(arr);
    // Build a one-entry ZIP by hand.
    const name = Buffer.from('a.npy');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(arr.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(comp.length, 20);
    cd.writeUInt32LE(arr.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(0, 42);
    const cdOffset = 30 + name.length + comp.length;
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(1, 8);
    eocd.writeUInt16LE(1, 10);
    eocd.writeUInt32LE(46 + name.length, 12);
    eocd.writeUInt32LE(cdOffset, 16);
    const zip = Buffer.concat([local, name, comp, cd, name, eocd]);
    expect(Array.from(parseNpz(zip).a.data)).toEqual([1, 2, 3]);
  });
});

import { loadDemoPneumonia } from '../../../src-main/engine/data/importers/medmnist';
import { splitOf, summarize } from '../../../src-main/engine/data/image-set';
import { resourcesDir } from '../../../src-main/engine/resources';

describe('demo image set', () => {
  it('loads the bundled PneumoniaMNIST copy with its splits', () => {
    const set = loadDemoPneumonia(resourcesDir());
    const s = summarize(set);
    expect(s.total).toBe(3166);
    expect(s.perSplit).toEqual({ train: 2428, val: 270, test: 468 });
    expect(set.size).toBe(28);
    expect(set.classNames).toEqual(['normal', 'pneumonia']);
    expect(s.perClass.normal + s.perClass.pneumonia).toBe(3166);
    const test = splitOf(set, 'test');
    expect(test.labels.length).toBe(468);
    expect(test.images.length).toBe(468 * 28 * 28);
    expect(test.ids[0]).toBe('test-00000');
  });
});
