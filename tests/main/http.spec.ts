// Browser-mode server: token, Host and Origin checks, loopback binding, payload validation,
// and job events over the WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as http from 'node:http';
import WebSocket from 'ws';
import { startHttpServer, type RunningServer } from '../../src-main/api/http';
import { createHandlers } from '../../src-main/api/handlers';
import { EngineHost } from '../../src-main/engine/host';
import { spawnInProcess } from '../../src-main/engine/spawn';

let server: RunningServer;
let engine: EngineHost;

function request(opts: { path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const api = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  request({
    path: `/api/${method}`,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}`, ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-http-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<html>app</html>');
  engine = new EngineHost({ spawn: spawnInProcess });
  server = await startHttpServer({ handlers: createHandlers(engine, 'http'), host: engine, rendererDir: dir });
});
afterAll(async () => {
  await server.close();
  await engine.close();
});

describe('browser-mode server', () => {
  it('binds 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.address).toBe('127.0.0.1');
  });

  it('refuses requests without the token', async () => {
    expect((await request({ path: '/' })).status).toBe(401);
    expect((await request({ path: '/index.html' })).status).toBe(401);
    const r = await request({ path: '/api/app.info', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(401);
    expect((await request({ path: '/?token=wrong' })).status).toBe(401);
  });

  it('trades the URL token for an HttpOnly cookie and serves with the CSP', async () => {
    const login = await request({ path: `/?token=${server.token}` });
    expect(login.status).toBe(303);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await request({ path: '/', headers: { Cookie: cookie.split(';')[0] } });
    expect(page.status).toBe(200);
    expect(page.body).toBe('<html>app</html>');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('refuses a non-loopback Host header (DNS rebinding)', async () => {
    const r = await request({ path: `/?token=${server.token}`, headers: { Host: `evil.example:${server.port}` } });
    expect(r.status).toBe(403);
    const r2 = await api('app.info', {}, { Host: 'evil.example' });
    expect(r2.status).toBe(403);
  });

  it('refuses a cross-origin request', async () => {
    const r = await api('app.info', {}, { Origin: 'http://evil.example' });
    expect(r.status).toBe(403);
  });

  it('answers a valid request and rejects malformed payloads', async () => {
    const ok = JSON.parse((await api('app.info', {})).body);
    expect(ok.ok).toBe(true);
    expect(ok.result.transport).toBe('http');
    expect(['wasm', 'cpu', 'tensorflow']).toContain(ok.result.backend.name);

    const bad = JSON.parse((await api('jobs.submit', { kind: 'selftest', params: { steps: 'many' } })).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const extra = JSON.parse((await api('jobs.submit', { kind: 'selftest', params: {}, evil: true })).body);
    expect(extra.ok).toBe(false);
    const unknownKind = JSON.parse((await api('jobs.submit', { kind: 'rm -rf', params: {} })).body);
    expect(unknownKind.ok).toBe(false);
    const badId = JSON.parse((await api('jobs.get', { id: '../../etc' })).body);
    expect(badId).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const notFound = JSON.parse((await api('jobs.get', { id: 'nope' })).body);
    expect(notFound).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const unknown = JSON.parse((await api('fs.read', {})).body);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const notJson = await request({ path: '/api/app.info', method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` }, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('pushes job events over the WebSocket, only with the token', async () => {
    await expect(
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events`);
        ws.on('open', () => reject(new Error('opened without token')));
        ws.on('error', resolve);
      }),
    ).resolves.toBeDefined();

    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${server.token}`);
    await new Promise((r) => ws.on('open', r));
    const statuses: string[] = [];
    const done = new Promise<void>((resolve) =>
      ws.on('message', (m) => {
        const { event, payload } = JSON.parse(String(m));
        expect(event).toBe('job.update');
        statuses.push(payload.status);
        if (payload.status === 'succeeded') resolve();
      }),
    );
    const sub = JSON.parse((await api('jobs.submit', { kind: 'selftest', params: { steps: 20, stepDelayMs: 0 } })).body);
    expect(sub.ok).toBe(true);
    await done;
    ws.close();
    expect(statuses[0]).toBe('queued');
    expect(statuses).toContain('running');
    expect(statuses.at(-1)).toBe('succeeded');
  });
});
