// Latent sweeps: for one image, its encoder mean; each factor in turn set to -3..3 (prior sd
// units, 9 frames) with the others kept; each frame decoded and classified.
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import type { AuditedModel } from '../../models/audited-model';
import { decode, encode } from './architecture';
import type { Explainer } from './train';

export const SWEEP_VALUES = Array.from({ length: 9 }, (_, i) => -3 + (6 * i) / 8);

export interface FactorSweep {
  factor: number;
  /** 'alpha1'.. for causal, 'beta1'.. for the others. */
  name: string;
  causal: boolean;
  values: number[];
  /** Classifier probabilities per frame [frame][class]. */
  probs: number[][];
  /** Largest |p_y(frame) - p_y(reconstruction)| over classes, per frame. */
  maxShift: number[];
  /** Share of frames whose output stays within 0.1 of the reconstruction's. */
  stableFraction: number;
  /** Filmstrip PNG (9 frames side by side) as a data URL; omitted when not rendered. */
  png?: string;
  /** Raw frames (0..1, row-major) when asked for. */
  frames?: Float32Array[];
}

export interface SweepSet {
  /** Classifier probabilities of the reconstruction at the encoder mean. */
  reconstructionProbs: number[];
  latent: number[];
  factors: FactorSweep[];
}

export async function filmstripPng(frames: Float32Array[], side: number): Promise<string> {
  const w = side * frames.length;
  const buf = Buffer.alloc(w * side);
  frames.forEach((f, i) => {
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) buf[y * w + i * side + x] = Math.max(0, Math.min(255, Math.round(f[y * side + x] * 255)));
  });
  const png = await sharp(buf, { raw: { width: w, height: side, channels: 1 } }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** Sweeps of every factor for one image x [1, S, S, 1] (0..1). */
export async function latentSweeps(ex: Explainer, model: AuditedModel, x: tf.Tensor4D, opts: { png?: boolean; frames?: boolean } = {}): Promise<SweepSet> {
  const { k, l } = ex.options;
  const z = k + l;
  const side = model.inputSize;
  const n = SWEEP_VALUES.length;
  const { mu, logvar } = encode(ex.vae, x);
  logvar.dispose();
  const latent = Array.from(await mu.data());
  mu.dispose();
  const rows = new Float32Array((z * n + 1) * z);
  for (let f = 0; f < z; f++) {
    for (let i = 0; i < n; i++) {
      const r = (f * n + i) * z;
      for (let c = 0; c < z; c++) rows[r + c] = latent[c];
      rows[r + f] = SWEEP_VALUES[i];
    }
  }
  rows.set(latent, z * n * z);
  const { imgs, probs } = tf.tidy(() => {
    const imgs = decode(ex.vae, tf.tensor2d(rows, [z * n + 1, z]));
    return { imgs, probs: model.predict(imgs) };
  });
  const pix = (await imgs.data()) as Float32Array;
  const pr = (await probs.data()) as Float32Array;
  const m = probs.shape[1];
  tf.dispose([imgs, probs]);
  const recon = Array.from(pr.subarray(z * n * m, (z * n + 1) * m));
  const factors: FactorSweep[] = [];
  for (let f = 0; f < z; f++) {
    const p: number[][] = [];
    const frames: Float32Array[] = [];
    const shift: number[] = [];
    for (let i = 0; i < n; i++) {
      const row = Array.from(pr.subarray((f * n + i) * m, (f * n + i + 1) * m));
      p.push(row);
      shift.push(Math.max(...row.map((v, y) => Math.abs(v - recon[y]))));
      frames.push(pix.slice((f * n + i) * side * side, (f * n + i + 1) * side * side));
    }
    const causal = f < k;
    const sweep: FactorSweep = {
      factor: f,
      name: causal ? `alpha${f + 1}` : `beta${f - k + 1}`,
      causal,
      values: SWEEP_VALUES,
      probs: p,
      maxShift: shift,
      stableFraction: shift.filter((s) => s <= 0.1).length / n,
    };
    if (opts.png !== false) sweep.png = await filmstripPng(frames, side);
    if (opts.frames) sweep.frames = frames;
    factors.push(sweep);
  }
  return { reconstructionProbs: recon, latent, factors };
}
