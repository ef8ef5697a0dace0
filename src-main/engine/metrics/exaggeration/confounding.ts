// Bias detection (seed 004 section 4.4, after Joshi et al. 2018): with an oracle g for an
// attribute a (a burned-in marker, sex, scanner...), the fraction of explanations at the far
// bins whose oracle decision differs from the query's. If the explainer must change a to move
// f to an end, f is confounded by a. Reported per target end (f -> 0: bin 0; f -> 1: bin K-1)
// and overall (both ends pooled), with percentile bootstrap intervals over queries, plus the
// fraction of explanations the oracle calls 'present' at each end (seed 004 Table 3's columns).
import { percentileInterval, resampleStatistics } from '../bootstrap';
import type { BootstrapInterval } from '../types';

export interface ConfoundingEnd {
  /** Fraction of explanations whose oracle decision differs from the query's. */
  changed: BootstrapInterval;
  /** Fraction of explanations the oracle calls 'present'. */
  present: number;
}

export interface ConfoundingResult {
  queries: number;
  /** Fraction of queries the oracle calls 'present'. */
  queryPresent: number;
  /** Target f -> 0 (bin 0) and f -> 1 (bin K-1). */
  low: ConfoundingEnd;
  high: ConfoundingEnd;
  overall: BootstrapInterval;
}

export interface ConfoundingOptions {
  resamples?: number;
  seed?: number;
  confidence?: number;
}

/** Oracle decisions (true = attribute present) of the queries and of their two end frames. */
export function confoundingMetric(query: ArrayLike<boolean>, low: ArrayLike<boolean>, high: ArrayLike<boolean>, o: ConfoundingOptions = {}): ConfoundingResult {
  const n = query.length;
  if (low.length !== n || high.length !== n) throw new Error('confoundingMetric: one decision per query and end');
  if (n === 0) throw new Error('confoundingMetric: no queries');
  const cl = Float64Array.from({ length: n }, (_, i) => (low[i] !== query[i] ? 1 : 0));
  const ch = Float64Array.from({ length: n }, (_, i) => (high[i] !== query[i] ? 1 : 0));
  const stats = (idx: ArrayLike<number>): number[] => {
    let a = 0;
    let b = 0;
    for (let j = 0; j < idx.length; j++) {
      a += cl[idx[j]];
      b += ch[idx[j]];
    }
    return [a / idx.length, b / idx.length, (a + b) / (2 * idx.length)];
  };
  const full = stats(Array.from({ length: n }, (_, i) => i));
  const resamples = o.resamples ?? 1000;
  const confidence = o.confidence ?? 0.95;
  const draws = resamples > 0 ? resampleStatistics(n, stats, { resamples, seed: o.seed ?? 0x5eed }) : [new Float64Array(0), new Float64Array(0), new Float64Array(0)];
  const interval = (j: number): BootstrapInterval => percentileInterval({ value: full[j] }, draws[j], { n, resamples, confidence });
  const frac = (v: ArrayLike<boolean>): number => Array.from(v).filter(Boolean).length / n;
  return {
    queries: n,
    queryPresent: frac(query),
    low: { changed: interval(0), present: frac(low) },
    high: { changed: interval(1), present: frac(high) },
    overall: interval(2),
  };
}
