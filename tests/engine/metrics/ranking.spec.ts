// ROC AUC, average precision, ROC curve and Youden threshold against hand-computed values and
// values from sklearn's algorithms. sklearn itself is not installed here; the expected numbers
// below come from its documentation (the 'doc' case) or from a line-by-line numpy transcription
// of sklearn's _binary_clf_curve / roc_auc_score / average_precision_score, and each tie case
// is also worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { averagePrecision, macroRocAuc, mulberry32, rocAuc, rocCurve, youdenThreshold } from '../../../src-main/engine/metrics';
import { EngineError } from '../../../src-main/engine/jobs/errors';

const cases: { name: string; labels: number[]; scores: number[]; auc: number; ap: number }[] = [
  // sklearn docs: roc_auc_score -> 0.75, average_precision_score -> 0.8333...
  { name: 'sklearn doc example', labels: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8], auc: 0.75, ap: 0.8333333333333333 },
  // Pos {0.2, 0.5, 0.5, 0.9} vs neg {0.1, 0.2, 0.5, 0.9}: wins + ties/2 = 1.5 + 2.5 + 2.5 + 3.5 = 10 of 16.
  // AP: at 0.9 tp=1 fp=1 (P 1/2, dR 1/4); at 0.5 tp=3 fp=2 (P 3/5, dR 2/4); at 0.2 tp=4 fp=3 (P 4/7, dR 1/4)
  //     = 1/8 + 3/10 + 1/7 = 0.567857...
  { name: 'ties across classes', labels: [0, 1, 0, 1, 1, 0, 1, 0], scores: [0.2, 0.2, 0.5, 0.5, 0.5, 0.9, 0.9, 0.1], auc: 0.625, ap: 0.5678571428571428 },
  // Ten distinct scores: 16 of 25 pairs ordered correctly.
  { name: 'ten distinct', labels: [1, 0, 1, 1, 0, 0, 1, 0, 1, 0], scores: [0.9, 0.8, 0.7, 0.6, 0.55, 0.54, 0.53, 0.52, 0.51, 0.505], auc: 0.64, ap: 0.7087301587301587 },
  // All tied: AUC 1/2; one threshold, precision = prevalence 3/5.
  { name: 'all tied', labels: [0, 1, 0, 1, 1], scores: [0.5, 0.5, 0.5, 0.5, 0.5], auc: 0.5, ap: 0.6 },
  { name: 'perfect', labels: [0, 0, 1, 1], scores: [0.1, 0.2, 0.8, 0.9], auc: 1, ap: 1 },
  // Inverted: AP = 1/2 * 1/3 + 1/2 * 2/4 = 5/12.
  { name: 'inverted', labels: [0, 0, 1, 1], scores: [0.9, 0.8, 0.2, 0.1], auc: 0, ap: 0.41666666666666663 },
];

describe('ROC AUC and average precision', () => {
  for (const c of cases) {
    it(`match sklearn on: ${c.name}`, () => {
      expect(rocAuc(c.scores, c.labels).value).toBeCloseTo(c.auc, 12);
      expect(averagePrecision(c.scores, c.labels).value).toBeCloseTo(c.ap, 12);
      // Typed arrays behave like plain arrays.
      expect(rocAuc(Float64Array.from(c.scores), Int32Array.from(c.labels)).value).toBeCloseTo(c.auc, 12);
    });
  }

  it('AUC equals the pairwise Mann-Whitney count on random data with heavy ties', () => {
    const rng = mulberry32(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + Math.floor(rng() * 60);
      const scores = Array.from({ length: n }, () => Math.floor(rng() * 6) / 5); // 6 levels: many ties
      const labels = Array.from({ length: n }, () => (rng() < 0.5 ? 1 : 0));
      let wins = 0;
      let pairs = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (labels[i] !== 1 || labels[j] !== 0) continue;
          pairs++;
          wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
        }
      }
      const auc = rocAuc(scores, labels);
      if (pairs === 0) expect(auc.value).toBeNaN();
      else expect(auc.value).toBeCloseTo(wins / pairs, 12);
    }
  });

  it('AUC is invariant to monotone transforms and to sample order', () => {
    const labels = [0, 1, 0, 1, 1, 0, 1, 0];
    const scores = [0.2, 0.2, 0.5, 0.5, 0.5, 0.9, 0.9, 0.1];
    const logits = scores.map((p) => Math.log(p / (1 - p)));
    expect(rocAuc(logits, labels).value).toBeCloseTo(0.625, 12);
    const order = [3, 7, 0, 5, 1, 6, 2, 4];
    expect(rocAuc(order.map((i) => scores[i]), order.map((i) => labels[i])).value).toBeCloseTo(0.625, 12);
    expect(averagePrecision(order.map((i) => scores[i]), order.map((i) => labels[i])).value).toBeCloseTo(0.5678571428571428, 12);
  });

  it('one class only gives NaN with a reason', () => {
    const auc = rocAuc([0.1, 0.7, 0.3], [1, 1, 1]);
    expect(auc.value).toBeNaN();
    expect(auc.reason).toMatch(/no negative samples/);
    const auc0 = rocAuc([0.1, 0.7], [0, 0]);
    expect(auc0.value).toBeNaN();
    expect(auc0.reason).toMatch(/no positive samples/);
    const ap = averagePrecision([0.1, 0.7], [0, 0]);
    expect(ap.value).toBeNaN();
    expect(ap.reason).toMatch(/no positive samples/);
    // Without negatives every threshold has precision 1: AP is defined (sklearn gives 1 too).
    expect(averagePrecision([0.1, 0.7], [1, 1]).value).toBe(1);
  });

  it('malformed input throws a bad_input engine error', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof EngineError ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => rocAuc([], []))).toBe('bad_input');
    expect(() => rocAuc([], [])).toThrow(/empty/);
    expect(code(() => averagePrecision([0.1], []))).toBe('bad_input');
    expect(code(() => rocAuc([0.1, 0.2], [0, 2]))).toBe('bad_input');
    expect(code(() => rocAuc([0.1, NaN], [0, 1]))).toBe('bad_input');
  });
});

