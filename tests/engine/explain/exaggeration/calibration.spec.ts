// The calibrated knob (not in seed 004): with the shipped demo explainer, bisecting the condition
// between bins lands more frames in their target bin than the paper's one condition per bin, and
// never moves a frame further from its bin's centre.
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExplainer } from '../../../../src-main/engine/explain/exaggeration/io';
import { binCentre } from '../../../../src-main/engine/explain/exaggeration/bins';
import { seriesForRows } from '../../../../src-main/engine/explain/exaggeration/series';
import { compatibility } from '../../../../src-main/engine/metrics/exaggeration/compatibility';
import { loadAuditedModel } from '../../../../src-main/engine/models/load';
import { modelsDir } from '../../../../src-main/engine/resources';
import { demoRows, demoSet, setupBackend } from '../saliency/helpers';

beforeAll(setupBackend);

describe('calibrated knob', () => {
  it('lands frames in their bins on the shipped demo explainer', async () => {
    const model = await loadAuditedModel(path.join(modelsDir(), 'pneumonia-demo'));
    const { explainer } = await loadExplainer(path.join(modelsDir(), 'exaggeration-pneumonia'), model);
    const rows = demoRows('test', 12, 5);
    const plain = await seriesForRows(explainer, model, demoSet(), rows);
    const cal = await seriesForRows(explainer, model, demoSet(), rows, { calibrate: true });
    const k = plain.bins;
    expect(plain.knobs).toBeUndefined();
    expect(cal.knobs).toHaveLength(rows.length * k);
    for (let j = 0; j < cal.fFrames.length; j++) {
      const t = binCentre(j % k, k);
      expect(Math.abs(cal.fFrames[j] - t)).toBeLessThanOrEqual(Math.abs(plain.fFrames[j] - t) + 1e-6);
      expect(cal.knobs![j]).toBeGreaterThanOrEqual(-0.5);
      expect(cal.knobs![j]).toBeLessThanOrEqual(k - 0.5);
      // A frame that was not replaced is the plain one, at its own bin.
      if (cal.knobs![j] === j % k) expect(cal.fFrames[j]).toBe(plain.fFrames[j]);
    }
    const a = compatibility(plain.fFrames, k);
    const b = compatibility(cal.fFrames, k);
    expect(b.inTargetBin).toBeGreaterThan(a.inTargetBin + 0.2);
    expect(b.meanAbsError).toBeLessThan(a.meanAbsError / 2);
    // Queries are untouched.
    expect(Array.from(cal.fQuery)).toEqual(Array.from(plain.fQuery));
    explainer.dispose();
    model.dispose();
  });
});
