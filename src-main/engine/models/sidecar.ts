// The sidecar `xray-audit.json` next to a model.json: what the model expects and what it means.
// tfjs files say nothing about input size, normalisation or which output is "pneumonia", and
// an audit built on a wrong guess is silently wrong, so these are declared and validated.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { EngineError } from '../jobs/errors';

export const SIDECAR_FILE = 'xray-audit.json';

export const SidecarSchema = z
  .object({
    format: z.literal('xray-audit-model'),
    version: z.literal(1),
    /** Side of the square input, in pixels. */
    inputSize: z.number().int().min(8).max(1024),
    /** 1 (grey) or 3 (grey replicated to RGB). */
    channels: z.union([z.literal(1), z.literal(3)]),
    /** The model input is raw * scale + offset, with raw grey values 0..255. */
    normalization: z.object({ scale: z.number().positive(), offset: z.number() }).strict(),
    classNames: z.array(z.string().min(1)).min(2),
    /** Index into classNames of the class the audit explains. */
    positiveClass: z.number().int().min(0),
    /** What the single output holds: probabilities (softmax/sigmoid applied) or logits. */
    output: z.enum(['probabilities', 'logits']).default('probabilities'),
    /** Where the model came from: free-form, but these keys are conventional. */
    provenance: z
      .object({
        source: z.string().optional(),
        dataset: z.string().optional(),
        createdAt: z.string().optional(),
        seed: z.number().optional(),
        command: z.string().optional(),
        notes: z.string().optional(),
      })
      .catchall(z.unknown())
      .default({}),
    /** The architecture config, for models trained by this app. */
    architecture: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.positiveClass >= s.classNames.length) {
      ctx.addIssue({ code: 'custom', path: ['positiveClass'], message: `must be an index into classNames (0..${s.classNames.length - 1})` });
    }
  });

export type Sidecar = z.infer<typeof SidecarSchema>;
export type SidecarInput = z.input<typeof SidecarSchema>;

/** Validates sidecar JSON; errors name the file and each offending field. */
export function parseSidecar(json: unknown, file = SIDECAR_FILE): Sidecar {
  const r = SidecarSchema.safeParse(json);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new EngineError('bad_input', `${file}: invalid model sidecar: ${fields.join('; ')}`, fields.join('\n'));
}

export function readSidecar(dir: string): Sidecar {
  const file = path.join(dir, SIDECAR_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new EngineError('bad_input', `${file}: missing: a model folder needs ${SIDECAR_FILE} next to model.json (input size, channels, normalization, classNames, positiveClass)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new EngineError('bad_input', `${file}: not valid JSON: ${(e as Error).message}`);
  }
  return parseSidecar(json, file);
}

/** Canonical bytes of a sidecar, as written to disk (and hashed). */
export function sidecarBytes(s: Sidecar): Buffer {
  return Buffer.from(`${JSON.stringify(s, null, 2)}\n`, 'utf8');
}
