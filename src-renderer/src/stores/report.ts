// Exported reports of the open project: export (a job), list, download, print to PDF.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../api/client';
import { useJobsStore } from './jobs';
import { useAppStore } from './app';

export interface ReportEntry {
  reportId: string;
  files: string[];
  findings: string[];
}

export const useReportStore = defineStore('report', () => {
  const reports = ref<ReportEntry[]>([]);
  const error = ref<string | null>(null);
  const exportJobId = ref<string | null>(null);

  async function refresh(): Promise<void> {
    try {
      reports.value = await api.invoke('report.list', {});
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  /** Starts the export; the desktop app prints its PDF with Electron once the job is done. */
  async function exportReport(): Promise<void> {
    const desktop = useAppStore().info?.transport === 'ipc';
    const snap = await useJobsStore().submit({ kind: 'export-report', params: { split: 'test', casesPerKind: 2, pdf: desktop ? 'none' : 'chromium' } });
    exportJobId.value = snap?.id ?? null;
  }

  async function afterExport(reportId: string): Promise<void> {
    if (useAppStore().info?.transport === 'ipc') {
      try {
        await api.invoke('report.printPdf', { reportId });
      } catch (e) {
        error.value = `PDF: ${(e as Error).message}`;
      }
    }
    await refresh();
  }

  /** Saves a report file through the browser's download (the file never leaves this machine). */
  async function download(reportId: string, file: 'report.html' | 'report.pdf' | 'report.json'): Promise<void> {
    try {
      const f = await api.invoke('report.file', { reportId, file });
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: f.mime }));
      const a = document.createElement('a');
      a.href = url;
      a.download = f.name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  return { reports, error, exportJobId, refresh, exportReport, afterExport, download };
});
