// Generative causal explanation (seed 000) replication benchmark, reduced for a 2-core machine.
//   1. Algorithm 2 on the linear-Gaussian case (N_alpha = 2500, N_beta = 500) against quadrature.
//   2. Fashion-MNIST {t-shirt/top, dress, coat}: the seed's Table 1 classifier, then the Table 2
//      explainer (K = 2, L = 4, 64 filters, lambda = 0.05) trained for a time budget;
//      I(alpha; Y) at N_alpha = 100, N_beta = 25; certificate; sweeps of test images.
//   3. The demo pneumonia classifier (K = 1, L = 5) on the bundled PneumoniaMNIST set.
// Writes bench/results/gce.json (top-level `summary`). Departures from the seed's settings are
// listed in the JSON's `departures`.
// Usage: npx tsx bench/gce.ts [--clf-seconds 150] [--fmnist-seconds 900] [--pneu-seconds 300]
//        [--train-samples 16x4] [--batch 64] [--lr 5e-4]
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src-main/engine/backend';
import { select, type ImageSet } from '../src-main/engine/data/image-set';
import { FASHION_MNIST_DIR, loadFashionMnist } from '../src-main/engine/data/importers/idx';
import { loadDemoPneumonia } from '../src-main/engine/data/importers/medmnist';
import { makeRng, permutation, subSeed } from '../src-main/engine/data/synthetic/rng';
import { capacityCertificate } from '../src-main/engine/explain/causal/certificate';
import { estimateInfluence } from '../src-main/engine/explain/causal/estimator';
import { linearGaussianDecoder, linearGaussianInfluence, sigmoidClassifier } from '../src-main/engine/explain/causal/linear-gaussian';
import { latentSweeps } from '../src-main/engine/explain/causal/sweeps';
import { evaluateInfluence, newExplainer, trainExplainer, type Explainer } from '../src-main/engine/explain/causal/train';
import type { AuditedModel } from '../src-main/engine/models/audited-model';
import { imageBatch } from '../src-main/engine/models/batches';
import { loadAuditedModel, wrapLayersModel } from '../src-main/engine/models/load';
import { modelsDir, resourcesDir } from '../src-main/engine/resources';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const CLF_SECONDS = Number(opt('clf-seconds', '150'));
const FMNIST_SECONDS = Number(opt('fmnist-seconds', '900'));
const PNEU_SECONDS = Number(opt('pneu-seconds', '300'));
const [TRAIN_NA, TRAIN_NB] = opt('train-samples', '16x4').split('x').map(Number);
const BATCH = Number(opt('batch', '64'));
const LR = Number(opt('lr', '5e-4'));
const log = (s: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

// ---- 1. linear-Gaussian check ----
async function linearGaussian(): Promise<{ cases: { thetaAlpha: number; thetaBeta: number; closedForm: number; estimate: number }[]; maxAbsError: number }> {
  const cases = [
    [0, 90],
    [0, 0],
    [45, 90],
    [90, 0],
  ].map(([ta, tb]) => ({ thetaAlpha: ta, thetaBeta: tb, closedForm: linearGaussianInfluence(ta, tb), estimate: 0 }));
  for (const c of cases) {
    c.estimate = await estimateInfluence(linearGaussianDecoder(c.thetaAlpha, c.thetaBeta, makeRng(c.thetaAlpha * 1000 + c.thetaBeta + 1)), sigmoidClassifier(), 2, [0], { nAlpha: 2500, nBeta: 500, rng: makeRng(7 + c.thetaAlpha + c.thetaBeta), chunkRows: 250_000 });
  }
  return { cases, maxAbsError: Math.max(...cases.map((c) => Math.abs(c.estimate - c.closedForm))) };
}

// ---- 2a. the seed's Table 1 classifier ----
function table1Classifier(m: number): tf.LayersModel {
  let seed = 11;
  const init = (): ReturnType<typeof tf.initializers.heUniform> => tf.initializers.heUniform({ seed: seed++ });
  const inp = tf.input({ shape: [28, 28, 1] });
  let h = tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: init() }).apply(inp) as tf.SymbolicTensor;
  h = tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: init() }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dropout({ rate: 0.25 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init() }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dropout({ rate: 0.5 }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: m, kernelInitializer: init() }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: out });
}

function onlyClasses(set: ImageSet, classes: number[], names: string[]): ImageSet {
  const rows = set.labels.reduce<number[]>((a, l, i) => (classes.includes(l) ? (a.push(i), a) : a), []);
  const s = select(set, rows);
  const labels = Int32Array.from(s.labels, (l) => classes.indexOf(l));
  return { ...s, labels, classNames: names, positiveClass: names.length - 1 };
}

