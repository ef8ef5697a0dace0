// Visual causal feature learning (seed 001) job parameters, pure zod so that the API contract,
// the CLI and the renderer can share them.
import { z } from 'zod';

/** Default L2 weight decay of the causal predictor C on GRATING. */
export const GRATING_WEIGHT_DECAY = 3e-4;

export const CausalFeaturesParamsSchema = z
  .object({
    /** 'grating': the seed's synthetic benchmark; 'pneumonia-marker': the demo X-rays with a burned-in marker as the spurious correlate. */
    experiment: z.enum(['grating', 'pneumonia-marker']).default('grating'),
    seed: z.number().int().min(0).default(1),
    /** Observational images (GRATING; PneumoniaMNIST uses its train split). */
    observational: z.number().int().min(200).max(20000).default(2000),
    /** Algorithm 2 iterations (the seed: 20). */
    iterations: z.number().int().min(1).max(100).default(20),
    /** Causal queries per iteration (the seed: 100). */
    queries: z.number().int().min(1).max(1000).default(100),
    /** Weight of the distance term of the manipulator (the seed: 0.5). */
    alpha: z.number().gt(0).lt(1).default(0.5),
    /** Hidden units of C and of the observational network (the seed: 100). */
    hidden: z.number().int().min(4).max(1024).default(100),
    /** Epochs of the first training of C (Algorithm 1) and of each retraining (Algorithm 2). */
    epochs: z.number().int().min(1).max(500).default(30),
    retrainEpochs: z.number().int().min(1).max(200).default(15),
    /** L2 weight decay of C on GRATING (the authors' code decays too); it makes C harder to fool with scattered pixels. */
    weightDecay: z.number().min(0).max(0.1).default(GRATING_WEIGHT_DECAY),
    /** Test images for the feature effects. */
    testImages: z.number().int().min(50).max(20000).default(1000),
    /** Bootstrap resamples of the effect intervals. */
    bootstrap: z.number().int().min(100).max(100000).default(1000),
    /** Example manipulations returned as PNGs (first and last iteration each). */
    examples: z.number().int().min(0).max(32).default(8),
  })
  .strict();

export type CausalFeaturesParams = z.infer<typeof CausalFeaturesParamsSchema>;
export type CausalFeaturesParamsInput = z.input<typeof CausalFeaturesParamsSchema>;
