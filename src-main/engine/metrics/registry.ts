// The metric registry: one definition object per metric in a Map that refuses duplicates, so a
// second metric with an existing id is a loud error instead of silently replacing the first.
// Evaluation and the subgroup audit iterate it, so registering a metric here is all it takes for
// it to appear, with intervals, in both.
import { accuracyMetric } from './accuracy';
import { averagePrecisionMetric } from './average-precision';
import { brierMetric } from './brier';
import { eceMetric } from './ece';
import { npvMetric } from './npv';
import { positiveRateMetric } from './positive-rate';
import { ppvMetric } from './ppv';
import { rocAucMetric } from './roc-auc';
import { sensitivityMetric } from './sensitivity';
import { specificityMetric } from './specificity';
import type { BinaryMetric, MetricInfo } from './types';

export class MetricRegistry {
  private readonly defs = new Map<string, BinaryMetric>();

  register(def: BinaryMetric): void {
    if (this.defs.has(def.id)) throw new Error(`Metric '${def.id}' is already registered`);
    this.defs.set(def.id, def);
  }

  get(id: string): BinaryMetric {
    const def = this.defs.get(id);
    if (!def) throw new Error(`No metric registered with id '${id}' (known: ${this.ids().join(', ')})`);
    return def;
  }

  has(id: string): boolean {
    return this.defs.has(id);
  }

  /** Metrics in registration order (the order tables show them in). */
  list(): BinaryMetric[] {
    return [...this.defs.values()];
  }

  ids(): string[] {
    return [...this.defs.keys()];
  }

  info(): MetricInfo[] {
    return this.list().map(({ id, label, higherIsBetter, usesThreshold }) => ({ id, label, higherIsBetter, usesThreshold }));
  }
}

/** The built-in binary metrics, in display order. */
export const binaryMetrics = new MetricRegistry();
for (const m of [
  accuracyMetric,
  rocAucMetric,
  averagePrecisionMetric,
  sensitivityMetric,
  specificityMetric,
  ppvMetric,
  npvMetric,
  positiveRateMetric,
  eceMetric,
  brierMetric,
]) {
  binaryMetrics.register(m);
}
