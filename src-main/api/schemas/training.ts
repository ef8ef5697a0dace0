// Training schemas, pure zod (no tfjs), so that the API contract and the renderer can use
// them: the CNN family's architecture options, augmentation, training options and the
// train-classifier job's parameters.
import { z } from 'zod';

const cnnFields = {
  family: z.enum(['plain', 'residual']),
  inputSize: z.number().int().min(28).max(128),
  channels: z.union([z.literal(1), z.literal(3)]),
  /** Filters per stage; each stage after the first halves the resolution (max pooling). */
  widths: z.array(z.number().int().min(4).max(256)).min(1).max(6),
  /** Two-conv blocks per stage. */
  blocksPerStage: z.number().int().min(1).max(4),
  /** Stride of the first conv: 2 makes 128 px inputs affordable. */
  stemStride: z.union([z.literal(1), z.literal(2)]),
  batchNorm: z.boolean(),
  /** Dropout before the classifier; not seeded by tfjs, so runs with dropout > 0 are not bit-reproducible. */
  dropout: z.number().min(0).max(0.9),
  numClasses: z.number().int().min(2).max(100),
  /** Seeds the weight initialisers. */
  seed: z.number().int().min(0),
};

/** A complete architecture config (what a trained model's sidecar records). */
export const CnnConfigSchema = z.object(cnnFields).strict();
export type CnnConfig = z.infer<typeof CnnConfigSchema>;

/** Overrides of the defaults, all optional and without defaults of their own (so callers can fill size, classes and seed). */
export const CnnOptionsSchema = z.object(cnnFields).partial().strict();
export type CnnConfigInput = z.input<typeof CnnOptionsSchema>;

export const AugmentSchema = z
  .object({
    /** Largest shift, as a fraction of the image side (edges are replicated). */
    shift: z.number().min(0).max(0.3).default(0.08),
    /** Random horizontal flips: off by default, chest X-rays are not left-right symmetric. */
    flip: z.boolean().default(false),
    /** Largest additive brightness change, as a fraction of full scale. */
    brightness: z.number().min(0).max(0.5).default(0.1),
    /** Largest relative contrast change. */
    contrast: z.number().min(0).max(0.5).default(0.1),
  })
  .strict();
export type Augment = z.infer<typeof AugmentSchema>;

export const TrainOptionsSchema = z
  .object({
    /** The network (see CNN_DEFAULTS); inputSize defaults to the images' size, numClasses to the set's classes, seed to `seed`. */
    architecture: CnnOptionsSchema.default({}),
    epochs: z.number().int().min(1).max(1000).default(30),
    batchSize: z.number().int().min(2).max(1024).default(64),
    learningRate: z.number().positive().max(1).default(2e-3),
    /** Cosine decay to 5% of the rate over `epochs`, or constant. */
    schedule: z.enum(['cosine', 'constant']).default('cosine'),
    /** Seeds initialisation, shuffling, the validation cut and augmentation. */
    seed: z.number().int().min(0).default(0),
    /** false: no augmentation. */
    augment: z.union([AugmentSchema, z.literal(false)]).default(AugmentSchema.parse({})),
    /** 'balanced': each class weighs n / (classes * n_class) in the loss. */
    classWeighting: z.enum(['balanced', 'none']).default('balanced'),
    earlyStopping: z
      .object({
        monitor: z.enum(['val_auc', 'val_loss']).default('val_auc'),
        /** Epochs without improvement before stopping; 0 disables early stopping. */
        patience: z.number().int().min(0).default(6),
        minDelta: z.number().min(0).default(0),
      })
      .strict()
      .default({ monitor: 'val_auc', patience: 6, minDelta: 0 }),
    /** Fraction of train cut off (seeded, stratified) for validation when the set has no val split. */
    valFraction: z.number().min(0.02).max(0.5).default(0.1),
    /** Keep the checkpoint folder after training ends (to extend training later). */
    keepCheckpoint: z.boolean().default(true),
  })
  .strict();

export type TrainOptions = z.infer<typeof TrainOptionsSchema>;
export type TrainOptionsInput = z.input<typeof TrainOptionsSchema>;

const Rates = z.object({ positive: z.number().min(0).max(1), negative: z.number().min(0).max(1) }).strict();

export const TrainClassifierParamsSchema = z
  .object({
    /** 'project': the open project's image set; 'demo': the bundled PneumoniaMNIST. */
    data: z.enum(['project', 'demo']).default('project'),
    /** Model folder name under <project>/models/ (used when outDir is not given). */
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
      .default('classifier'),
    /** Absolute output folder; overrides name. Needed when no project is open. */
    outDir: z.string().min(1).max(4096).optional(),
    /** Continue from the checkpoint in the output folder when there is one. */
    resume: z.boolean().default(false),
    /** Add the synthetic burned-in marker confounder before training (per-split rates). */
    marker: z
      .object({
        seed: z.number().int().min(0).default(0),
        train: Rates.optional(),
        val: Rates.optional(),
        test: Rates.optional(),
      })
      .strict()
      .optional(),
    options: TrainOptionsSchema.default(TrainOptionsSchema.parse({})),
  })
  .strict();

export type TrainClassifierParams = z.infer<typeof TrainClassifierParamsSchema>;
