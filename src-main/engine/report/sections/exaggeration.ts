// Report section of progressive exaggeration (seed 004; METHODS.md section 1), from results
// SAVED in the project: the quality metrics of each explainer (artefacts
// `exaggeration-metrics:<name>`) and the latest generated series (`exaggeration-series:latest`).
// Selected cases get a 3-frame strip (f -> low, reconstruction, f -> high) when such a result
// names an explainer of the current classifier. Nothing is said when none was saved.
// No image identifiers: series are captioned by row index, label and split only.
import type { ProjectStore } from '../../project/store';
import { savedExaggerationMetrics as savedMetrics } from '../../jobs/exaggeration-metrics';
import { SERIES_ARTEFACT, type SeriesResult } from '../../jobs/exaggeration-series';
import { explainerRecord, projectExplainer } from '../../explain/exaggeration/project';
import { frameOf, seriesForRows } from '../../explain/exaggeration/series';
import { binOf } from '../../explain/exaggeration/bins';
import { greyPngDataUrl } from '../../explain/exaggeration/render';
import { registerReportProvider, type ReportContext } from '../providers';
import type { ReportSection } from '../model';

const REFERENCE = 'Singla, Pollack, Chen & Batmanghelich, Explanation by Progressive Exaggeration, ICLR 2020 (seed 004)';
/** Series strips shown in the section at most (the saved series may hold up to 64). */
const MAX_STRIPS = 4;

const f3 = (v: number | null | undefined): string => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(3));
const ci = (b: { value: number | null; lo: number | null; hi: number | null }): string => `${f3(b.value)} (${f3(b.lo)}–${f3(b.hi)})`;

async function readJson<T>(store: ProjectStore, key: string): Promise<T | null> {
  const a = store.manifest.artefacts[key];
  if (!a?.blob) return null;
  try {
    return JSON.parse((await store.readBlob(a.blob)).toString('utf8')) as T;
  } catch {
    return null;
  }
}

async function savedSeries(store: ProjectStore, modelHash: string | null): Promise<SeriesResult | null> {
  const r = await readJson<SeriesResult>(store, SERIES_ARTEFACT);
  return r && r.classifierHash === modelHash ? r : null;
}

/** The explainer of the latest saved result, when it is still in the project and fits the classifier. */
function panelExplainer(store: ProjectStore, modelHash: string | null, names: string[]): string | null {
  for (const n of names) {
    const rec = explainerRecord(store, n);
    if (rec && rec.classifierHash === modelHash) return n;
  }
  return null;
}

// What the last section() call used, for methods() (export-report asks section first).
let used: { explainers: string[]; bins: number | null } | null = null;
// Explainer for the case panels, decided by section().
let casesExplainer: string | null = null;

