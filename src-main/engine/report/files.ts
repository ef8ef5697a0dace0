// The exported reports of the open project: list, read, and print to PDF with Chromium.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProjectStore } from '../project/store';
import { EngineError } from '../jobs/errors';
import { htmlToPdfWithChromium } from './pdf-chromium';

const MIME: Record<string, string> = { 'report.html': 'text/html', 'report.pdf': 'application/pdf', 'report.json': 'application/json' };

export function reportDir(store: ProjectStore, reportId: string): string {
  if (!/^[0-9TZ-]{10,40}$/.test(reportId)) throw new EngineError('invalid_request', `Not a report id: ${reportId}`);
  const dir = path.join(store.dir, 'reports', reportId);
  if (!fs.existsSync(path.join(dir, 'report.json'))) throw new EngineError('not_found', `No report ${reportId} in this project`);
  return dir;
}

export async function listReports(store: ProjectStore): Promise<{ reportId: string; files: string[]; findings: string[] }[]> {
  const root = path.join(store.dir, 'reports');
  const ids = (await fs.promises.readdir(root).catch(() => [] as string[])).filter((d) => /^[0-9TZ-]{10,40}$/.test(d)).sort().reverse();
  const out = [];
  for (const reportId of ids) {
    const dir = path.join(root, reportId);
    const files = (await fs.promises.readdir(dir)).filter((f) => f in MIME);
    let findings: string[] = [];
    try {
      findings = JSON.parse(await fs.promises.readFile(path.join(dir, 'report.json'), 'utf8')).findings ?? [];
    } catch {
      continue; // an export that did not finish
    }
    out.push({ reportId, files, findings });
  }
  return out;
}

export async function readReportFile(store: ProjectStore, reportId: string, file: string): Promise<{ name: string; mime: string; base64: string }> {
  const dir = reportDir(store, reportId);
  if (!(file in MIME)) throw new EngineError('invalid_request', `Not a report file: ${file}`);
  const data = await fs.promises.readFile(path.join(dir, file)).catch(() => {
    throw new EngineError('not_found', `${file} was not written for report ${reportId}`);
  });
  return { name: `audit-${reportId}.${file.split('.')[1]}`, mime: MIME[file], base64: data.toString('base64') };
}

export async function printReportWithChromium(store: ProjectStore, reportId: string): Promise<{ file: string }> {
  const dir = reportDir(store, reportId);
  const file = path.join(dir, 'report.pdf');
  await htmlToPdfWithChromium(path.join(dir, 'report.html'), file);
  return { file };
}
