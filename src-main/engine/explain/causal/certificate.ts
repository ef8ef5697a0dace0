// The capacity certificate of seed 000 Appendix F. With M classes and I = I(alpha; Y) in nats,
// the error pi of predicting the classifier's (MAP) decision from alpha satisfies
//   pi <= (log2 M - I / ln 2) / 2,
// the first linear piece of the inverse of phi* (valid while the bound is at most 1/2).
export interface Certificate {
  classes: number;
  /** I(alpha; Y) in nats, as given. */
  influence: number;
  /** Upper bound on pi, clamped to [0, 1/2]; null when the linear piece does not apply (bound > 1/2). */
  errorBound: number | null;
  /** 1 - errorBound: the share of decisions the causal factors explain at least; null when no bound. */
  explained: number | null;
  text: string;
}

/** The raw bound (log2 M - I/ln 2) / 2, unclamped. */
export function capacityBound(classes: number, influenceNats: number): number {
  return (Math.log2(classes) - influenceNats / Math.LN2) / 2;
}

export function capacityCertificate(classes: number, influenceNats: number): Certificate {
  if (!(Number.isInteger(classes) && classes >= 2)) throw new RangeError('the certificate needs at least 2 classes');
  const raw = capacityBound(classes, influenceNats);
  const valid = raw <= 0.5;
  const errorBound = valid ? Math.max(0, raw) : null;
  const explained = errorBound === null ? null : 1 - errorBound;
  const text =
    explained === null
      ? `I(alpha;Y) = ${influenceNats.toFixed(3)} nats of at most log ${classes} = ${Math.log(classes).toFixed(3)}: too low for the certificate (its bound exceeds 1/2).`
      : `I(alpha;Y) = ${influenceNats.toFixed(3)} nats of at most log ${classes} = ${Math.log(classes).toFixed(3)}: the causal factors explain at least ${(100 * explained).toFixed(1)}% of the classifier's decisions (MAP error bound ${errorBound!.toFixed(4)}).`;
  return { classes, influence: influenceNats, errorBound, explained, text };
}
