// Shared machinery of the ranking metrics (ROC AUC, average precision, ROC curve, Youden):
// sort positives' and negatives' scores separately with the native numeric typed-array sort
// (much faster than sorting an index array with a comparator, which matters inside bootstrap
// loops), then merge-walk them one group of tied scores at a time. Walking tie groups, rather
// than samples, is what makes ties exact.
import type { Labels, Scores } from './types';

export interface SplitScores {
  /** Scores of the positive samples, ascending. */
  pos: Float64Array;
  /** Scores of the negative samples, ascending. */
  neg: Float64Array;
}

/** Splits scores by label (1 = positive, anything else negative) and sorts each part. */
export function splitSorted(scores: Scores, labels: Labels): SplitScores {
  let p = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) p++;
  const pos = new Float64Array(p);
  const neg = new Float64Array(labels.length - p);
  let a = 0;
  let b = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) pos[a++] = scores[i];
    else neg[b++] = scores[i];
  }
  pos.sort();
  neg.sort();
  return { pos, neg };
}

/**
 * Visits each distinct score once, ascending or descending, with how many positives (dp) and
 * negatives (dn) share it. -0 and +0 count as one value (they compare equal).
 */
export function walkTieGroups(
  s: SplitScores,
  order: 'asc' | 'desc',
  visit: (score: number, dp: number, dn: number) => void,
): void {
  const { pos, neg } = s;
  if (order === 'asc') {
    let i = 0;
    let j = 0;
    while (i < pos.length || j < neg.length) {
      const t = i >= pos.length ? neg[j] : j >= neg.length ? pos[i] : Math.min(pos[i], neg[j]);
      let dp = 0;
      let dn = 0;
      for (; i < pos.length && pos[i] === t; i++) dp++;
      for (; j < neg.length && neg[j] === t; j++) dn++;
      if (dp + dn === 0) throw new Error(`unorderable score ${t}`); // NaN would loop forever
      visit(t, dp, dn);
    }
  } else {
    let i = pos.length - 1;
    let j = neg.length - 1;
    while (i >= 0 || j >= 0) {
      const t = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
      let dp = 0;
      let dn = 0;
      for (; i >= 0 && pos[i] === t; i--) dp++;
      for (; j >= 0 && neg[j] === t; j--) dn++;
      if (dp + dn === 0) throw new Error(`unorderable score ${t}`); // NaN would loop forever
      visit(t, dp, dn);
    }
  }
}
