// Training options, validated: shared by the training loop, the train-classifier job and the
// demo script. Everything here is plain data, so it can be stored in a checkpoint and compared.
import { z } from 'zod';
import { CnnOptionsSchema } from './architectures/cnn';
import { AugmentSchema } from './batches';

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

/** One epoch's record, as reported in progress and stored in the checkpoint. */
export interface EpochStats {
  epoch: number;
  loss: number;
  val_loss: number;
  val_auc: number;
  val_acc: number;
  lr: number;
  seconds: number;
}
