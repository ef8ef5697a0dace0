// The saliency job on a small project (demo images, a few with the burned-in marker, the
// shortcut demo model): maps as PNGs and raw values, metrics, EHR on the marker, cancel; and the
// heatmap rendering helpers.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { select } from '../../../../src-main/engine/data/image-set';
import { markerBox, paintMarker } from '../../../../src-main/engine/data/synthetic/marker';
import { heatmapPng, overlayPng } from '../../../../src-main/engine/explain/saliency/render';
import { createJobContext } from '../../../../src-main/engine/jobs/context';
import { poolMap, saliencyJob, SaliencyParamsSchema } from '../../../../src-main/engine/jobs/saliency';
import { attachModel } from '../../../../src-main/engine/models/project-model';
import { saveImageSet } from '../../../../src-main/engine/project/dataset-io';
import { modelsDir } from '../../../../src-main/engine/resources';
import { createProject } from '../../../../src-main/engine/session';
import { saliencyParams } from '../../../../src-main/cli/commands/saliency';
import { demoRows, demoSet, setupBackend } from './helpers';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-saliency-'));

beforeAll(async () => {
  await setupBackend();
  process.env.XRAY_AUDIT_HOME = home;
  const rows = [...demoRows('train', 40, 3), ...demoRows('test', 6, 4)];
  const set = select(demoSet(), rows);
  const box = markerBox(set.size);
  // The last three (test) images carry the marker.
  set.attributes = { marker: rows.map((_, j) => (j >= rows.length - 3 ? 'present' : 'absent')) };
  for (let j = rows.length - 3; j < rows.length; j++) paintMarker(set.images.subarray(j * 784, (j + 1) * 784), 28, box);
  const store = await createProject(path.join(home, 'p'), 'saliency test');
  await saveImageSet(store, set, { kind: 'demo', description: 'test subset' });
  await attachModel(store, path.join(modelsDir(), 'shortcut-demo'), 'shortcut-demo');
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const ctx = (controller = new AbortController()) => createJobContext(controller.signal, () => {});

describe('saliency job', () => {
  it('computes maps, raw values, deletion AUC and the marker EHR for two methods on two images', async () => {
    const params = SaliencyParamsSchema.parse({ indices: [0, 45], methods: ['gradient', 'grad-cam'], metrics: ['deletion', 'ehr'], target: 'positive' });
    expect(saliencyJob.title(params)).toMatch(/2 images/);
    const updates: number[] = [];
    const job = createJobContext(new AbortController().signal, (u) => updates.push(u.fraction));
    const r = await saliencyJob.run(params, job);
    expect(r.images).toHaveLength(2);
    expect(r.methods).toEqual(['gradient', 'grad-cam']);
    expect(updates.at(-1)).toBe(1);
    const [plain, marked] = r.images;
    expect(plain.region).toBeNull();
    expect(marked.region).toEqual({ x1: 23, y1: 2, x2: 26, y2: 5 });
    expect(marked.targetName).toBe('pneumonia');
    expect(marked.imagePng).toMatch(/^data:image\/png;base64,/);
    for (const img of r.images) {
      for (const m of img.maps) {
        expect(m.rawSide).toBe(28);
        expect(m.raw).toHaveLength(784);
        expect(m.heatmapPng).toMatch(/^data:image\/png;base64,/);
        expect(m.latencyMs).toBeGreaterThan(0);
        expect(m.metrics.deletion).toBeGreaterThanOrEqual(0);
        expect(m.curves?.deletion.x.length).toBeLessThanOrEqual(101);
      }
    }
    expect(plain.maps[0].metrics.ehr).toBeNull();
    expect(marked.maps[0].metrics.ehr).toBeGreaterThan(0);
  });

  it('renders the heatmaps in the chosen colour map (bwr: zero is white, the sign picks blue or red)', async () => {
    const r = await saliencyJob.run(SaliencyParamsSchema.parse({ index: 45, methods: ['gradient'], target: 'positive', colormap: 'bwr' }), ctx());
    const m = r.images[0].maps[0];
    const { data } = await sharp(Buffer.from(m.heatmapPng.split(',')[1], 'base64')).raw().toBuffer({ resolveWithObject: true });
    const extent = Math.max(Math.abs(m.min), Math.abs(m.max));
    let checked = 0;
    for (let i = 0; i < m.raw.length; i++) {
      const v = m.raw[i] / extent;
      const [red, , blue] = [data[3 * i], data[3 * i + 1], data[3 * i + 2]];
      if (v > 0.2) {
        expect(red).toBeGreaterThan(blue);
        checked++;
      }
      if (v < -0.2) {
        expect(blue).toBeGreaterThan(red);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
    expect(() => SaliencyParamsSchema.parse({ index: 0, methods: ['gradient'], colormap: 'rainbow' })).toThrow();
  });

  it('rejects an index outside the image set and stops when cancelled', async () => {
    await expect(saliencyJob.run(SaliencyParamsSchema.parse({ index: 999, methods: ['gradient'] }), ctx())).rejects.toThrow(/out of range/);
    expect(SaliencyParamsSchema.safeParse({ methods: ['gradient'] }).success).toBe(false);
    const controller = new AbortController();
    controller.abort();
    await expect(saliencyJob.run(SaliencyParamsSchema.parse({ index: 0, methods: ['iba'] }), ctx(controller))).rejects.toThrow(/Cancelled/);
  });
});

describe('CLI options', () => {
  it('turn into the job parameters', () => {
    expect(saliencyParams({ indices: '3, 7', methods: 'gradient,iba', target: 'positive', metrics: 'deletion,ehr', region: '1,2,5,6' })).toMatchObject({
      indices: [3, 7],
      methods: ['gradient', 'iba'],
      target: 'positive',
      metrics: ['deletion', 'ehr'],
      region: { x1: 1, y1: 2, x2: 5, y2: 6 },
    });
    expect(saliencyParams({ index: '4', target: '1', metrics: 'all', settings: '{"iba":{"beta":5}}' })).toMatchObject({ index: 4, target: 1, metrics: true, settings: { iba: { beta: 5 } } });
    expect(() => saliencyParams({ methods: 'nope' })).toThrow(/Invalid options/);
  });
});

describe('rendering', () => {
  it('heatmap and overlay PNGs have the requested size; raw maps pool by area', async () => {
    const map = Float32Array.from({ length: 784 }, (_, i) => (i % 28 > 14 ? 1 : 0));
    const img = Float32Array.from({ length: 784 }, () => 0.5);
    for (const png of [await heatmapPng(map, 28, { side: 112 }), await overlayPng(img, map, 28, { unit: true, opacity: 0.5, side: 56 })]) {
      const meta = await sharp(png).metadata();
      expect(meta.format).toBe('png');
      expect([112, 56]).toContain(meta.width);
    }
    const pooled = poolMap(Float32Array.from({ length: 16 }, (_, i) => i), 4, 2);
    expect(pooled).toEqual({ raw: [2.5, 4.5, 10.5, 12.5], rawSide: 2 });
    expect(poolMap(map, 28, 64).rawSide).toBe(28);
  });
});
