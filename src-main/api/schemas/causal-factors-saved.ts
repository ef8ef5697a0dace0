// What the project keeps of the generative causal explanation (seed 000): the latest
// 'causal-factors' result per explainer name, and the capacity certificate in words, derived
// from a result's numbers. Pure zod and TypeScript, so the renderer and the report share it.
import { z } from 'zod';
import type { CausalFactorsResult } from './causal-factors';

export const CausalFactorsLatestRequestSchema = z
  .object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/).optional() })
  .strict();

export interface SavedCausalFactors {
  /** The explainer's name (its folder <project>/causal/<name>). */
  name: string;
  savedAt: string;
  /** Whether it explains the project's current classifier. */
  matchesModel: boolean;
  result: CausalFactorsResult;
}

/** A saved result (large: PNG data URLs) or null; passed through from the engine. */
export const SavedCausalFactorsSchema = z.custom<SavedCausalFactors>(
  (v) => typeof v === 'object' && v !== null && 'result' in v && 'savedAt' in v,
  'not a saved causal-factors result',
);

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const pct = (v: number, d = 0): string => `${(100 * v).toFixed(d)}%`;

/** The raw capacity bound (log2 M - I / ln 2) / 2 of seed 000 Appendix F (valid while <= 1/2). */
export function certificateBound(classes: number, nats: number): number {
  return (Math.log2(classes) - nats / Math.LN2) / 2;
}

export interface SweepSummary {
  images: number;
  /** Share of alpha frames whose output moved more than 0.1 from the reconstruction's. */
  alphaMoved: number | null;
  /** Share of beta frames whose output stayed within 0.1 of the reconstruction's. */
  betaStable: number | null;
  /** Alpha sweeps whose MAP class changes somewhere along the sweep. */
  alphaFlips: number;
  alphaSweeps: number;
}

export function sweepSummary(r: CausalFactorsResult): SweepSummary {
  let aMoved = 0;
  let aFrames = 0;
  let bStable = 0;
  let bFrames = 0;
  let flips = 0;
  let aSweeps = 0;
  const argmax = (p: number[]): number => p.indexOf(Math.max(...p));
  for (const s of r.sweeps) {
    for (const f of s.factors) {
      if (f.causal) {
        aSweeps++;
        aFrames += f.maxShift.length;
        aMoved += f.maxShift.filter((v) => v > 0.1).length;
        if (new Set(f.probs.map(argmax)).size > 1) flips++;
      } else {
        bFrames += f.maxShift.length;
        bStable += f.maxShift.filter((v) => v <= 0.1).length;
      }
    }
  }
  return { images: r.sweeps.length, alphaMoved: aFrames ? aMoved / aFrames : null, betaStable: bFrames ? bStable / bFrames : null, alphaFlips: flips, alphaSweeps: aSweeps };
}

/**
 * The result in plain words: how much of the classifier's output capacity the causal factors
 * carry, the certificate, what the non-causal factors carry, what the sweeps show, and how it
 * was estimated. Every number comes from the result.
 */
export function causalFactorsInWords(r: CausalFactorsResult): string[] {
  const m = r.classNames.length;
  const k = r.options.k;
  const l = r.options.l;
  const inf = r.influence;
  const I = inf.joint;
  const word = WORDS[m] ?? String(m);
  const who = k === 1 ? 'The causal factor alpha carries' : `The ${k} causal factors alpha = (alpha1..alpha${k}) jointly carry`;
  const out: string[] = [];
  out.push(
    `${who} I(alpha;Y) = ${I.toFixed(2)} nats of the ${inf.logM.toFixed(2)} nats (log ${m}) the classifier's ${word}-class output can carry: ${pct(Math.max(0, I) / inf.logM)} of its capacity.`,
  );
  const raw = certificateBound(m, I);
  if (raw <= 0.5) {
    const pi = Math.max(0, raw);
    out.push(
      `By the capacity certificate (seed 000, Appendix F), the classifier's decision can be predicted from alpha alone with an error of at most ${pi.toFixed(4)}: the causal factors explain at least ${pct(1 - pi, 1)} of the classifier's decisions (for comparison, always guessing its most frequent decision is right at least ${pct(1 / m)} of the time).`,
    );
  } else {
    out.push(
      `That is too little for the capacity certificate (seed 000, Appendix F): its error bound, ${raw.toFixed(2)}, exceeds 1/2, so alpha is not shown to explain the classifier's decisions. Train longer, or with more causal factors, before drawing conclusions.`,
    );
  }
  const betas = inf.perFactor.filter((f) => !f.causal);
  if (l > 0 && betas.length) {
    const top = betas.reduce((a, b) => (b.nats > a.nats ? b : a));
    out.push(
      top.nats <= 0.1 * inf.logM
        ? `The ${l} non-causal factors (beta) carry at most ${top.nats.toFixed(3)} nats each (${top.name}): the classifier responds little to the variation they encode.`
        : `The non-causal factor ${top.name} still carries ${top.nats.toFixed(3)} nats: part of the classifier's behaviour escapes the causal factors (raise K or the training length).`,
    );
  } else if (l > 0) {
    out.push("The non-causal factors' influence was not estimated.");
  }
  const s = sweepSummary(r);
  if (s.images && s.alphaMoved !== null) {
    out.push(
      `Along the sweeps (-3..3 prior s.d.) of ${s.images} image${s.images === 1 ? '' : 's'}, the classifier's output moved by more than 0.1 in ${pct(s.alphaMoved)} of the alpha frames (${s.alphaFlips} of ${s.alphaSweeps} alpha sweeps change its decision)` +
        (s.betaStable !== null ? ` and stayed within 0.1 of the reconstruction's in ${pct(s.betaStable)} of the beta frames.` : '.'),
    );
  }
  out.push(
    `Estimated by seed 000 Algorithm 2 (natural log) with N_alpha = ${inf.nAlpha} and N_beta = ${inf.nBeta} samples, after ${r.steps} training steps of the ${r.options.variant} objective (K = ${k}, L = ${l}, lambda = ${r.options.lambda}, ${r.options.filters} filters per layer).`,
  );
  return out;
}
