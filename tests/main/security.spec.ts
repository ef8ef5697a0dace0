// The Electron security baseline, checked without starting Electron.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mainWindowOptions } from '../../src-main/app/window-options';
import { isAllowedExternalUrl, isAllowedNavigation, isTrustedSender } from '../../src-main/app/security';
import { CONTENT_SECURITY_POLICY } from '../../src-main/app/csp';
import { buildExposedApi } from '../../src-main/preload/api';
import { API_METHODS } from '../../src-main/api/channels';

describe('BrowserWindow options', () => {
  const wp = mainWindowOptions('/x/preload.js').webPreferences!;
  it('isolates and sandboxes the renderer', () => {
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.preload).toBe('/x/preload.js');
  });
});

describe('Content-Security-Policy', () => {
  const built = path.resolve(__dirname, '../../out/renderer/index.html');
  it('is in the built HTML, strict, and identical to the served header', () => {
    expect(fs.existsSync(built), 'run `npm run build` first').toBe(true);
    const html = fs.readFileSync(built, 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta).not.toBeNull();
    const csp = meta![1];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    // The header adds frame-ancestors (ignored in a meta tag); otherwise the two agree.
    expect(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", '').split('; ').sort()).toEqual(csp.split('; ').sort());
    // No inline scripts in the built page.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe('navigation, new windows and external links', () => {
  it('allows only allow-listed https URLs to open externally', () => {
    expect(isAllowedExternalUrl('https://github.com/xray-audit')).toBe(true);
    expect(isAllowedExternalUrl('http://github.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@github.com/')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternalUrl('not a url')).toBe(false);
  });
  it('keeps in-app navigation on app://renderer', () => {
    expect(isAllowedNavigation('app://renderer/index.html#/jobs')).toBe(true);
    expect(isAllowedNavigation('https://example.com/')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd')).toBe(false);
    expect(isAllowedNavigation('app://other/index.html')).toBe(false);
  });
  it('answers IPC only from the app origin', () => {
    expect(isTrustedSender('app://renderer/index.html')).toBe(true);
    expect(isTrustedSender('https://evil.example/')).toBe(false);
    expect(isTrustedSender('file:///tmp/x.html')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});

describe('preload', () => {
  it('exposes exactly the API methods plus `on`', () => {
    const calls: string[] = [];
    const exposed = buildExposedApi({
      invoke: async (ch) => void calls.push(ch),
      on: () => undefined,
      removeListener: () => undefined,
    });
    expect(Object.keys(exposed).sort()).toEqual([...API_METHODS, 'on'].sort());
    expect(Object.isFrozen(exposed)).toBe(true);
    void exposed['jobs.list']({});
    expect(calls).toEqual(['xa:jobs.list']);
    expect(() => exposed.on('nope' as never, () => undefined)).toThrow(/Unknown event/);
  });
});
