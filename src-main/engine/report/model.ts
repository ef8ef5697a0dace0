// The report model: every number a review board files, gathered from the project. HTML, PDF
// and JSON are renderings of this one object. Sections that need analyses not yet run say so.
import pkg from '../../../package.json';
import * as tf from '@tensorflow/tfjs';
import type { EvaluationResult } from '../../api/contract';
import type { ProjectStore } from '../project/store';
import { modelRecord } from '../models/project-model';
import { summarize, type ImageSet } from '../data/image-set';
import { activeBackend } from '../backend';

export interface ReportCase {
  id: string;
  label: string;
  probability: number;
  /** PNG data URLs: the image and, when computed, maps and series frames. */
  image: string;
  panels: { title: string; image: string; caption?: string }[];
}

export interface ReportSection {
  id: string;
  title: string;
  /** Plain paragraphs (no HTML). */
  paragraphs: string[];
  /** Optional data for this section (kept verbatim in the JSON export). */
  data?: unknown;
  /** Plain-language findings added to the report's summary. */
  findings?: string[];
  /** Tables: header row, then rows of plain cells (numbers are formatted to 3 decimals). */
  tables?: { caption?: string; header: string[]; rows: (string | number | null)[][] }[];
  /** Line charts drawn as inline SVG (same series format as the evaluation's curves). */
  charts?: { title: string; xLabel: string; yLabel: string; series: { name: string; points: [number, number][] }[]; y0?: number; y1?: number }[];
  /** Image strips: each a row of PNG data URLs with captions (series frames, sweeps, maps). */
  strips?: { title: string; caption?: string; frames: { image: string; caption?: string }[] }[];
}

export interface ReportModel {
  format: 'xray-audit-report';
  version: 1;
  generatedAt: string;
  app: { name: string; version: string; tfjs: string; backend: string | null };
  project: { name: string; id: string; revision: number };
  findings: string[];
  dataset: {
    name: string;
    source: string;
    contentHash: string;
    size: number;
    count: number;
    perClass: Record<string, number>;
    perSplit: Record<string, number>;
    perAttribute: Record<string, Record<string, number>>;
  } | null;
  model: { name: string; hash: string; inputSize: number; channels: number; classNames: string[]; positiveClass: string; normalization: unknown; provenance: unknown } | null;
  evaluation: EvaluationResult | null;
  cases: ReportCase[];
  sections: ReportSection[];
  methods: { name: string; settings: Record<string, unknown>; reference: string }[];
  limitations: string[];
  identifiers: 'none' | 'kept-by-request';
}

const fmt = (v: number | null | undefined, d = 3): string => (v === null || v === undefined ? 'n/a' : v.toFixed(d));

/** Plain-language findings from the evaluation: the headline metric and every flagged gap. */
export function findingsFrom(ev: EvaluationResult | null): string[] {
  if (!ev) return ['The model has not been evaluated yet: no performance figures are reported.'];
  const m = ev.evaluation.metrics;
  const out = [
    `On the ${ev.split} split (n = ${ev.evaluation.n}, ${ev.evaluation.positives} ${ev.positiveClass}), ROC AUC is ${fmt(m.rocAuc?.value)} (95% CI ${fmt(m.rocAuc?.lo)}–${fmt(m.rocAuc?.hi)}); at threshold ${ev.evaluation.threshold}, sensitivity ${fmt(m.sensitivity?.value)} and specificity ${fmt(m.specificity?.value)}.`,
    `Calibration: expected calibration error ${fmt(ev.evaluation.calibration.ece)} (${ev.evaluation.calibration.bins.length} bins).`,
  ];
  if (!ev.subgroups) out.push('No attribute columns were available, so no subgroup audit was possible.');
  for (const set of ev.subgroups?.attributes ?? []) {
    if (!set.flagged.length) {
      out.push(`Subgroups by ${set.key}: no performance gap whose interval excludes zero.`);
      continue;
    }
    const dp = set.demographicParity;
    const eo = set.equalizedOdds;
    out.push(
      `Subgroups by ${set.key}: gaps flagged (${set.flagged.join(', ')}). Demographic-parity difference ${fmt(dp.value)} (${fmt(dp.lo)}–${fmt(dp.hi)}) between ${dp.high} and ${dp.low}; equalized-odds difference ${fmt(eo.value)} (${fmt(eo.lo)}–${fmt(eo.hi)}).`,
    );
  }
  const small = (ev.subgroups?.attributes ?? []).flatMap((s) => s.groups.filter((g) => g.small).map((g) => g.label));
  if (small.length) out.push(`Small subgroups, interpret with care: ${small.slice(0, 12).join(', ')}${small.length > 12 ? ', …' : ''}.`);
  return out;
}

