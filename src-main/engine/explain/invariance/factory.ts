// Surrogate configs from the training options, and the constructors by kind (a Map that
// refuses duplicates, so another surrogate family can be added by registering it).
import { SurrogateOptionsSchema, type SurrogateOptionsInput } from '../../../api/schemas/invariance';
import { EngineError } from '../../jobs/errors';
import { M2Vae } from './m2';
import { resolveWidths } from './networks';
import type { Surrogate, SurrogateConfig } from './surrogate';
import { Svae } from './svae';

const kinds = new Map<SurrogateConfig['kind'], (c: SurrogateConfig) => Surrogate>();

export function registerSurrogateKind(kind: SurrogateConfig['kind'], make: (c: SurrogateConfig) => Surrogate): void {
  if (kinds.has(kind)) throw new Error(`surrogate kind '${kind}' is already registered`);
  kinds.set(kind, make);
}
registerSurrogateKind('svae', (c) => new Svae(c));
registerSurrogateKind('m2', (c) => new M2Vae(c));

export function createSurrogate(config: SurrogateConfig): Surrogate {
  const make = kinds.get(config.kind);
  if (!make) throw new EngineError('invalid_request', `unknown surrogate kind '${config.kind}'`);
  return make(config);
}

/** The full config for images of `size` px and the given classes (options validated, widths resolved). */
export function surrogateConfig(options: SurrogateOptionsInput, size: number, classNames: string[]): SurrogateConfig {
  const r = SurrogateOptionsSchema.safeParse(options);
  if (!r.success) throw new EngineError('invalid_request', `surrogate options: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const o = r.data;
  if (classNames.length < 2) throw new EngineError('invalid_request', 'the surrogate needs at least two classes');
  return {
    kind: o.model,
    size,
    classNames: [...classNames],
    architecture: { ...o.architecture, widths: resolveWidths(size, o.architecture.widths) },
    beta: o.beta,
    alpha: o.alpha,
    labels: o.labels,
    m2SumOverClasses: o.m2SumOverClasses,
    likelihood: o.likelihood,
    pixelSigma: o.pixelSigma,
    seed: o.seed,
  };
}
