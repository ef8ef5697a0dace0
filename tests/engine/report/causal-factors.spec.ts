// The report's causal-factors section (seed 000): on the demo project, a tiny explainer trained by
// the 'causal-factors' job is kept in the project, and the exported report.json / report.html
// carry its certificate in words, the influence table and one 9-frame sweep strip per factor,
// captioned with the classifier's output. No saved result (or one made for another classifier):
// no section.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobParamsSchemas } from '../../../src-main/api/contract';
import { CausalFactorsParamsSchema } from '../../../src-main/api/schemas/causal-factors';
import { causalFactorsInWords } from '../../../src-main/api/schemas/causal-factors-saved';
import { openDemoProject } from '../../../src-main/engine/calls';
import { latestCausalFactors } from '../../../src-main/engine/explain/causal/saved';
import { causalFactorsJob } from '../../../src-main/engine/jobs/causal-factors';
import { createJobContext } from '../../../src-main/engine/jobs/context';
import { exportReportJob, type ExportResult } from '../../../src-main/engine/jobs/export-report';
import { attachModel } from '../../../src-main/engine/models/project-model';
import type { ReportModel, ReportSection } from '../../../src-main/engine/report/model';
import { modelsDir } from '../../../src-main/engine/resources';
import { setupBackend } from '../explain/exaggeration/helpers';

const ctx = () => createJobContext(new AbortController().signal, () => undefined);
const pngBytes = (url: string): string => Buffer.from(url.replace(/^data:image\/png;base64,/, ''), 'base64').subarray(1, 4).toString();

beforeAll(async () => {
  await setupBackend();
  process.env.XRAY_AUDIT_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-report-cf-'));
});

async function exportReport(): Promise<{ json: ReportModel; html: string; section: ReportSection | undefined }> {
  const params = JobParamsSchemas['export-report'].parse({ pdf: 'none', casesPerKind: 1, saliency: [] });
  const out = (await exportReportJob.run(params, ctx())) as ExportResult;
  const json = JSON.parse(fs.readFileSync(out.files.json, 'utf8')) as ReportModel;
  return { json, html: fs.readFileSync(out.files.html, 'utf8'), section: json.sections.find((s) => s.id === 'causal-factors') };
}

