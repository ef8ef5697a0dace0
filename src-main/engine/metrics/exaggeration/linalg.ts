// Small dense symmetric linear algebra for the Frechet distance and the spectral-norm check:
// cyclic Jacobi eigendecomposition (exact to rounding for the <= 256-dimensional matrices here).

/** Eigenvalues and eigenvectors of a symmetric d x d matrix (row-major). vectors[:, i] pairs with values[i]. */
export function symmetricEigen(a: ArrayLike<number>, d: number, maxSweeps = 100): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < d; p++) {
      diag += m[p * d + p] * m[p * d + p];
      for (let q = p + 1; q < d; q++) off += m[p * d + q] * m[p * d + q];
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q];
        if (apq === 0) continue;
        const theta = (m[q * d + q] - m[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const mkp = m[k * d + p];
          const mkq = m[k * d + q];
          m[k * d + p] = c * mkp - s * mkq;
          m[k * d + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p * d + k];
          const mqk = m[q * d + k];
          m[p * d + k] = c * mpk - s * mqk;
          m[q * d + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: d }, (_, i) => m[i * d + i]), vectors: v };
}

/** Symmetric PSD square root (negative rounding eigenvalues clipped to 0). */
export function sqrtPsd(a: ArrayLike<number>, d: number): Float64Array {
  const { values, vectors } = symmetricEigen(a, d);
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const s = Math.sqrt(Math.max(0, values[k]));
    if (s === 0) continue;
    for (let i = 0; i < d; i++) {
      const vik = vectors[i * d + k] * s;
      for (let j = 0; j < d; j++) out[i * d + j] += vik * vectors[j * d + k];
    }
  }
  return out;
}

/** a (r x k) times b (k x c), row-major. */
export function matMul(a: ArrayLike<number>, b: ArrayLike<number>, r: number, k: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let t = 0; t < k; t++) {
      const ait = a[i * k + t];
      if (ait === 0) continue;
      for (let j = 0; j < c; j++) out[i * c + j] += ait * b[t * c + j];
    }
  }
  return out;
}

/** Largest singular value of a (r x c), from the eigenvalues of a^T a. */
export function largestSingularValue(a: ArrayLike<number>, r: number, c: number): number {
  const ata = new Float64Array(c * c);
  for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) {
    let s = 0;
    for (let t = 0; t < r; t++) s += a[t * c + i] * a[t * c + j];
    ata[i * c + j] = s;
  }
  const { values } = symmetricEigen(ata, c);
  return Math.sqrt(Math.max(0, ...values));
}
