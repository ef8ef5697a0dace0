// Progressive-exaggeration schemas, pure zod (no tfjs) so that the API contract and the renderer
// can use them: the explainer's architecture, its loss weights and training options, and the
// parameters of the three exaggeration jobs (train, generate series, quality metrics).
import { z } from 'zod';

const archFields = {
  /** Side of the square grey images; must equal the classifier's input size. */
  imageSize: z.number().int().min(28).max(128),
  /** K: [0, 1] is cut into K equal bins of f(x); the bin index is the generator's condition. */
  bins: z.number().int().min(2).max(20),
  /** Channels at full resolution; doubled after each downsampling, capped by maxWidth. */
  width: z.number().int().min(4).max(128),
  maxWidth: z.number().int().min(4).max(512),
  /** Halvings of the resolution in the encoder (and doublings in the generator). */
  downsamples: z.number().int().min(1).max(5),
  /** Discriminator channels at full resolution (same doubling rule). */
  discWidth: z.number().int().min(4).max(128),
  /** Seeds the weight initialisation. */
  seed: z.number().int().min(0),
};

/** A complete explainer architecture (as saved with a trained explainer). */
export const ExplainerArchSchema = z.object(archFields).strict();
export type ExplainerArch = z.infer<typeof ExplainerArchSchema>;
/** Overrides of the size-derived defaults. */
export const ExplainerArchOptionsSchema = z.object(archFields).partial().strict();
export type ExplainerArchInput = z.input<typeof ExplainerArchOptionsSchema>;

/** lambda_cGAN, lambda_f, lambda_rec of seed 004 (its defaults: 1, 1, 100). */
export const LossWeightsSchema = z
  .object({
    cgan: z.number().min(0).max(1000).default(1),
    f: z.number().min(0).max(1000).default(1),
    rec: z.number().min(0).max(10_000).default(100),
  })
  .strict();
export type LossWeights = z.infer<typeof LossWeightsSchema>;

const MarkerRateSchema = z
  .object({
    seed: z.number().int().min(0).default(0),
    /** Fraction of each class of the training images that get the marker (independent of the label). */
    rate: z.number().min(0).max(1).default(0.5),
  })
  .strict();

export const ExplainerTrainOptionsSchema = z
  .object({
    architecture: ExplainerArchOptionsSchema.default({}),
    weights: LossWeightsSchema.default({ cgan: 1, f: 1, rec: 100 }),
    /** Optimisation steps (each: one generator and one discriminator update). */
    steps: z.number().int().min(1).max(1_000_000).default(3000),
    batchSize: z.number().int().min(2).max(256).default(32),
    /** Adam rates of encoder+generator and discriminator; betas (0, 0.9) as usual for hinge GANs. */
    learningRate: z.number().positive().max(1).default(5e-4),
    discLearningRate: z.number().positive().max(1).default(5e-4),
    beta1: z.number().min(0).max(0.99).default(0),
    beta2: z.number().min(0).max(0.9999).default(0.9),
    /** Linear decay of both rates to this fraction over the last half of training. */
    finalLrFraction: z.number().min(0).max(1).default(0.1),
    seed: z.number().int().min(0).default(0),
    /** Render the sample series (a few fixed training images x all bins) every N steps; 0 never. */
    sampleEvery: z.number().int().min(0).default(250),
    /** Write the checkpoint every N steps (and at the end); 0 only at the end. */
    checkpointEvery: z.number().int().min(0).default(250),
    keepCheckpoint: z.boolean().default(true),
  })
  .strict();
export type ExplainerTrainOptions = z.infer<typeof ExplainerTrainOptionsSchema>;
export type ExplainerTrainOptionsInput = z.input<typeof ExplainerTrainOptionsSchema>;

/** A folder name under <project>/explainers/. */
export const ExplainerNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);

export const TrainExplainerParamsSchema = z
  .object({
    name: ExplainerNameSchema.default('exaggeration'),
    /** Continue from the checkpoint in the explainer's folder when there is one. */
    resume: z.boolean().default(false),
    /** Which split of the project's images to train on. */
    split: z.enum(['train', 'val', 'test']).default('train'),
    /** Paint the synthetic marker on a label-independent fraction of the training images, so the
     * generator can draw (or remove) it; the bias audit needs that. */
    marker: MarkerRateSchema.optional(),
    options: ExplainerTrainOptionsSchema.default(ExplainerTrainOptionsSchema.parse({})),
  })
  .strict();
export type TrainExplainerParams = z.infer<typeof TrainExplainerParamsSchema>;

export const GenerateSeriesParamsSchema = z
  .object({
    /** A trained explainer of the project (folder name under <project>/explainers/). */
    explainer: ExplainerNameSchema,
    /** Rows of the project's image set. */
    indices: z.array(z.number().int().min(0)).min(1).max(64),
    /** Add |frame - query| maps (PNG, scaled to the largest difference of the series). */
    differences: z.boolean().default(true),
    /** Calibrated knob: bisect between bins' conditions until f meets each bin's centre (not in
     * seed 004; off = the paper's one frame per bin condition). */
    calibrate: z.boolean().default(false),
  })
  .strict();
export type GenerateSeriesParams = z.infer<typeof GenerateSeriesParamsSchema>;

export const ExaggerationMetricsParamsSchema = z
  .object({
    explainer: ExplainerNameSchema,
    split: z.enum(['train', 'val', 'test']).default('test'),
    /** Queries: a seeded sample of the split, at most this many. */
    queries: z.number().int().min(4).max(5000).default(200),
    seed: z.number().int().min(0).default(0),
    /** Feature space of the Frechet distance (see metrics/exaggeration/frechet.ts). */
    frechetFeatures: z.enum(['demo-pool', 'random-projection']).default('demo-pool'),
    /** Attribute column for the confounding metric (an oracle CNN is trained on it); none: skip. */
    oracleAttribute: z.string().min(1).max(100).optional(),
    /** Value of that column counted as 'present' (default: the less frequent one). */
    oraclePositive: z.string().min(1).max(200).optional(),
    /** A given oracle instead of training one: an absolute model folder whose positive class is
     * the attribute being present. */
    oracleModelDir: z.string().min(1).max(4096).optional(),
    oracleEpochs: z.number().int().min(1).max(100).default(6),
    bootstrap: z.number().int().min(0).max(10_000).default(1000),
    /** Queries per subgroup in the series strips. */
    stripQueries: z.number().int().min(0).max(8).default(2),
    /** Judge the series made with the calibrated knob (see exaggeration-series). */
    calibrate: z.boolean().default(false),
  })
  .strict();
export type ExaggerationMetricsParams = z.infer<typeof ExaggerationMetricsParamsSchema>;
