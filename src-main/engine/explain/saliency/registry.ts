// The attribution methods, one definition object per id in a Map that refuses duplicates.
// SmoothGrad wraps whichever registered method its settings name.
import type { SaliencyMethodId } from '../../../api/schemas/saliency';
import { GradCam } from './grad-cam';
import { Gradient } from './gradient';
import { GradientXInput } from './gradient-x-input';
import { Iba } from './iba';
import { InputIba } from './input-iba';
import { IntegratedGradients } from './integrated-gradients';
import { Occlusion } from './occlusion';
import { SmoothGrad } from './smoothgrad';
import type { Attribution } from './types';

export class AttributionRegistry {
  private readonly defs = new Map<SaliencyMethodId, Attribution>();

  register(def: Attribution): void {
    if (this.defs.has(def.id)) throw new Error(`Attribution method '${def.id}' is already registered`);
    this.defs.set(def.id, def);
  }

  get(id: SaliencyMethodId): Attribution {
    const def = this.defs.get(id);
    if (!def) throw new Error(`No attribution method registered with id '${id}' (known: ${this.ids().join(', ')})`);
    return def;
  }

  has(id: string): id is SaliencyMethodId {
    return this.defs.has(id as SaliencyMethodId);
  }

  ids(): SaliencyMethodId[] {
    return [...this.defs.keys()];
  }

  list(): Attribution[] {
    return [...this.defs.values()];
  }
}

/** Every built-in method, in display order. */
export function createAttributionRegistry(): AttributionRegistry {
  const r = new AttributionRegistry();
  r.register(new Gradient());
  r.register(new GradientXInput());
  r.register(new SmoothGrad((id) => r.get(id)));
  r.register(new IntegratedGradients());
  r.register(new GradCam());
  r.register(new Occlusion());
  r.register(new Iba());
  r.register(new InputIba());
  return r;
}

export const saliencyMethods = createAttributionRegistry();
