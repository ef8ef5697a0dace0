import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyModalityLut, DecodeError, decodeImage, type DecodedImage } from '../../../src-main/engine/data/decoders';
import { DATA_DIR, DTYPES, grid8, hasData, loadReference, sha256, stats, type ReferenceEntry } from './reference-helpers';

// Frame 0 of every reference file against pydicom 2.3 + GDCM (../shared/data/*/reference.json).
const tally = { exact: 0, tolerance: 0, errors: 0 };

function checkHeader(img: DecodedImage, r: ReferenceEntry): void {
  const facts: Array<[string, unknown]> = [
    ['Rows', img.height], ['Columns', img.width], ['BitsAllocated', img.bitsAllocated], ['BitsStored', img.bitsStored],
    ['PixelRepresentation', img.pixelRepresentation], ['SamplesPerPixel', img.samplesPerPixel],
    ['PhotometricInterpretation', img.photometricInterpretation], ['Modality', img.header.Modality],
    ['NumberOfFrames', img.numberOfFrames], ['RescaleSlope', img.rescaleSlope], ['RescaleIntercept', img.rescaleIntercept],
  ];
  for (const [key, actual] of facts) if (r[key] !== undefined) expect(actual, key).toBe(r[key]);
  expect(img.transferSyntaxUid).toBe(r.transferSyntax);
}

function checkFrame0(img: DecodedImage, r: ReferenceEntry): void {
  const f = r.frame0!;
  const spp = img.samplesPerPixel;
  expect(spp === 1 ? [img.height, img.width] : [img.height, img.width, spp]).toEqual(f.shape);
  expect(img.pixelData.constructor.name).toBe(DTYPES[f.dtype]);
  expect(img.pixelData.length).toBe(f.shape.reduce((a, b) => a * b, 1));
  const s = stats(img.pixelData);
  const tol = r.exact ? 0 : 2;
  expect(Math.abs(s.min - f.min)).toBeLessThanOrEqual(tol);
  expect(Math.abs(s.max - f.max)).toBeLessThanOrEqual(tol);
  expect(Math.abs(s.mean - f.mean)).toBeLessThanOrEqual(r.exact ? 1e-6 * Math.max(1, Math.abs(f.mean)) : 2);
  if (r.exact) {
    expect(sha256(img.pixelData)).toBe(f.sha256);
    tally.exact++;
  } else {
    const g = grid8(img.pixelData, img.height, img.width, spp);
    g.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - f.grid8[i][j]), `grid8[${i}][${j}]`).toBeLessThanOrEqual(2)));
    tally.tolerance++;
  }
  if (r.modality && spp === 1) {
    const m = stats(applyModalityLut(img));
    const mtol = r.exact ? 1e-9 : 2 * Math.abs(img.rescaleSlope);
    expect(Math.abs(m.min - r.modality.min)).toBeLessThanOrEqual(mtol);
    expect(Math.abs(m.max - r.modality.max)).toBeLessThanOrEqual(mtol);
  }
}

describe.skipIf(!hasData)('decoders: reference files (pydicom 2.3 + GDCM)', () => {
  for (const set of ['dicom', 'cxr'] as const) {
    for (const [name, r] of Object.entries(loadReference(set))) {
      it(`${set}/${name} (${r.pixels}${r.pixels === 'ok' ? (r.exact ? ', exact' : ', within 2') : ''})`, async () => {
        const file = path.join(DATA_DIR, set, name);
        if (r.pixels === 'ok') {
          const img = await decodeImage({ path: file });
          checkHeader(img, r);
          checkFrame0(img, r);
          return;
        }
        const err = await decodeImage({ path: file }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(DecodeError);
        const de = err as DecodeError;
        expect(de.file).toBe(name);
        expect(de.message).toContain(name);
        expect(de.message).toContain(de.reason);
        if (r.pixels === 'error') expect(de.kind).toBe('truncated');
        if (name === 'reportsi.dcm') expect(de.reason).toMatch(/no image/);
        tally.errors++;
      });
    }
  }

  it('decodes the same file given as bytes', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(DATA_DIR, 'dicom', 'CT_small.dcm')));
    const img = await decodeImage({ name: 'x.dcm', bytes });
    expect(sha256(img.pixelData)).toBe(loadReference('dicom')['CT_small.dcm'].frame0!.sha256);
  });

  it('reports truncation with where the pixel data ends', async () => {
    await expect(decodeImage({ path: path.join(DATA_DIR, 'dicom', 'MR_truncated.dcm') })).rejects.toThrow(
      /^MR_truncated\.dcm: pixel data ends at byte \d+, expected \d+$/,
    );
  });

  afterAll(() => {
    console.log(`reference: ${tally.exact} exact, ${tally.tolerance} within tolerance, ${tally.errors} reported errors`);
  });
});
