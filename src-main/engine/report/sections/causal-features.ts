// Visual causal feature learning (seed 001) in the report: the auditor's answers to causal
// queries (how many, present/absent, how often the manipulation reached its target, agreement
// with the scripted agent), the verdict from C retrained with those answers when computed, and,
// for each saved causal-features experiment, its verdict, feature effects, MErr/MDist chart and
// example manipulations. Nothing saved: no section. Batches and images carry no image ids.
import type { CausalFeaturesResult } from '../../explain/causal-features';
import type { Effect } from '../../explain/causal-features/effects';
import { readAllBatches } from '../../explain/causal-features/query-store';
import type { CausalQueriesVerdictResult } from '../../jobs/causal-queries-verdict';
import type { ProjectStore } from '../../project/store';
import type { ReportModel, ReportSection } from '../model';
import { registerReportProvider } from '../providers';

const EXAMPLES = 8;
const EXPERIMENT: Record<string, string> = { grating: 'GRATING', 'pneumonia-marker': 'PneumoniaMNIST with a burned-in marker' };
const EFFECT: Record<string, string> = {
  hbar_causal: 'C: add an h-bar (the cause)',
  vbar_causal: 'C: add a v-bar (spurious)',
  hbar_observational: 'classifier under audit: add an h-bar (the cause)',
  vbar_observational: 'classifier under audit: add a v-bar (spurious)',
  marker_causal: 'C: add the marker (spurious)',
  marker_observational: 'classifier under audit: add the marker (spurious)',
  label_causal: 'C: pneumonia vs normal (the cause)',
  label_observational: 'classifier under audit: pneumonia vs normal (the cause)',
};

let last: ReportModel['methods'] = [];

async function savedJson<T>(store: ProjectStore, kind: string): Promise<{ key: string; value: T }[]> {
  const out: { key: string; value: T }[] = [];
  for (const [key, a] of Object.entries(store.manifest.artefacts)) {
    if (a.kind !== kind || !a.blob) continue;
    try {
      out.push({ key, value: JSON.parse((await store.readBlob(a.blob)).toString('utf8')) as T });
    } catch {
      // A missing or corrupt blob leaves this analysis out rather than failing the report.
    }
  }
  return out.sort((x, y) => x.key.localeCompare(y.key));
}

const effectRows = (e: Record<string, Effect>): (string | number)[][] => Object.entries(e).map(([k, v]) => [EFFECT[k] ?? k, v.mean, v.lo, v.hi, String(v.n)]);
const EFFECT_HEADER = ['change', 'mean output change', '95% CI low', '95% CI high', 'n'];

