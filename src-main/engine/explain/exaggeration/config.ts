// The explainer's architecture: defaults derived from the image size (28..128 px), overridable.
// The encoder halves the resolution `downsamples` times down to a spatial latent of about 7-8
// px, so that the generator keeps the query's layout; widths double per halving.
import { EngineError } from '../../jobs/errors';

export {
  ExplainerArchOptionsSchema,
  ExplainerArchSchema,
  ExplainerTrainOptionsSchema,
  LossWeightsSchema,
  type ExplainerArch,
  type ExplainerArchInput,
  type ExplainerTrainOptions,
  type ExplainerTrainOptionsInput,
  type LossWeights,
} from '../../../api/schemas/exaggeration';
import { ExplainerArchSchema, type ExplainerArch, type ExplainerArchInput } from '../../../api/schemas/exaggeration';

/** Defaults for an image size: a latent of 6..13 px; narrower networks for bigger images. */
export function defaultArch(imageSize: number): ExplainerArch {
  let downsamples = 1;
  while (downsamples < 5 && Math.ceil(imageSize / 2 ** (downsamples + 1)) >= 6) downsamples++;
  const width = imageSize <= 40 ? 16 : imageSize <= 80 ? 12 : 8;
  return { imageSize, bins: 10, width, maxWidth: 64, downsamples, discWidth: width, seed: 0 };
}

/** Defaults for the size, then the given options (undefined ones ignored), validated. */
export function explainerArch(imageSize: number, ...inputs: ExplainerArchInput[]): ExplainerArch {
  const merged: Record<string, unknown> = { ...defaultArch(imageSize) };
  for (const input of inputs) for (const [k, v] of Object.entries(input)) if (v !== undefined) merged[k] = v;
  if (merged.imageSize !== imageSize) throw new EngineError('invalid_request', `architecture.imageSize ${merged.imageSize} differs from the classifier's input size ${imageSize}`);
  const r = ExplainerArchSchema.safeParse(merged);
  if (!r.success) throw new EngineError('invalid_request', `explainer architecture: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (Math.ceil(imageSize / 2 ** r.data.downsamples) < 2) throw new EngineError('invalid_request', `explainer architecture: ${r.data.downsamples} downsamplings leave less than 2 px of a ${imageSize} px image`);
  return r.data;
}

/** Channels after `stage` halvings. */
export function widthAt(base: number, stage: number, max: number): number {
  return Math.min(max, base * 2 ** stage);
}

/** Spatial sides after 0..downsamples halvings (ceil, as 'same' average pooling gives). */
export function sidesOf(arch: ExplainerArch): number[] {
  const sides = [arch.imageSize];
  for (let d = 0; d < arch.downsamples; d++) sides.push(Math.ceil(sides[d] / 2));
  return sides;
}