describe('ROC curve and Youden threshold', () => {
  it('ROC curve steps through tie groups, highest score first', () => {
    const c = rocCurve([0.2, 0.2, 0.5, 0.5, 0.5, 0.9, 0.9, 0.1], [0, 1, 0, 1, 1, 0, 1, 0]);
    expect(c.thresholds).toEqual([null, 0.9, 0.5, 0.2, 0.1]);
    expect(c.tpr).toEqual([0, 0.25, 0.75, 1, 1]);
    expect(c.fpr).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(rocCurve([0.1, 0.2], [1, 1])).toEqual({ fpr: [], tpr: [], thresholds: [] });
  });

  it('Youden picks the point maximising TPR - FPR (highest threshold on ties)', () => {
    // Thresholds 0.9: J = 1/4 - 1/4 = 0; 0.5: 3/4 - 2/4 = 1/4; 0.2: 1 - 3/4 = 1/4; 0.1: 0. Tie -> 0.5.
    const y = youdenThreshold([0.2, 0.2, 0.5, 0.5, 0.5, 0.9, 0.9, 0.1], [0, 1, 0, 1, 1, 0, 1, 0]);
    expect(y.threshold).toBe(0.5);
    expect(y.j).toBeCloseTo(0.25, 12);
    expect(y.sensitivity).toBeCloseTo(0.75, 12);
    expect(y.specificity).toBeCloseTo(0.5, 12);
    const sep = youdenThreshold([0.1, 0.3, 0.35, 0.6, 0.8], [0, 0, 1, 1, 1]);
    expect(sep).toEqual({ threshold: 0.35, j: 1, sensitivity: 1, specificity: 1 });
    const none = youdenThreshold([0.1, 0.3], [0, 0]);
    expect(none.threshold).toBeNull();
    expect(none.reason).toMatch(/no positive samples/);
  });
});

describe('multiclass one-vs-rest macro AUC', () => {
  it('averages per-class binary AUCs (hand computed)', () => {
    const probs = [
      [0.7, 0.2, 0.1],
      [0.3, 0.5, 0.2],
      [0.2, 0.3, 0.5],
      [0.5, 0.4, 0.1],
      [0.1, 0.2, 0.7],
      [0.3, 0.3, 0.4],
    ];
    const labels = [0, 1, 2, 1, 2, 0];
    // Class 0: pos {0.7, 0.3} vs neg {0.3, 0.2, 0.5, 0.1}: 4 + (2 + 0.5) = 6.5 of 8.
    // Class 1: pos {0.5, 0.4} vs neg {0.2, 0.3, 0.2, 0.3}: 8 of 8.
    // Class 2: pos {0.5, 0.7} vs neg {0.1, 0.2, 0.1, 0.4}: 8 of 8.
    const r = macroRocAuc(probs, labels);
    expect(r.perClass).toEqual([6.5 / 8, 1, 1]);
    expect(r.value).toBeCloseTo((6.5 / 8 + 2) / 3, 12);
    // Flat row-major buffer (a tfjs [n, k] tensor's dataSync()) gives the same.
    expect(macroRocAuc({ values: Float32Array.from(probs.flat()), classes: 3 }, labels).perClass[1]).toBe(1);
  });

  it('is NaN with a reason when a class is absent', () => {
    const r = macroRocAuc([[0.6, 0.3, 0.1], [0.2, 0.7, 0.1]], [0, 1]);
    expect(r.value).toBeNaN();
    expect(r.reason).toMatch(/class 2/);
  });
});
