// Runs an engine job from the terminal: progress bar on stderr, Ctrl-C cancels the job cleanly.
import type { JobKind, JobSnapshot } from '../api/contract';
import { progressBar, type CliContext } from './command';

export async function runJobInTerminal(ctx: CliContext, kind: JobKind, params: unknown, title: string): Promise<JobSnapshot> {
  const engine = ctx.engine();
  await engine.start();
  const job = engine.submit(kind, params, title);
  const onUpdate = (s: JobSnapshot): void => {
    if (s.id !== job.id) return;
    const metrics = Object.entries(s.progress.metrics)
      .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`)
      .join(' ');
    const eta = s.progress.etaSeconds !== null ? ` eta ${s.progress.etaSeconds.toFixed(0)}s` : '';
    ctx.progress(`${progressBar(s.progress.fraction)} ${s.progress.stage}${eta} ${metrics}`);
  };
  engine.on('job.update', onUpdate);
  const onSigint = (): void => {
    ctx.progress('cancelling...');
    engine.cancel(job.id);
  };
  process.once('SIGINT', onSigint);
  try {
    return await engine.wait(job.id);
  } finally {
    process.off('SIGINT', onSigint);
    engine.off('job.update', onUpdate);
  }
}
