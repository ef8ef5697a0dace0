import { JobParamsSchemas } from '../../api/contract';
import { EngineError } from '../../engine/jobs/errors';
import type { CliCommand } from '../command';
import { openProjectArg, projectOptions } from '../project-arg';
import { runJobInTerminal } from '../run-job';

export const trainCommand: CliCommand = {
  name: 'train',
  summary: "Train a classifier on a project's images (Ctrl-C cancels; --resume continues)",
  usage: 'xray-audit train (--project DIR | --demo) [--name NAME] [--epochs N] [--lr X] [--family residual|plain] [--seed N] [--resume] [--attach] [--json]',
  options: {
    ...projectOptions,
    name: { type: 'string', default: 'classifier' },
    epochs: { type: 'string' },
    lr: { type: 'string' },
    family: { type: 'string' },
    seed: { type: 'string' },
    resume: { type: 'boolean', default: false },
    attach: { type: 'boolean', default: false },
  },
  async run(values, _p, ctx) {
    const options: Record<string, unknown> = {};
    if (values.epochs) options.epochs = Number(values.epochs);
    if (values.lr) options.learningRate = Number(values.lr);
    if (values.seed) options.seed = Number(values.seed);
    if (values.family) options.architecture = { family: values.family };
    const parsed = JobParamsSchemas['train-classifier'].safeParse({ data: 'project', name: values.name, resume: values.resume, options });
    if (!parsed.success) throw new EngineError('invalid_request', `Invalid options: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const project = await openProjectArg(values, ctx);
    const snap = await runJobInTerminal(ctx, 'train-classifier', parsed.data, 'Train');
    if (snap.status !== 'succeeded') throw new EngineError(snap.error?.code ?? 'internal', snap.error?.message ?? snap.status);
    const r = snap.result as { outDir: string; hash: string; best: { epoch: number; val_auc: number }; epochsRun: number };
    ctx.log(`trained ${values.name}: best epoch ${r.best.epoch} (val AUC ${r.best.val_auc.toFixed(4)}) of ${r.epochsRun}; saved in ${r.outDir}`);
    if (values.attach) {
      await ctx.engine().call('model.attachTrained', { name: values.name as string });
      ctx.log(`attached as the model under audit of ${project.name}`);
    }
    return snap.result;
  },
};
