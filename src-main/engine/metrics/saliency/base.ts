// Shared base of the saliency metrics: settings with defaults, input checks.
import type { z } from 'zod';
import type { SaliencyMetricId } from '../../../api/schemas/saliency';
import type { ExplainHooks } from '../../explain/saliency/types';
import { EngineError } from '../../jobs/errors';
import type { MetricResult, SaliencyMetric, SaliencyMetricInput } from './types';

export abstract class SaliencyMetricBase<S extends z.ZodType> implements SaliencyMetric<S> {
  constructor(
    readonly id: SaliencyMetricId,
    readonly label: string,
    readonly higherIsBetter: boolean | null,
    readonly settingsSchema: S,
    readonly needsRegion = false,
    readonly needsMethod = false,
  ) {}

  settings(input?: z.input<S>): z.output<S> {
    const r = this.settingsSchema.safeParse(input ?? {});
    if (!r.success) throw new EngineError('invalid_request', `${this.label} settings: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return r.data;
  }

  async evaluate(input: SaliencyMetricInput, settings?: z.input<S>, hooks: ExplainHooks = {}): Promise<MetricResult[]> {
    const s = this.settings(settings);
    const n = input.x.shape[0];
    const px = input.x.shape[1] * input.x.shape[2];
    if (input.maps.length !== n || input.targets.length !== n) throw new EngineError('bad_input', `${this.label}: ${input.maps.length} maps and ${input.targets.length} targets for ${n} images`);
    if (input.maps.some((m) => m.length !== px)) throw new EngineError('bad_input', `${this.label}: every map must have ${px} values (the image's pixels)`);
    if (this.needsMethod && !input.method) throw new EngineError('invalid_request', `${this.label} needs the method that produced the maps`);
    return this.compute(input, s, hooks);
  }

  protected abstract compute(input: SaliencyMetricInput, settings: z.output<S>, hooks: ExplainHooks): Promise<MetricResult[]>;
}