export async function causalFeaturesSection(store: ProjectStore): Promise<ReportSection | null> {
  const batches = await readAllBatches(store).catch(() => []);
  const verdicts = await savedJson<CausalQueriesVerdictResult>(store, 'causal-queries-verdict');
  const results = await savedJson<CausalFeaturesResult>(store, 'causal-features');
  if (!batches.length && !results.length) return null;

  const paragraphs = [
    'Visual causal feature learning (seed 001) separates the image features that cause the label from those that only correlate with it. A causal predictor C is trained on answers to causal queries (Algorithm 1); a manipulator changes images towards the other causal class and asks again (Algorithm 2). The classifier under audit is then compared with C: its output should move when the cause changes and stay put when only a spurious feature does.',
  ];
  const tables: NonNullable<ReportSection['tables']> = [];
  const charts: NonNullable<ReportSection['charts']> = [];
  const strips: NonNullable<ReportSection['strips']> = [];
  const data: Record<string, unknown> = {};

  if (batches.length) {
    const rows = batches.map(({ batch, answers }) => {
      const answered = batch.queries.filter((q) => answers[q.index]);
      const present = answered.filter((q) => answers[q.index].answer === 'present').length;
      const hit = answered.filter((q) => (answers[q.index].answer === 'present' ? 1 : 0) === q.targetClass).length;
      const agree = answered.filter((q) => answers[q.index].answer === q.truth).length;
      return { batch, answers, answered, present, hit, agree };
    });
    const total = rows.reduce((s, r) => s + r.answered.length, 0);
    paragraphs.push(
      `The auditor answered ${total} causal ${total === 1 ? 'query' : 'queries'} in ${batches.length} ${batches.length === 1 ? 'batch' : 'batches'}: for each manipulated image, whether the causal feature is present.` +
        (total ? ` The manipulation reached its target class in ${rows.reduce((s, r) => s + r.hit, 0)} of ${total} answered queries (the auditor's MErr is the rest); the answers agree with the scripted agent in ${rows.reduce((s, r) => s + r.agree, 0)} of ${total}.` : ''),
    );
    tables.push({
      caption: "The auditor's answers per batch (MErr: answered manipulations not in their target class)",
      header: ['batch', 'experiment', 'feature', 'answered', 'of', 'present', 'absent', 'auditor MErr', 'agreement with scripted agent'],
      rows: rows.map((r) => [r.batch.batchId, EXPERIMENT[r.batch.experiment], r.batch.feature, String(r.answered.length), String(r.batch.queries.length), String(r.present), String(r.answered.length - r.present), r.answered.length ? 1 - r.hit / r.answered.length : null, r.answered.length ? r.agree / r.answered.length : null]),
    });
    const shown = rows.find((r) => r.answered.length);
    if (shown) {
      strips.push({
        title: `Answered causal queries (${shown.batch.batchId})`,
        caption: 'Pairs of original and manipulated image, captioned with the target of the manipulation and the auditor’s answer.',
        frames: shown.answered.slice(0, EXAMPLES / 2).flatMap((q) => [
          { image: q.original, caption: `original ${q.index + 1}` },
          { image: q.manipulated, caption: `target ${q.targetClass ? 'present' : 'absent'} · auditor: ${shown.answers[q.index].answer}` },
        ]),
      });
    }
    data.batches = rows.map((r) => ({ batchId: r.batch.batchId, experiment: r.batch.experiment, count: r.batch.queries.length, answered: r.answered.length, present: r.present, reachedTarget: r.hit, agreeWithScripted: r.agree }));
  }

  for (const { value: v } of verdicts) {
    paragraphs.push(
      `C retrained with the auditor's ${v.answered} answers (${EXPERIMENT[v.experiment]}, batch ${v.batchId}): ${v.after.verdict.text} Before the answers (Algorithm 1 only): ${v.before.verdict.text}`,
      `Classifier under audit, measured against the same test images: ${v.observational.verdict.text}`,
    );
    tables.push({
      caption: `Feature effects with the auditor's answers (batch ${v.batchId}): mean change of the output when the feature is added, 95% bootstrap interval`,
      header: EFFECT_HEADER,
      rows: [...effectRows(v.after.effects), ...effectRows(v.observational.effects)],
    });
  }
  data.verdicts = verdicts.map((v) => ({ batchId: v.value.batchId, answered: v.value.answered, auditorMerr: v.value.auditorMerr, agreement: v.value.agreement, leansOnSpurious: v.value.observational.verdict.leansOnSpurious, after: v.value.after.effects, observational: v.value.observational.effects }));

  for (const { value: r } of results) {
    const name = EXPERIMENT[r.experiment] ?? r.experiment;
    const c = r.curves;
    paragraphs.push(
      `${name}, scripted agent, ${c.length} iterations: Algorithm 1 merged ${r.observationalClasses.length} observational classes into ${r.causalValues.length} causal classes (P(T | do) ${r.causalValues.map((x) => x.toFixed(2)).join(', ')}); MErr went from ${c[0]?.merr.toFixed(3) ?? 'n/a'} to ${c.at(-1)?.merr.toFixed(3) ?? 'n/a'}, MDist from ${c[0]?.mdist.toFixed(3) ?? 'n/a'} to ${c.at(-1)?.mdist.toFixed(3) ?? 'n/a'}.`,
      `Verdict on the classifier under audit (${name}): ${r.verdicts.observational.text}`,
      `The causal predictor C: ${r.verdicts.causal.text}`,
    );
    tables.push({ caption: `Feature effects (${name}): mean change of the output when the feature is added, 95% bootstrap interval`, header: EFFECT_HEADER, rows: effectRows(r.effects) });
    charts.push({
      title: `MErr and MDist per iteration (${name})`,
      xLabel: 'iteration',
      yLabel: 'MErr / MDist',
      y0: 0,
      y1: 1,
      series: [
        { name: 'MErr', points: c.map((s) => [s.iteration, s.merr] as [number, number]) },
        { name: 'MDist', points: c.map((s) => [s.iteration, s.mdist] as [number, number]) },
      ],
    });
    const ex = r.examples.last.slice(0, EXAMPLES / 2);
    if (ex.length) {
      strips.push({
        title: `Manipulations of the last iteration (${name})`,
        caption: 'Pairs of original and manipulated image; captions give the causal class of the original, the target, and the agent’s answer.',
        frames: ex.flatMap((p) => [
          { image: p.original, caption: `class ${p.fromClass}` },
          { image: p.manipulated, caption: `→ ${p.targetClass}, agent ${p.answerClass}` },
        ]),
      });
    }
  }
  data.experiments = results.map(({ value: r }) => ({ experiment: r.experiment, seed: r.seed, causalValues: r.causalValues, curves: r.curves.map((s) => ({ iteration: s.iteration, merr: s.merr, mdist: s.mdist })), effects: r.effects, leansOnSpurious: r.verdicts.observational.leansOnSpurious }));

  last = [
    {
      name: 'Visual causal feature learning',
      settings: { batches: batches.length, answered: batches.reduce((s, b) => s + Object.keys(b.answers).length, 0), experiments: results.map((r) => r.value.experiment) },
      reference: 'Seed 001: causal coarsening theorem, Algorithm 1 (causal predictor), Algorithm 2 (manipulator, a = 0.5), MErr/MDist (Eqs. 2-3); effects with percentile bootstrap intervals',
    },
  ];
  return { id: 'causal-features', title: 'Causal features', paragraphs, data, tables, charts, strips };
}

registerReportProvider({
  id: 'causal-features',
  async section(rc) {
    last = [];
    return causalFeaturesSection(rc.store);
  },
  methods: () => last,
});
