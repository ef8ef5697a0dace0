// Shared base of the attribution methods: validates the input and the settings (filling the
// papers' defaults) before the method's own compute step.
import type { z } from 'zod';
import type { SaliencyMethodId } from '../../../api/schemas/saliency';
import { EngineError } from '../../jobs/errors';
import type { Attribution, AttributionInput, AttributionOutput, ExplainHooks } from './types';

export interface MethodFlags {
  needsLayers?: boolean;
  needsReference?: boolean;
  hasConvergenceDelta?: boolean;
  signed?: boolean;
  batched?: boolean;
  stochastic?: boolean;
}

export abstract class AttributionMethod<S extends z.ZodType> implements Attribution<S> {
  readonly needsLayers: boolean;
  readonly needsReference: boolean;
  readonly hasConvergenceDelta: boolean;
  readonly signed: boolean;
  readonly batched: boolean;
  readonly stochastic: boolean;

  constructor(
    readonly id: SaliencyMethodId,
    readonly label: string,
    readonly settingsSchema: S,
    flags: MethodFlags = {},
  ) {
    this.needsLayers = flags.needsLayers ?? false;
    this.needsReference = flags.needsReference ?? false;
    this.hasConvergenceDelta = flags.hasConvergenceDelta ?? false;
    this.signed = flags.signed ?? false;
    this.batched = flags.batched ?? true;
    this.stochastic = flags.stochastic ?? false;
  }

  /** Settings with defaults filled; throws invalid_request on bad values. */
  settings(input?: z.input<S>): z.output<S> {
    const r = this.settingsSchema.safeParse(input ?? {});
    if (!r.success) throw new EngineError('invalid_request', `${this.label} settings: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return r.data;
  }

  async attribute(input: AttributionInput, settings?: z.input<S>, hooks: ExplainHooks = {}): Promise<AttributionOutput> {
    const s = this.settings(settings);
    checkInput(input, this);
    if (input.x.shape[0] === 0) return { maps: [], diagnostics: [] };
    return this.compute(input, s, hooks);
  }

  protected abstract compute(input: AttributionInput, settings: z.output<S>, hooks: ExplainHooks): Promise<AttributionOutput>;
}

function checkInput(input: AttributionInput, m: Attribution): void {
  const { model, x, targets } = input;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  if (x.rank !== 4 || h !== model.inputSize || w !== model.inputSize || c !== 1) {
    throw new EngineError('bad_input', `${m.label}: images must be [N, ${model.inputSize}, ${model.inputSize}, 1] grey 0..1 (got [${x.shape.join(', ')}])`);
  }
  if (targets.length !== n) throw new EngineError('bad_input', `${m.label}: ${targets.length} targets for ${n} images`);
  for (const t of targets) {
    if (!(Number.isInteger(t) && t >= 0 && t < model.classNames.length)) throw new EngineError('invalid_request', `${m.label}: target class ${t} out of range 0..${model.classNames.length - 1}`);
  }
  if (m.needsLayers && !model.hasLayers) throw new EngineError('bad_input', `${m.label} needs named internal layers, which this model (a tfjs GraphModel) does not expose; convert it as a LayersModel`);
  if (m.needsReference && !input.reference) throw new EngineError('invalid_request', `${m.label} needs reference images for its noise statistics`);
}
