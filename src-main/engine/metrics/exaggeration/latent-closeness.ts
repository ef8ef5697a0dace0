// Latent space closeness (seed 004 Eq. 10): the fraction of (query, target) pairs whose
// explanation x_delta is closer in the encoder's space to its own query than to the
// explanations of every other query for the same target:
//   |E(x) - E(x_delta)| < min_{m in I_f(X - {x}, delta)} |E(x_delta) - E(m)|.
// The targets here are the K bins of the series (the paper's delta, made absolute).

/**
 * queries: [n * d] E(x); frames: [n * K * d] E(x_delta), query-major. Returns the overall
 * fraction and the fraction per target bin.
 */
export function latentSpaceCloseness(queries: ArrayLike<number>, frames: ArrayLike<number>, n: number, bins: number): { lsc: number; perBin: number[] } {
  const d = queries.length / n;
  if (!Number.isInteger(d) || frames.length !== n * bins * d) throw new Error(`latentSpaceCloseness: sizes do not match n=${n}, K=${bins}`);
  if (n < 2) throw new Error('latentSpaceCloseness needs at least 2 queries');
  const dist2 = (a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number): number => {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = a[ao + t] - b[bo + t];
      s += v * v;
    }
    return s;
  };
  const perBin = new Array<number>(bins).fill(0);
  for (let k = 0; k < bins; k++) {
    for (let i = 0; i < n; i++) {
      const fi = (i * bins + k) * d;
      const own = dist2(queries, i * d, frames, fi);
      let closer = true;
      for (let j = 0; j < n && closer; j++) if (j !== i && dist2(frames, fi, frames, (j * bins + k) * d) <= own) closer = false;
      if (closer) perBin[k]++;
    }
    perBin[k] /= n;
  }
  return { lsc: perBin.reduce((a, b) => a + b, 0) / bins, perBin };
}
