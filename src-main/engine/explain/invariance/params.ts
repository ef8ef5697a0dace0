// The surrogates' weights: named tf.Variables in a Map that refuses duplicates, initialised from
// a seed (mulberry32 + Box-Muller, so a seed gives the same network on every backend), and
// serialised as tfjs weight specs plus one buffer.
import * as tf from '@tensorflow/tfjs';
import { makeRng, type Rng } from '../../data/synthetic/rng';
import { EngineError } from '../../jobs/errors';

export type Init = 'he' | 'glorot' | 'zeros' | { normal: number };

let instances = 0;

export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();
  private readonly rng: Rng;
  /** Variable names are global in tfjs, so each store prefixes its own. */
  private readonly prefix = `inv${instances++}`;

  constructor(seed: number) {
    this.rng = makeRng(seed * 7919 + 17);
  }

  private normal(): number {
    const u = Math.max(1e-12, this.rng());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rng());
  }

  /** Adds a variable; fanIn/fanOut default to the usual kernel reading of the shape. */
  add(name: string, shape: number[], init: Init, fan?: { in: number; out: number }): tf.Variable {
    if (this.vars.has(name)) throw new Error(`parameter '${name}' is already defined`);
    const size = shape.reduce((a, b) => a * b, 1);
    const receptive = shape.length > 2 ? shape.slice(0, -2).reduce((a, b) => a * b, 1) : 1;
    const fanIn = fan?.in ?? receptive * (shape.length >= 2 ? shape[shape.length - 2] : shape[0]);
    const fanOut = fan?.out ?? receptive * shape[shape.length - 1];
    const data = new Float32Array(size);
    if (init !== 'zeros') {
      const std = init === 'he' ? Math.sqrt(2 / fanIn) : init === 'glorot' ? Math.sqrt(2 / (fanIn + fanOut)) : init.normal;
      for (let i = 0; i < size; i++) data[i] = std * this.normal();
    }
    const init0 = tf.tensor(data, shape);
    const v = tf.variable(init0, true, `${this.prefix}/${name}`);
    init0.dispose();
    this.vars.set(name, v);
    return v;
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`no parameter '${name}'`);
    return v;
  }

  names(): string[] {
    return [...this.vars.keys()];
  }

  /** Trainable variables in definition order (the optimizer's slot order). */
  list(filter?: (name: string) => boolean): tf.Variable[] {
    return [...this.vars.entries()].filter(([n]) => !filter || filter(n)).map(([, v]) => v);
  }

  count(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  async encode(): Promise<{ specs: tf.io.WeightsManifestEntry[]; data: Uint8Array }> {
    const { data, specs } = await tf.io.encodeWeights(Object.fromEntries(this.vars.entries()));
    return { specs, data: new Uint8Array(data) };
  }

  /** Overwrites every variable from encoded weights; names and shapes must match exactly. */
  load(specs: tf.io.WeightsManifestEntry[], data: Uint8Array, what: string): void {
    const buf = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    const map = tf.io.decodeWeights(buf, specs);
    try {
      const missing = this.names().filter((n) => !map[n]);
      const extra = Object.keys(map).filter((n) => !this.vars.has(n));
      if (missing.length || extra.length) throw new EngineError('bad_input', `${what}: weights do not match the architecture (missing ${missing.join(', ') || 'none'}; unexpected ${extra.join(', ') || 'none'})`);
      for (const [n, v] of this.vars) {
        if (map[n].shape.join('x') !== v.shape.join('x')) throw new EngineError('bad_input', `${what}: weight ${n} has shape [${map[n].shape}] but the architecture needs [${v.shape}]`);
        v.assign(map[n]);
      }
    } finally {
      tf.dispose(Object.values(map));
    }
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
