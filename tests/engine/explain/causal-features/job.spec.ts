// The job end to end on a tiny GRATING run: params parse, progress reported, result JSON-safe.
import { describe, expect, it } from 'vitest';
import { CausalFeaturesParamsSchema } from '../../../../src-main/api/schemas/causal-features';
import { createJobContext } from '../../../../src-main/engine/jobs/context';
import { causalFeaturesJob } from '../../../../src-main/engine/jobs/causal-features';

describe('causal-features job', () => {
  it('runs a small GRATING experiment and returns curves, effects, verdicts and PNG examples', async () => {
    const params = CausalFeaturesParamsSchema.parse({ observational: 600, iterations: 2, queries: 20, epochs: 10, retrainEpochs: 2, testImages: 100, bootstrap: 100, examples: 2 });
    const stages: string[] = [];
    const ctx = createJobContext(new AbortController().signal, (u) => stages.push(u.stage));
    const r = await causalFeaturesJob.run(params, ctx);
    expect(causalFeaturesJob.kind).toBe('causal-features');
    expect(causalFeaturesJob.title(params)).toMatch(/grating/);
    expect(r.curves.map((s) => s.iteration)).toEqual([1, 2]);
    expect(r.causalValues.length).toBe(2);
    expect(Object.keys(r.effects).sort()).toEqual(['hbar_causal', 'hbar_observational', 'vbar_causal', 'vbar_observational']);
    expect(r.examples.last[0].manipulated).toMatch(/^data:image\/png;base64,/);
    expect(stages).toContain('done');
    expect(JSON.parse(JSON.stringify(r)).verdicts.observational.text).toBe(r.verdicts.observational.text);
  });
});
