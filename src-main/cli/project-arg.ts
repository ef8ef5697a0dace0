// --project DIR (an existing project) or --demo (the bundled demo project) for CLI commands.
import * as path from 'node:path';
import type { ProjectInfo } from '../api/contract';
import { EngineError } from '../engine/jobs/errors';
import type { CliContext } from './command';

export const projectOptions = {
  project: { type: 'string' as const },
  demo: { type: 'boolean' as const, default: false },
};

export async function openProjectArg(values: Record<string, string | boolean | undefined>, ctx: CliContext): Promise<ProjectInfo> {
  const engine = ctx.engine();
  if (values.demo) return engine.call('projects.openDemo', {});
  if (typeof values.project !== 'string') throw new EngineError('invalid_request', 'give --project DIR (or --demo for the bundled demo project)');
  return engine.call('projects.open', { dir: path.resolve(values.project) });
}
