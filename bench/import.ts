// npm run bench:import — images/s for importing 1,000 PNGs (1024x1024, made from the shared
// chest X-rays by flips and crops) and 1,000 DICOM files (JPEG baseline CR, 1024x1024), at the
// default 128 px project size. Prints a table and writes bench/results/import.json.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { importFiles } from '../src-main/engine/data/importers/files';
import { createJobContext } from '../src-main/engine/jobs/context';

const N = Number(process.env.BENCH_IMPORT_N ?? 1000);
const cxr = path.resolve(process.cwd(), '../shared/data/cxr');

async function makePngs(dir: string): Promise<void> {
  const sources = ['00000001_000.png', '00027426_000.png', '16747_3_1.jpg'];
  for (let i = 0; i < N; i++) {
    const label = i % 2 ? 'finding' : 'normal';
    fs.mkdirSync(path.join(dir, label), { recursive: true });
    const src = sharp(path.join(cxr, sources[i % sources.length])).greyscale();
    const meta = await src.metadata();
    const crop = 0.8 + 0.2 * ((i * 7919) % 100) / 100;
    const w = Math.floor(meta.width! * crop);
    const h = Math.floor(meta.height! * crop);
    let img = src.extract({ left: Math.floor((meta.width! - w) / 2), top: Math.floor((meta.height! - h) / 2), width: w, height: h });
    if (i % 3 === 0) img = img.flop();
    await img.resize(1024, 1024, { fit: 'fill' }).png().toFile(path.join(dir, label, `img-${i}.png`));
  }
}

function makeDicoms(dir: string): void {
  const sources = ['siim_pneumothorax_sample.dcm', 'Fake_MONOHR1.dcm'];
  for (let i = 0; i < N; i++) {
    const label = i % 2 ? 'finding' : 'normal';
    fs.mkdirSync(path.join(dir, label), { recursive: true });
    fs.copyFileSync(path.join(cxr, sources[i % 2]), path.join(dir, label, `img-${i}.dcm`));
  }
}

async function timeImport(dir: string): Promise<{ seconds: number; imported: number; skipped: number }> {
  const ctx = createJobContext(new AbortController().signal, () => undefined);
  const t0 = performance.now();
  const { set, skipped } = await importFiles({ kind: 'folder', source: dir, size: 128, keySalt: 'bench', ctx });
  return { seconds: (performance.now() - t0) / 1000, imported: set.labels.length, skipped: skipped.length };
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-bench-import-'));
  try {
    process.stderr.write(`making ${N} PNGs and ${N} DICOM files in ${work}...\n`);
    await makePngs(path.join(work, 'png'));
    makeDicoms(path.join(work, 'dcm'));
    const rows = [];
    for (const [name, dir] of [['PNG 1024x1024 8-bit', 'png'], ['DICOM CR JPEG baseline 1024x1024', 'dcm']] as const) {
      const r = await timeImport(path.join(work, dir));
      rows.push({ input: name, files: N, imported: r.imported, skipped: r.skipped, seconds: +r.seconds.toFixed(2), images_per_s: +(r.imported / r.seconds).toFixed(1) });
    }
    console.table(rows);
    const out = { machine: { cpus: os.cpus().length, node: process.versions.node }, size: 128, rows, summary: Object.fromEntries(rows.map((r) => [r.input, r.images_per_s])) };
    fs.mkdirSync('bench/results', { recursive: true });
    fs.writeFileSync('bench/results/import.json', JSON.stringify(out, null, 2));
    console.log('wrote bench/results/import.json');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
void main();
