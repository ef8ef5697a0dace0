// The interface every saliency metric implements: it judges the maps one method produced for a
// batch of images (any method: maps are S*S arrays, higher = more evidence for the target) and
// returns one result per image.
import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { SaliencyMetricId } from '../../../api/schemas/saliency';
import type { Attribution, ExplainHooks, ReferenceImages } from '../../explain/saliency/types';
import type { AuditedModel } from '../../models/audited-model';

export interface SaliencyMetricInput {
  model: AuditedModel;
  /** [N, S, S, 1] grey 0..1, the images the maps explain. */
  x: tf.Tensor4D;
  targets: number[];
  /** True classes, where known (pixel perturbation then reports accuracy, as seed 004 plots). */
  labels?: number[];
  maps: Float32Array[];
  /** Per image, a 0/1 mask of S*S pixels (EHR); null where the image has none. */
  regions?: (Uint8Array | null)[];
  /** The method (and its settings) that made the maps: the sanity check recomputes them. */
  method?: Attribution;
  methodSettings?: unknown;
  reference?: ReferenceImages;
}

export interface MetricResult {
  /** The headline number (an AUC, a ratio, a correlation); null where not applicable. */
  value: number | null;
  /** Curves and secondary numbers. */
  details: Record<string, number | number[] | string[] | null>;
}

export interface SaliencyMetric<S extends z.ZodType = z.ZodType> {
  readonly id: SaliencyMetricId;
  readonly label: string;
  /** true / false: which direction is better; null: no direction (read against a baseline). */
  readonly higherIsBetter: boolean | null;
  readonly needsRegion: boolean;
  readonly needsMethod: boolean;
  readonly settingsSchema: S;
  evaluate(input: SaliencyMetricInput, settings?: z.input<S>, hooks?: ExplainHooks): Promise<MetricResult[]>;
}
