// Feature effects and the audit verdict: the mean change of a predictor's output when one feature
// is added to images that lack it, with a percentile bootstrap interval over the images. A
// classifier that moves when only a non-causal feature changed leans on a spurious correlate.
import { quantileSorted, resampleStatistics } from '../../metrics/bootstrap';
import type { Images } from './images';

export type Predictor = (images: Images) => Float32Array | Promise<Float32Array>;

export interface Effect {
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

export interface BootstrapSettings {
  resamples?: number;
  seed?: number;
  confidence?: number;
}

/** Mean of values with a percentile bootstrap interval. */
export function meanInterval(values: ArrayLike<number>, o: BootstrapSettings = {}): Effect {
  const n = values.length;
  const mean = (idx: ArrayLike<number>): number => {
    let s = 0;
    for (let k = 0; k < idx.length; k++) s += values[idx[k]];
    return s / idx.length;
  };
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, n };
  const draws = resampleStatistics(n, (idx) => [mean(idx)], { resamples: o.resamples ?? 1000, seed: o.seed ?? 0x5eed })[0];
  const sorted = Float64Array.from(draws).sort();
  const a = 1 - (o.confidence ?? 0.95);
  return { mean: mean(Array.from({ length: n }, (_, k) => k)), lo: quantileSorted(sorted, a / 2), hi: quantileSorted(sorted, 1 - a / 2), n };
}

/** f(edited) - f(original) per image. */
export async function outputChanges(f: Predictor, originals: Images, edited: Images): Promise<Float32Array> {
  const [a, b] = [await f(originals), await f(edited)];
  return Float32Array.from(a, (v, k) => b[k] - v);
}

export async function featureEffect(f: Predictor, originals: Images, edited: Images, o: BootstrapSettings = {}): Promise<Effect> {
  return meanInterval(await outputChanges(f, originals, edited), o);
}

export interface Verdict {
  /** The classifier's output moves when only the non-causal feature changes. */
  leansOnSpurious: boolean;
  /** It moves when the causal feature changes. */
  followsCause: boolean;
  causal: Effect;
  nonCausal: Effect;
  text: string;
}

/** Verdict from the two effects: an effect counts when its interval lies beyond +/- `threshold`. */
export function auditVerdict(causal: Effect, nonCausal: Effect, names: { causal: string; nonCausal: string }, threshold = 0.05): Verdict {
  const beyond = (e: Effect): boolean => e.lo > threshold || e.hi < -threshold;
  const leansOnSpurious = beyond(nonCausal);
  const followsCause = beyond(causal);
  const f = (e: Effect): string => `${e.mean >= 0 ? '+' : ''}${e.mean.toFixed(3)} (95% CI ${e.lo.toFixed(3)} to ${e.hi.toFixed(3)})`;
  const text = [
    `Adding ${names.nonCausal} (not a cause) moves the output by ${f(nonCausal)}: ${leansOnSpurious ? 'the classifier leans on this spurious correlate' : 'the classifier does not rely on it'}.`,
    `Adding ${names.causal} (the cause) moves it by ${f(causal)}${followsCause ? '' : ': the classifier does not follow the cause'}.`,
  ].join(' ');
  return { leansOnSpurious, followsCause, causal, nonCausal, text };
}
