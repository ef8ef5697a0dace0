// Model folders: sidecar validation, save/load round-trip, atomic writes, the model hash, and
// GraphModels (loadable, but without named layers).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../../src-main/engine/jobs/errors';
import { buildCnn } from '../../../src-main/engine/models/architectures';
import { hashModelDir } from '../../../src-main/engine/models/hash';
import { loadAuditedModel, saveLayersModel } from '../../../src-main/engine/models/load';
import { parseSidecar } from '../../../src-main/engine/models/sidecar';
import { sidecar, setupBackend, tempDir, tinySmoothModel, writeGraphModel } from './helpers';

beforeAll(setupBackend);

function errorOf(f: () => unknown): EngineError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return e as EngineError;
  }
  throw new Error('expected an EngineError');
}

async function rejectionOf(p: Promise<unknown>): Promise<EngineError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(EngineError);
  return e as EngineError;
}

describe('sidecar validation', () => {
  it('accepts a complete sidecar and fills defaults', () => {
    const s = parseSidecar(sidecar());
    expect(s.output).toBe('probabilities');
    expect(s.positiveClass).toBe(1);
  });

  it('names the file and every offending field', () => {
    const e = errorOf(() => parseSidecar({ ...sidecar(), inputSize: 'big', channels: 2, classNames: ['only'] }, '/m/xray-audit.json'));
    expect(e.code).toBe('bad_input');
    expect(e.message).toContain('/m/xray-audit.json');
    for (const f of ['inputSize', 'channels', 'classNames']) expect(e.message).toContain(f);
  });

  it('rejects a positive class outside classNames, a missing normalisation and unknown fields', () => {
    expect(errorOf(() => parseSidecar(sidecar({ positiveClass: 2 }))).message).toMatch(/positiveClass: must be an index into classNames/);
    const { normalization: _n, ...noNorm } = sidecar();
    expect(errorOf(() => parseSidecar(noNorm)).message).toContain('normalization');
    expect(errorOf(() => parseSidecar({ ...sidecar(), inputsize: 8 })).message).toMatch(/inputsize/);
  });

  it('reports a missing or malformed sidecar file by path', async () => {
    const dir = tempDir();
    const model = tinySmoothModel();
    await saveLayersModel(model, dir, sidecar());
    model.dispose();
    fs.writeFileSync(path.join(dir, 'xray-audit.json'), '{ not json');
    expect((await rejectionOf(loadAuditedModel(dir))).message).toMatch(/xray-audit\.json: not valid JSON/);
    fs.rmSync(path.join(dir, 'xray-audit.json'));
    expect((await rejectionOf(loadAuditedModel(dir))).message).toMatch(/xray-audit\.json: missing/);
  });

  it('rejects a sidecar that contradicts the model', async () => {
    const dir = tempDir();
    const model = tinySmoothModel();
    await saveLayersModel(model, dir, sidecar());
    model.dispose();
    fs.writeFileSync(path.join(dir, 'xray-audit.json'), JSON.stringify(sidecar({ inputSize: 16 })));
    expect((await rejectionOf(loadAuditedModel(dir))).message).toMatch(/field inputSize: 16 does not match the model's input 8x8/);
    fs.writeFileSync(path.join(dir, 'xray-audit.json'), JSON.stringify(sidecar({ classNames: ['a', 'b', 'c'] })));
    expect((await rejectionOf(loadAuditedModel(dir))).message).toMatch(/field classNames: 3 classes/);
  });
});

describe('model folders', () => {
  it('round-trips a LayersModel with identical predictions, files written atomically', async () => {
    const dir = tempDir();
    const model = buildCnn({ widths: [4, 8], seed: 2 });
    const s = sidecar({ inputSize: 28 });
    const hash = await saveLayersModel(model, dir, s);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin', 'xray-audit.json']); // no temp files left
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
    const before = await tf.tidy(() => model.predict(x.mul(255 / 255)) as tf.Tensor).data();
    const loaded = await loadAuditedModel(dir);
    expect(loaded.kind).toBe('layers');
    expect(loaded.hash).toBe(hash);
    const after = loaded.predict(x);
    expect(Array.from(await after.data())).toEqual(Array.from(before));
    tf.dispose([x, after]);
    loaded.dispose();
    model.dispose();
  });

  it('refuses weight paths outside the folder and names missing shards', async () => {
    const dir = tempDir();
    const model = tinySmoothModel();
    await saveLayersModel(model, dir, sidecar());
    model.dispose();
    const file = path.join(dir, 'model.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.weightsManifest[0].paths = ['../elsewhere.bin'];
    fs.writeFileSync(file, JSON.stringify(json));
    expect((await rejectionOf(loadAuditedModel(dir))).message).toMatch(/must stay inside the model folder/);
    json.weightsManifest[0].paths = ['gone.bin'];
    fs.writeFileSync(file, JSON.stringify(json));
    expect((await rejectionOf(loadAuditedModel(dir))).message).toMatch(/weight shard "gone.bin" is missing/);
  });

  it('hashes model.json, weights and sidecar: any change shows', async () => {
    const dir = tempDir();
    const model = tinySmoothModel();
    const h0 = await saveLayersModel(model, dir, sidecar());
    expect(h0).toMatch(/^[0-9a-f]{64}$/);
    expect(hashModelDir(dir)).toBe(h0);
    // Saving the same model again gives the same hash.
    expect(await saveLayersModel(model, tempDir(), sidecar())).toBe(h0);
    // One weight changed.
    const w = model.getLayer('logits').getWeights()[0];
    const changed = w.bufferSync();
    changed.set(changed.get(0, 0) + 1e-3, 0, 0);
    model.getLayer('logits').setWeights([changed.toTensor(), model.getLayer('logits').getWeights()[1]]);
    const h1 = await saveLayersModel(model, dir, sidecar());
    expect(h1).not.toBe(h0);
    // Only the sidecar changed.
    expect(await saveLayersModel(model, dir, sidecar({ classNames: ['no', 'yes'] }))).not.toBe(h1);
    model.dispose();
  });
});

describe('GraphModel', () => {
  it('loads, predicts and differentiates, but has no named layers', async () => {
    const dir = tempDir();
    const w = writeGraphModel(dir);
    const m = await loadAuditedModel(dir);
    expect(m.kind).toBe('graph');
    expect(m.hasLayers).toBe(false);
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const p = m.predict(x);
    // Reference: softmax(flatten(x * 255 / 255) @ w).
    const ref = tf.tidy(() => tf.softmax(x.reshape([2, 64]).matMul(tf.tensor2d(w, [64, 2]))));
    const [pv, rv] = [await p.data(), await ref.data()];
    pv.forEach((v, i) => expect(v).toBeCloseTo(rv[i], 5));
    const g = m.gradient(x);
    expect(g.shape).toEqual([2, 8, 8, 1]);
    expect(Math.max(...Array.from(await g.abs().data()))).toBeGreaterThan(0);
    expect(() => m.layerNames()).toThrow(/GraphModel does not expose/);
    expect(() => m.activations(x, 'flat')).toThrow(EngineError);
    expect(() => m.head(x, 'flat')).toThrow(/tfjs_layers_model/);
    tf.dispose([x, p, ref, g]);
    m.dispose();
  });
});
