// Exaggeration saliency (METHODS.md 1): |x_{delta: f->1} - x_{delta: f->0}| per pixel, the
// difference of the series' two ends (bins K-1 and 0), normalised to [0, 1] per image. What the
// explainer had to change to walk f across the whole range.
import * as tf from '@tensorflow/tfjs';
import type { AuditedModel } from '../../models/audited-model';
import type { ExaggerationExplainer } from './explainer';

function ends(explainer: ExaggerationExplainer, x: tf.Tensor4D): tf.Tensor4D {
  const n = x.shape[0];
  const k = explainer.bins;
  return tf.tidy(() => {
    const hi = explainer.explain(x, new Array(n).fill(k - 1));
    const lo = explainer.explain(x, new Array(n).fill(0));
    const d = tf.abs(tf.sub(hi, lo));
    // Per-image max; a map that is all zero stays zero.
    const max = tf.max(d, [1, 2, 3], true);
    return tf.div(d, tf.maximum(max, 1e-12)) as tf.Tensor4D;
  });
}

/**
 * Maps for images x ([N, S, S, 1] in [0, 1]; the classifier must be the explainer's): N maps of
 * S x S, row-major, concatenated, each in [0, 1]. Synchronous (for saliency-suite wrappers).
 */
export function exaggerationSaliency(explainer: ExaggerationExplainer, model: AuditedModel, x: tf.Tensor4D): Float32Array {
  explainer.checkClassifier(model);
  const m = ends(explainer, x);
  // Read outside tidy (a read inside tidy is slow on wasm).
  const v = Float32Array.from(m.dataSync());
  m.dispose();
  return v;
}

/** The same, without blocking the thread on the read. */
export async function exaggerationSaliencyAsync(explainer: ExaggerationExplainer, model: AuditedModel, x: tf.Tensor4D): Promise<Float32Array> {
  explainer.checkClassifier(model);
  const m = ends(explainer, x);
  const v = Float32Array.from(await m.data());
  m.dispose();
  return v;
}