export interface ReportInputs {
  store: ProjectStore;
  images: ImageSet | null;
  evaluation: EvaluationResult | null;
  cases?: ReportCase[];
  sections?: ReportSection[];
  methods?: ReportModel['methods'];
}

export function buildReport(inp: ReportInputs): ReportModel {
  const m = inp.store.manifest;
  const rec = modelRecord(inp.store);
  const s = inp.images ? summarize(inp.images) : null;
  const methods: ReportModel['methods'] = [
    {
      name: 'Evaluation with bootstrap intervals',
      settings: inp.evaluation ? { split: inp.evaluation.split, threshold: inp.evaluation.evaluation.threshold, ...inp.evaluation.evaluation.bootstrap } : {},
      reference: 'Percentile bootstrap (Efron & Tibshirani 1993); ROC AUC by Mann-Whitney with average ranks; ECE with equal-width bins',
    },
    {
      name: 'Subgroup audit',
      settings: inp.evaluation?.subgroups ? { minGroupSize: inp.evaluation.subgroups.minGroupSize, threshold: inp.evaluation.subgroups.threshold } : {},
      reference: 'Per-group metrics with bootstrap intervals; largest gap, equalized-odds and demographic-parity differences (Hardt et al. 2016); flagged when the Bonferroni-adjusted interval excludes zero',
    },
    ...(inp.methods ?? []),
  ];
  return {
    format: 'xray-audit-report',
    version: 1,
    generatedAt: new Date().toISOString(),
    app: { name: pkg.name, version: pkg.version, tfjs: tf.version.tfjs, backend: activeBackend()?.name ?? null },
    project: { name: m.name, id: m.id, revision: m.revision },
    findings: [...findingsFrom(inp.evaluation), ...(inp.sections ?? []).flatMap((x) => x.findings ?? [])],
    dataset:
      m.dataset && s
        ? {
            name: m.dataset.name,
            source: m.dataset.source.description,
            contentHash: m.dataset.contentHash,
            size: m.dataset.size,
            count: m.dataset.count,
            perClass: s.perClass,
            perSplit: s.perSplit,
            perAttribute: s.perAttribute,
          }
        : null,
    model: rec
      ? {
          name: rec.name,
          hash: rec.hash,
          inputSize: rec.sidecar.inputSize,
          channels: rec.sidecar.channels,
          classNames: rec.sidecar.classNames,
          positiveClass: rec.sidecar.classNames[rec.sidecar.positiveClass],
          normalization: rec.sidecar.normalization,
          provenance: rec.sidecar.provenance,
        }
      : null,
    evaluation: inp.evaluation,
    cases: inp.cases ?? [],
    sections: inp.sections ?? [],
    methods,
    limitations: [
      'Bootstrap intervals treat images as independent; several images of one patient, or paired images, make them too narrow or too wide.',
      'A flagged subgroup gap is a prompt to investigate, not a verdict: about a dozen metrics are compared per attribute without correction across metrics.',
      'Metrics describe this data set only; performance on another population, scanner or prevalence can differ.',
      'Explanations (saliency maps, counterfactual series) describe the model’s behaviour, not clinical causation.',
    ],
    identifiers: m.keepIdentifiers ? 'kept-by-request' : 'none',
  };
}
