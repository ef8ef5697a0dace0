// Trains the two exaggeration explainers shipped in models/ (npm run train:demo-explainer),
// reproducibly from a seed: exaggeration-pneumonia for models/pneumonia-demo and
// exaggeration-shortcut for models/shortcut-demo, on the same training images (see
// bench/demo-explainers.ts). Each folder gets explainer.json (with the training record, time
// included), weights.bin and sample.png (the final sample series grid).
// Options: --only pneumonia|shortcut, --steps N, --lambda-f X, --seed N, --out DIR,
// --backend wasm|cpu, --threads N (wasm threads; 1 is faster on a machine busy with other work).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend, type BackendName } from '../src-main/engine/backend';
import type { ExplainerTrainOptionsInput } from '../src-main/engine/explain/exaggeration/config';
import { trainExplainer } from '../src-main/engine/explain/exaggeration/trainer';
import { loadAuditedModel } from '../src-main/engine/models/load';
import { modelsDir } from '../src-main/engine/resources';
import { classifierDir, DEMO_EXPLAINERS, markedDemoSet, MARKER_SEED, rowsOf } from './demo-explainers';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seed = Number(arg('seed') ?? 0);
const outRoot = path.resolve(arg('out') ?? modelsDir());
const only = arg('only');

/**
 * The shipped recipe: 28 px, K = 10, widths 8-16-32 (half the 28 px default, for this 2-core
 * machine), lambda_f = 10 instead of the paper's 1 (inside its ablation range, seed 004 Table 6):
 * with about a thousand steps affordable here, lambda_f = 1 left f far from its targets (200 test
 * queries after 500 steps: correlation 0.62, 20% in the target bin; lambda_f = 5: 0.84, 29%).
 */
export const RECIPE: ExplainerTrainOptionsInput = {
  architecture: { width: 8, discWidth: 8 },
  weights: { cgan: 1, f: Number(arg('lambda-f') ?? 10), rec: 100 },
  steps: Number(arg('steps') ?? 1200),
  batchSize: 32,
  learningRate: 1e-3,
  discLearningRate: 1e-3,
  seed,
  sampleEvery: 250,
  checkpointEvery: 250,
  keepCheckpoint: false,
};

const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;

async function trainOne(name: string, classifier: string, description: string): Promise<void> {
  const model = await loadAuditedModel(classifierDir(classifier));
  const set = markedDemoSet();
  const outDir = path.join(outRoot, name);
  fs.rmSync(outDir, { recursive: true, force: true });
  console.log(`\n== ${name}: ${description}`);
  const t0 = Date.now();
  let last = 0;
  const r = await trainExplainer(
    {
      model,
      set,
      rows: rowsOf(set, 'train'),
      outDir,
      options: RECIPE,
      provenance: {
        command: 'npm run train:demo-explainer',
        description,
        classifier: `models/${classifier}`,
        data: `PneumoniaMNIST demo train split (resources/pneumoniamnist.npz) with the burned-in marker on a seeded half of each class (seed ${MARKER_SEED})`,
      },
    },
    {
      progress: ({ stage, metrics }) => {
        if (metrics.kl === undefined || Date.now() - last < 15_000) return;
        last = Date.now();
        console.log(`${stage} ${['kl', 'rec', 'cyc', 'g_adv', 'd'].map((k) => `${k}=${round(metrics[k])}`).join(' ')} (${round((Date.now() - t0) / 1000, 0)}s)`);
      },
      sample: (s) => console.log(`sample at step ${s.step}: ${Math.round(s.inTargetBin * 100)}% of preview frames in their target bin`),
    },
  );
  const wall = (Date.now() - t0) / 1000;
  // Keep only the final sample grid; record the wall time in explainer.json.
  const lastSample = r.samples.at(-1);
  if (lastSample) fs.copyFileSync(path.join(outDir, lastSample.file), path.join(outDir, 'sample.png'));
  fs.rmSync(path.join(outDir, 'samples'), { recursive: true, force: true });
  const file = path.join(outDir, 'explainer.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  json.training.wallSeconds = round(wall, 1);
  fs.writeFileSync(file, `${JSON.stringify(json, null, 1)}\n`);
  model.dispose();
  console.log(`${name}: ${r.steps} steps, ${round(r.trainSeconds, 0)} s training, ${round(wall, 0)} s wall on ${r.backend}; ${r.parameters} parameters, ${r.weightBytes} bytes`);
}

async function main(): Promise<void> {
  const threads = arg('threads') ? Number(arg('threads')) : undefined;
  const backend = await initBackend({ ...(arg('backend') ? { prefer: arg('backend') as BackendName } : {}), ...(threads ? { wasmThreads: threads } : {}) });
  console.log(`backend: ${backend.name} (${backend.reason})`);
  for (const e of DEMO_EXPLAINERS) if (!only || e.name.endsWith(only)) await trainOne(e.name, e.classifier, e.description);
}

main().then(
  () => process.exit(0), // wasm worker threads would otherwise keep the process alive
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
