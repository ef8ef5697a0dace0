// Training options, validated: shared by the training loop, the train-classifier job and the
// demo script. Everything here is plain data, so it can be stored in a checkpoint and compared.

export { TrainOptionsSchema, type TrainOptions, type TrainOptionsInput } from '../../api/schemas/training';

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
