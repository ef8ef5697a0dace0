// The observational partition (seed 001 section 3, CCT): images grouped by equal P(T | i). In
// practice P(T | i) comes from a classifier trained on observational data, and its outputs are
// binned: a histogram of `bins` equal-width bins, occupied bins (at least `minFraction` of the
// images) that touch form one class, and images in sparse bins join the class with the nearest mean.
export interface ObservationalPartition {
  /** Class index per image (classes ordered by mean output). */
  classOf: Int32Array;
  /** Mean classifier output per class. */
  means: number[];
  sizes: number[];
}

export function observationalPartition(outputs: ArrayLike<number>, opts: { bins?: number; minFraction?: number } = {}): ObservationalPartition {
  const bins = opts.bins ?? 20;
  const minCount = Math.max(1, Math.ceil((opts.minFraction ?? 0.02) * outputs.length));
  const binOf = (v: number): number => Math.min(bins - 1, Math.max(0, Math.floor(v * bins)));
  const hist = new Array<number>(bins).fill(0);
  for (let k = 0; k < outputs.length; k++) hist[binOf(outputs[k])]++;
  // Runs of touching occupied bins -> classes.
  const classOfBin = new Array<number>(bins).fill(-1);
  let classes = 0;
  for (let b = 0; b < bins; b++) {
    if (hist[b] < minCount) continue;
    classOfBin[b] = b > 0 && classOfBin[b - 1] >= 0 ? classOfBin[b - 1] : classes++;
  }
  if (classes === 0) return { classOf: new Int32Array(outputs.length), means: [mean(outputs)], sizes: [outputs.length] };
  const sums = new Array<number>(classes).fill(0);
  const counts = new Array<number>(classes).fill(0);
  for (let k = 0; k < outputs.length; k++) {
    const c = classOfBin[binOf(outputs[k])];
    if (c < 0) continue;
    sums[c] += outputs[k];
    counts[c]++;
  }
  const means = sums.map((s, c) => s / counts[c]);
  const classOf = new Int32Array(outputs.length);
  const sizes = new Array<number>(classes).fill(0);
  for (let k = 0; k < outputs.length; k++) {
    let c = classOfBin[binOf(outputs[k])];
    if (c < 0) c = nearest(means, outputs[k]);
    classOf[k] = c;
    sizes[c]++;
  }
  return { classOf, means, sizes };
}

export function nearest(values: ArrayLike<number>, v: number): number {
  let best = 0;
  for (let c = 1; c < values.length; c++) if (Math.abs(values[c] - v) < Math.abs(values[best] - v)) best = c;
  return best;
}

function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k];
  return v.length ? s / v.length : NaN;
}
