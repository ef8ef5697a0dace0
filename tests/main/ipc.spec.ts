// The Electron IPC transport, with 'electron' mocked: every method has a handler, untrusted
// senders and malformed payloads are refused.
import { describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (event: unknown, payload: unknown) => unknown>();
vi.mock('electron', () => ({
  ipcMain: { handle: (ch: string, fn: (event: unknown, payload: unknown) => unknown) => handlers.set(ch, fn) },
  BrowserWindow: { getAllWindows: () => [] },
}));

import { registerIpc } from '../../src-main/app/ipc';
import { createHandlers } from '../../src-main/api/handlers';
import { API_METHODS, ipcChannel } from '../../src-main/api/channels';
import { EngineHost } from '../../src-main/engine/host';
import { spawnInProcess } from '../../src-main/engine/spawn';

describe('IPC transport', () => {
  const engine = new EngineHost({ spawn: spawnInProcess });
  registerIpc(createHandlers(engine, 'ipc'), engine);
  const trusted = { senderFrame: { url: 'app://renderer/index.html' } };

  it('registers one handler per API method', () => {
    expect([...handlers.keys()].sort()).toEqual(API_METHODS.map(ipcChannel).sort());
  });

  it('refuses a sender outside the app origin', async () => {
    const r = await handlers.get(ipcChannel('jobs.list'))!({ senderFrame: { url: 'https://evil.example/' } }, {});
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request', message: 'Untrusted sender' } });
  });

  it('rejects malformed payloads before any handler runs', async () => {
    const submit = handlers.get(ipcChannel('jobs.submit'))!;
    for (const payload of [null, 42, 'x', { kind: 'selftest', params: { steps: 1e9 } }, { kind: 'selftest', params: { steps: 1, extra: 1 } }, { kind: 'other' }]) {
      const r = (await submit(trusted, payload)) as { ok: boolean; error?: { code: string } };
      expect(r.ok).toBe(false);
      expect(r.error?.code).toBe('invalid_request');
    }
    expect(engine.list()).toEqual([]);
  });

  it('answers a valid request', async () => {
    const r = (await handlers.get(ipcChannel('app.info'))!(trusted, {})) as { ok: boolean; result: { transport: string } };
    expect(r.ok).toBe(true);
    expect(r.result.transport).toBe('ipc');
    await engine.close();
  });
});
