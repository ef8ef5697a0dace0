// The demo classifiers shipped in models/ (npm run train:demo): they load, the pneumonia model
// reaches the test ROC AUC, and their cards record how they were made.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { predictPositive } from '../../../src-main/engine/models/batches';
import { loadAuditedModel } from '../../../src-main/engine/models/load';
import { modelsDir } from '../../../src-main/engine/resources';
import { demoSet, rankAuc, setupBackend } from './helpers';

beforeAll(setupBackend);

async function testAuc(name: string): Promise<number> {
  const set = demoSet();
  const model = await loadAuditedModel(path.join(modelsDir(), name));
  const rows = set.split.flatMap((s, i) => (s === 'test' ? [i] : []));
  const p = await predictPositive(model, set, rows);
  model.dispose();
  return rankAuc(p, rows.map((i) => (set.labels[i] === set.positiveClass ? 1 : 0)));
}

describe('demo models', () => {
  it('pneumonia-demo scores test ROC AUC >= 0.93 on PneumoniaMNIST', async () => {
    expect(await testAuc('pneumonia-demo')).toBeGreaterThanOrEqual(0.93);
  });

  it.each(['pneumonia-demo', 'shortcut-demo'])('%s ships a small model with sidecar and model card', async (name) => {
    const dir = path.join(modelsDir(), name);
    const card = JSON.parse(fs.readFileSync(path.join(dir, 'model-card.json'), 'utf8'));
    const model = await loadAuditedModel(dir);
    expect(model.hash).toBe(card.modelHash);
    expect(model.classNames).toEqual(['normal', 'pneumonia']);
    expect(model.layerNames()).toContain('features');
    model.dispose();
    expect(card.seed).toBeTypeOf('number');
    expect(card.evaluation.test.auc).toBeGreaterThan(0.9);
    const bytes = fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
    expect(fs.existsSync(path.join(dir, 'checkpoint'))).toBe(false);
  });

  it('the shortcut model leans on the marker and the clean model does not (paired test images)', () => {
    const card = (n: string) => JSON.parse(fs.readFileSync(path.join(modelsDir(), n, 'model-card.json'), 'utf8'));
    const shortcut = card('shortcut-demo');
    const clean = card('pneumonia-demo');
    expect(shortcut.data.marker.rates.train).toEqual({ positive: 0.9, negative: 0.1 });
    expect(shortcut.evaluation.markerEffect.mean).toBeGreaterThan(0.15);
    expect(Math.abs(clean.evaluation.markerEffect.mean)).toBeLessThan(0.08);
    expect(shortcut.evaluation.testMarkerPaired.byMarker.gapPresentMinusAbsent.positiveRate).toBeGreaterThan(0.15);
    expect(Math.abs(clean.evaluation.testMarkerPaired.byMarker.gapPresentMinusAbsent.positiveRate)).toBeLessThan(0.08);
  });
});
