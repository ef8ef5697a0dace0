// npm run bench:exaggeration — quality of the shipped exaggeration explainers on 200 demo test
// queries (bench/demo-explainers.ts): target/achieved f correlation, frames in their target bin,
// monotone series, reconstruction L1, cycle L1, latent space closeness, Frechet distance in the
// 'demo-pool' feature space; and the confounding metric with a marker oracle (a small CNN trained
// on the `marker` attribute) for the shortcut and the clean classifier's explainers.
// Prints a table and writes bench/results/exaggeration.json (top-level `summary`).
// Options: --queries N, --threads N, --out FILE.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src-main/engine/backend';
import { loadExplainer } from '../src-main/engine/explain/exaggeration/io';
import { evaluateExplainerQuality, type ExaggerationQuality } from '../src-main/engine/metrics/exaggeration/evaluate';
import { trainOracle } from '../src-main/engine/metrics/exaggeration/oracle';
import { loadAuditedModel } from '../src-main/engine/models/load';
import { modelsDir } from '../src-main/engine/resources';
import { classifierDir, DEMO_EXPLAINERS, markedDemoSet, MARKER_SEED, QUERY_SEED, queryRows } from './demo-explainers';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const r3 = (x: number | null | undefined, d = 3): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const fmt = (x: number | null | undefined, d = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));

