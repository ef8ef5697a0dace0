// Maps a URL path onto a file inside a root folder, refusing anything that could escape it:
// '..' segments (plain or percent-encoded), backslashes, NUL bytes, absolute paths, and
// symlinks whose target lies outside the root. Used by the app:// protocol and the HTTP server.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const rootAbs = path.resolve(root);
  const candidate = path.resolve(rootAbs, ...segments);
  if (candidate !== rootAbs && !candidate.startsWith(rootAbs + path.sep)) return null;
  try {
    const real = fs.realpathSync(candidate);
    const realRoot = fs.realpathSync(rootAbs);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
    return fs.statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
