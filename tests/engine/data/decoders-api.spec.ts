import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeError, decodeImage, summarizeFrame, TransferSyntaxRegistry, transferSyntaxes } from '../../../src-main/engine/data/decoders';
import { mapFile } from './fuzz-mutators';
import { DATA_DIR, hasData, loadReference } from './reference-helpers';

const read = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(DATA_DIR, 'dicom', name)));

/** Replaces an ASCII value in place (same length), e.g. a UID in the file meta. */
function replaceAscii(b: Uint8Array, from: string, to: string): Uint8Array {
  expect(to.length).toBe(from.length);
  const out = b.slice();
  const at = Buffer.from(out).indexOf(from, 0, 'latin1');
  expect(at).toBeGreaterThan(0);
  out.set(Buffer.from(to, 'latin1'), at);
  return out;
}

describe('decoders: registry', () => {
  it('refuses a second decoder for one transfer syntax', () => {
    const r = new TransferSyntaxRegistry();
    const entry = transferSyntaxes.get('1.2.840.10008.1.2.1')!;
    r.register(entry);
    expect(() => r.register(entry)).toThrow(/already registered/);
  });

  it('covers the syntaxes the issue lists', () => {
    for (const uid of ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.5',
      '1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.4.80',
      '1.2.840.10008.1.2.4.81', '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91']) {
      expect(transferSyntaxes.get(uid), uid).toBeDefined();
    }
  });
});

