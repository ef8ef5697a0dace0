// Saliency benchmark (issue 6). On the clean demo model, for seeded random test images: every
// method's deletion and insertion AUC (seed 002 D.3), pixel-perturbation accuracy drop at 10%
// (seed 004 4.3, with random maps as the baseline), the randomisation sanity check (rank
// correlation after randomising the last layer, and all layers), and the median latency per
// image (one image per call). On the shortcut model, with the marker painted on test images:
// every method's effective heat ratio with the marker's box as the region (target: pneumonia,
// the class the marker is a shortcut for). Prints a table; writes bench/results/saliency.json.
//
// Usage: npx tsx bench/saliency.ts [--images 200] [--sanity-images 50] [--step 4]
//        [--sensitivity-images 50] [--generator-images 2] [--methods a,b] [--threads 1]
// Explained class on the demo model: the model's prediction for each image.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { SALIENCY_METHOD_IDS, type SaliencyMethodId } from '../src-main/api/schemas/saliency';
import { initBackend } from '../src-main/engine/backend';
import type { ImageSet } from '../src-main/engine/data/image-set';
import { loadDemoPneumonia } from '../src-main/engine/data/importers/medmnist';
import { markerBox, markerPairs } from '../src-main/engine/data/synthetic/marker';
import { makeRng, permutation } from '../src-main/engine/data/synthetic/rng';
import { disposeReference, makeReference, saliencyMethods, type ReferenceImages } from '../src-main/engine/explain/saliency';
import { boxMask, saliencyMetrics, spearman, type MetricResult } from '../src-main/engine/metrics/saliency';
import { imageBatch, loadAuditedModel, type AuditedModel } from '../src-main/engine/models';
import { modelsDir, resourcesDir } from '../src-main/engine/resources';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const N = Number(opt('images', '200'));
const SANITY_N = Math.min(N, Number(opt('sanity-images', '50')));
const STEP = Number(opt('step', '4'));
const SENS_N = Number(opt('sensitivity-images', '50'));
const GEN_N = Number(opt('generator-images', '2'));
const THREADS = Number(opt('threads', '1'));
const METHODS = opt('methods', SALIENCY_METHOD_IDS.join(',')).split(',') as SaliencyMethodId[];
const SEED = 1;

const mean = (v: number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : Number.NaN);
const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : Number.NaN;
};
const values = (r: MetricResult[]): number[] => r.map((x) => x.value).filter((v): v is number => v !== null && Number.isFinite(v));
const log = (s: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

function rowsOf(set: ImageSet, split: 'train' | 'test'): number[] {
  return set.split.flatMap((s, i) => (s === split ? [i] : []));
}

/** Maps one image per call, so that each call's time is that image's latency. */
async function mapsOneByOne(model: AuditedModel, x: tf.Tensor4D, targets: number[], id: SaliencyMethodId, ref: ReferenceImages, settings: unknown = {}): Promise<{ maps: Float32Array[]; ms: number[]; diagnostics: Record<string, number>[] }> {
  const method = saliencyMethods.get(id);
  const maps: Float32Array[] = [];
  const ms: number[] = [];
  const diagnostics: Record<string, number>[] = [];
  for (let i = 0; i < targets.length; i++) {
    const xi = x.slice([i, 0, 0, 0], [1, -1, -1, -1]);
    const t0 = performance.now();
    const out = await method.attribute({ model, x: xi, targets: [targets[i]], reference: ref }, settings as never);
    ms.push(performance.now() - t0);
    xi.dispose();
    maps.push(out.maps[0]);
    diagnostics.push(out.diagnostics[0]);
    if ((i + 1) % 50 === 0) log(`  ${id}: ${i + 1}/${targets.length} images`);
  }
  return { maps, ms, diagnostics };
}

function randomMaps(n: number, px: number, seed: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => {
    const r = makeRng(seed * 7919 + i);
    return Float32Array.from({ length: px }, () => r());
  });
}

