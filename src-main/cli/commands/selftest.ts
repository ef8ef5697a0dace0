import { JobParamsSchemas } from '../../api/contract';
import { EngineError } from '../../engine/jobs/errors';
import type { CliCommand } from '../command';
import { runJobInTerminal } from '../run-job';

export const selftestCommand: CliCommand = {
  name: 'selftest',
  summary: 'Run the engine self-test job (progress, cancel with Ctrl-C)',
  usage: 'xray-audit selftest [--steps N] [--delay MS] [--json]',
  options: { steps: { type: 'string', default: '200' }, delay: { type: 'string', default: '0' } },
  async run(values, _p, ctx) {
    const parsed = JobParamsSchemas.selftest.safeParse({ steps: Number(values.steps), stepDelayMs: Number(values.delay) });
    if (!parsed.success) throw new EngineError('invalid_request', `Invalid options: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const snap = await runJobInTerminal(ctx, 'selftest', parsed.data, 'Self-test');
    if (snap.status !== 'succeeded') throw new EngineError(snap.error?.code ?? 'internal', snap.error?.message ?? snap.status);
    ctx.log(`self-test ${snap.status}: ${JSON.stringify(snap.result)}`);
    return snap;
  },
};
