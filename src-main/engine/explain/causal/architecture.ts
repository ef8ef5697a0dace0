// The explainer's VAE (seed 000 Table 2) as plain ops on tf.Variables, so that the causal term can
// be differentiated through a frozen classifier without tfjs-layers.
//
// 28 px (Table 2, F filters per layer, Z = K + L latents):
//   encoder: conv 4x4/2 pad 1 (28->14) ReLU, conv 4x4/2 pad 1 (14->7) ReLU,
//            conv 4x4/1 keeping the 7x7 grid ('same': pad 1 before, 2 after) ReLU,
//            linear 49F -> Z for mu and linear 49F -> Z for log sigma^2.
//            (Table 3's counts need the 7x7 grid; the table's "pad 0" would give 4x4.)
//   decoder: linear Z -> 49F ReLU, convT 4x4/1 pad 1 (7->8) ReLU, convT 4x4/2 pad 2 (8->14) ReLU,
//            convT 4x4/2 pad 1 (14->28, 1 channel) sigmoid.
// 64 / 128 px: the same pattern with more stride-2 layers, ending on an 8x8 grid:
//   encoder: log2(S/8) convs 4x4/2 pad 1, then conv 4x4/1 'same'; linear heads from 64F.
//   decoder: linear Z -> 64F, convT 4x4/1 keeping 8x8, then convT 4x4/2 pad 1 doubling the side
//            up to S (the last one to 1 channel, sigmoid).
// Transposed convolutions are computed as 'valid' and cropped, which is PyTorch's padding p.
// Initialisation: PyTorch's defaults, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases.
import * as tf from '@tensorflow/tfjs';
import { makeRng } from '../../data/synthetic/rng';
import { EngineError } from '../../jobs/errors';

export const CAUSAL_INPUT_SIZES = [28, 64, 128] as const;
export type CausalInputSize = (typeof CAUSAL_INPUT_SIZES)[number];

export interface VaeConfig {
  inputSize: number;
  /** Causal factors alpha. */
  k: number;
  /** Non-causal factors beta. */
  l: number;
  /** Filters per convolutional layer (Table 2: 64). */
  filters: number;
  seed: number;
}

interface ConvSpec {
  name: string;
  inC: number;
  outC: number;
  stride: 1 | 2;
  /** Encoder: 'same' padding; decoder: PyTorch padding p (crop p before, and after so the side is `out`). */
  pad: number;
  out: number;
}

export interface VaeLayout {
  grid: number;
  encoder: ConvSpec[];
  decoder: ConvSpec[];
}

export function vaeLayout(cfg: VaeConfig): VaeLayout {
  const { inputSize: s, filters: f } = cfg;
  if (!(CAUSAL_INPUT_SIZES as readonly number[]).includes(s)) throw new EngineError('invalid_request', `explainer input size must be 28, 64 or 128 px (got ${s})`);
  if (s === 28) {
    return {
      grid: 7,
      encoder: [
        { name: 'enc_conv1', inC: 1, outC: f, stride: 2, pad: 1, out: 14 },
        { name: 'enc_conv2', inC: f, outC: f, stride: 2, pad: 1, out: 7 },
        { name: 'enc_conv3', inC: f, outC: f, stride: 1, pad: 1, out: 7 },
      ],
      decoder: [
        { name: 'dec_convt1', inC: f, outC: f, stride: 1, pad: 1, out: 8 },
        { name: 'dec_convt2', inC: f, outC: f, stride: 2, pad: 2, out: 14 },
        { name: 'dec_convt3', inC: f, outC: 1, stride: 2, pad: 1, out: 28 },
      ],
    };
  }
  const downs = Math.log2(s / 8);
  const encoder: ConvSpec[] = [];
  let side = s;
  for (let i = 0; i < downs; i++) {
    side /= 2;
    encoder.push({ name: `enc_conv${i + 1}`, inC: i === 0 ? 1 : f, outC: f, stride: 2, pad: 1, out: side });
  }
  encoder.push({ name: `enc_conv${downs + 1}`, inC: f, outC: f, stride: 1, pad: 1, out: 8 });
  const decoder: ConvSpec[] = [{ name: 'dec_convt1', inC: f, outC: f, stride: 1, pad: 1, out: 8 }];
  side = 8;
  for (let i = 0; i < downs; i++) {
    side *= 2;
    decoder.push({ name: `dec_convt${i + 2}`, inC: f, outC: i === downs - 1 ? 1 : f, stride: 2, pad: 1, out: side });
  }
  return { grid: 8, encoder, decoder };
}

export interface VaeParams {
  config: VaeConfig;
  layout: VaeLayout;
  encoder: Map<string, tf.Variable>;
  decoder: Map<string, tf.Variable>;
}

function uniformInit(shape: number[], fanIn: number, rng: () => number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const bound = 1 / Math.sqrt(fanIn);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = (2 * rng() - 1) * bound;
  return tf.tensor(v, shape);
}

let instances = 0;

