// The backend ladder. Selection happens once per process, so each scenario runs in a child.
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const child = path.join(__dirname, 'init_child.ts');

interface ChildResult {
  info: { name: string; reason: string; threads: number; tfjsVersion: string };
  same: boolean;
  tfBackend: string;
  sum: number;
  /** Worst relative error of conv2d/conv2dTranspose/maxPool gradients, wasm vs cpu, in the child's build. */
  gradErr: number | null;
}

async function init(env: Record<string, string>, prefer?: string): Promise<ChildResult> {
  const cleanEnv = { ...process.env };
  delete cleanEnv.XRAY_AUDIT_BACKEND;
  delete cleanEnv.XRAY_AUDIT_WASM_THREADS;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', child, ...(prefer ? [prefer] : [])], {
    env: { ...cleanEnv, ...env },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as ChildResult;
}

describe('initBackend', () => {
  it('without tfjs-node picks wasm with threads, says why tensorflow was skipped, installs our kernels', async () => {
    const r = await init({});
    expect(r.info.name).toBe('wasm');
    expect(r.tfBackend).toBe('wasm');
    expect(r.info.tfjsVersion).toBe('4.22.0');
    expect(r.info.reason).toMatch(/@tensorflow\/tfjs-node-gpu: Cannot find module/);
    expect(r.info.reason).toMatch(/@tensorflow\/tfjs-node: Cannot find module/);
    expect(r.info.reason).toMatch(/own kernels installed, replacing .*MaxPoolGrad/);
    expect(r.info.threads).toBe(Math.min(os.cpus().length, 8));
    expect(r.same).toBe(true); // a second call with another preference keeps the first choice
    expect(r.sum).toBe(64 * 64 * 64);
    expect(r.gradErr).not.toBeNull(); // our kernels in the threaded build agree with cpu
    expect(r.gradErr!).toBeLessThan(1e-4);
  });

  it('honours XRAY_AUDIT_BACKEND=cpu', async () => {
    const r = await init({ XRAY_AUDIT_BACKEND: 'cpu' });
    expect(r.info).toMatchObject({ name: 'cpu', threads: 1 });
    expect(r.tfBackend).toBe('cpu');
    expect(r.info.reason).toMatch(/^requested cpu/);
    expect(r.sum).toBe(64 * 64 * 64);
  });

  it('the prefer option wins over the environment; XRAY_AUDIT_WASM_THREADS=1 gives single-threaded SIMD', async () => {
    const r = await init({ XRAY_AUDIT_BACKEND: 'cpu', XRAY_AUDIT_WASM_THREADS: '1' }, 'wasm');
    expect(r.info).toMatchObject({ name: 'wasm', threads: 1 });
    expect(r.info.reason).toMatch(/^requested wasm \(setting\).*SIMD, 1 thread/);
    expect(r.gradErr!).toBeLessThan(1e-4);
  });

  it('a requested but unavailable tensorflow falls back down the ladder, with the reason', async () => {
    const r = await init({ XRAY_AUDIT_BACKEND: 'tensorflow' });
    expect(r.info.name).toBe('wasm');
    expect(r.info.reason).toMatch(/^requested tensorflow.*wasm chosen.*tfjs-node: Cannot find module/);
  });

  it('ignores an unknown override and says so', async () => {
    const r = await init({ XRAY_AUDIT_BACKEND: 'webgpu', XRAY_AUDIT_WASM_THREADS: '1' });
    expect(r.info.name).toBe('wasm');
    expect(r.info.reason).toMatch(/ignored unknown backend "webgpu"/);
  });
});