async function section(rc: ReportContext): Promise<ReportSection | null> {
  used = null;
  casesExplainer = null;
  const modelHash = rc.model.hash ?? null;
  const metrics = await savedMetrics(rc.store, modelHash);
  const series = await savedSeries(rc.store, modelHash);
  if (!metrics.length && !series) return null;

  const paragraphs = [
    'Progressive exaggeration: for a query image, a generator trained against the frozen classifier produces one frame per bin of the classifier output f, so that f walks from one end of [0, 1] to the other while the image stays close to the query. What changes along the series is what the classifier responds to.',
  ];
  const tables: NonNullable<ReportSection['tables']> = [];
  const charts: NonNullable<ReportSection['charts']> = [];
  const strips: NonNullable<ReportSection['strips']> = [];

  if (metrics.length) {
    paragraphs.push(
      'The knob column says how frames were made: seed 004 conditions the generator on one bin per frame; the calibrated knob (an addition of this tool) bisects between neighbouring bins\' conditions until f meets each bin\'s centre, keeping the plain frame when that is closer. Compatibility: Pearson correlation of target-bin centre and achieved f over all frames, fraction of frames landing in their target bin, fraction of monotone series. Self-consistency: mean L1 between the query and its reconstruction I(x, f(x)) (images in [0, 1]), cycle L1, and latent space closeness (LSC). Frechet distance between real queries and generated frames in the stated feature space (lower is more realistic).',
    );
    tables.push({
      caption: 'Quality of the explainers (saved metrics)',
      header: ['Explainer', 'Knob', 'Split', 'Queries', 'Bins', 'Target correlation', 'In target bin', 'Monotone', 'Mean |f − target|', 'Reconstruction L1', 'Cycle L1', 'LSC', 'Frechet'],
      rows: metrics.map((m) => [
        m.explainer,
        (m as { calibrated?: boolean }).calibrated ? 'calibrated' : 'seed 004',
        m.split,
        String(m.queries),
        String(m.bins),
        m.compatibility.targetCorrelation,
        m.compatibility.inTargetBin,
        m.compatibility.monotone,
        m.compatibility.meanAbsError,
        m.selfConsistency.reconstructionL1,
        m.selfConsistency.cycleL1,
        m.selfConsistency.lsc,
        m.frechet ? m.frechet.overall : null,
      ]),
    });
    const conf = metrics.filter((m) => m.confounding);
    if (conf.length) {
      paragraphs.push(
        'Confounding (bias detection, seed 004 section 4.4): an oracle classifier for the attribute judges the query and the two end frames; the metric is the fraction of explanations whose attribute decision differs from the query’s, with a bootstrap 95% interval. A large value means the classifier’s explanations add or remove the attribute, i.e. the classifier relies on it.',
      );
      tables.push({
        caption: 'Confounding metric',
        header: ['Explainer', 'Attribute', 'Present =', 'Oracle val AUC', 'f → 0: changed', 'f → 1: changed', 'Overall'],
        rows: conf.map((m) => {
          const c = m.confounding!;
          return [m.explainer, c.attribute, c.positive, c.oracleValAuc, ci(c.low.changed), ci(c.high.changed), ci(c.overall)];
        }),
      });
    }
    charts.push({
      title: 'Target vs achieved f (mean per target bin)',
      xLabel: 'target f (bin centre)',
      yLabel: 'achieved f',
      y0: 0,
      y1: 1,
      series: [
        { name: 'ideal', points: metrics[0].compatibility.perBin.map((b) => [b.target, b.target] as [number, number]) },
        ...metrics.map((m) => ({ name: m.explainer, points: m.compatibility.perBin.map((b) => [b.target, b.meanF] as [number, number]) })),
      ],
    });
  }

  if (series) {
    const items = series.items.slice(0, MAX_STRIPS);
    paragraphs.push(
      `Latest generated series (explainer ${series.explainer}, ${series.items.length} image${series.items.length === 1 ? '' : 's'}${series.items.length > items.length ? `, the first ${items.length} shown` : ''}): the query first, then one frame per target bin with the classifier’s P(${series.positiveClass}) under it.`,
    );
    for (const it of items) {
      const s = it.series;
      strips.push({
        title: `Image #${it.index} (${it.label}, ${it.split})`,
        caption: `${s.calibrated ? 'Calibrated knob (not in seed 004). ' : ''}${s.frames.filter((f) => f.inTargetBin).length} of ${s.bins} frames in their target bin; largest pixel difference to the query ${f3(s.maxDifference)}.`,
        frames: [{ image: s.query.png, caption: `query f=${f3(s.query.f)}` }, ...s.frames.map((f) => ({ image: f.png, caption: `f=${f3(f.f)} (t ${f.target.toFixed(2)})` }))],
      });
    }
    if (!metrics.length) {
      charts.push({
        title: 'Target vs achieved f (latest series)',
        xLabel: 'target f (bin centre)',
        yLabel: 'achieved f',
        y0: 0,
        y1: 1,
        series: [
          { name: 'ideal', points: items[0].series.frames.map((f) => [f.target, f.target] as [number, number]) },
          ...items.map((it) => ({ name: `#${it.index}`, points: it.series.frames.map((f) => [f.target, f.f] as [number, number]) })),
        ],
      });
    }
  }

  const names = [...new Set([...(series ? [series.explainer] : []), ...metrics.map((m) => m.explainer)])];
  casesExplainer = panelExplainer(rc.store, modelHash, names);
  used = { explainers: names, bins: metrics[0]?.bins ?? series?.items[0]?.series.bins ?? null };
  return {
    id: 'exaggeration',
    title: 'Progressive exaggeration',
    paragraphs,
    findings: metrics
      .filter((m) => m.confounding)
      .map((m) => {
        const c = m.confounding!;
        return `Exaggerating the classifier's output changes the oracle's '${c.attribute}' decision in ${(100 * (c.overall.value ?? 0)).toFixed(0)}% of ${m.queries} series (95% CI ${(100 * (c.overall.lo ?? 0)).toFixed(0)}–${(100 * (c.overall.hi ?? 0)).toFixed(0)}%; explainer ${m.explainer}): the higher it is, the more the classifier's decision moves with '${c.attribute}'.`;
      }),
    tables,
    charts,
    strips,
    data: {
      metrics: metrics.map((m) => ({
        explainer: m.explainer,
        explainerHash: m.explainerHash,
        split: m.split,
        queries: m.queries,
        bins: m.bins,
        compatibility: m.compatibility,
        selfConsistency: m.selfConsistency,
        frechet: m.frechet,
        confounding: m.confounding,
        evaluatedAt: m.evaluatedAt,
      })),
      series: series
        ? {
            explainer: series.explainer,
            explainerHash: series.explainerHash,
            items: series.items.map((it) => ({ index: it.index, label: it.label, split: it.split, fQuery: it.series.query.f, f: it.series.frames.map((f) => f.f), target: it.series.frames.map((f) => f.target) })),
          }
        : null,
    },
  };
}

async function casePanels(rc: ReportContext, index: number): Promise<{ title: string; image: string; caption?: string }[]> {
  if (!casesExplainer) return [];
  try {
    const { explainer } = await projectExplainer(rc.store, casesExplainer, rc.model);
    const s = await seriesForRows(explainer, rc.model, rc.images, [index]);
    const k = s.bins;
    const rec = binOf(s.fQuery[0], k);
    const panel = async (bin: number, title: string) => ({ title, image: await greyPngDataUrl(frameOf(s, 0, bin), s.side), caption: `f=${f3(s.fFrames[bin])}` });
    return [await panel(0, 'exaggerated: f → 0'), await panel(rec, 'reconstruction'), await panel(k - 1, 'exaggerated: f → 1')];
  } catch {
    // A missing or mismatched explainer leaves the case without series panels.
    return [];
  }
}

registerReportProvider({
  id: 'exaggeration',
  section,
  casePanels,
  methods: () =>
    used
      ? [
          {
            name: 'Progressive exaggeration (counterfactual series)',
            settings: { explainers: used.explainers, bins: used.bins, casePanels: casesExplainer },
            reference: `${REFERENCE}; quality metrics per METHODS.md section 1 (compatibility, self-consistency, Frechet distance, confounding with bootstrap intervals)`,
          },
        ]
      : [],
});