/** Fresh, seeded parameters. */
export function createVae(cfg: VaeConfig): VaeParams {
  if (!(cfg.k >= 1 && cfg.l >= 0 && cfg.filters >= 1)) throw new EngineError('invalid_request', 'explainer needs K >= 1, L >= 0, filters >= 1');
  const layout = vaeLayout(cfg);
  const instance = ++instances;
  const rng = makeRng(cfg.seed * 7919 + 17);
  const z = cfg.k + cfg.l;
  const f = cfg.filters;
  const flat = layout.grid * layout.grid * f;
  const encoder = new Map<string, tf.Variable>();
  const decoder = new Map<string, tf.Variable>();
  const add = (m: Map<string, tf.Variable>, name: string, shape: number[], fanIn: number): void => {
    m.set(name, tf.variable(uniformInit(shape, fanIn, rng), true, `causal_vae${instance}/${name}`));
  };
  for (const c of layout.encoder) {
    add(encoder, `${c.name}/kernel`, [4, 4, c.inC, c.outC], 16 * c.inC);
    add(encoder, `${c.name}/bias`, [c.outC], 16 * c.inC);
  }
  for (const head of ['enc_mu', 'enc_logvar']) {
    add(encoder, `${head}/kernel`, [flat, z], flat);
    add(encoder, `${head}/bias`, [z], flat);
  }
  add(decoder, 'dec_linear/kernel', [z, flat], z);
  add(decoder, 'dec_linear/bias', [flat], z);
  for (const c of layout.decoder) {
    // PyTorch's ConvTranspose2d fan_in is computed from weight.size(1) = out channels.
    add(decoder, `${c.name}/kernel`, [4, 4, c.outC, c.inC], 16 * c.outC);
    add(decoder, `${c.name}/bias`, [c.outC], 16 * c.outC);
  }
  return { config: { ...cfg }, layout, encoder, decoder };
}

export function countParams(m: Map<string, tf.Variable>): number {
  let n = 0;
  for (const v of m.values()) n += v.size;
  return n;
}

export function vaeParamCounts(p: VaeParams): { encoder: number; decoder: number } {
  return { encoder: countParams(p.encoder), decoder: countParams(p.decoder) };
}

export function disposeVae(p: VaeParams): void {
  for (const v of [...p.encoder.values(), ...p.decoder.values()]) v.dispose();
}

export function trainableVariables(p: VaeParams): tf.Variable[] {
  return [...p.encoder.values(), ...p.decoder.values()];
}

const get = (m: Map<string, tf.Variable>, name: string): tf.Variable => {
  const v = m.get(name);
  if (!v) throw new EngineError('internal', `explainer parameter ${name} missing`);
  return v;
};

/** Encoder: images [N, S, S, 1] in 0..1 -> mu, logvar [N, Z]. */
export function encode(p: VaeParams, x: tf.Tensor4D): { mu: tf.Tensor2D; logvar: tf.Tensor2D } {
  return tf.tidy(() => {
    let h: tf.Tensor4D = x;
    for (const c of p.layout.encoder) {
      h = tf.relu(tf.add(tf.conv2d(h, get(p.encoder, `${c.name}/kernel`) as tf.Tensor4D, c.stride, 'same'), get(p.encoder, `${c.name}/bias`))) as tf.Tensor4D;
    }
    const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
    const mu = tf.add(tf.matMul(flat, get(p.encoder, 'enc_mu/kernel') as tf.Tensor2D), get(p.encoder, 'enc_mu/bias')) as tf.Tensor2D;
    const logvar = tf.add(tf.matMul(flat, get(p.encoder, 'enc_logvar/kernel') as tf.Tensor2D), get(p.encoder, 'enc_logvar/bias')) as tf.Tensor2D;
    return { mu, logvar };
  });
}

/** Decoder g: latents [N, K + L] (alpha first) -> images [N, S, S, 1] in 0..1. */
export function decode(p: VaeParams, z: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const { grid } = p.layout;
    const f = p.config.filters;
    const lin = tf.relu(tf.add(tf.matMul(z, get(p.decoder, 'dec_linear/kernel') as tf.Tensor2D), get(p.decoder, 'dec_linear/bias')));
    let h = tf.reshape(lin, [z.shape[0], grid, grid, f]) as tf.Tensor4D;
    let side = grid;
    p.layout.decoder.forEach((c, i) => {
      const full = (side - 1) * c.stride + 4;
      const y = tf.conv2dTranspose(h, get(p.decoder, `${c.name}/kernel`) as tf.Tensor4D, [h.shape[0], full, full, c.outC], c.stride, 'valid');
      const cropped = tf.slice(y, [0, c.pad, c.pad, 0], [-1, c.out, c.out, -1]);
      const b = tf.add(cropped, get(p.decoder, `${c.name}/bias`)) as tf.Tensor4D;
      h = (i === p.layout.decoder.length - 1 ? tf.sigmoid(b) : tf.relu(b)) as tf.Tensor4D;
      side = c.out;
    });
    return h;
  });
}
