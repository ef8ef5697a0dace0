// Subgroup audit: how the classifier performs for whom.
//
// For each attribute column, and each intersection of two columns, every metric is computed per
// group with a bootstrap interval. Groups that are small (fewer than `minGroupSize` samples) or
// lack a class are marked `small`, never hidden: a reader should see that the model was barely
// tested on them, and why their intervals are wide or their AUC is missing.
//
// Gaps. For each metric, the largest gap is the spread between the highest and the lowest group
// on the full sample. Its interval comes from resampling all rows jointly and computing, each
// time, the signed difference between those same two groups; `flagged` says the interval
// excludes zero. (Resampling the max-minus-min itself would not do: that statistic is positive
// in every resample, so its interval would exclude zero even for identical groups.) Picking the
// two extreme groups after looking at the data favours flags when there are more than two groups,
// so the interval is Bonferroni-widened over the k(k-1)/2 pairs that could have been picked (and
// over the two rates for equalized odds): with two groups it is the plain 95% interval. Each gap
// is still one test among several per attribute; a flag is a prompt to look, not a verdict.
//
// Groups with a missing value (null) are listed but never compared: "unknown" is not a group
// the model can be fair or unfair to. Small groups are left out of gaps by default too, since
// the extremes among noisy small groups would otherwise hide the disparities among large ones.
import { bootstrapMetrics, quantileSorted, resampleStatistics, resolveBootstrapOptions, type BootstrapOptions, type ResolvedBootstrapOptions } from './bootstrap';
import { metricFns, selectMetrics } from './evaluate';
import { bad, checkBinary, checkThreshold } from './input';
import { positiveRate } from './positive-rate';
import { deriveSeed } from './prng';
import { binaryMetrics, type MetricRegistry } from './registry';
import { sensitivity } from './sensitivity';
import { specificity } from './specificity';
import type { BinaryMetric, BootstrapInterval, Labels, MetricContext, MetricInfo, Scores } from './types';

/** Attribute columns: one value per sample; null (or undefined) means unknown. */
export type AttributeColumns = Record<string, readonly (string | null | undefined)[]>;

export interface SubgroupAuditOptions {
  /** Decision threshold (default 0.5): predicted positive when score >= threshold. */
  threshold?: number;
  /** Groups with fewer samples are marked small (default 30). */
  minGroupSize?: number;
  /** Metric ids (default: all registered). */
  metrics?: string[];
  /** Also audit every intersection of two attributes (default true). */
  intersections?: boolean;
  /** ECE bins (default 10). */
  eceBins?: number;
  /** Compare small groups in gaps too (default false; they are listed either way). */
  includeSmallInGaps?: boolean;
  bootstrap?: BootstrapOptions;
  registry?: MetricRegistry;
}

/** One subgroup (or the whole sample) with every metric and its interval. */
export interface GroupResult {
  /** Attribute values defining the group, aligned with its set's `attributes`; null = missing. */
  values: (string | null)[];
  /** E.g. "sex=F" or "sex=F & site=B"; "all" for the whole sample. */
  label: string;
  n: number;
  positives: number;
  negatives: number;
  /** True when n < minGroupSize or a class is absent: interpret with care. */
  small: boolean;
  /** Why the group is small, e.g. ["n < 30", "no positives"]. Empty when not small. */
  smallReasons: string[];
  /** True when any defining value is missing; such groups are listed but never compared. */
  missing: boolean;
  metrics: Record<string, BootstrapInterval>;
}

/** The largest gap of one quantity across the groups of one attribute set. */
export interface GapResult {
  /** Full-sample value of the higher group minus the lower one (>= 0); null when < 2 groups compare. */
  value: number | null;
  /** Labels of the groups with the highest and the lowest full-sample value. */
  high: string | null;
  low: string | null;
  /** Percentile interval of (high - low) over joint resamples; it may dip below zero. */
  lo: number | null;
  hi: number | null;
  resamples: number;
  /** Resamples in which both groups had a defined value. */
  used: number;
  /** Level of [lo, hi]: the audit's confidence, Bonferroni-adjusted over `comparisons`. */
  confidence: number;
  /** Comparisons the extreme pair was picked from (pairs of groups; twice that for equalized odds). */
  comparisons: number;
  /** The interval excludes zero (and at least half the resamples were usable). */
  flagged: boolean;
  /** Labels of the groups that were compared. */
  compared: string[];
  reason?: string;
}

/** Equalized-odds difference: max(|TPR gap|, |FPR gap|), the interval for whichever is larger. */
export interface EqualizedOddsResult extends GapResult {
  /** Which rate gives the difference; its `high`/`low` groups are that rate's extremes. */
  component: 'tpr' | 'fpr' | null;
  tprGap: number | null;
  fprGap: number | null;
}