interface DemoRow {
  deletion_auc: number;
  insertion_auc: number;
  /** The same, over the images whose explained (predicted) class is normal / pneumonia. */
  deletion_auc_normal: number;
  deletion_auc_pneumonia: number;
  insertion_auc_normal: number;
  insertion_auc_pneumonia: number;
  /** Accuracy (vs labels) lost when the map's top 10% pixels become uniform noise. */
  pixel_perturbation_acc_drop_10: number;
  /** The same with random maps (same noise draws), for comparison. */
  pixel_perturbation_acc_drop_10_random: number;
  /** Mean P(explained class) lost at 10%, map minus random maps. */
  pixel_perturbation_prob_drop_10_vs_random: number;
  sanity_rank_corr_top: number | null;
  sanity_rank_corr_all: number | null;
  median_latency_ms: number | null;
  ig_median_relative_completeness_delta?: number;
}

async function demoPart(set: ImageSet, ref: ReferenceImages): Promise<{ rows: Record<string, DemoRow>; images: number[]; accuracy: number }> {
  const model = await loadAuditedModel(path.join(modelsDir(), 'pneumonia-demo'));
  const test = rowsOf(set, 'test');
  const pick = permutation(test.length, makeRng(SEED)).slice(0, N).map((j) => test[j]);
  const x = imageBatch(set, pick);
  const p = await model.predict(x).data();
  const targets = pick.map((_, i) => (p[2 * i + 1] > p[2 * i] ? 1 : 0));
  const labels = pick.map((i) => set.labels[i]);
  const accuracy = mean(targets.map((t, i) => (t === labels[i] ? 1 : 0)));
  log(`demo: ${targets.filter((t) => t === 1).length} of ${N} images predicted pneumonia`);
  const px = model.inputSize ** 2;
  const rows: Record<string, DemoRow> = {};
  const judge = async (name: string, maps: Float32Array[], ms: number[] | null, id: SaliencyMethodId | null, extra: Partial<DemoRow> = {}): Promise<void> => {
    const input = { model, x, targets, labels, maps };
    const del = await saliencyMetrics.get('deletion').evaluate(input, { stepPixels: STEP });
    const ins = await saliencyMetrics.get('insertion').evaluate(input, { stepPixels: STEP });
    const pp = await saliencyMetrics.get('pixel-perturbation').evaluate(input, { fractions: [0.05, 0.1, 0.15, 0.2], randomMaps: 5, seed: SEED });
    const at = 1; // index of 10% in the fractions
    const accAfter = mean(pp.map((r) => (r.details.mapCorrect as number[])[at]));
    const accRandom = mean(pp.map((r) => (r.details.randomCorrect as number[])[at]));
    let top: number | null = null;
    let all: number | null = null;
    if (id) {
      const sub = x.slice([0, 0, 0, 0], [SANITY_N, -1, -1, -1]);
      const san = await saliencyMetrics.get('sanity').evaluate(
        { model, x: sub, targets: targets.slice(0, SANITY_N), maps: maps.slice(0, SANITY_N), method: saliencyMethods.get(id), methodSettings: {}, reference: ref },
        { mode: 'top-and-all', absolute: true, seed: SEED },
      );
      sub.dispose();
      top = mean(values(san));
      all = mean(san.map((r) => (r.details.correlations as number[]).at(-1)!).filter(Number.isFinite));
    }
    const byClass = (r: MetricResult[], c: number): number => mean(values(r.filter((_, i) => targets[i] === c)));
    rows[name] = {
      deletion_auc: mean(values(del)),
      insertion_auc: mean(values(ins)),
      deletion_auc_normal: byClass(del, 0),
      deletion_auc_pneumonia: byClass(del, 1),
      insertion_auc_normal: byClass(ins, 0),
      insertion_auc_pneumonia: byClass(ins, 1),
      pixel_perturbation_acc_drop_10: accuracy - accAfter,
      pixel_perturbation_acc_drop_10_random: accuracy - accRandom,
      pixel_perturbation_prob_drop_10_vs_random: mean(values(pp)),
      sanity_rank_corr_top: top,
      sanity_rank_corr_all: all,
      median_latency_ms: ms ? median(ms) : null,
      ...extra,
    };
    log(`demo ${name}: ${JSON.stringify(rows[name])}`);
  };
  await judge('random', randomMaps(N, px, SEED), null, null);
  for (const id of METHODS) {
    log(`demo: ${id}`);
    const out = await mapsOneByOne(model, x, targets, id, ref);
    const extra = id === 'integrated-gradients' ? { ig_median_relative_completeness_delta: median(out.diagnostics.map((d) => d.relativeDelta).filter(Number.isFinite)) } : {};
    await judge(id, out.maps, out.ms, id, extra);
  }
  if (SENS_N > 0 && METHODS.includes('input-iba')) {
    const sub = x.slice([0, 0, 0, 0], [SENS_N, -1, -1, -1]);
    for (const beta of [40]) {
      log(`demo: input-iba beta ${beta} on ${SENS_N} images`);
      const out = await mapsOneByOne(model, sub, targets.slice(0, SENS_N), 'input-iba', ref, { beta });
      const del = await saliencyMetrics.get('deletion').evaluate({ model, x: sub, targets: targets.slice(0, SENS_N), maps: out.maps }, { stepPixels: STEP });
      const base = await saliencyMetrics.get('deletion').evaluate({ model, x: sub, targets: targets.slice(0, SENS_N), maps: randomMaps(SENS_N, px, SEED) }, { stepPixels: STEP });
      log(`demo input-iba beta ${beta}: deletion ${mean(values(del)).toFixed(4)} (random ${mean(values(base)).toFixed(4)}) on the first ${SENS_N} images`);
      (rows[`input-iba (beta_in ${beta}, first ${SENS_N} images)`] as unknown) = { deletion_auc: mean(values(del)) };
    }
    sub.dispose();
  }
  x.dispose();
  model.dispose();
  return { rows, images: pick, accuracy };
}

