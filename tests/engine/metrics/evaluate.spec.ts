// Evaluation entry points and the metric registry.
import { describe, expect, it } from 'vitest';
import {
  binaryMetrics,
  confusionCounts,
  evaluateBinary,
  evaluateMulticlass,
  MetricRegistry,
  mulberry32,
  rocAuc,
  type BinaryMetric,
} from '../../../src-main/engine/metrics';
import { binarySample } from './synth';

describe('metric registry', () => {
  it('holds the built-in metrics in display order', () => {
    expect(binaryMetrics.ids()).toEqual(['accuracy', 'rocAuc', 'averagePrecision', 'sensitivity', 'specificity', 'ppv', 'npv', 'positiveRate', 'ece', 'brier']);
    expect(binaryMetrics.get('ece').higherIsBetter).toBe(false);
    expect(binaryMetrics.info().find((m) => m.id === 'sensitivity')).toEqual({ id: 'sensitivity', label: 'Sensitivity (TPR)', higherIsBetter: true, usesThreshold: true });
  });

  it('refuses duplicates and unknown ids', () => {
    const r = new MetricRegistry();
    const m: BinaryMetric = { ...binaryMetrics.get('rocAuc') };
    r.register(m);
    expect(() => r.register({ ...m, label: 'again' })).toThrow(/already registered/);
    expect(() => binaryMetrics.register(binaryMetrics.get('accuracy'))).toThrow(/already registered/);
    expect(() => r.get('accuracy')).toThrow(/No metric registered/);
  });
});

describe('evaluateBinary', () => {
  const { probs, labels } = binarySample(500, 81, 2.5);

  it('reports every registered metric with an interval, plus curves and the confusion matrix', () => {
    const e = evaluateBinary(probs, labels, { threshold: 0.5, bootstrap: { resamples: 300, seed: 3 } });
    expect(Object.keys(e.metrics)).toEqual(binaryMetrics.ids());
    expect(e.metricInfo.map((m) => m.id)).toEqual(binaryMetrics.ids());
    expect(e.n).toBe(500);
    expect(e.positives + e.negatives).toBe(500);
    expect(e.metrics.rocAuc.value).toBeCloseTo(rocAuc(probs, labels).value, 12);
    for (const [id, r] of Object.entries(e.metrics)) {
      expect(r.used, id).toBe(300);
      expect(r.lo as number, id).toBeLessThanOrEqual(r.value as number);
      expect(r.hi as number, id).toBeGreaterThanOrEqual(r.value as number);
    }
    expect(e.confusion).toEqual(confusionCounts(probs, labels, 0.5));
    expect(e.metrics.sensitivity.value).toBe(e.confusion.tp / (e.confusion.tp + e.confusion.fn));
    expect(e.roc.fpr[0]).toBe(0);
    expect(e.roc.tpr.at(-1)).toBe(1);
    expect(e.calibration.bins).toHaveLength(10);
    expect(e.calibration.ece).toBe(e.metrics.ece.value);
    expect(e.youden.threshold).not.toBeNull();
    expect(e.bootstrap).toEqual({ resamples: 300, confidence: 0.95, seed: 3, stratify: false });
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  it('takes a subset of metrics and is deterministic', () => {
    const a = evaluateBinary(probs, labels, { metrics: ['rocAuc', 'brier'], bootstrap: { resamples: 100 } });
    expect(Object.keys(a.metrics)).toEqual(['rocAuc', 'brier']);
    expect(evaluateBinary(probs, labels, { metrics: ['rocAuc', 'brier'], bootstrap: { resamples: 100 } })).toEqual(a);
    expect(() => evaluateBinary(probs, labels, { metrics: ['rocAuc', 'rocAuc'] })).toThrow(/duplicate/);
  });

  it('stays JSON-safe on a single-class split', () => {
    const e = evaluateBinary([0.2, 0.4, 0.9], [0, 0, 0], { bootstrap: { resamples: 50 } });
    expect(e.metrics.rocAuc).toMatchObject({ value: null, lo: null, hi: null });
    expect(e.metrics.rocAuc.reason).toMatch(/no positive samples/);
    expect(e.metrics.accuracy.value).toBeCloseTo(2 / 3, 12);
    expect(e.roc).toEqual({ fpr: [], tpr: [], thresholds: [] });
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    expect(() => evaluateBinary([], [])).toThrow(/empty/);
  });
});

describe('evaluateMulticlass', () => {
  it('reports accuracy, macro AUC, ECE and Brier with intervals', () => {
    const rng = mulberry32(91);
    const n = 300;
    const k = 3;
    const labels = Int32Array.from({ length: n }, () => Math.floor(rng() * k));
    const values = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      const logits = Array.from({ length: k }, (_, c) => (c === labels[i] ? 1.5 : 0) + rng() * 2);
      const z = logits.reduce((s, l) => s + Math.exp(l), 0);
      logits.forEach((l, c) => (values[i * k + c] = Math.exp(l) / z));
    }
    const e = evaluateMulticlass({ values, classes: k }, labels, { bootstrap: { resamples: 200 } });
    expect(e.classes).toBe(3);
    expect(e.classCounts.reduce((a, b) => a + b, 0)).toBe(n);
    expect(e.metrics.macroRocAuc.value as number).toBeGreaterThan(0.7);
    expect(e.metrics.macroRocAuc.value).toBeCloseTo((e.perClassRocAuc as number[]).reduce((a, b) => a + b, 0) / 3, 12);
    expect(e.metrics.accuracy.value).toBeCloseTo(e.confusion.reduce((s, row, t) => s + row[t], 0) / n, 12);
    for (const r of Object.values(e.metrics)) {
      expect(r.used).toBe(200);
      expect(r.lo as number).toBeLessThanOrEqual(r.value as number);
      expect(r.hi as number).toBeGreaterThanOrEqual(r.value as number);
    }
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});