describe.skipIf(!hasData)('decoders: errors and privacy', () => {
  it('calls an unknown or private transfer syntax unsupported instead of guessing', async () => {
    const bytes = replaceAscii(read('MR_small.dcm'), '1.2.840.10008.1.2.1', '1.2.826.0.1.3680043');
    const err = await decodeImage({ name: 'private.dcm', bytes }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).kind).toBe('unsupported');
    expect((err as DecodeError).message).toMatch(/^private\.dcm: transfer syntax 1\.2\.826\.0\.1\.3680043 is not supported$/);
  });

  it('refuses video syntaxes as unsupported', async () => {
    const bytes = replaceAscii(read('SC_rgb_jpeg_gdcm.dcm'), '1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.4.100'.slice(0, 22));
    await expect(decodeImage({ name: 'v.dcm', bytes })).rejects.toMatchObject({ kind: 'unsupported' });
  });

  it('reports a missing file, a frame out of range and a non-image as DecodeError', async () => {
    await expect(decodeImage({ path: '/nonexistent/x.dcm' })).rejects.toMatchObject({ name: 'DecodeError', file: 'x.dcm', kind: 'io' });
    await expect(decodeImage({ path: path.join(DATA_DIR, 'dicom', 'examples_ybr_color.dcm') }, { frame: 30 })).rejects.toThrow(
      /frame 30 does not exist \(30 frame/,
    );
    await expect(decodeImage({ name: 'a.txt', bytes: new TextEncoder().encode('hello') })).rejects.toMatchObject({ kind: 'format' });
    await expect(decodeImage({ name: 'empty', bytes: new Uint8Array(0) })).rejects.toBeInstanceOf(DecodeError);
  });

  it('reads data sets written without the preamble, with or without a meta group', async () => {
    const ref = loadReference('dicom');
    const noPreamble = read('CT_small.dcm').subarray(132); // meta group first
    expect(summarizeFrame(await decodeImage({ name: 'a', bytes: noPreamble })).sha256).toBe(ref['CT_small.dcm'].frame0!.sha256);
    const implicit = read('MR_small_implicit.dcm');
    const metaEnd = mapFile(implicit)!.dataSetStart; // bare implicit VR data set, no meta at all
    const bare = await decodeImage({ name: 'b', bytes: implicit.subarray(metaEnd) });
    expect(bare.transferSyntaxUid).toBe('1.2.840.10008.1.2');
    expect(summarizeFrame(bare).sha256).toBe(ref['MR_small_implicit.dcm'].frame0!.sha256);
  });

  it('chooses a frame of a multi-frame file', async () => {
    const file = path.join(DATA_DIR, 'dicom', 'examples_ybr_color.dcm');
    const first = await decodeImage({ path: file });
    const last = await decodeImage({ path: file }, { frame: 29 });
    expect(last.frame).toBe(29);
    expect(last.numberOfFrames).toBe(30);
    expect(last.pixelData.length).toBe(first.pixelData.length);
    expect(Buffer.compare(Buffer.from(last.pixelData.buffer), Buffer.from(first.pixelData.buffer))).not.toBe(0);
    const dose = await decodeImage({ path: path.join(DATA_DIR, 'dicom', 'rtdose.dcm') }, { frame: 14 });
    const doseRle = await decodeImage({ path: path.join(DATA_DIR, 'dicom', 'rtdose_rle.dcm') }, { frame: 14 });
    expect(Array.from(doseRle.pixelData)).toEqual(Array.from(dose.pixelData));
  });

  it('decodes correctly after a codec failed on a damaged stream', async () => {
    // A codec error unwinds the wasm stack without C++ cleanup; the instance must be replaced.
    const ref = loadReference('dicom');
    let codecFailures = 0;
    for (const name of ['SC_rgb_jpeg_gdcm.dcm', 'JPEG-lossy.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'MR_small_jp2klossless.dcm']) {
      const good = read(name);
      const bad = good.slice();
      bad.fill(0xff, good.length - Math.floor(good.length / 3), good.length - 16);
      const err = await decodeImage({ name, bytes: bad }).then(() => undefined, (e: unknown) => e);
      if (err !== undefined) expect(err).toBeInstanceOf(DecodeError);
      if (err instanceof DecodeError && /codestream could not be decoded/.test(err.reason)) codecFailures++;
      const img = await decodeImage({ name, bytes: good });
      expect(summarizeFrame(img).sha256, name).toBe(ref[name].frame0!.sha256);
    }
    expect(codecFailures).toBeGreaterThan(0);
  });

  it('keeps identifying attributes out of header and in phi', async () => {
    const img = await decodeImage({ path: path.join(DATA_DIR, 'dicom', 'CT_small.dcm') });
    expect(img.phi.PatientName).toBeDefined();
    expect(img.phi.StudyInstanceUID).toBeDefined();
    expect(img.header.Modality).toBe('CT');
    const header = JSON.stringify(img.header);
    // Sex and age are kept in header only in their coded forms (for subgroup audits).
    for (const [k, v] of Object.entries(img.phi)) if (k !== 'PatientSex' && k !== 'PatientAge' && v.length >= 6) expect(header).not.toContain(v);
    for (const k of ['PatientName', 'PatientID', 'PatientBirthDate', 'AccessionNumber', 'InstitutionName', 'StudyDate']) {
      expect(Object.keys(img.header)).not.toContain(k);
    }
  });
});

describe.skipIf(!hasData)('decoders: canary', () => {
  it('lets a string written into identifying and private attributes reach only phi', async () => {
    // Header facts (not identifying) and the pixel/meta groups are left alone; every other
    // string value gets the canary.
    const facts = new Set(['x00080060', 'x00080070', 'x00081090', 'x00180015', 'x00185101', 'x00200062', 'x00200060', 'x00200020',
      'x00080008', 'x00080064', 'x00080068', 'x00280301', 'x00280302', 'x00282110', 'x00281054', 'x00281056', 'x00080016']);
    const text = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UI', 'UT']);
    const bytes = read('CT_small.dcm');
    let written = 0;
    for (const site of mapFile(bytes)!.sites) {
      if (site.tag.startsWith('x0002') || site.tag.startsWith('x0028') || facts.has(site.tag) || !site.vr || !text.has(site.vr)) continue;
      if (site.length < 6) continue;
      bytes.set(new TextEncoder().encode('QZXCANARY'.padEnd(site.length, 'Q').slice(0, site.length)), site.dataOffset);
      written++;
    }
    expect(written).toBeGreaterThan(10);
    const img = await decodeImage({ name: 'c.dcm', bytes });
    const { phi, pixelData: _pixels, ...rest } = img;
    expect(JSON.stringify(rest)).not.toContain('QZX');
    expect(Object.values(phi).filter((v) => v.includes('QZX')).length).toBeGreaterThan(10);
    expect(phi.PatientName).toContain('QZX');
  });
});

describe.skipIf(!hasData)('decoders: summarizeFrame (for inspect --json)', () => {
  it('reproduces the reference fields of an exact file', async () => {
    for (const name of ['CT_small.dcm', 'SC_rgb_small_odd.dcm', 'liver_1frame.dcm']) {
      const r = loadReference('dicom')[name];
      const s = summarizeFrame(await decodeImage({ path: path.join(DATA_DIR, 'dicom', name) }));
      expect({ shape: s.shape, dtype: s.dtype, min: s.min, max: s.max, sha256: s.sha256, grid8: s.grid8 }).toEqual({
        shape: r.frame0!.shape, dtype: r.frame0!.dtype, min: r.frame0!.min, max: r.frame0!.max, sha256: r.frame0!.sha256, grid8: r.frame0!.grid8,
      });
      expect(s.mean).toBeCloseTo(r.frame0!.mean, 9);
      if (r.modality && s.modality) expect([s.modality.min, s.modality.max]).toEqual([r.modality.min, r.modality.max]);
    }
  });
});
