// The invariance analysis (seed 003) in the report, from the newest analysis saved in the
// project for the current model: the verdict in words, the invariance curves as a chart and a
// table, the gallery of invariantly transformed samples, the latent counterfactuals and the
// k = 1 / k = 2 divergence maps. No analysis saved: no section. Image ids are left out (the
// frames are captioned by labels only).
import { curvePoints, invarianceVerdict } from '../../../api/schemas/invariance-saved';
import type { InvarianceAnalysisResult, SigmaCurve } from '../../../api/schemas/invariance';
import { latestInvarianceAnalysis, listInvariances } from '../../explain/invariance/saved';
import type { ReportModel, ReportSection } from '../model';
import { registerReportProvider } from '../providers';

const QUERIES = 2;
const SAMPLES = 6;
const DIMENSIONS = 4;

let last: ReportModel['methods'] = [];

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${(100 * v).toFixed(0)}%`);

export function invarianceSection(r: InvarianceAnalysisResult, surrogate?: { labels: string; z1: number; z2: number; final: Record<string, number>; epochsRun: number | null }): ReportSection {
  const c = r.curves;
  const v = invarianceVerdict(r);
  const paragraphs = [
    'A supervised VAE surrogate (seed 003) splits the latent code of each image into z1, read by a classifier head trained to reproduce the audited model, and z2, used only to reconstruct the image. Resampling z2 and decoding shows what the model is insensitive to; resampling z1 is the control and should bring agreement down to chance.',
  ];
  if (surrogate) {
    paragraphs.push(
      `Surrogate '${r.name}': ${surrogate.z1} z1 and ${surrogate.z2} z2 dimensions, trained on ${surrogate.labels === 'model' ? "the audited model's decisions" : "the data set's labels"}` +
        `${surrogate.epochsRun !== null ? ` for ${surrogate.epochsRun} epochs` : ''}; its head agrees with the audited model on ${pct(surrogate.final.agreement)} of held-out images.`,
    );
  }
  paragraphs.push(...v.sentences);
  if (c.reconstructionAgreement !== null) paragraphs.push(`The audited model keeps its decision on ${pct(c.reconstructionAgreement)} of plain reconstructions (z unchanged): the decoder's own loss of detail bounds what the verified curve can show.`);

  const named: [string, SigmaCurve | null][] = [
    ['SVAE head (z2 resampled)', c.svaeHead],
    ['audited model on decoded images', c.auditedClassifier],
    ['audited model, residual', c.auditedClassifierResidual],
    ['M2 (comparison)', c.m2],
    ['control: z1 resampled', c.z1Control],
    ['chance', c.chance.independent],
  ];
  const present = named.filter((n): n is [string, SigmaCurve] => n[1] !== null);
  const sigmas = curvePoints(c.svaeHead).map((p) => p[0]);

  const strips: NonNullable<ReportSection['strips']> = [];
  for (const g of r.gallery.slice(0, QUERIES)) {
    strips.push({
      title: `Invariant samples: label ${g.label}, surrogate ${g.predicted}, model ${g.audited ?? '—'}`,
      caption: `The image, its reconstruction, then decodings with z2 resampled (sigma < 2) whose surrogate label is unchanged (${g.samples.length} kept of ${g.draws} draws).`,
      frames: [
        { image: g.original, caption: 'image' },
        { image: g.reconstruction, caption: 'reconstruction' },
        ...g.samples.slice(0, SAMPLES).map((s, i) => ({ image: s, caption: `sample ${i + 1}` })),
      ],
    });
  }
  for (const s of r.counterfactuals.slice(0, QUERIES)) {
    strips.push({
      title: `Latent counterfactuals (z1 moved by ±${s.step} prior s.d.), surrogate ${s.predicted}`,
      caption: 'Each z1 dimension moved alone, decoded; captions give the surrogate label / the audited model’s decision. Then, per other class, the smallest single-dimension move that makes the surrogate predict it.',
      frames: [
        { image: s.center, caption: `centre · ${s.predicted}` },
        ...s.dimensions.slice(0, DIMENSIONS).flatMap((d) => [
          { image: d.minus.image, caption: `z1[${d.dim}]− ${d.minus.label}/${d.minus.audited ?? '—'}` },
          { image: d.plus.image, caption: `z1[${d.dim}]+ ${d.plus.label}/${d.plus.audited ?? '—'}` },
        ]),
        ...s.perClass.map((p) => ({ image: p.image, caption: `→ ${p.target}: z1[${p.dim}] ${p.delta > 0 ? '+' : ''}${p.delta}` })),
      ],
    });
  }
  for (const m of r.maps.slice(0, QUERIES * 2)) {
    strips.push({
      title: `KL attribution (${m.method}): what the model relies on (k = 1) and ignores (k = 2)`,
      caption: `Maps of d(x, x~) = KL(q(z_k|x) || q(z_k|x~)) with respect to the transformed sample x~; d = ${m.divergence.k1.toFixed(3)} (k = 1), ${m.divergence.k2.toFixed(3)} (k = 2).`,
      frames: [
        { image: m.sample, caption: 'sample x~' },
        { image: m.k1, caption: 'k = 1 (z1)' },
        { image: m.k2, caption: 'k = 2 (z2)' },
      ],
    });
  }

  return {
    id: 'invariances',
    title: 'Invariances',
    paragraphs,
    data: { name: r.name, split: r.split, n: c.n, sigmas: c.sigmas, verdict: v.level, curves: { svaeHead: c.svaeHead, auditedClassifier: c.auditedClassifier, m2: c.m2, z1Control: c.z1Control, chance: c.chance }, reconstructionAgreement: c.reconstructionAgreement, analysedAt: r.analysedAt },
    tables: [
      {
        caption: 'Share of images whose label is unchanged, per sigma of the resampled latent',
        header: ['sigma', ...present.map((n) => n[0])],
        rows: sigmas.map((s) => [s.toString(), ...present.map(([, curve]) => curvePoints(curve).find((p) => p[0] === s)?.[1] ?? null)]),
      },
    ],
    charts: [{ title: 'Invariance curves', xLabel: 'sigma', yLabel: 'label kept', y0: 0, y1: 1, series: present.map(([name, curve]) => ({ name, points: curvePoints(curve) })) }],
    strips,
  };
}

registerReportProvider({
  id: 'invariances',
  async section(rc) {
    last = [];
    const r = await latestInvarianceAnalysis(rc.store);
    if (!r) return null;
    const s = listInvariances(rc.store).surrogates.find((x) => x.name === r.name);
    last = [
      {
        name: 'Invariance analysis with a supervised VAE surrogate',
        settings: { surrogate: r.name, labels: s?.labels ?? null, z1: s?.z1 ?? null, z2: s?.z2 ?? null, split: r.split, images: r.curves.n, sigmas: r.curves.sigmas, methods: [...new Set(r.maps.map((m) => m.method))] },
        reference: 'Seed 003: supervised VAE (Eqs. 6-7), invariance test (section 3.0.1), KL attribution (Eq. 9); M2 after Kingma et al. 2014 (Eq. 8)',
      },
    ];
    return invarianceSection(r, s);
  },
  methods: () => last,
});
