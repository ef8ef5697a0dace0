// The three exaggeration jobs on the demo project, run in-process: train a tiny explainer
// (recorded in the manifest), generate series (JSON-serialisable: PNG data URLs, f per frame,
// target bins, difference maps), and the quality metrics with a marker oracle.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExaggerationMetricsParamsSchema, GenerateSeriesParamsSchema, TrainExplainerParamsSchema } from '../../../../src-main/api/schemas/exaggeration';
import { openDemoProject } from '../../../../src-main/engine/calls';
import { createJobContext } from '../../../../src-main/engine/jobs/context';
import { exaggerationMetricsJob } from '../../../../src-main/engine/jobs/exaggeration-metrics';
import { exaggerationSeriesJob } from '../../../../src-main/engine/jobs/exaggeration-series';
import { trainExplainerJob } from '../../../../src-main/engine/jobs/exaggeration-train';
import { setupBackend } from './helpers';

const ctx = () => createJobContext(new AbortController().signal, () => undefined);

beforeAll(async () => {
  await setupBackend();
  process.env.XRAY_AUDIT_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-exag-jobs-'));
});

describe('exaggeration jobs on the demo project', () => {
  it('train -> series -> metrics', async () => {
    const store = await openDemoProject();
    const train = TrainExplainerParamsSchema.parse({
      name: 'tiny',
      options: { architecture: { width: 4, maxWidth: 8, discWidth: 4, bins: 4 }, steps: 2, batchSize: 8, sampleEvery: 0, checkpointEvery: 0 },
    });
    expect(trainExplainerJob.title(train)).toMatch(/tiny/);
    const t = await trainExplainerJob.run(train, ctx());
    expect(t.steps).toBe(2);
    expect(t.outDir).toBe(path.join('explainers', 'tiny'));
    const rec = store.manifest.artefacts['explainer:tiny'];
    expect(rec.kind).toBe('exaggeration-explainer');
    expect(rec.meta).toMatchObject({ name: 'tiny', hash: t.hash, classifierHash: t.classifierHash, steps: 2 });

    const testRow = store.manifest.dataset!.count - 1;
    const series = await exaggerationSeriesJob.run(GenerateSeriesParamsSchema.parse({ explainer: 'tiny', indices: [0, testRow] }), ctx());
    expect(JSON.parse(JSON.stringify(series))).toEqual(series);
    expect(series.items).toHaveLength(2);
    const s = series.items[1].series;
    expect(series.items[1].split).toBe('test');
    expect(s.frames.map((f) => f.targetBin)).toEqual([0, 1, 2, 3]);
    expect(s.frames[0].target).toBeCloseTo(0.125);
    for (const f of s.frames) {
      expect(f.png.startsWith('data:image/png;base64,')).toBe(true);
      expect(f.differencePng!.startsWith('data:image/png;base64,')).toBe(true);
      expect(f.f).toBeGreaterThanOrEqual(0);
      expect(f.f).toBeLessThanOrEqual(1);
      expect(f.inTargetBin).toBe(Math.min(3, Math.floor(f.f * 4)) === f.targetBin);
    }
    await expect(exaggerationSeriesJob.run(GenerateSeriesParamsSchema.parse({ explainer: 'nope', indices: [0] }), ctx())).rejects.toThrow(/no explainer 'nope'/);

    const m = await exaggerationMetricsJob.run(
      ExaggerationMetricsParamsSchema.parse({ explainer: 'tiny', queries: 12, frechetFeatures: 'random-projection', oracleAttribute: 'marker', oraclePositive: 'present', oracleEpochs: 1, bootstrap: 50, stripQueries: 1 }),
      ctx(),
    );
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    expect(m.queries).toBe(12);
    expect(m.rows).toHaveLength(12);
    expect(m.compatibility.perBin).toHaveLength(4);
    expect(m.selfConsistency.reconstructionL1).toBeGreaterThan(0);
    expect(m.frechet!.kind).toBe('random-projection');
    expect(m.confounding!.attribute).toBe('marker');
    expect(m.confounding!.overall.value).toBeGreaterThanOrEqual(0);
    expect(m.strips.map((x) => x.group)).toEqual(['absent', 'present']);
    expect(m.strips[0].oracle![0]).toHaveLength(5);
    expect(store.manifest.artefacts['exaggeration-metrics:tiny'].blob).toBeDefined();
  });
});