/** Audit of one attribute, or of the intersection of two. */
export interface AttributeSetResult {
  /** "sex", or "sex × site" for an intersection. */
  key: string;
  attributes: string[];
  /** Groups in value order (natural sort, missing last). */
  groups: GroupResult[];
  /** Largest gap per metric id. */
  gaps: Record<string, GapResult>;
  equalizedOdds: EqualizedOddsResult;
  /** Gap in positive rate. */
  demographicParity: GapResult;
  /** Ids of flagged gaps: metric ids, 'equalizedOdds', 'demographicParity'. */
  flagged: string[];
}

/** The whole audit; plain JSON. */
export interface SubgroupAudit {
  n: number;
  positives: number;
  negatives: number;
  threshold: number;
  minGroupSize: number;
  metricInfo: MetricInfo[];
  bootstrap: ResolvedBootstrapOptions;
  overall: GroupResult;
  /** Single attributes in the order given, then intersections. */
  attributes: AttributeSetResult[];
}

const MISSING_LABEL = '(missing)';

interface GroupRows {
  values: (string | null)[];
  label: string;
  rows: Int32Array;
}

/** Natural order of values ("age 2" before "age 10"), missing last. */
function compareValues(a: (string | null)[], b: (string | null)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = x.localeCompare(y, 'en', { numeric: true });
    if (c !== 0) return c;
  }
  return 0;
}

/** Partitions rows by the values of the given attributes; returns groups and each row's group. */
function partition(columns: AttributeColumns, attrs: string[], n: number): { groups: GroupRows[]; groupOf: Int32Array } {
  const byKey = new Map<string, { values: (string | null)[]; rows: number[] }>();
  const keyOf: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    // String() guards against numeric codes slipping in from untyped JSON.
    const values = attrs.map((a) => {
      const v = columns[a][i];
      return v === null || v === undefined ? null : String(v);
    });
    const key = JSON.stringify(values);
    keyOf[i] = key;
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = { values, rows: [] }));
    g.rows.push(i);
  }
  const sorted = [...byKey.entries()].sort((a, b) => compareValues(a[1].values, b[1].values));
  const index = new Map(sorted.map(([key], gi) => [key, gi]));
  const groupOf = Int32Array.from(keyOf, (key) => index.get(key) as number);
  const groups = sorted.map(([, g]) => ({
    values: g.values,
    label: attrs.map((a, j) => `${a}=${g.values[j] ?? MISSING_LABEL}`).join(' & '),
    rows: Int32Array.from(g.rows),
  }));
  return { groups, groupOf };
}

function gather(rows: ArrayLike<number>, s: Float64Array, y: Int32Array): { s: Float64Array; y: Int32Array } {
  const gs = new Float64Array(rows.length);
  const gy = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    gs[i] = s[rows[i]];
    gy[i] = y[rows[i]];
  }
  return { s: gs, y: gy };
}

/**
 * Audits metrics per subgroup. Throws on malformed input (empty sample, columns of the wrong
 * length, labels other than 0/1, probabilities outside [0, 1] when a calibration metric is on).
 */
export function auditSubgroups(
  scores: Scores,
  labels: Labels,
  columns: AttributeColumns,
  options: SubgroupAuditOptions = {},
): SubgroupAudit {
  const threshold = options.threshold ?? 0.5;
  const minGroupSize = options.minGroupSize ?? 30;
  const eceBins = options.eceBins ?? 10;
  const includeSmall = options.includeSmallInGaps ?? false;
  checkThreshold(threshold);
  if (!Number.isInteger(minGroupSize) || minGroupSize < 0) bad(`minGroupSize must be a non-negative integer; got ${minGroupSize}`);
  const metrics = selectMetrics(options.registry ?? binaryMetrics, options.metrics);
  const { n, positives, negatives } = checkBinary(scores, labels, { probabilities: metrics.some((m) => m.needsProbabilities) });
  const names = Object.keys(columns);
  for (const a of names) {
    if (columns[a].length !== n) bad(`attribute '${a}' has ${columns[a].length} values for ${n} samples`);
  }
  const boot = resolveBootstrapOptions(options.bootstrap);
  const ctx: MetricContext = { threshold, eceBins };
  const fns = metricFns(metrics, ctx);
  const s = Float64Array.from(scores);
  const y = Int32Array.from(labels);

  const groupResult = (g: GroupRows, seedKey: string): GroupResult => {
    const d = gather(g.rows, s, y);
    const pos = d.y.reduce((a, b) => a + b, 0);
    const neg = d.y.length - pos;
    const smallReasons: string[] = [];
    if (d.s.length < minGroupSize) smallReasons.push(`n < ${minGroupSize}`);
    if (pos === 0) smallReasons.push('no positives');
    if (neg === 0) smallReasons.push('no negatives');
    return {
      values: g.values,
      label: g.label,
      n: d.s.length,
      positives: pos,
      negatives: neg,
      small: smallReasons.length > 0,
      smallReasons,
      missing: g.values.some((v) => v === null),
      metrics: bootstrapMetrics(d.s, d.y, fns, { ...boot, seed: deriveSeed(boot.seed, seedKey) }),
    };
  };

  const sets: string[][] = names.map((a) => [a]);
  if (options.intersections ?? true) {
    for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) sets.push([names[i], names[j]]);
  }

  const attributes = sets.map((attrs): AttributeSetResult => {
    const key = attrs.join(' × ');
    const { groups, groupOf } = partition(columns, attrs, n);
    const results = groups.map((g) => groupResult(g, `${key}|${g.label}`));
    const comparable = results.map((r) => !r.missing && (includeSmall || !r.small));
    return auditGaps(key, attrs, groups, results, comparable, groupOf, s, y, metrics, ctx, boot);
  });

  return {
    n,
    positives,
    negatives,
    threshold,
    minGroupSize,
    metricInfo: metrics.map(({ id, label, higherIsBetter, usesThreshold }) => ({ id, label, higherIsBetter, usesThreshold })),
    bootstrap: boot,
    overall: groupResult({ values: [], label: 'all', rows: Int32Array.from({ length: n }, (_, i) => i) }, 'all'),
    attributes,
  };
}

