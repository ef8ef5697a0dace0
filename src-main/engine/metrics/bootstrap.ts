// Percentile bootstrap confidence intervals, seeded and deterministic.
//
// A resample on which a statistic is undefined (typically: it drew no positives, so AUC has no
// meaning) is skipped for that statistic, and the interval reports how many resamples were used;
// counting such resamples as 0 or 0.5 would bias the interval. Stratifying by class keeps the
// class counts of every resample equal to the sample's, so such skips cannot happen.
import { bad, checkBinary } from './input';
import { mulberry32 } from './prng';
import type { BootstrapInterval, Labels, MetricOutcome, Scores } from './types';

export interface BootstrapOptions {
  /** Resamples to draw (default 1000). */
  resamples?: number;
  /** Two-sided confidence level (default 0.95). */
  confidence?: number;
  /** PRNG seed (default DEFAULT_SEED): equal seeds give equal intervals. */
  seed?: number;
  /** Resample within each class, keeping class counts fixed (default false). */
  stratify?: boolean;
}

export const DEFAULT_SEED = 0x5eed;

export type ResolvedBootstrapOptions = Required<BootstrapOptions>;

export function resolveBootstrapOptions(o: BootstrapOptions = {}): ResolvedBootstrapOptions {
  const r = { resamples: o.resamples ?? 1000, confidence: o.confidence ?? 0.95, seed: o.seed ?? DEFAULT_SEED, stratify: o.stratify ?? false };
  if (!Number.isInteger(r.resamples) || r.resamples < 1) bad(`resamples must be a positive integer; got ${r.resamples}`);
  if (!(r.confidence > 0 && r.confidence < 1)) bad(`confidence must be in (0, 1); got ${r.confidence}`);
  if (!Number.isFinite(r.seed)) bad(`seed must be a finite number; got ${r.seed}`);
  return r;
}

/**
 * The core loop: draws `resamples` resamples of the row indices 0..n-1 with replacement (within
 * each stratum when `strata` is given: rows with equal stratum keep their count), calls
 * `statistic` on each, and returns for each of its outputs the defined (finite) values.
 * `statistic` gets a reused buffer: it must not keep it.
 */
export function resampleStatistics(
  n: number,
  statistic: (idx: Int32Array) => ArrayLike<number>,
  opts: { resamples: number; seed: number; strata?: ArrayLike<number> | null },
): Float64Array[] {
  const rng = mulberry32(opts.seed);
  // Members of each stratum (one stratum of everything when not stratified).
  let groups: Int32Array[];
  if (opts.strata) {
    const byKey = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const k = opts.strata[i];
      let g = byKey.get(k);
      if (!g) byKey.set(k, (g = []));
      g.push(i);
    }
    // Sorted keys: the draw order must not depend on which class happens to come first.
    groups = [...byKey.keys()].sort((a, b) => a - b).map((k) => Int32Array.from(byKey.get(k) as number[]));
  } else {
    groups = [Int32Array.from({ length: n }, (_, i) => i)];
  }
  const idx = new Int32Array(n);
  let outputs: Float64Array[] | null = null;
  let used: number[] = [];
  for (let r = 0; r < opts.resamples; r++) {
    let pos = 0;
    for (const g of groups) {
      const m = g.length;
      for (let k = 0; k < m; k++) idx[pos++] = g[Math.floor(rng() * m)];
    }
    const values = statistic(idx);
    if (outputs === null) {
      outputs = Array.from({ length: values.length }, () => new Float64Array(opts.resamples));
      used = new Array<number>(values.length).fill(0);
    }
    for (let s = 0; s < values.length; s++) {
      const v = values[s];
      if (Number.isFinite(v)) outputs[s][used[s]++] = v;
    }
  }
  return (outputs ?? []).map((o, s) => o.slice(0, used[s]));
}

/** Quantile q of ascending-sorted values, linear interpolation (numpy's default, type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const h = (m - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, m - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Builds the JSON-safe interval from the full-sample outcome and the resampled values. */
export function percentileInterval(
  full: MetricOutcome,
  draws: Float64Array,
  info: { n: number; resamples: number; confidence: number },
): BootstrapInterval {
  const sorted = Float64Array.from(draws).sort();
  const alpha = 1 - info.confidence;
  const defined = Number.isFinite(full.value);
  const out: BootstrapInterval = {
    value: defined ? full.value : null,
    lo: sorted.length > 0 ? quantileSorted(sorted, alpha / 2) : null,
    hi: sorted.length > 0 ? quantileSorted(sorted, 1 - alpha / 2) : null,
    n: info.n,
    resamples: info.resamples,
    used: sorted.length,
    confidence: info.confidence,
  };
  if (!defined) out.reason = full.reason ?? 'undefined on the full sample';
  else if (sorted.length === 0) out.reason = 'no resample gave a defined value';
  return out;
}

/** A metric as the bootstrap sees it: scores and labels of one resample in, value out. */
export type MetricFn = (scores: Float64Array, labels: Int32Array) => MetricOutcome | number;

function outcome(x: MetricOutcome | number): MetricOutcome {
  return typeof x === 'number' ? { value: x } : x;
}

/**
 * Bootstraps several metrics on the same resamples (one resample loop, not one per metric).
 * Throws on malformed input, like the metrics themselves.
 */
export function bootstrapMetrics(
  scores: Scores,
  labels: Labels,
  metrics: Record<string, MetricFn>,
  options: BootstrapOptions = {},
): Record<string, BootstrapInterval> {
  const o = resolveBootstrapOptions(options);
  const { n } = checkBinary(scores, labels);
  const s = Float64Array.from(scores);
  const y = Int32Array.from(labels);
  const names = Object.keys(metrics);
  const fns = names.map((k) => metrics[k]);
  const full = fns.map((f) => outcome(f(s, y)));
  const rs = new Float64Array(n);
  const ry = new Int32Array(n);
  const values = new Float64Array(fns.length);
  const draws = resampleStatistics(
    n,
    (idx) => {
      for (let i = 0; i < n; i++) {
        rs[i] = s[idx[i]];
        ry[i] = y[idx[i]];
      }
      // A metric undefined on the full sample stays undefined on resamples: skip the work.
      fns.forEach((f, j) => (values[j] = Number.isFinite(full[j].value) ? outcome(f(rs, ry)).value : NaN));
      return values;
    },
    { resamples: o.resamples, seed: o.seed, strata: o.stratify ? y : null },
  );
  const result: Record<string, BootstrapInterval> = {};
  names.forEach((name, j) => {
    result[name] = percentileInterval(full[j], draws[j], { n, resamples: o.resamples, confidence: o.confidence });
  });
  return result;
}

/** Percentile bootstrap interval of one metric: {value, lo, hi, n, used, ...}. */
export function bootstrapMetric(scores: Scores, labels: Labels, metric: MetricFn, options: BootstrapOptions = {}): BootstrapInterval {
  return bootstrapMetrics(scores, labels, { metric }, options).metric;
}
