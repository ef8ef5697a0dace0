// Path-traversal probes against the resolver behind app:// and the HTTP server.
import { beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveInside } from '../../src-main/app/safe-path';

let root: string;
let outside: string;

beforeAll(() => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-safe-'));
  root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<html></html>');
  fs.writeFileSync(path.join(root, 'assets', 'a b.js'), '1');
  outside = path.join(base, 'secret.txt');
  fs.writeFileSync(outside, 'secret');
  fs.symlinkSync(outside, path.join(root, 'link.txt'));
  fs.symlinkSync(base, path.join(root, 'dirlink'));
});

describe('resolveInside', () => {
  it('serves files inside the root', () => {
    expect(resolveInside(root, '/index.html')).toBe(fs.realpathSync(path.join(root, 'index.html')));
    expect(resolveInside(root, '/assets/a%20b.js')).toBe(fs.realpathSync(path.join(root, 'assets', 'a b.js')));
    expect(resolveInside(root, '/index.html?x=1#y')).not.toBeNull();
  });
  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets\\..\\..\\secret.txt',
    '/index.html%00.png',
    '/%',
    '/link.txt',
    '/dirlink/secret.txt',
    '/assets',
    '/missing.js',
  ])('refuses %s', (probe) => {
    expect(resolveInside(root, probe)).toBeNull();
  });
});
