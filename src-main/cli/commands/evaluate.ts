import { JobParamsSchemas, type EvaluationResult } from '../../api/contract';
import { EngineError } from '../../engine/jobs/errors';
import type { CliCommand } from '../command';
import { openProjectArg, projectOptions } from '../project-arg';
import { runJobInTerminal } from '../run-job';

const fmt = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toFixed(3));

export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  summary: "Evaluate the project's model: metrics with 95% bootstrap intervals and the subgroup audit",
  usage: 'xray-audit evaluate (--project DIR | --demo) [--model DIR | --demo-model pneumonia|shortcut] [--split test] [--threshold 0.5] [--bootstrap 1000] [--json]',
  options: {
    ...projectOptions,
    model: { type: 'string' },
    'demo-model': { type: 'string' },
    split: { type: 'string', default: 'test' },
    threshold: { type: 'string', default: '0.5' },
    bootstrap: { type: 'string', default: '1000' },
  },
  async run(values, _p, ctx) {
    const parsed = JobParamsSchemas['evaluate-model'].safeParse({ split: values.split, threshold: Number(values.threshold), bootstrap: Number(values.bootstrap) });
    if (!parsed.success) throw new EngineError('invalid_request', `Invalid options: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    await openProjectArg(values, ctx);
    const engine = ctx.engine();
    if (typeof values.model === 'string') await engine.call('model.attach', { dir: values.model });
    const demoModel = values['demo-model'];
    if (demoModel === 'pneumonia' || demoModel === 'shortcut') await engine.call('model.attachDemo', { which: demoModel });
    else if (demoModel !== undefined) throw new EngineError('invalid_request', '--demo-model is pneumonia or shortcut');
    const snap = await runJobInTerminal(ctx, 'evaluate-model', parsed.data, 'Evaluate');
    if (snap.status !== 'succeeded') throw new EngineError(snap.error?.code ?? 'internal', snap.error?.message ?? snap.status);
    const r = snap.result as EvaluationResult;
    const e = r.evaluation;
    ctx.log(`${r.split} split: n=${e.n} (${e.positives} ${r.positiveClass}), threshold ${e.threshold}, 95% bootstrap intervals (${e.bootstrap.resamples} resamples)`);
    for (const m of e.metricInfo) {
      const v = e.metrics[m.id];
      ctx.log(`  ${m.label.padEnd(28)} ${fmt(v?.value)}  (${fmt(v?.lo)}–${fmt(v?.hi)})`);
    }
    for (const set of r.subgroups?.attributes ?? []) {
      ctx.log(`subgroups by ${set.key}: ${set.flagged.length ? `FLAGGED ${set.flagged.join(', ')}` : 'no gap flagged'}`);
      for (const g of set.groups) ctx.log(`  ${g.label.padEnd(30)} n=${String(g.n).padEnd(5)} AUC ${fmt(g.metrics.rocAuc?.value)}  positive rate ${fmt(g.metrics.positiveRate?.value)}${g.small ? `  (small: ${g.smallReasons.join(', ')})` : ''}`);
      ctx.log(`  demographic parity diff ${fmt(set.demographicParity.value)} (${fmt(set.demographicParity.lo)}–${fmt(set.demographicParity.hi)}), equalized odds diff ${fmt(set.equalizedOdds.value)}`);
    }
    return r;
  },
};