describe('report: causal-factors section', () => {
  it('is absent without a saved result and shows a saved one', async () => {
    const store = await openDemoProject();
    expect((await exportReport()).section).toBeUndefined();

    // A tiny explainer of the demo classifier (K = 1, L = 2, 30 steps): real training, real numbers.
    const t0 = Date.now();
    const r = await causalFactorsJob.run(
      CausalFactorsParamsSchema.parse({ options: { k: 1, l: 2, filters: 8, batchSize: 16, steps: 30, lr: 0.01, trainNAlpha: 8, trainNBeta: 4 }, sweepImages: 1, checkpointEvery: 100 }),
      ctx(),
    );
    const jobSeconds = (Date.now() - t0) / 1000;
    const saved = await latestCausalFactors(store);
    expect(saved?.name).toBe('explainer');
    expect(saved?.matchesModel).toBe(true);
    expect(saved?.result.influence.joint).toBe(r.influence.joint);
    expect(r.influence.joint).toBeGreaterThanOrEqual(-0.01);
    expect(r.influence.joint).toBeLessThanOrEqual(Math.log(2) + 0.01);

    const t1 = Date.now();
    const { json, html, section } = await exportReport();
    const exportSeconds = (Date.now() - t1) / 1000;
    expect(section).toBeDefined();
    const sec = section!;
    // The certificate and the influence in words, from the saved numbers.
    expect(sec.paragraphs).toEqual(expect.arrayContaining(causalFactorsInWords(r)));
    expect(sec.paragraphs.join(' ')).toContain(`I(alpha;Y) = ${r.influence.joint.toFixed(2)} nats of the 0.69 nats (log 2) the classifier's two-class output can carry`);
    const data = sec.data as { influence: { joint: number }; certificate: { errorBound: number | null } };
    expect(data.influence.joint).toBe(r.influence.joint);
    expect(data.certificate.errorBound).toBe(r.certificate.errorBound);
    // Influence table: the joint alpha row, then one row per factor with its nats.
    const table = sec.tables![0];
    expect(table.rows.map((row) => row[0])).toEqual(['alpha (joint)', 'alpha1', 'beta1', 'beta2']);
    expect(table.rows.slice(1).map((row) => row[2])).toEqual(r.influence.perFactor.map((f) => f.nats));
    // One strip per factor: 9 PNG frames captioned with the sweep value and P(pneumonia).
    const sw = r.sweeps[0];
    expect(sec.strips).toHaveLength(3);
    for (const [i, st] of sec.strips!.entries()) {
      expect(st.title).toContain(sw.factors[i].name);
      expect(st.frames).toHaveLength(9);
      for (const [j, f] of st.frames.entries()) {
        expect(pngBytes(f.image)).toBe('PNG');
        expect(f.caption).toMatch(new RegExp(`σ · ${sw.factors[i].probs[j][1].toFixed(2)}$`));
      }
      expect(st.caption).toContain("the classifier's P(pneumonia)");
      expect(st.frames[0].caption).toMatch(/^-3σ · /);
      expect(st.frames[8].caption).toMatch(/^\+3σ · /);
    }
    // No image identifiers in the section.
    expect(JSON.stringify(sec)).not.toContain(sw.imageId);
    expect(json.methods.some((m) => m.name.startsWith('Generative causal explanation'))).toBe(true);

    // The HTML renders it: the section, the influence table's numbers, the strips.
    const start = html.indexOf('<section id="causal-factors"');
    expect(start).toBeGreaterThan(0);
    const part = html.slice(start, html.indexOf('</section>', start));
    expect(part).toContain(r.influence.joint.toFixed(3));
    for (const f of r.influence.perFactor) expect(part).toContain(f.nats.toFixed(3));
    expect(part.match(/<img src="data:image\/png;base64,/g)?.length ?? 0).toBe(27);
    expect(part).toContain('Training: C, the running estimate of I(alpha;Y)');
    expect(html).not.toMatch(/<script/i);

    // Another classifier attached: the saved factors no longer describe the audited model.
    await attachModel(store, path.join(modelsDir(), 'shortcut-demo'), 'shortcut-demo');
    expect(await latestCausalFactors(store, { matchingOnly: true })).toBeNull();
    expect((await latestCausalFactors(store))?.matchesModel).toBe(false);
    console.log(`causal-factors job ${jobSeconds.toFixed(1)} s (I = ${r.influence.joint.toFixed(3)} nats, ${r.steps} steps); report export ${exportSeconds.toFixed(1)} s`);
  }, 600_000);

  it('puts the certificate in words with the issue test vector (M = 2, I = 0.675 nats: bound 0.0131)', () => {
    const base = { classNames: ['normal', 'pneumonia'], options: { k: 1, l: 0, filters: 8, lambda: 0.05, lr: 0.01, batchSize: 16, steps: 1, trainNAlpha: 1, trainNBeta: 1, variant: 'joint' as const, seed: 0 }, steps: 1, sweeps: [] };
    const words = causalFactorsInWords({
      ...base,
      influence: { joint: 0.675, independent: 0.675, perFactor: [{ name: 'alpha1', causal: true, nats: 0.675 }], nAlpha: 100, nBeta: 25, logM: Math.log(2) },
    } as never);
    expect(words[0]).toContain('I(alpha;Y) = 0.68 nats of the 0.69 nats (log 2)');
    expect(words[1]).toContain('error of at most 0.0131');
    expect(words[1]).toContain('at least 98.7%');
    // M = 3, I = 1.03 nats: bound 0.0495 (the other vector); I = 0.05: the bound exceeds 1/2.
    const three = { ...base, classNames: ['a', 'b', 'c'] };
    expect(causalFactorsInWords({ ...three, influence: { joint: 1.03, independent: 1.03, perFactor: [], nAlpha: 100, nBeta: 25, logM: Math.log(3) } } as never)[1]).toContain('error of at most 0.0495');
    const low = causalFactorsInWords({ ...three, influence: { joint: 0.05, independent: 0.05, perFactor: [], nAlpha: 100, nBeta: 25, logM: Math.log(3) } } as never);
    expect(low[0]).toContain("the classifier's three-class output");
    expect(low[1]).toContain('too little for the capacity certificate');
  });
});
