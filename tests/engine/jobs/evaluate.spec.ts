// The audit of the demo models on the demo project: the clean pneumonia model reaches the
// MedMNIST-level test AUC and shows no marker gap; the shortcut model's marker gap is flagged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineHost } from '../../../src-main/engine/host';
import { spawnInProcess } from '../../../src-main/engine/spawn';
import type { EvaluationResult } from '../../../src-main/api/contract';

let host: EngineHost;

beforeAll(async () => {
  process.env.XRAY_AUDIT_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-eval-'));
  host = new EngineHost({ spawn: spawnInProcess });
  await host.start();
});
afterAll(() => host.close());

async function evaluate(): Promise<EvaluationResult> {
  const job = host.submit('evaluate-model', { split: 'test', threshold: 0.5, bootstrap: 300, minGroupSize: 30, seed: 7 }, 'evaluate');
  const done = await host.wait(job.id);
  expect(done.error).toBeNull();
  return done.result as EvaluationResult;
}

describe('evaluate-model on the demo project', () => {
  it('the clean demo model: test ROC AUC >= 0.93 with an interval, no marker gap flagged', async () => {
    const demo = await host.call('projects.openDemo', {});
    expect(demo.dataset!.perAttribute.marker).toEqual({ absent: 2698 + 468, present: 468 });
    const model = await host.call('model.current', {});
    expect(model!.name).toBe('pneumonia-demo');
    const r = await evaluate();
    const auc = r.evaluation.metrics.rocAuc;
    expect(auc.value!).toBeGreaterThanOrEqual(0.93);
    expect(auc.lo!).toBeLessThan(auc.value!);
    expect(auc.hi!).toBeGreaterThan(auc.value!);
    expect(r.evaluation.n).toBe(936); // every test image with and without the marker
    const marker = r.subgroups!.attributes.find((a) => a.key === 'marker')!;
    expect(marker.groups.map((g) => g.label).sort()).toEqual(['marker=absent', 'marker=present']);
    expect(marker.flagged).toEqual([]);
    // Saved in the project and readable again.
    const saved = await host.call('model.evaluation', { split: 'test' });
    expect(saved!.evaluation.metrics.rocAuc.value).toBe(auc.value);
  });

  it('the shortcut demo model: the marker gap is flagged', async () => {
    await host.call('model.attachDemo', { which: 'shortcut' });
    const r = await evaluate();
    const marker = r.subgroups!.attributes.find((a) => a.key === 'marker')!;
    expect(marker.flagged.length).toBeGreaterThan(0);
    expect(marker.demographicParity.flagged || marker.equalizedOdds.flagged).toBe(true);
  });
});
