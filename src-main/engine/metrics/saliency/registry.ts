// The saliency metrics, one definition object per id in a Map that refuses duplicates.
import type { SaliencyMetricId } from '../../../api/schemas/saliency';
import { Deletion } from './deletion';
import { Ehr } from './ehr';
import { Insertion } from './insertion';
import { PixelPerturbation } from './pixel-perturbation';
import { Sanity } from './sanity';
import type { SaliencyMetric } from './types';

export class SaliencyMetricRegistry {
  private readonly defs = new Map<SaliencyMetricId, SaliencyMetric>();

  register(def: SaliencyMetric): void {
    if (this.defs.has(def.id)) throw new Error(`Saliency metric '${def.id}' is already registered`);
    this.defs.set(def.id, def);
  }

  get(id: SaliencyMetricId): SaliencyMetric {
    const def = this.defs.get(id);
    if (!def) throw new Error(`No saliency metric registered with id '${id}' (known: ${this.ids().join(', ')})`);
    return def;
  }

  ids(): SaliencyMetricId[] {
    return [...this.defs.keys()];
  }

  list(): SaliencyMetric[] {
    return [...this.defs.values()];
  }
}

export function createSaliencyMetricRegistry(): SaliencyMetricRegistry {
  const r = new SaliencyMetricRegistry();
  r.register(new Deletion());
  r.register(new Insertion());
  r.register(new PixelPerturbation());
  r.register(new Ehr());
  r.register(new Sanity());
  return r;
}

export const saliencyMetrics = createSaliencyMetricRegistry();
