// What the project holds of the invariance analysis (seed 003), for the Explain view and the
// report: the trained surrogates, the saved analyses, and a plain-words verdict computed from an
// analysis's curves. Pure zod and TypeScript, so the renderer can import it.
import { z } from 'zod';
import type { InvarianceAnalysisResult, SigmaCurve } from './invariance';

export const SavedSurrogateSchema = z.object({
  name: z.string(),
  kind: z.enum(['svae', 'm2']),
  labels: z.enum(['model', 'true']),
  /** Whether it was trained against the project's current model (only those can be analysed). */
  matchesModel: z.boolean(),
  z1: z.number(),
  z2: z.number(),
  epochsRun: z.number().nullable(),
  /** The last epoch's evaluation: agreement with the model, accuracy, reconstruction. */
  final: z.record(z.string(), z.number()),
});
export type SavedSurrogate = z.infer<typeof SavedSurrogateSchema>;

export const SavedAnalysisInfoSchema = z.object({ name: z.string(), split: z.string(), at: z.string(), matchesModel: z.boolean() });
export type SavedAnalysisInfo = z.infer<typeof SavedAnalysisInfoSchema>;

export const InvarianceSavedSchema = z.object({
  surrogates: z.array(SavedSurrogateSchema),
  /** Newest first. */
  analyses: z.array(SavedAnalysisInfoSchema),
});
export type InvarianceSaved = z.infer<typeof InvarianceSavedSchema>;

export const InvarianceAnalysisRequestSchema = z
  .object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/).optional() })
  .strict();

/** A saved analysis (large: PNG data URLs) or null; passed through from the engine. */
export const InvarianceAnalysisResultSchema = z.custom<InvarianceAnalysisResult>(
  (v) => typeof v === 'object' && v !== null && 'curves' in v && 'gallery' in v,
  'not an invariance analysis',
);

/** A curve as [sigma, fraction] points in sigma order. */
export function curvePoints(c: SigmaCurve | null | undefined): [number, number][] {
  return Object.entries(c ?? {})
    .map(([k, v]): [number, number] => [Number(k), v])
    .filter(([s, v]) => Number.isFinite(s) && Number.isFinite(v))
    .sort((a, b) => a[0] - b[0]);
}

/** The curve's value at the largest sigma not above `s` (null when none). */
export function curveAt(c: SigmaCurve | null | undefined, s: number): number | null {
  const p = curvePoints(c).filter(([x]) => x <= s + 1e-9);
  return p.length ? p[p.length - 1][1] : null;
}

export interface InvarianceVerdict {
  /** 'verified': the audited model keeps its decisions under the z2 changes and the z1 control falls; 'surrogate-only': the SVAE head is invariant but the model is not verified; 'weak': the surrogate separates little. */
  level: 'verified' | 'surrogate-only' | 'weak';
  /** Numbers the sentences use (null when the analysis lacks the curve or sigma). */
  head: number | null;
  audited: number | null;
  control: number | null;
  chance: number;
  sentences: string[];
}

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(100 * v).toFixed(0)}%`);

/**
 * The analysis in words. Criteria follow issue 13: at sigma = 1 at least 90% of decisions kept
 * (by the SVAE head; by the audited model on the decoded images to call it verified), and the z1
 * control within 0.15 of chance at sigma = 2 (else z1 does not carry the decision alone).
 */
export function invarianceVerdict(r: InvarianceAnalysisResult): InvarianceVerdict {
  const c = r.curves;
  const head = curveAt(c.svaeHead, 1);
  const audited = curveAt(c.auditedClassifier, 1);
  const control = curveAt(c.z1Control, 2);
  const chance = curveAt(c.chance.independent, 2) ?? c.chance.uniform;
  const headOk = head !== null && head >= 0.9;
  const controlOk = control !== null && control - chance <= 0.15;
  const auditedOk = audited !== null && audited >= 0.9;
  // A head that gives (nearly) every image one label keeps it whatever is resampled: no evidence either way.
  const degenerate = chance >= 0.9;
  const level: InvarianceVerdict['level'] = degenerate ? 'weak' : headOk && controlOk && auditedOk ? 'verified' : headOk && controlOk ? 'surrogate-only' : 'weak';
  const s: string[] = [];
  s.push(
    `On ${c.n} ${r.split} images, resampling the nuisance latent z2 (what the surrogate found the model ignores) with sigma = 1 kept the surrogate's label for ${pct(head)} of images` +
      (audited !== null ? ` and the audited model's own decision on the decoded images for ${pct(audited)}.` : '.'),
  );
  s.push(`The control, resampling z1 (what the model relies on) instead, kept ${pct(control)} at sigma = 2, against ${pct(chance)} expected by chance.`);
  if (level === 'verified') s.push('Verdict: the model is insensitive to the variation z2 encodes, and its decision rests on the few factors in z1; the gallery shows what may change without changing the decision.');
  else if (level === 'surrogate-only')
    s.push(
      `Verdict: the surrogate separates what the model uses (z1) from what it ignores (z2), but the audited model itself kept only ${pct(audited)} of its decisions on the decoded images` +
        (c.reconstructionAgreement !== null ? ` (${pct(c.reconstructionAgreement)} on plain reconstructions, so part of the change comes from decoding alone)` : '') +
        '; treat the gallery as the surrogate’s view, not a verified invariance.',
    );
  else
    s.push(
      degenerate
        ? `Verdict: the surrogate's head gives nearly every image the same label (chance agreement ${pct(chance)}), so keeping the label says nothing about invariance; train the surrogate longer before drawing conclusions.`
        : headOk
        ? 'Verdict: resampling z1 does not bring the decision down to chance, so z1 is not shown to be what the decision rests on; train the surrogate longer or with more z1 dimensions before drawing conclusions.'
        : 'Verdict: the surrogate does not keep its own labels when z2 changes; its split of the latent space is not reliable, so no invariance is claimed.',
    );
  return { level, head, audited, control, chance, sentences: s };
}