async function trainFmnistClassifier(set: ImageSet, seconds: number): Promise<{ model: AuditedModel; accuracy: number; epochs: number; steps: number; seconds: number }> {
  const net = table1Classifier(3);
  const opt = tf.train.momentum(0.1, 0.5);
  const train = set.split.flatMap((s, i) => (s === 'train' ? [i] : []));
  const test = set.split.flatMap((s, i) => (s === 'test' ? [i] : []));
  const t0 = performance.now();
  let steps = 0;
  let epoch = 0;
  outer: for (; epoch < 20; epoch++) {
    const order = permutation(train.length, makeRng(subSeed(3, epoch)));
    for (let b = 0; b + 64 <= order.length; b += 64) {
      const rows = order.slice(b, b + 64).map((j) => train[j]);
      const x = imageBatch(set, rows);
      const y = tf.oneHot(tf.tensor1d(rows.map((r) => set.labels[r]), 'int32'), 3);
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true);
      if (steps % 50 === 0) log(`classifier step ${steps} loss ${(await loss!.data())[0].toFixed(4)}`);
      tf.dispose([x, y, loss!]);
      steps++;
      if ((performance.now() - t0) / 1000 > seconds) break outer;
    }
  }
  const secs = (performance.now() - t0) / 1000;
  const model = wrapLayersModel(net, { format: 'xray-audit-model', version: 1, inputSize: 28, channels: 1, normalization: { scale: 1 / 255, offset: 0 }, classNames: set.classNames, positiveClass: 2, output: 'logits', provenance: { source: 'bench/gce.ts' } });
  let correct = 0;
  for (let b = 0; b < test.length; b += 500) {
    const rows = test.slice(b, b + 500);
    const x = imageBatch(set, rows);
    const p = model.predict(x);
    const am = (await p.argMax(1).data()) as Int32Array;
    rows.forEach((r, i) => (correct += am[i] === set.labels[r] ? 1 : 0));
    tf.dispose([x, p]);
  }
  return { model, accuracy: correct / test.length, epochs: epoch + (steps * 64) / train.length - epoch, steps, seconds: secs };
}