/** A quantity whose gap is tested: its value for a group's rows (NaN when undefined). */
type Quantity = (s: Float64Array, y: Int32Array) => number;

interface PlannedGap {
  id: string;
  /** Choices the extreme pair is picked among, per pair of groups (2 for equalized odds: TPR or FPR). */
  choicesPerPair: number;
  quantity: Quantity;
  /** Full-sample values per group (NaN where undefined). */
  full: number[];
}

/** Extremes among comparable groups with a defined value; null with a reason when < 2. */
function extremes(full: number[], comparable: boolean[]): { high: number; low: number; compared: number[] } | { reason: string; compared: number[] } {
  const compared = full.map((_, g) => g).filter((g) => comparable[g] && Number.isFinite(full[g]));
  if (compared.length < 2) {
    return { reason: `fewer than two comparable groups (missing, small or undefined groups are not compared)`, compared };
  }
  let high = compared[0];
  let low = compared[0];
  for (const g of compared) {
    if (full[g] > full[high]) high = g;
    if (full[g] < full[low]) low = g;
  }
  return { high, low, compared };
}

function auditGaps(
  key: string,
  attrs: string[],
  groups: GroupRows[],
  results: GroupResult[],
  comparable: boolean[],
  groupOf: Int32Array,
  s: Float64Array,
  y: Int32Array,
  metrics: BinaryMetric[],
  ctx: MetricContext,
  boot: ResolvedBootstrapOptions,
): AttributeSetResult {
  const nan = (x: number | null): number => (x === null ? NaN : x);
  const value = (m: { value: number }): number => m.value;
  const tpr: Quantity = (gs, gy) => value(sensitivity(gs, gy, ctx.threshold));
  const fpr: Quantity = (gs, gy) => 1 - value(specificity(gs, gy, ctx.threshold));
  const posRate: Quantity = (gs, gy) => value(positiveRate(gs, gy, ctx.threshold));
  const fullOf = (q: Quantity): number[] =>
    groups.map((g) => {
      const d = gather(g.rows, s, y);
      return q(d.s, d.y);
    });

  // Plan every gap: which quantity, which two groups. Order: metrics, equalized odds, parity.
  const planned: PlannedGap[] = metrics.map((m) => ({
    id: m.id,
    choicesPerPair: 1,
    quantity: (gs, gy) => m.compute(gs, gy, ctx).value,
    full: results.map((r) => nan(r.metrics[m.id].value)),
  }));
  const tprFull = fullOf(tpr);
  const fprFull = fullOf(fpr);
  // Equalized odds needs both rates in every compared group.
  const eoComparable = comparable.map((c, g) => c && Number.isFinite(tprFull[g]) && Number.isFinite(fprFull[g]));
  const tprExt = extremes(tprFull, eoComparable);
  const fprExt = extremes(fprFull, eoComparable);
  const tprGap = 'high' in tprExt ? tprFull[tprExt.high] - tprFull[tprExt.low] : NaN;
  const fprGap = 'high' in fprExt ? fprFull[fprExt.high] - fprFull[fprExt.low] : NaN;
  const eoComponent: 'tpr' | 'fpr' | null = Number.isNaN(tprGap) ? null : fprGap > tprGap ? 'fpr' : 'tpr';
  planned.push({
    id: 'equalizedOdds',
    choicesPerPair: 2,
    quantity: eoComponent === 'fpr' ? fpr : tpr,
    full: (eoComponent === 'fpr' ? fprFull : tprFull).map((v, g) => (eoComparable[g] ? v : NaN)),
  });
  planned.push({ id: 'demographicParity', choicesPerPair: 1, quantity: posRate, full: fullOf(posRate) });

  const plans = planned.map((p) => ({ ...p, ext: extremes(p.full, comparable) }));

  // One joint resample stream for all gaps of this attribute set; within group-and-class strata
  // when stratified, so every group keeps its class counts.
  const needed = new Set<number>();
  for (const p of plans) if ('high' in p.ext) needed.add(p.ext.high).add(p.ext.low);
  // Per needed group, buffers able to hold every row (a joint resample may draw a group n times).
  const counts = new Int32Array(groups.length);
  const bufS = groups.map((_, g) => new Float64Array(needed.has(g) ? s.length : 0));
  const bufY = groups.map((_, g) => new Int32Array(needed.has(g) ? s.length : 0));
  const out = new Float64Array(plans.length);
  const strata = boot.stratify ? Int32Array.from(groupOf, (g, i) => g * 2 + y[i]) : null;
  const draws = needed.size === 0
    ? plans.map(() => new Float64Array(0))
    : resampleStatistics(
        s.length,
        (idx) => {
          counts.fill(0);
          for (let i = 0; i < idx.length; i++) {
            const r = idx[i];
            const g = groupOf[r];
            if (!needed.has(g)) continue;
            bufS[g][counts[g]] = s[r];
            bufY[g][counts[g]++] = y[r];
          }
          const q = (p: PlannedGap, g: number): number =>
            counts[g] === 0 ? NaN : p.quantity(bufS[g].subarray(0, counts[g]), bufY[g].subarray(0, counts[g]));
          plans.forEach((p, j) => {
            out[j] = 'high' in p.ext ? q(p, p.ext.high) - q(p, p.ext.low) : NaN;
          });
          return out;
        },
        { resamples: boot.resamples, seed: deriveSeed(boot.seed, `${key}|gaps`), strata },
      );

  const toGap = (p: (typeof plans)[number], j: number): GapResult => {
    const compared = p.ext.compared.map((g) => groups[g].label);
    const k = compared.length;
    const comparisons = Math.max(1, ((k * (k - 1)) / 2) * p.choicesPerPair);
    const alpha = (1 - boot.confidence) / comparisons;
    const base = { resamples: boot.resamples, confidence: 1 - alpha, comparisons, compared };
    if (!('high' in p.ext)) {
      return { value: null, high: null, low: null, lo: null, hi: null, used: 0, flagged: false, reason: p.ext.reason, ...base };
    }
    const sorted = Float64Array.from(draws[j]).sort();
    const used = sorted.length;
    const lo = used > 0 ? quantileSorted(sorted, alpha / 2) : null;
    const hi = used > 0 ? quantileSorted(sorted, 1 - alpha / 2) : null;
    const enough = used >= boot.resamples / 2;
    const gap: GapResult = {
      value: p.full[p.ext.high] - p.full[p.ext.low],
      high: groups[p.ext.high].label,
      low: groups[p.ext.low].label,
      lo,
      hi,
      used,
      flagged: enough && lo !== null && hi !== null && (lo > 0 || hi < 0),
      ...base,
    };
    if (!enough) gap.reason = `only ${used} of ${boot.resamples} resamples had both groups defined; not flagged`;
    return gap;
  };

  // Plans are the metrics in order, then equalized odds, then demographic parity.
  const gaps: Record<string, GapResult> = {};
  metrics.forEach((m, j) => (gaps[m.id] = toGap(plans[j], j)));
  const eoIndex = metrics.length;
  const dpIndex = metrics.length + 1;
  const equalizedOdds: EqualizedOddsResult = {
    ...toGap(plans[eoIndex], eoIndex),
    component: eoComponent,
    tprGap: Number.isFinite(tprGap) ? tprGap : null,
    fprGap: Number.isFinite(fprGap) ? fprGap : null,
  };
  const demographicParity = toGap(plans[dpIndex], dpIndex);
  const flagged = [
    ...Object.keys(gaps).filter((id) => gaps[id].flagged),
    ...(equalizedOdds.flagged ? ['equalizedOdds'] : []),
    ...(demographicParity.flagged ? ['demographicParity'] : []),
  ];
  return { key, attributes: attrs, groups: results, gaps, equalizedOdds, demographicParity, flagged };
}
