// PHI canary: a unique string written into every identifying DICOM attribute, private tags,
// file names and PNG/JPEG text metadata must appear nowhere in the project folder, the app's
// own files, the engine's console output or the saved import report after an import.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { execFileSync } from 'node:child_process';
import { EngineHost } from '../../../src-main/engine/host';
import { spawnInProcess } from '../../../src-main/engine/spawn';
import { mapFile } from '../data/fuzz-mutators';

const CANARY = 'QZXCANARY7';
const data = path.resolve(process.cwd(), '../shared/data');
let work: string;
let host: EngineHost;
const logged: string[] = [];

/** Writes the canary into every text element except pixel description and a few non-identifying facts. */
function canaryDicom(src: string): Buffer {
  const bytes = new Uint8Array(fs.readFileSync(src));
  const keep = new Set(['x00080060', 'x00080016', 'x00080064', 'x00280004', 'x00200020', 'x00185101', 'x00080008']);
  const text = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UI', 'UT']);
  let n = 0;
  for (const site of mapFile(bytes)!.sites) {
    if (site.tag.startsWith('x0002') || site.tag.startsWith('x0028') || keep.has(site.tag) || !site.vr || !text.has(site.vr) || site.length < CANARY.length) continue;
    bytes.set(Buffer.from(CANARY.padEnd(site.length, 'Q').slice(0, site.length), 'latin1'), site.dataOffset);
    n++;
  }
  expect(n).toBeGreaterThan(5);
  return Buffer.from(bytes);
}

/** Adds a tEXt chunk (keyword Comment) to a PNG right after IHDR. */
function pngWithText(png: Buffer, value: string): Buffer {
  const data = Buffer.from(`Comment\0${value}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  const crcTable = Array.from({ length: 256 }, (_, k) => {
    let c = k;
    for (let j = 0; j < 8; j++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const b of chunk.subarray(4, 8 + data.length)) crc = crcTable[(crc ^ b) & 0xff] ^ (crc >>> 8);
  chunk.writeUInt32BE((crc ^ 0xffffffff) >>> 0, 8 + data.length);
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-canary-'));
  process.env.XRAY_AUDIT_HOME = path.join(work, 'home');
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void logged.push(a.map(String).join(' ')));
  }
  host = new EngineHost({ spawn: spawnInProcess });
  await host.start();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await host.close();
});

describe('PHI canary', () => {
  it('import keeps the canary out of the project, app files and logs', async () => {
    const src = path.join(work, 'src');
    for (const d of ['normal', 'finding']) fs.mkdirSync(path.join(src, d), { recursive: true });
    fs.writeFileSync(path.join(src, 'finding', `${CANARY}_ct.dcm`), canaryDicom(path.join(data, 'dicom', 'CT_small.dcm')));
    fs.writeFileSync(path.join(src, 'finding', 'cxr.dcm'), canaryDicom(path.join(data, 'cxr', 'siim_pneumothorax_sample.dcm')));
    fs.writeFileSync(path.join(src, 'normal', `${CANARY}.png`), pngWithText(fs.readFileSync(path.join(data, 'cxr', '00027426_000.png')), `patient ${CANARY}`));
    const jpeg = await sharp(path.join(data, 'cxr', '16747_3_1.jpg')).withExif({ IFD0: { ImageDescription: `patient ${CANARY}`, Artist: CANARY } }).jpeg().toBuffer();
    fs.writeFileSync(path.join(src, 'normal', 'b.jpg'), jpeg);
    fs.writeFileSync(path.join(src, 'normal', `${CANARY}_broken.dcm`), Buffer.alloc(200, 1));
    // The canary really is in the inputs.
    for (const f of ['finding/cxr.dcm', `normal/${CANARY}.png`, 'normal/b.jpg']) expect(fs.readFileSync(path.join(src, f)).includes(CANARY)).toBe(true);

    const dir = path.join(work, 'project');
    await host.call('projects.create', { dir, name: 'canary audit', keepIdentifiers: false });
    const job = host.submit('import-dataset', { source: { kind: 'folder', path: src }, size: 64 }, 'import');
    const done = await host.wait(job.id);
    expect(done.status).toBe('succeeded');
    const result = done.result as { imported: number; skipped: { file: string }[] };
    expect(result.imported).toBe(4);
    // The in-memory job result names the skipped file for the auditor...
    expect(result.skipped[0].file).toContain('_broken.dcm');

    // ...but nothing written to disk or logged does.
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(dir);
    walk(path.join(work, 'home'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      expect(path.relative(work, f)).not.toContain(CANARY);
      expect(fs.readFileSync(f).includes(CANARY), f).toBe(false);
    }
    expect(logged.join('\n')).not.toContain(CANARY);
    const info = await host.call('projects.current', {});
    expect(JSON.stringify(info)).not.toContain(CANARY);
    const items = await host.call('dataset.items', { offset: 0, limit: 10 });
    expect(JSON.stringify(items)).not.toContain(CANARY);

    // The exported report (HTML, JSON, PDF) carries no identifier either.
    await host.call('model.attachDemo', { which: 'pneumonia' });
    const split = (Object.entries(info!.dataset!.perSplit).sort((a, b) => b[1] - a[1])[0][0]) as 'train' | 'val' | 'test';
    const exp = host.submit('export-report', { split, casesPerKind: 2, pdf: 'chromium' }, 'report');
    const rep = await host.wait(exp.id);
    expect(rep.error).toBeNull();
    const out = (rep.result as { files: { html: string; json: string; pdf: string | null } }).files;
    expect(out.pdf).not.toBeNull();
    for (const f of [out.html, out.json, out.pdf!]) expect(fs.readFileSync(f).includes(CANARY), f).toBe(false);
    expect(execFileSync('pdftotext', [out.pdf!, '-'], { encoding: 'utf8' })).not.toContain(CANARY);
    expect(fs.readFileSync(out.html, 'utf8')).toContain('Patient identifiers: none included');
  });
});