// ---- explainer training with a time budget, evaluation and sweeps ----
async function explain(name: string, model: AuditedModel, set: ImageSet, k: number, l: number, seconds: number) {
  const train = set.split.flatMap((s, i) => (s === 'train' ? [i] : []));
  const test = set.split.flatMap((s, i) => (s === 'test' ? [i] : []));
  const ex: Explainer = newExplainer(model, { k, l, filters: 64, lambda: 0.05, lr: LR, batchSize: BATCH, steps: 0, trainNAlpha: TRAIN_NA, trainNBeta: TRAIN_NB, variant: 'joint', seed: 1 });
  const opt = tf.train.adam(LR, 0.5, 0.999);
  const t0 = performance.now();
  while ((performance.now() - t0) / 1000 < seconds) {
    ex.options = { ...ex.options, steps: ex.step + 5 };
    await trainExplainer(ex, model, set, train, {}, opt);
    const h = ex.history.slice(-5);
    log(`${name} step ${ex.step}: C ${(h.reduce((a, s) => a + s.C, 0) / h.length).toFixed(3)} D ${(h.reduce((a, s) => a + s.D, 0) / h.length).toFixed(1)} (${h[h.length - 1].seconds.toFixed(2)} s/step)`);
  }
  const trainSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const inf = await evaluateInfluence(ex, model, { nAlpha: 100, nBeta: 25, seed: 3, factors: 'alpha' });
  log(`${name}: I(alpha;Y) = ${inf.joint.toFixed(3)} (per factor ${inf.perFactor.map((v) => v.toFixed(3)).join(' ')}) in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  const rows = permutation(test.length, makeRng(5))
    .slice(0, 8)
    .map((j) => test[j]);
  let alphaMoves = 0;
  let alphaTotal = 0;
  let betaStable = 0;
  let betaFrames = 0;
  const examples: unknown[] = [];
  for (const r of rows) {
    const x = imageBatch(set, [r], model.inputSize);
    const sw = await latentSweeps(ex, model, x, { png: examples.length < 2 });
    x.dispose();
    for (const f of sw.factors) {
      if (f.causal) {
        alphaTotal++;
        const classes = new Set(f.probs.map((p) => p.indexOf(Math.max(...p))));
        if (classes.size > 1) alphaMoves++;
      } else {
        betaStable += f.stableFraction * f.values.length;
        betaFrames += f.values.length;
      }
    }
    if (examples.length < 2) examples.push({ row: r, label: set.classNames[set.labels[r]], factors: sw.factors.map((f) => ({ name: f.name, probs: f.probs.map((p) => p.map((v) => +v.toFixed(3))), png: f.png })) });
  }
  const firstC = ex.history.slice(0, 5).reduce((a, s) => a + s.C, 0) / Math.min(5, ex.history.length);
  const lastC = ex.history.slice(-10).reduce((a, s) => a + s.C, 0) / Math.min(10, ex.history.length);
  return {
    steps: ex.step,
    trainSeconds,
    secondsPerStep: trainSeconds / ex.step,
    I_alpha_Y: inf.joint,
    I_independent: inf.independent,
    perFactor: inf.perFactor,
    logM: Math.log(model.classNames.length),
    certificate: capacityCertificate(model.classNames.length, inf.joint),
    trainC: { first5: firstC, last10: lastC },
    lastD: ex.history[ex.history.length - 1]?.D,
    sweeps: { images: rows.length, alphaSweepsChangingClass: alphaTotal ? alphaMoves / alphaTotal : null, betaFramesWithin0_1: betaFrames ? betaStable / betaFrames : null },
    history: ex.history.filter((_, i) => i % 5 === 4).map((h) => ({ step: h.step, C: +h.C.toFixed(4), D: +h.D.toFixed(2) })),
    examples,
  };
}

async function main(): Promise<void> {
  const backend = await initBackend();
  log(`backend ${backend.name} (${backend.threads} threads): ${backend.reason}`);
  const out: Record<string, unknown> = { backend: backend.name, threads: backend.threads, date: new Date().toISOString() };
  const tLG = performance.now();
  const lg = await linearGaussian();
  log(`linear-Gaussian max |error| ${lg.maxAbsError.toFixed(4)} (${((performance.now() - tLG) / 1000).toFixed(0)} s)`);
  out.linearGaussian = lg;

  let fm: Awaited<ReturnType<typeof explain>> | null = null;
  let clf: { accuracy: number; epochs: number; steps: number; seconds: number } | null = null;
  const full = loadFashionMnist(FASHION_MNIST_DIR);
  if (!full) {
    log(`Fashion-MNIST: not available (${FASHION_MNIST_DIR})`);
    out.fmnist = 'not available';
  } else {
    const set = onlyClasses(full, [0, 3, 4], ['T-shirt/top', 'Dress', 'Coat']);
    log(`Fashion-MNIST {0,3,4}: ${set.split.filter((s) => s === 'train').length} train, ${set.split.filter((s) => s === 'test').length} test`);
    const c = await trainFmnistClassifier(set, CLF_SECONDS);
    clf = { accuracy: c.accuracy, epochs: c.epochs, steps: c.steps, seconds: c.seconds };
    log(`classifier: test accuracy ${(100 * c.accuracy).toFixed(1)}% after ${c.steps} steps (${c.epochs.toFixed(2)} epochs, ${c.seconds.toFixed(0)} s)`);
    fm = await explain('fmnist', c.model, set, 2, 4, FMNIST_SECONDS);
    out.fmnist = { classifier: clf, explainer: fm };
    c.model.dispose();
  }

  const pset = loadDemoPneumonia(resourcesDir());
  const pmodel = await loadAuditedModel(path.join(modelsDir(), 'pneumonia-demo'));
  const pn = await explain('pneumonia', pmodel, pset, 1, 5, PNEU_SECONDS);
  out.pneumonia = pn;
  pmodel.dispose();

  out.settings = { trainNAlpha: TRAIN_NA, trainNBeta: TRAIN_NB, batch: BATCH, lr: LR, adamBetas: [0.5, 0.999], lambda: 0.05, filters: 64, evalNAlpha: 100, evalNBeta: 25, clfSeconds: CLF_SECONDS, fmnistSeconds: FMNIST_SECONDS, pneuSeconds: PNEU_SECONDS };
  out.departures = [
    `explainer steps: time-boxed (${FMNIST_SECONDS} s Fashion-MNIST, ${PNEU_SECONDS} s pneumonia) instead of 8,000 steps`,
    `C during training estimated with N_alpha = ${TRAIN_NA}, N_beta = ${TRAIN_NB} instead of 100 x 25 (evaluation uses 100 x 25)`,
    `batch ${BATCH}, lr ${LR} (the authors' archived run: batch 64, lr 5e-4; the paper's text: batch 32, lr 1e-4)`,
    `classifier: Table 1 with SGD momentum 0.5, lr 0.1, batch 64, time-boxed to ${CLF_SECONDS} s instead of full epochs`,
    'data fidelity D: Gaussian likelihood (sum of squared errors) + KL, as the authors\' code',
    'pneumonia: K = 1, L = 5 (K + L = 6 as Fashion-MNIST), the same explainer settings',
    'per-factor influence evaluated for the causal factors only (I(beta_j; Y) skipped to save 2,500 passes each)',
  ];
  out.summary = {
    fmnist_I_alpha_Y: fm?.I_alpha_Y ?? null,
    fmnist_classifier_accuracy: clf?.accuracy ?? null,
    fmnist_certificate_error_bound: fm?.certificate.errorBound ?? null,
    pneumonia_I_alpha_Y: pn.I_alpha_Y,
    linear_gaussian_max_abs_error: lg.maxAbsError,
    train_seconds: (fm?.trainSeconds ?? 0) + pn.trainSeconds + (clf?.seconds ?? 0),
    steps: { fmnist: fm?.steps ?? 0, pneumonia: pn.steps, fmnist_classifier: clf?.steps ?? 0 },
  };
  fs.mkdirSync(path.join('bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join('bench', 'results', 'gce.json'), JSON.stringify(out, null, 1));
  console.table(out.summary as Record<string, unknown>);
  log('wrote bench/results/gce.json');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
