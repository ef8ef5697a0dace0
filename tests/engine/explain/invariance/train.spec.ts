// Surrogate training on a tiny synthetic task: the loss falls, no tensor leaks, a resumed run
// equals an uninterrupted one, cancel stops between batches, and a saved surrogate refuses to
// load against another model's hash.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSet } from '../../../../src-main/engine/data/image-set';
import { makeRng } from '../../../../src-main/engine/data/synthetic/rng';
import { loadSurrogateDir, saveSurrogateDir } from '../../../../src-main/engine/explain/invariance/io';
import type { Svae } from '../../../../src-main/engine/explain/invariance/svae';
import { trainSurrogate, type SurrogateTrainRequest } from '../../../../src-main/engine/explain/invariance/train';
import { imageBatch } from '../../../../src-main/engine/models/batches';
import { CancelledError } from '../../../../src-main/engine/jobs/errors';
import { setupBackend, values } from './helpers';

beforeAll(setupBackend);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const temp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-inv-'));
  dirs.push(d);
  return d;
};

const S = 8;
/** Class 0: a bright left half, class 1: a bright right half, both with noise and a random bar height. */
function toySet(n = 64): ImageSet {
  const rng = makeRng(5);
  const images = new Uint8Array(n * S * S);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    const top = Math.floor(rng() * 3);
    for (let r = 0; r < S; r++) for (let c = 0; c < S; c++) images[i * S * S + r * S + c] = (c < S / 2) === (labels[i] === 0) && r >= top ? 200 + Math.floor(rng() * 55) : Math.floor(rng() * 40);
  }
  return { name: 'toy', size: S, images, labels, classNames: ['left', 'right'], positiveClass: 1, ids: Array.from({ length: n }, (_, i) => String(i)), split: Array(n).fill('train'), attributes: {} };
}

const request = (set: ImageSet, extra: Partial<SurrogateTrainRequest> = {}): SurrogateTrainRequest => ({
  set,
  size: S,
  classNames: set.classNames,
  trainRows: set.ids.map((_, i) => i),
  targets: set.labels,
  evalRows: [0, 1, 2, 3, 4, 5, 6, 7],
  trueLabels: set.labels,
  options: { architecture: { z1: 2, z2: 2, widths: [4, 8], hidden: 16, headHidden: 8 }, epochs: 6, batchSize: 16, learningRate: 3e-3, alpha: 10, seed: 3 },
  ...extra,
});

