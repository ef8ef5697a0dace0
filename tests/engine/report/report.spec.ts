// The exported report: self-contained HTML (no scripts, nothing from the network), JSON with the
// evaluation's numbers, and the `xray-audit demo` command producing all three files.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

const bin = path.resolve(__dirname, '../../../bin/xray-audit.js');

describe('xray-audit demo', () => {
  it('writes HTML, JSON and PDF reports of the demo audit', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-report-'));
    const out = path.join(home, 'out');
    const r = JSON.parse(execFileSync(process.execPath, [bin, 'demo', '--out', out, '--json'], { encoding: 'utf8', env: { ...process.env, XRAY_AUDIT_HOME: home } }));
    expect(r.pdfError).toBeNull();
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    const json = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(fs.statSync(path.join(out, 'report.pdf')).size).toBeGreaterThan(10_000);

    // Self-contained and inert.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`);
    for (const id of ['summary', 'dataset', 'model', 'evaluation', 'subgroups', 'cases', 'methods', 'limitations']) expect(html).toContain(`<section id="${id}"`);

    // The JSON holds the numbers the HTML shows.
    const auc = json.evaluation.evaluation.metrics.rocAuc;
    expect(auc.value).toBeGreaterThan(0.93);
    expect(html).toContain(auc.value.toFixed(3));
    expect(json.dataset.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(json.model.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(json.identifiers).toBe('none');
    expect(json.cases.length).toBeGreaterThan(0);
    // Cases are distinct images (a marked twin is not picked beside its original).
    const bases = json.cases.map((c: { id: string }) => c.id.replace(/\+marker$/, ''));
    expect(new Set(bases).size).toBe(bases.length);

    // Each case carries the default saliency panels (Grad-CAM, IG) as PNG overlays, and the
    // methods table names them with their settings.
    for (const c of json.cases as { panels: { title: string; image: string }[] }[]) {
      expect(c.panels.map((p) => p.title)).toEqual(expect.arrayContaining(['Grad-CAM', 'Integrated Gradients']));
      for (const p of c.panels) expect(Buffer.from(p.image.replace(/^data:image\/png;base64,/, ''), 'base64').subarray(1, 4).toString()).toBe('PNG');
    }
    // The demo audit runs the analyses the report shows: saliency mass on the marker and the
    // shipped explainer's quality with the marker confounding metric.
    const sections = json.sections.map((s: { id: string }) => s.id);
    expect(sections).toEqual(expect.arrayContaining(['confounder-saliency', 'exaggeration']));
    for (const id of ['confounder-saliency', 'exaggeration']) expect(html).toContain(`<section id="${id}">`);
    const exag = json.sections.find((s: { id: string }) => s.id === 'exaggeration');
    expect(JSON.stringify(exag.tables)).toContain('Confounding');
    // Their findings join the summary (the clean demo model does not lean on the marker).
    expect(json.findings.join(' ')).toMatch(/no concentration of evidence on the confounder 'marker'/);
    expect(json.findings.join(' ')).toMatch(/Exaggerating the classifier's output changes the oracle's 'marker' decision in \d+% of 60 series/);
    const methodNames = json.methods.map((m: { name: string }) => m.name).join(' | ');
    expect(methodNames).toContain('Integrated Gradients (case panels');
    expect(html.match(/<div class="panel"><img src="data:image\/png;base64,/g)?.length ?? 0).toBeGreaterThanOrEqual(2 * json.cases.length);
  });
});
