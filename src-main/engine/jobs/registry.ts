// Registry of job kinds: one config object per kind, in a Map that refuses duplicates.
import type { z } from 'zod';
import { JobParamsSchemas, type JobKind } from '../../api/contract';
import type { JobContext } from './context';

export interface JobDefinition<K extends JobKind = JobKind> {
  kind: K;
  /** A short human title for the Jobs list. */
  title(params: z.infer<(typeof JobParamsSchemas)[K]>): string;
  run(params: z.infer<(typeof JobParamsSchemas)[K]>, ctx: JobContext): Promise<unknown>;
}

export class JobRegistry {
  private readonly defs = new Map<JobKind, JobDefinition>();

  register<K extends JobKind>(def: JobDefinition<K>): void {
    if (this.defs.has(def.kind)) throw new Error(`Job kind '${def.kind}' is already registered`);
    this.defs.set(def.kind, def as unknown as JobDefinition);
  }

  get(kind: JobKind): JobDefinition {
    const def = this.defs.get(kind);
    if (!def) throw new Error(`No job registered for kind '${kind}'`);
    return def;
  }

  kinds(): JobKind[] {
    return [...this.defs.keys()];
  }
}
