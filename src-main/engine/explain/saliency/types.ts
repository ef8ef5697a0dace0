// The one interface every attribution method implements (captum style): a method takes a batch
// of grey images, one target class per image and its settings, and returns one map per image
// (same size as the image, higher = more evidence for the target) plus per-image diagnostics.
// Capability flags tell callers what a method needs (named layers, reference images) and what
// it reports (a convergence delta).
import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { SaliencyMethodId } from '../../../api/schemas/saliency';
import type { AuditedModel } from '../../models/audited-model';

/** Progress (0..1 of this call) and cancellation points; both optional. */
export interface ExplainHooks {
  progress?(fraction: number, stage?: string): void;
  /** Awaited between steps; throws to cancel. */
  checkpoint?(): Promise<void>;
}

/**
 * Images drawn from the data set (a random sample, not the first rows: splits are sorted by
 * label), [M, S, S, 1] grey 0..1: the bottleneck methods estimate their noise statistics on it.
 * Caches derived statistics per model and layer.
 */
export interface ReferenceImages {
  readonly images: tf.Tensor4D;
  readonly cache: Map<string, unknown>;
}

export interface AttributionInput {
  model: AuditedModel;
  /** [N, S, S, 1], grey, 0..1. Not disposed by the method. */
  x: tf.Tensor4D;
  /** Class index per image. */
  targets: number[];
  /** Needed by methods with needsReference. */
  reference?: ReferenceImages;
}

export interface AttributionOutput {
  /** One S*S row-major map per image. */
  maps: Float32Array[];
  /** Per image, e.g. { completenessDelta } for Integrated Gradients. */
  diagnostics: Record<string, number>[];
}

export interface Attribution<S extends z.ZodType = z.ZodType> {
  readonly id: SaliencyMethodId;
  readonly label: string;
  /** Needs named internal layers (LayersModels only). */
  readonly needsLayers: boolean;
  /** Needs reference images (noise statistics). */
  readonly needsReference: boolean;
  /** Reports a convergence (completeness) delta in its diagnostics. */
  readonly hasConvergenceDelta: boolean;
  /** Maps can be negative (evidence against the target). */
  readonly signed: boolean;
  /** Computes several images in one pass (otherwise it loops over them). */
  readonly batched: boolean;
  /** Uses random noise (seeded through its settings). */
  readonly stochastic: boolean;
  readonly settingsSchema: S;
  attribute(input: AttributionInput, settings?: z.input<S>, hooks?: ExplainHooks): Promise<AttributionOutput>;
}
