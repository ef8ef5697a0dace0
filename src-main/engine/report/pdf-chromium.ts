// PDF through a headless Chromium or Chrome found on this machine (browser mode and CLI; the
// desktop app prints with Electron's own printToPDF instead). Offline: every networking
// feature is off and the report itself loads nothing.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { EngineError } from '../jobs/errors';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

export function findChromium(): string | null {
  const env = process.env.CHROMIUM_PATH;
  if (env && fs.existsSync(env)) return env;
  return CANDIDATES.find((c) => fs.existsSync(c)) ?? null;
}

export async function htmlToPdfWithChromium(htmlFile: string, pdfFile: string, timeoutMs = 60_000): Promise<void> {
  const exe = findChromium();
  if (!exe) throw new EngineError('not_found', 'PDF export needs Chromium or Chrome on this machine (set CHROMIUM_PATH); the HTML and JSON reports were written');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-pdf-'));
  const tmpPdf = `${pdfFile}.tmp-${process.pid}`;
  const args = [
    '--headless',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    `--user-data-dir=${profile}`,
    '--no-pdf-header-footer',
    `--print-to-pdf=${tmpPdf}`,
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    pathToFileURL(htmlFile).toString(),
  ];
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(exe, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new EngineError('internal', `Chromium did not finish the PDF within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new EngineError('internal', `Could not start ${exe}: ${e.message}`));
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0 && fs.existsSync(tmpPdf) && fs.statSync(tmpPdf).size > 0) resolve();
        else reject(new EngineError('internal', `Chromium exited with code ${code} without a PDF`, err));
      });
    });
    fs.renameSync(tmpPdf, pdfFile);
  } finally {
    fs.rmSync(tmpPdf, { force: true });
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