describe('surrogate training', () => {
  for (const model of ['svae', 'm2'] as const) {
    it(`lowers the ${model.toUpperCase()} loss over a few epochs without leaking tensors`, async () => {
      const set = toySet();
      const before = tf.memory().numTensors;
      const req = request(set);
      const r = await trainSurrogate({ ...req, options: { ...req.options, model } });
      const losses = r.history.map((h) => h.loss);
      expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
      expect(r.history[0].parts).toHaveProperty('recon');
      expect(r.history[0].parts).toHaveProperty('kl_prior');
      expect(r.history[0].eval).toHaveProperty('accuracy');
      r.surrogate.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('resumes from the checkpoint to the same weights as an uninterrupted run', async () => {
    const set = toySet(32);
    const dir = temp();
    const full = await trainSurrogate({ ...request(set), options: { ...request(set).options, epochs: 3 } });
    const first = await trainSurrogate({ ...request(set), options: { ...request(set).options, epochs: 2 }, checkpointDir: path.join(dir, 'ckpt'), keepCheckpoint: true });
    first.surrogate.dispose();
    const resumed = await trainSurrogate({ ...request(set), options: { ...request(set).options, epochs: 3 }, checkpointDir: path.join(dir, 'ckpt'), resume: true });
    expect(resumed.resumedFrom).toBe(2);
    expect(resumed.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(fs.existsSync(path.join(dir, 'ckpt'))).toBe(false);
    for (const name of full.surrogate.params.names()) {
      const a = await values(tf.clone(full.surrogate.params.get(name)));
      const b = await values(tf.clone(resumed.surrogate.params.get(name)));
      // Adam's bias corrections are recomputed from the step count on restore: equal up to rounding.
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-5);
    }
    full.surrogate.dispose();
    resumed.surrogate.dispose();
  });

  it('stops at a batch boundary when cancelled, leaving no tensors behind', async () => {
    const set = toySet(32);
    const before = tf.memory().numTensors;
    let calls = 0;
    const run = trainSurrogate(request(set), {
      checkpoint: async () => {
        if (++calls === 3) throw new CancelledError();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('labels augmented batches with the given decision function', async () => {
    const set = toySet(32);
    let calls = 0;
    const relabel = async (x: tf.Tensor4D): Promise<Int32Array> => {
      calls++;
      return new Int32Array(x.shape[0]).fill(1);
    };
    const req = request(set);
    const r = await trainSurrogate({ ...req, relabel, options: { ...req.options, epochs: 2, augment: { shift: 0.1, flip: false, brightness: 0.1, contrast: 0.1 } } });
    expect(calls).toBe(4); // 2 epochs x 2 batches of 16
    // Every batch said class 1: the surrogate learns to say it too.
    expect(r.history[1].eval.target_accuracy).toBeLessThan(0.9);
    r.surrogate.dispose();
  });

  it('adds the decision term: weight x log f(y | decoded image), reported as log_p_model', async () => {
    const set = toySet(8);
    const r = await trainSurrogate({ ...request(set), options: { ...request(set).options, epochs: 1 } });
    const svae = r.surrogate as Svae;
    const x = imageBatch(set, [0, 1, 2, 3], S);
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2).toFloat() as tf.Tensor2D;
    // A judge that gives class 0 probability 0.8 whatever it sees: the term is w log 0.8 or w log 0.2.
    const decide = (d: tf.Tensor4D): tf.Tensor2D => tf.tidy(() => tf.tile(tf.tensor2d([[0.8, 0.2]]), [d.shape[0], 1]) as tf.Tensor2D);
    const plain = svae.terms(x, y, 7);
    const judged = svae.terms(x, y, 7, { weight: 5, decide });
    const diff = (await values(judged.objective)).map((v, i) => v - plain.objective.dataSync()[i]);
    const want = [0.8, 0.2, 0.8, 0.2].map((p) => 5 * Math.log(p));
    diff.forEach((d, i) => expect(d).toBeCloseTo(want[i], 3));
    (await values(judged.parts.log_p_model)).forEach((v, i) => expect(v).toBeCloseTo(Math.log([0.8, 0.2, 0.8, 0.2][i]), 5));
    expect(plain.parts).not.toHaveProperty('log_p_model');
    tf.dispose([x, y, plain.objective, judged.objective, ...Object.values(plain.parts), ...Object.values(judged.parts)]);
    r.surrogate.dispose();
  });

  it('trains on the model\'s probabilities and with the decision term, and refuses them without the model', async () => {
    const set = toySet(32);
    const before = tf.memory().numTensors;
    let judged = 0;
    // The "audited model": P(right) from the mean brightness of the right half, differentiable.
    const model = (x: tf.Tensor4D): tf.Tensor2D =>
      tf.tidy(() => {
        judged++;
        const right = tf.mean(tf.slice(x, [0, 0, S / 2, 0], [-1, -1, -1, -1]), [1, 2, 3]);
        const left = tf.mean(tf.slice(x, [0, 0, 0, 0], [-1, -1, S / 2, -1]), [1, 2, 3]);
        const p = tf.sigmoid(tf.mul(10, tf.sub(right, left)));
        return tf.stack([tf.sub(1, p), p], 1) as tf.Tensor2D;
      });
    const req = request(set);
    const r = await trainSurrogate({ ...req, model, options: { ...req.options, labels: 'model', epochs: 3, softTargets: true, decisionWeight: 5 } });
    expect(judged).toBeGreaterThan(6); // soft targets and the decision term, each batch
    expect(r.history[2].parts).toHaveProperty('log_p_model');
    r.surrogate.dispose();
    // On the decisions with a heavy decision term, reconstructions move toward what the model decides.
    const hard = await trainSurrogate({ ...req, model, targets: Int32Array.from(set.labels), options: { ...req.options, labels: 'model', epochs: 10, decisionWeight: 50 } });
    const lp = hard.history.map((h) => h.parts.log_p_model);
    expect(lp[lp.length - 1]).toBeGreaterThan(lp[0] + 0.1);
    hard.surrogate.dispose();
    const self = await trainSurrogate({ ...req, options: { ...req.options, epochs: 1, decisionWeight: 5, decisionTerm: 'surrogate' } });
    expect(self.history[0].parts).toHaveProperty('log_p_model');
    self.surrogate.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(trainSurrogate({ ...req, options: { ...req.options, softTargets: true } })).rejects.toThrow(/need labels "model" and the audited classifier/);
    await expect(trainSurrogate({ ...req, model, options: { ...req.options, labels: 'model', model: 'm2', decisionTerm: 'audited' } })).rejects.toThrow(/SVAE only/);
  });

  it('saves with the audited model hash and refuses to load against another', async () => {
    const set = toySet(16);
    const r = await trainSurrogate({ ...request(set), options: { ...request(set).options, epochs: 1 } });
    const dir = temp();
    await saveSurrogateDir(dir, r.surrogate, 'a'.repeat(64), { note: 'test' });
    const back = loadSurrogateDir(dir, 'a'.repeat(64));
    const x = tf.randomUniform([2, S, S, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    expect(await values(back.classify(x))).toEqual(await values(r.surrogate.classify(x)));
    expect(() => loadSurrogateDir(dir, 'b'.repeat(64))).toThrow(/trained against model aaaaaaaaaaaa/);
    tf.dispose(x);
    back.dispose();
    r.surrogate.dispose();
  });
});