async function main(): Promise<void> {
  const threads = arg('threads') ? Number(arg('threads')) : undefined;
  const backend = await initBackend(threads ? { wasmThreads: threads } : {});
  console.log(`backend: ${backend.name} (${backend.reason})`);
  const nQueries = Number(arg('queries') ?? 200);
  const set = markedDemoSet();
  const rows = queryRows(set, nQueries);
  const t0 = Date.now();

  console.log('training the marker oracle...');
  const oracleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-bench-oracle-'));
  const oracle = await trainOracle({ set, exclude: rows, attribute: 'marker', positive: 'present', outDir: oracleDir, epochs: 6, seed: 0 });
  console.log(`oracle: val AUC ${fmt(oracle.valAuc, 4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

  const results: Record<string, { quality: ExaggerationQuality; seconds: number; training: Record<string, unknown>; classifierHash: string | null }> = {};
  for (const e of DEMO_EXPLAINERS) {
    const dir = path.join(modelsDir(), e.name);
    const model = await loadAuditedModel(classifierDir(e.classifier));
    const { explainer, file } = await loadExplainer(dir, model);
    for (const calibrate of [false, true]) {
      const t = Date.now();
      const quality = await evaluateExplainerQuality(explainer, model, set, rows, {
        frechet: 'demo-pool',
        calibrate,
        oracle: { model: oracle.model, attribute: 'marker', positive: 'present', valAuc: oracle.valAuc },
        bootstrap: 2000,
        seed: 1,
        strips: { attribute: 'marker', perGroup: 2 },
        progress: (stage) => console.log(`${e.name}${calibrate ? ' (calibrated knob)' : ''}: ${stage}`),
      });
      results[`${e.name}${calibrate ? '+calibrated' : ''}`] = { quality, seconds: (Date.now() - t) / 1000, training: file.training, classifierHash: file.classifier.hash };
    }
    explainer.dispose();
    model.dispose();
  }
  oracle.model.dispose();
  fs.rmSync(oracleDir, { recursive: true, force: true });

  const figures = (suffix: string) => {
    const clean = results[`exaggeration-pneumonia${suffix}`].quality;
    const shortcut = results[`exaggeration-shortcut${suffix}`].quality;
    const cc = clean.confounding!;
    const cs = shortcut.confounding!;
    return {
      clean,
      shortcut,
      summary: {
        target_correlation: r3(clean.compatibility.targetCorrelation),
        in_target_bin: r3(clean.compatibility.inTargetBin),
        monotone: r3(clean.compatibility.monotone),
        reconstruction_l1: r3(clean.selfConsistency.reconstructionL1, 4),
        cycle_l1: r3(clean.selfConsistency.cycleL1, 4),
        lsc: r3(clean.selfConsistency.lsc),
        frechet_demo_pool: r3(clean.frechet?.overall ?? null),
        confounding_shortcut: r3(cs.overall.value),
        confounding_clean: r3(cc.overall.value),
        confounding_ratio: r3(cc.overall.value ? (cs.overall.value ?? 0) / cc.overall.value : null, 2),
        done_when: {
          target_correlation_ge_0_9: (clean.compatibility.targetCorrelation ?? 0) >= 0.9,
          in_target_bin_ge_0_6: clean.compatibility.inTargetBin >= 0.6,
          reconstruction_l1_le_0_05: clean.selfConsistency.reconstructionL1 <= 0.05,
          confounding_ratio_ge_3: (cs.overall.value ?? 0) >= 3 * (cc.overall.value ?? 0),
        },
      },
    };
  };
  const plain = figures('');
  const calibrated = figures('+calibrated');
  const summary = {
    explainer: 'exaggeration-pneumonia (models/pneumonia-demo)',
    queries: rows.length,
    series: "seed 004's conditioning: one frame per bin",
    ...plain.summary,
    oracle_val_auc: r3(oracle.valAuc, 4),
    /** The same explainers with the calibrated knob (not in seed 004; see series.ts). */
    calibrated: calibrated.summary,
  };

  for (const [title, fig] of [["seed 004's conditioning (one frame per bin)", plain], ['calibrated knob (bisection between bins; not in seed 004)', calibrated]] as const) {
    const { clean, shortcut } = fig;
    const row = (label: string, f: (q: ExaggerationQuality) => string): string => `${label.padEnd(40)} ${f(clean).padStart(22)} ${f(shortcut).padStart(22)}`;
    const ci = (b: { value: number | null; lo: number | null; hi: number | null }): string => `${fmt(b.value)} (${fmt(b.lo)}–${fmt(b.hi)})`;
    console.log(`\n${title}: ${rows.length} demo test queries (seed ${QUERY_SEED}; marker on half of each class, seed ${MARKER_SEED}), K = ${clean.bins}`);
    console.log(`${''.padEnd(40)} ${'exaggeration-pneumonia'.padStart(22)} ${'exaggeration-shortcut'.padStart(22)}`);
    console.log(row('target/achieved f correlation', (q) => fmt(q.compatibility.targetCorrelation)));
    console.log(row('frames in target bin', (q) => fmt(q.compatibility.inTargetBin)));
    console.log(row('mean |f - target|', (q) => fmt(q.compatibility.meanAbsError)));
    console.log(row('monotone series (tol 0.01)', (q) => fmt(q.compatibility.monotone)));
    console.log(row('reconstruction L1 ([0,1])', (q) => fmt(q.selfConsistency.reconstructionL1, 4)));
    console.log(row('cycle L1 ([0,1])', (q) => fmt(q.selfConsistency.cycleL1, 4)));
    console.log(row('latent space closeness', (q) => fmt(q.selfConsistency.lsc)));
    console.log(row('Frechet distance, demo-pool (all)', (q) => fmt(q.frechet?.overall)));
    console.log(row('Frechet distance, f->0 / f->1 ends', (q) => `${fmt(q.frechet?.low, 2)} / ${fmt(q.frechet?.high, 2)}`));
    console.log(row('confounding by marker, f->0', (q) => ci(q.confounding!.low.changed)));
    console.log(row('confounding by marker, f->1', (q) => ci(q.confounding!.high.changed)));
    console.log(row('confounding by marker, overall', (q) => ci(q.confounding!.overall)));
    console.log(row('oracle: marker present at f->0 / f->1', (q) => `${fmt(q.confounding!.low.present, 2)} / ${fmt(q.confounding!.high.present, 2)}`));
    console.log(row('training steps / seconds', (q) => {
      const t = results[q === clean ? 'exaggeration-pneumonia' : 'exaggeration-shortcut'].training as { steps?: number; trainSeconds?: number };
      return `${t.steps ?? '—'} / ${fmt(t.trainSeconds, 0)}`;
    }));
    console.log(`confounding ratio shortcut/clean: ${fmt(fig.summary.confounding_ratio, 2)} (done-when >= 3)`);
    console.log(`done-when: ${JSON.stringify(fig.summary.done_when)}`);
  }
  console.log(`oracle val AUC ${fmt(oracle.valAuc, 4)}`);
  const clean = plain.clean;

  const out = path.resolve(arg('out') ?? path.join(__dirname, 'results', 'exaggeration.json'));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const doc = {
    summary,
    setup: {
      queries: `${rows.length} seeded demo test images (seed ${QUERY_SEED}); the burned-in marker on a seeded half of each class (seed ${MARKER_SEED})`,
      oracle: 'plain CNN (widths 8, 16) trained 6 epochs on every demo image but the queries, labelled by the marker attribute (marker on a seeded half of each class), stratified 10% validation cut',
      frechet: clean.frechet?.description ?? null,
      confounding: 'fraction of explanations at bin 0 (f->0) and bin K-1 (f->1) whose oracle decision differs from the query\'s; overall pools both ends; 95% percentile bootstrap over queries (2000 resamples)',
    },
    explainers: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, { ...v.quality, evaluationSeconds: r3(v.seconds, 1), training: v.training, classifierHash: v.classifierHash }])),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? null, loadavg: os.loadavg().map((v) => r3(v, 2)), backend: backend.name, backendReason: backend.reason, tfjs: tf.version.tfjs, node: process.version },
    seconds: r3((Date.now() - t0) / 1000, 1),
    date: new Date().toISOString(),
  };
  fs.writeFileSync(out, `${JSON.stringify(doc, null, 1)}\n`);
  console.log(`written ${path.relative(process.cwd(), out)}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