async function shortcutPart(set: ImageSet, ref: ReferenceImages): Promise<{ rows: Record<string, Record<string, number>>; generator: Record<string, number> | null }> {
  const model = await loadAuditedModel(path.join(modelsDir(), 'shortcut-demo'));
  const pairs = markerPairs(set);
  const marked = pairs.ids.flatMap((id, i) => (id.endsWith('+marker') ? [i] : []));
  const pick = permutation(marked.length, makeRng(SEED + 1)).slice(0, N).map((j) => marked[j]);
  const x = imageBatch(pairs, pick);
  const positive = model.positiveClass;
  const targets = pick.map(() => positive);
  const labels = pick.map((i) => pairs.labels[i]);
  const size = model.inputSize;
  const b = markerBox(size);
  const region = boxMask({ x1: b.x, y1: b.y, x2: b.x + b.side, y2: b.y + b.side }, size);
  const regions = pick.map(() => region);
  const rows: Record<string, Record<string, number>> = {};
  const judge = async (name: string, maps: Float32Array[], n = N): Promise<void> => {
    const e = await saliencyMetrics.get('ehr').evaluate({ model, x, targets: targets.slice(0, n), maps, regions: regions.slice(0, n) });
    const v = e.map((r) => r.value ?? Number.NaN);
    rows[name] = {
      marker_ehr: mean(v),
      marker_ehr_normal: mean(v.filter((_, i) => labels[i] !== positive)),
      marker_ehr_pneumonia: mean(v.filter((_, i) => labels[i] === positive)),
    };
    log(`shortcut ${name}: ${JSON.stringify(rows[name])}`);
  };
  await judge('random', randomMaps(N, size * size, SEED + 1));
  for (const id of METHODS) {
    log(`shortcut: ${id}`);
    const out = await mapsOneByOne(model, x, targets, id, ref);
    await judge(id, out.maps);
  }
  if (SENS_N > 0 && METHODS.includes('input-iba')) {
    const sub = x.slice([0, 0, 0, 0], [SENS_N, -1, -1, -1]);
    for (const beta of [30, 40]) {
      log(`shortcut: input-iba beta ${beta} on ${SENS_N} images`);
      const out = await mapsOneByOne(model, sub, targets.slice(0, SENS_N), 'input-iba', ref, { beta });
      const e = await saliencyMetrics.get('ehr').evaluate({ model, x: sub, targets: targets.slice(0, SENS_N), maps: out.maps, regions: regions.slice(0, SENS_N) });
      const v = e.map((r) => r.value ?? Number.NaN);
      rows[`input-iba (beta_in ${beta}, first ${SENS_N} images)`] = { marker_ehr: mean(v), marker_ehr_normal: mean(v.filter((_, i) => labels[i] !== positive)), marker_ehr_pneumonia: mean(v.filter((_, i) => labels[i] === positive)) };
      log(`shortcut input-iba beta ${beta}: ${JSON.stringify(rows[`input-iba (beta_in ${beta}, first ${SENS_N} images)`])}`);
    }
    sub.dispose();
  }
  // The paper's adversarial mask generator against its untrained starting point (the default).
  let generator: Record<string, number> | null = null;
  if (GEN_N > 0 && METHODS.includes('input-iba')) {
    log(`shortcut: input-iba adversarial vs feature generator on ${GEN_N} images`);
    const sub = x.slice([0, 0, 0, 0], [GEN_N, -1, -1, -1]);
    const t0 = performance.now();
    const adv = await saliencyMethods.get('input-iba').attribute({ model, x: sub, targets: targets.slice(0, GEN_N), reference: ref }, { generator: { kind: 'adversarial' } });
    const tAdv = (performance.now() - t0) / GEN_N;
    const t1 = performance.now();
    const feat = await saliencyMethods.get('input-iba').attribute({ model, x: sub, targets: targets.slice(0, GEN_N), reference: ref }, { generator: { kind: 'feature' } });
    const tFeat = (performance.now() - t1) / GEN_N;
    let maxDiff = 0;
    adv.maps.forEach((m, i) => m.forEach((v, q) => (maxDiff = Math.max(maxDiff, Math.abs(v - feat.maps[i][q])))));
    generator = {
      images: GEN_N,
      max_abs_map_difference: maxDiff,
      mean_rank_correlation: mean(adv.maps.map((m, i) => spearman(m, feat.maps[i]))),
      max_prior_mask_mean_difference: Math.max(...adv.diagnostics.map((d, i) => Math.abs(d.meanPriorMask - feat.diagnostics[i].meanPriorMask))),
      ms_per_image_adversarial: tAdv,
      ms_per_image_feature: tFeat,
    };
    log(`generator check: ${JSON.stringify(generator)}`);
    sub.dispose();
  }
  x.dispose();
  model.dispose();
  return { rows, generator };
}

