// The explainer's weights: one named store per explainer, so saving, checkpoints and the
// optimisers see the same flat list. The store's names are stable (saved files use them); the
// tfjs variable names add a per-store prefix, as several explainers may be loaded at once.
import * as tf from '@tensorflow/tfjs';

export type Part = 'encoder' | 'generator' | 'discriminator';

interface Entry {
  variable: tf.Variable;
  part: Part;
  /** false: state updated by assignment (batch-norm running statistics, power-iteration vectors). */
  trainable: boolean;
}

let stores = 0;

export class ParamStore {
  private readonly entries = new Map<string, Entry>();
  private seedCounter: number;
  /** tfjs variable names: unique per process and not integer-like, so that gradient maps keep
   * definition order (Adam pairs its saved slots with variables by position). */
  private readonly prefix = `exaggeration${++stores}:`;

  constructor(seed: number) {
    // tfjs treats seed 0 as "unseeded"; every initialiser gets its own seed from here.
    this.seedCounter = seed * 10_000 + 1;
  }

  nextSeed(): number {
    return this.seedCounter++;
  }

  add(part: Part, name: string, init: tf.Tensor, trainable = true): tf.Variable {
    if (this.entries.has(name)) throw new Error(`explainer parameter ${name} defined twice`);
    const variable = tf.variable(init, trainable, this.prefix + name);
    init.dispose();
    this.entries.set(name, { variable, part, trainable });
    return variable;
  }

  /** He-normal weights (fan-in = all but the last axis). */
  he(part: Part, name: string, shape: number[], gain = 1): tf.Variable {
    const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    return this.add(part, name, tf.randomNormal(shape, 0, gain * Math.sqrt(2 / fanIn), 'float32', this.nextSeed()));
  }

  zeros(part: Part, name: string, shape: number[], trainable = true): tf.Variable {
    return this.add(part, name, tf.zeros(shape), trainable);
  }

  ones(part: Part, name: string, shape: number[], trainable = true): tf.Variable {
    return this.add(part, name, tf.ones(shape), trainable);
  }

  /** A random unit vector (power-iteration state). */
  unit(part: Part, name: string, n: number): tf.Variable {
    const r = tf.randomNormal([n], 0, 1, 'float32', this.nextSeed());
    const u = tf.tidy(() => r.div(tf.norm(r).add(1e-12)));
    r.dispose();
    return this.add(part, name, u, false);
  }

  names(parts?: Part[]): string[] {
    return [...this.entries.entries()].filter(([, e]) => !parts || parts.includes(e.part)).map(([n]) => n);
  }

  get(name: string): tf.Variable {
    const e = this.entries.get(name);
    if (!e) throw new Error(`explainer parameter ${name} is not defined`);
    return e.variable;
  }

  /** The trainable variables of the given parts, in definition order (optimisers rely on it). */
  trainable(parts: Part[]): tf.Variable[] {
    return [...this.entries.values()].filter((e) => e.trainable && parts.includes(e.part)).map((e) => e.variable);
  }

  /** Name -> tensor for saving (the variables themselves; not to be disposed by the caller). */
  tensors(parts?: Part[]): tf.NamedTensorMap {
    return Object.fromEntries(this.names(parts).map((n) => [n, this.get(n) as tf.Tensor]));
  }

  /** Copies saved values in; every named part's parameter must be present with its shape. */
  assign(values: tf.NamedTensorMap, parts: Part[], source: string): void {
    for (const name of this.names(parts)) {
      const v = this.get(name);
      const t = values[name];
      if (!t) throw new Error(`${source}: weight ${name} is missing`);
      if (t.shape.join(',') !== v.shape.join(',')) throw new Error(`${source}: weight ${name} has shape [${t.shape}] but the architecture needs [${v.shape}]`);
      v.assign(t);
    }
  }

  /** Number of scalars (trainable and state) in the given parts. */
  size(parts?: Part[]): number {
    return this.names(parts).reduce((n, k) => n + this.get(k).size, 0);
  }

  dispose(): void {
    for (const e of this.entries.values()) e.variable.dispose();
    this.entries.clear();
  }
}
