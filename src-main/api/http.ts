// Browser-mode transport: serves the built renderer and the API on 127.0.0.1 only, behind a
// random per-launch token (as Jupyter does). The token arrives once in the URL, is traded for
// an HttpOnly SameSite=Strict cookie, and every request (files, API, events) must carry it.
// Host and Origin headers are checked so that a DNS-rebinding page cannot talk to the server.
import * as http from 'node:http';
import * as fs from 'node:fs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { API_EVENTS } from './channels';
import { dispatch, type ApiHandlers } from './dispatch';
import { mimeType, resolveInside } from '../app/safe-path';
import { SECURITY_HEADERS } from '../app/csp';
import type { EngineHost } from '../engine/host';

export interface HttpServerOptions {
  handlers: ApiHandlers;
  host: EngineHost;
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  /** The URL to open, with the token. */
  loginUrl: string;
  port: number;
  /** The address actually bound (always 127.0.0.1). */
  address: string;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'xa_token';
const MAX_BODY = 1 << 20;

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

function sameToken(a: string | undefined | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: http.IncomingMessage): string | undefined {
  const raw = req.headers.cookie ?? '';
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return undefined;
}

/** Only loopback names with our port: defeats DNS rebinding (evil.com resolving to 127.0.0.1). */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`;
}

function send(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type });
  res.end(body);
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const token = opts.token ?? newToken();
  let port = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();

  const authorised = (req: http.IncomingMessage, url: URL): boolean =>
    sameToken(url.searchParams.get('token'), token) ||
    sameToken(cookieToken(req), token) ||
    sameToken(req.headers.authorization?.replace(/^Bearer /, ''), token);

  const originOk = (req: http.IncomingMessage): boolean => {
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: Error) => {
      if (!res.headersSent) send(res, 500, `Internal error: ${e.message}`);
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) return send(res, 403, 'Forbidden: unexpected Host header');
    if (!originOk(req)) return send(res, 403, 'Forbidden: cross-origin request');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!authorised(req, url)) {
      return send(res, 401, 'Unauthorised: open the URL with the token that `xray-audit serve` printed.');
    }
    if (url.searchParams.has('token')) {
      // Trade the token for a cookie and drop it from the address bar and history.
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.hash,
      });
      return void res.end();
    }
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'Method not allowed');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'Expected application/json');
      const body = await readBody(req);
      if (body === null) return send(res, 413, 'Request too large');
      let payload: unknown;
      try {
        payload = body.length ? JSON.parse(body) : {};
      } catch {
        return send(res, 400, JSON.stringify({ ok: false, error: { code: 'invalid_request', message: 'Body is not valid JSON' } }), 'application/json');
      }
      const envelope = await dispatch(opts.handlers, url.pathname.slice('/api/'.length), payload);
      return send(res, 200, JSON.stringify(envelope), 'application/json');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    const file = resolveInside(opts.rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return send(res, 404, 'Not found');
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': mimeType(file) });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(file).pipe(res);
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!isAllowedHost(req.headers.host, port) || !originOk(req) || !authorised(req, url) || url.pathname !== '/events') {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', () => ws.close(1008, 'events are one-way'));
    });
  });

  const unsubscribe: (() => void)[] = [];
  for (const event of API_EVENTS) {
    const listener = (payload: unknown): void => {
      const data = JSON.stringify({ event, payload });
      for (const ws of sockets) ws.send(data);
    };
    opts.host.on(event, listener);
    unsubscribe.push(() => opts.host.off(event, listener));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const bound = server.address() as { port: number; address: string };
  port = bound.port;
  const base = `http://127.0.0.1:${port}/`;
  return {
    url: base,
    loginUrl: `${base}?token=${token}`,
    port,
    address: bound.address,
    token,
    close: async () => {
      unsubscribe.forEach((u) => u());
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
