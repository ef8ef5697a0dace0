// Generative causal explanation (seed 000) in the report, from the newest 'causal-factors'
// result saved in the project for the current classifier: the certificate and the rest of the
// result in words, the per-factor influence as a table, the training curve of C, and each
// factor's sweep as a strip of 9 frames captioned with the classifier's output. No saved result
// for this classifier: no section. Image ids are left out (strips are captioned by label only).
import sharp from 'sharp';
import type { CausalFactorsResult } from '../../../api/schemas/causal-factors';
import { causalFactorsInWords, certificateBound } from '../../../api/schemas/causal-factors-saved';
import { latestCausalFactors } from '../../explain/causal/saved';
import type { ReportModel, ReportSection } from '../model';
import { registerReportProvider } from '../providers';

const SWEEP_IMAGES = 2;
const CHART_POINTS = 200;

let last: ReportModel['methods'] = [];

/** The 9 frames of a filmstrip PNG (frames side by side, square), as PNG data URLs. */
async function splitFilmstrip(png: string, frames: number): Promise<string[]> {
  const buf = Buffer.from(png.replace(/^data:image\/png;base64,/, ''), 'base64');
  const meta = await sharp(buf).metadata();
  const side = meta.height ?? 0;
  if (!side || (meta.width ?? 0) < side * frames) return [];
  return Promise.all(
    Array.from({ length: frames }, async (_, i) => {
      const out = await sharp(buf).extract({ left: i * side, top: 0, width: side, height: side }).png().toBuffer();
      return `data:image/png;base64,${out.toString('base64')}`;
    }),
  );
}

/** The classifier's output under a frame: P(positive) for two classes, else the MAP class and its probability. */
export function outputCaption(probs: number[], classNames: string[]): string {
  if (probs.length === 2) return probs[1].toFixed(2);
  const y = probs.indexOf(Math.max(...probs));
  return `${classNames[y] ?? y} ${probs[y].toFixed(2)}`;
}

/** What the frame captions show. */
const outputName = (classNames: string[]): string => (classNames.length === 2 ? `P(${classNames[1]})` : 'the most probable class and its probability');

const sigma = (v: number): string => `${v > 0 ? '+' : ''}${v.toFixed(2).replace(/\.?0+$/, '')}σ`;

export async function causalFactorsSection(name: string, savedAt: string, r: CausalFactorsResult): Promise<ReportSection> {
  const inf = r.influence;
  const paragraphs = [
    `A generative explainer g(alpha, beta) (seed 000, "Generative causal explanations of black-box classifiers") was trained against the audited classifier, which stays frozen: its ${r.options.k} causal factor${r.options.k === 1 ? '' : 's'} alpha should carry the classifier's behaviour and its ${r.options.l} non-causal factors beta the rest of the images' variation. Sweeping one factor from -3 to +3 prior standard deviations and decoding shows what that factor changes in the image, and the classifier's output under each frame shows whether the classifier responds to it.`,
    ...causalFactorsInWords(r),
  ];
  const tables: NonNullable<ReportSection['tables']> = [
    {
      caption: `Influence I(factor; Y) of each factor on the classifier's output (nats; at most log ${r.classNames.length} = ${inf.logM.toFixed(3)})`,
      header: ['factor', 'role', 'I (nats)', 'share of log M'],
      rows: [
        ['alpha (joint)', 'causal', inf.joint, inf.joint / inf.logM],
        ...inf.perFactor.map((f) => [f.name, f.causal ? 'causal' : 'non-causal', f.nats, f.nats / inf.logM]),
      ],
    },
    {
      caption: 'Capacity certificate (seed 000, Appendix F): MAP error bound pi <= (log2 M - I / ln 2) / 2',
      header: ['classes M', 'I(alpha;Y) (nats)', 'error bound pi', 'decisions explained at least'],
      rows: [[String(r.classNames.length), inf.joint, r.certificate.errorBound ?? `n/a (${certificateBound(r.classNames.length, inf.joint).toFixed(3)} > 1/2)`, r.certificate.explained]],
    },
  ];
  const every = Math.max(1, Math.ceil(r.history.length / CHART_POINTS));
  const hist = r.history.filter((_, i) => i % every === 0 || i === r.history.length - 1);
  const charts: NonNullable<ReportSection['charts']> = hist.length
    ? [
        {
          title: 'Training: C, the running estimate of I(alpha;Y)',
          xLabel: 'step',
          yLabel: 'nats',
          y0: 0,
          y1: inf.logM,
          series: [
            { name: 'C (training estimate)', points: hist.map((h): [number, number] => [h.step, h.C]) },
            { name: `log ${r.classNames.length}`, points: [[hist[0].step, inf.logM], [hist[hist.length - 1].step, inf.logM]] },
          ],
        },
      ]
    : [];
  const strips: NonNullable<ReportSection['strips']> = [];
  for (const [i, s] of r.sweeps.slice(0, SWEEP_IMAGES).entries()) {
    for (const f of s.factors) {
      const frames = f.png ? await splitFilmstrip(f.png, f.values.length) : [];
      if (!frames.length) continue;
      strips.push({
        title: `Image ${i + 1} (label ${s.label}): ${f.name}, ${f.causal ? 'causal' : 'non-causal'}`,
        caption: `Captions: the factor's value (prior s.d.) · the classifier's ${outputName(r.classNames)}. Reconstruction: ${outputCaption(s.reconstructionProbs, r.classNames)}; the output stays within 0.1 of it in ${(100 * f.stableFraction).toFixed(0)}% of the frames (largest shift ${Math.max(...f.maxShift).toFixed(2)}).`,
        frames: frames.map((image, j) => ({ image, caption: `${sigma(f.values[j])} · ${outputCaption(f.probs[j], r.classNames)}` })),
      });
    }
  }
  return {
    id: 'causal-factors',
    title: 'Causal factors',
    paragraphs,
    data: {
      explainer: name,
      savedAt,
      classifierHash: r.classifierHash,
      classNames: r.classNames,
      options: r.options,
      steps: r.steps,
      trainSeconds: r.trainSeconds,
      influence: inf,
      certificate: r.certificate,
      sweeps: r.sweeps.slice(0, SWEEP_IMAGES).map((s) => ({ label: s.label, reconstructionProbs: s.reconstructionProbs, factors: s.factors.map(({ png: _png, ...f }) => f) })),
    },
    tables,
    charts,
    strips,
  };
}

registerReportProvider({
  id: 'causal-factors',
  async section(rc) {
    last = [];
    const saved = await latestCausalFactors(rc.store, { matchingOnly: true });
    if (!saved) return null;
    const r = saved.result;
    last = [
      {
        name: 'Generative causal explanation (causal factors)',
        settings: { explainer: saved.name, ...r.options, stepsRun: r.steps, evalNAlpha: r.influence.nAlpha, evalNBeta: r.influence.nBeta, sweepImages: r.sweeps.length },
        reference: 'Seed 000 (O’Shaughnessy et al. 2020): objective C(alpha;Y) + lambda·D, Algorithm 2 estimator of I(alpha;Y), capacity certificate of Appendix F',
      },
    ];
    return causalFactorsSection(saved.name, saved.savedAt, r);
  },
  methods: () => last,
});
