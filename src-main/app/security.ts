// Pure security decisions of the Electron shell (tested without Electron).

/** The renderer's own origin in the app. */
export const APP_ORIGIN = 'app://renderer';

/** External links the app may open in the user's browser: https only, these hosts only. */
const EXTERNAL_ALLOW = new Set(['github.com', 'medmnist.com', 'www.tensorflow.org', 'arxiv.org']);

export function isAllowedExternalUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' && EXTERNAL_ALLOW.has(u.hostname) && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** In-app navigation may only stay on the app's own origin. */
export function isAllowedNavigation(raw: string): boolean {
  try {
    return new URL(raw).origin === APP_ORIGIN || raw.startsWith(`${APP_ORIGIN}/`);
  } catch {
    return false;
  }
}

/** IPC is answered only for frames showing the app's own pages. */
export function isTrustedSender(frameUrl: string | undefined): boolean {
  return typeof frameUrl === 'string' && frameUrl.startsWith(`${APP_ORIGIN}/`);
}
