// The built CLI: `info` prints the backend; --json gives one JSON document; errors are clear.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';

const bin = path.resolve(__dirname, '../../bin/xray-audit.js');

describe('xray-audit CLI', () => {
  it('info prints version and backend', () => {
    const out = execFileSync(process.execPath, [bin, 'info'], { encoding: 'utf8' });
    expect(out).toMatch(/^xray-audit \d+\.\d+\.\d+/);
    expect(out).toMatch(/backend: (wasm|cpu|tensorflow)/);
  });

  it('info --json prints exactly one JSON document', () => {
    const out = execFileSync(process.execPath, [bin, 'info', '--json'], { encoding: 'utf8' });
    const doc = JSON.parse(out);
    expect(doc.name).toBe('xray-audit');
    expect(['wasm', 'cpu', 'tensorflow']).toContain(doc.backend.name);
    expect(doc.backend.reason.length).toBeGreaterThan(0);
  });

  it('honours XRAY_AUDIT_BACKEND', () => {
    const out = execFileSync(process.execPath, [bin, 'info', '--json'], { encoding: 'utf8', env: { ...process.env, XRAY_AUDIT_BACKEND: 'cpu' } });
    expect(JSON.parse(out).backend.name).toBe('cpu');
  });

  it('runs the self-test job through the worker thread', () => {
    const out = execFileSync(process.execPath, [bin, 'selftest', '--steps', '40', '--json'], { encoding: 'utf8' });
    const snap = JSON.parse(out);
    expect(snap.status).toBe('succeeded');
    expect(snap.result.loss).toBeLessThan(0.05);
  });

  it('causal-queries makes a batch in the demo project and lists it unanswered', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-cli-cq-'));
    const env = { ...process.env, XRAY_AUDIT_HOME: home };
    const made = JSON.parse(execFileSync(process.execPath, [bin, 'causal-queries', '--demo', '--create', '3', '--seed', '2', '--json'], { encoding: 'utf8', env }));
    expect(made).toMatchObject({ experiment: 'grating', count: 3, answered: 0 });
    expect(made.batchId).toMatch(/^grating-/);
    const list = JSON.parse(execFileSync(process.execPath, [bin, 'causal-queries', '--demo', '--list', '--json'], { encoding: 'utf8', env }));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ count: 3, answered: 0, experiment: 'grating' });
    const bad = spawnSync(process.execPath, [bin, 'causal-queries', '--demo', '--json'], { encoding: 'utf8', env });
    expect(bad.status).not.toBe(0);
    expect(JSON.parse(bad.stdout).error.message).toMatch(/--create N, --list or --verdict BATCH/);
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('reports unknown commands and bad options as JSON errors', () => {
    const r = spawnSync(process.execPath, [bin, 'frobnicate', '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/Unknown command 'frobnicate'/);
    const r2 = spawnSync(process.execPath, [bin, 'selftest', '--steps', 'abc', '--json'], { encoding: 'utf8' });
    expect(r2.status).toBe(1);
    expect(JSON.parse(r2.stdout).error.code).toBe('invalid_request');
  });

  it('evaluate --json on the demo project gives metrics with intervals and the subgroup table', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-cli-'));
    const out = execFileSync(process.execPath, [bin, 'evaluate', '--demo', '--bootstrap', '100', '--json'], { encoding: 'utf8', env: { ...process.env, XRAY_AUDIT_HOME: home } });
    const r = JSON.parse(out);
    expect(r.split).toBe('test');
    expect(r.evaluation.metrics.rocAuc.value).toBeGreaterThan(0.93);
    expect(r.evaluation.metrics.rocAuc.lo).toBeLessThan(r.evaluation.metrics.rocAuc.value);
    expect(r.subgroups.attributes[0].key).toBe('marker');
  });

  it('import and inspect real files', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-cli-'));
    const dicom = path.resolve(process.cwd(), '../shared/data/dicom');
    const out = JSON.parse(execFileSync(process.execPath, [bin, 'inspect', path.join(dicom, 'CT_small.dcm'), path.join(dicom, 'MR_truncated.dcm'), '--json'], { encoding: 'utf8' }));
    const ref = JSON.parse(fs.readFileSync(path.join(dicom, 'reference.json'), 'utf8'));
    expect(out[0].frame0.sha256).toBe(ref['CT_small.dcm'].frame0.sha256);
    expect(out[1].error.reason).toMatch(/pixel data ends at byte/);
    const proj = path.join(home, 'p');
    const imp = JSON.parse(execFileSync(process.execPath, [bin, 'import', '--project', proj, '--source', path.resolve('resources/pneumoniamnist.npz'), '--json'], { encoding: 'utf8', env: { ...process.env, XRAY_AUDIT_HOME: home } }));
    expect(imp.imported).toBe(3166);
  });
});