const f3 = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(3));

async function main(): Promise<void> {
  const backend = await initBackend({ wasmThreads: THREADS });
  log(`backend ${backend.name} (${backend.threads} thread(s)); ${N} images, deletion/insertion step ${STEP} px, sanity on ${SANITY_N}`);
  const set = loadDemoPneumonia(resourcesDir());
  const train = rowsOf(set, 'train');
  const ref = makeReference(imageBatch(set, permutation(train.length, makeRng(SEED + 2)).slice(0, 1000).map((j) => train[j])));
  const started = Date.now();
  const demo = await demoPart(set, ref);
  const shortcut = await shortcutPart(set, ref);
  disposeReference(ref);

  const names = ['random', ...METHODS, ...Object.keys(demo.rows).filter((k) => k.startsWith('input-iba (')), ...Object.keys(shortcut.rows).filter((k) => k.startsWith('input-iba (') && !(k in demo.rows))];
  const summary: Record<string, Record<string, number | null>> = {};
  for (const name of names) summary[name] = { ...(demo.rows[name] ?? {}), ...(shortcut.rows[name] ?? {}) } as Record<string, number | null>;

  const header = ['method', 'deletion AUC (lower)', 'insertion AUC (higher)', 'acc drop @10% (random maps)', 'sanity rho top / all', 'median ms/img', 'marker EHR (normal / pneumonia)'];
  const lines = names.map((name) => {
    const s = summary[name];
    return [
      name,
      f3(s.deletion_auc),
      f3(s.insertion_auc),
      s.pixel_perturbation_acc_drop_10 === undefined ? '—' : `${f3(s.pixel_perturbation_acc_drop_10)} (${f3(s.pixel_perturbation_acc_drop_10_random)})`,
      s.sanity_rank_corr_top === undefined || s.sanity_rank_corr_top === null ? '—' : `${f3(s.sanity_rank_corr_top)} / ${f3(s.sanity_rank_corr_all)}`,
      s.median_latency_ms === undefined || s.median_latency_ms === null ? '—' : s.median_latency_ms.toFixed(1),
      s.marker_ehr === undefined ? '—' : `${f3(s.marker_ehr)} (${f3(s.marker_ehr_normal)} / ${f3(s.marker_ehr_pneumonia)})`,
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const fmt = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(fmt(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(fmt(l));
  console.log('');
  console.log('deletion / insertion AUC by explained class (demo model):');
  for (const name of names.filter((n) => demo.rows[n]?.deletion_auc_normal !== undefined)) {
    const s = summary[name];
    console.log(`  ${name.padEnd(22)} normal ${f3(s.deletion_auc_normal)} / ${f3(s.insertion_auc_normal)}   pneumonia ${f3(s.deletion_auc_pneumonia)} / ${f3(s.insertion_auc_pneumonia)}`);
  }
  console.log(`demo model: ${N} seeded random test images (accuracy ${demo.accuracy.toFixed(3)}), explained class = prediction; deletion/insertion ${STEP} px per step; sanity on the first ${SANITY_N}`);
  console.log(`shortcut model: ${N} test images with the marker painted, explained class = pneumonia; EHR region = the marker's box`);
  const igDelta = summary['integrated-gradients']?.ig_median_relative_completeness_delta;
  if (igDelta !== undefined && igDelta !== null) console.log(`Integrated Gradients (50 trapezoid steps): median |completeness delta| / |P(x) - P(black)| = ${(100 * igDelta).toFixed(2)}%`);
  if (shortcut.generator) console.log(`InputIBA generator check (${GEN_N} images): adversarial vs feature max |map diff| ${shortcut.generator.max_abs_map_difference.toExponential(2)}, rank corr ${shortcut.generator.mean_rank_correlation.toFixed(4)}, ${(shortcut.generator.ms_per_image_adversarial / 1000).toFixed(1)} s vs ${(shortcut.generator.ms_per_image_feature / 1000).toFixed(1)} s per image`);

  const out = {
    summary,
    settings: {
      images: N,
      seed: SEED,
      demo: { model: 'models/pneumonia-demo', target: 'predicted class', deletionInsertionStepPixels: STEP, sanityImages: SANITY_N, pixelPerturbation: { fractions: [0.05, 0.1, 0.15, 0.2], randomMaps: 5 } },
      shortcut: { model: 'models/shortcut-demo', images: 'test images with the marker painted (markerPairs)', target: 'positive class (pneumonia)', region: markerBox(28) },
      reference: '1000 seeded random training images',
      methods: 'default settings of src-main/api/schemas/saliency.ts',
      sensitivityImages: SENS_N,
    },
    inputIbaGeneratorCheck: shortcut.generator,
    machine: { backend: backend.name, threads: backend.threads, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadAverage: os.loadavg(), node: process.version, tfjs: tf.version.tfjs },
    wallSeconds: (Date.now() - started) / 1000,
    date: new Date().toISOString(),
  };
  const file = path.join(__dirname, 'results', 'saliency.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
