// npm run bench:causal-features — visual causal feature learning (seed 001): GRATING as in
// section 4.1 (Algorithm 1, then 20 manipulator iterations of Q = 100 queries) and PneumoniaMNIST
// with a burned-in marker as the spurious correlate. Prints a table and writes
// bench/results/causal_features.json with a top-level `summary`.
// Env: BENCH_CF_SEED (1), BENCH_CF_PNEUMONIA_ITERS (5), BENCH_CF_SKIP_PNEUMONIA=1.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CausalFeaturesParamsSchema } from '../src-main/api/schemas/causal-features';
import { initBackend } from '../src-main/engine/backend';
import { runGrating, runPneumoniaMarker, type CausalFeaturesResult } from '../src-main/engine/explain/causal-features';

const seed = Number(process.env.BENCH_CF_SEED ?? 1);
const r3 = (v: number): number => Math.round(v * 1000) / 1000;

async function main(): Promise<void> {
  const backend = await initBackend();
  const log = (stage: string, f: number, m?: Record<string, number>): void => {
    if (m) process.stderr.write(`  ${stage}: MErr ${m.merr.toFixed(3)} MDist ${m.mdist.toFixed(4)}\n`);
    else process.stderr.write(`  ${stage} (${Math.round(f * 100)}%)\n`);
  };
  console.log(`causal features bench: backend ${backend.name}, seed ${seed}`);
  const grating = await runGrating(CausalFeaturesParamsSchema.parse({ experiment: 'grating', seed }), { progress: log });
  let pneumonia: CausalFeaturesResult | null = null;
  if (process.env.BENCH_CF_SKIP_PNEUMONIA !== '1') {
    pneumonia = await runPneumoniaMarker(CausalFeaturesParamsSchema.parse({ experiment: 'pneumonia-marker', seed, iterations: Number(process.env.BENCH_CF_PNEUMONIA_ITERS ?? 5), testImages: 624 }), { progress: log });
  }
  const g = grating.effects;
  const c = grating.curves;
  const summary: Record<string, number | string | boolean | null> = {
    observational_classes: grating.observationalClasses.length,
    causal_classes: grating.causalValues.length,
    merr_iter1: r3(c[0].merr),
    merr_final: r3(c[c.length - 1].merr),
    merr_last5_mean: r3(c.slice(-5).reduce((s, x) => s + x.merr, 0) / Math.min(5, c.length)),
    mdist_iter1: r3(c[0].mdist),
    mdist_final: r3(c[c.length - 1].mdist),
    hbar_effect_causal: r3(g.hbar_causal.mean),
    vbar_effect_causal: r3(g.vbar_causal.mean),
    vbar_effect_observational: r3(g.vbar_observational.mean),
    verdict_observational_leans_on_vbar: grating.verdicts.observational.leansOnSpurious,
    pneumonia_marker_effect_causal: pneumonia ? r3(pneumonia.effects.marker_causal.mean) : null,
    pneumonia_marker_effect_observational: pneumonia ? r3(pneumonia.effects.marker_observational.mean) : null,
    pneumonia_label_effect_causal: pneumonia ? r3(pneumonia.effects.label_causal.mean) : null,
    verdict_shortcut_leans_on_marker: pneumonia ? pneumonia.verdicts.observational.leansOnSpurious : null,
  };
  const targets: Record<string, string> = {
    causal_classes: '2',
    merr_final: '<= 0.15 (seed: ~0.06)',
    hbar_effect_causal: '0.6 +/- 0.1',
    vbar_effect_causal: '<= 0.05',
    vbar_effect_observational: '0.30 +/- 0.07',
  };
  console.log('\niteration  MErr   MDist');
  for (const s of c) console.log(`${String(s.iteration).padStart(9)}  ${s.merr.toFixed(3)}  ${s.mdist.toFixed(4)}`);
  console.log('\nmetric                                   value    target');
  for (const [k, v] of Object.entries(summary)) console.log(`${k.padEnd(40)} ${String(v).padEnd(8)} ${targets[k] ?? ''}`);
  for (const [name, r] of [['GRATING', grating], ['PneumoniaMNIST+marker', pneumonia]] as const) {
    if (!r) continue;
    console.log(`\n${name} effects (mean change, 95% bootstrap CI)`);
    for (const [k, e] of Object.entries(r.effects)) console.log(`  ${k.padEnd(22)} ${e.mean.toFixed(3)}  [${e.lo.toFixed(3)}, ${e.hi.toFixed(3)}]  n=${e.n}`);
    console.log(`  verdict: ${r.verdicts.observational.text}`);
    console.log(`  ${r.seconds.toFixed(0)} s`);
  }
  const out = path.join(process.cwd(), 'bench', 'results', 'causal_features.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ summary, targets, backend: backend.name, seed, grating, pneumonia, at: new Date().toISOString() }, null, 2));
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
