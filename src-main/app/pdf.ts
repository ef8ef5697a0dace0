// PDF in the desktop app: Electron's own printToPDF on a hidden, sandboxed window that shows
// the self-contained report HTML (no preload, no network: the report's CSP allows only data:).
import { BrowserWindow } from 'electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EngineHost } from '../engine/host';

export async function printReportPdf(engine: EngineHost, reportId: string): Promise<{ file: string }> {
  const { dir } = await engine.call('reportDir', { reportId });
  const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false } });
  try {
    await win.loadURL(pathToFileURL(path.join(dir, 'report.html')).toString());
    const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
    const file = path.join(dir, 'report.pdf');
    await fs.promises.writeFile(`${file}.tmp`, pdf);
    await fs.promises.rename(`${file}.tmp`, file);
    return { file };
  } finally {
    win.destroy();
  }
}
