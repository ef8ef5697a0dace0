// The demo audit end to end in browser mode: Open demo -> Dataset -> Model (evaluate) ->
// Bias -> Export PDF; the downloaded PDF holds every section and its pages render.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveBuiltApp, type ServedApp } from '../helpers/serve';

let app: ServedApp;
const art = 'test-results/artifacts';

test.beforeAll(async () => {
  app = await serveBuiltApp({ XRAY_AUDIT_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'xa-e2e-audit-')) });
  fs.mkdirSync(art, { recursive: true });
});
test.afterAll(async () => {
  await app?.stop();
});

test('demo audit from "Open demo" to "Export PDF"', async ({ page }) => {
  await page.goto(app.loginUrl);
  await page.screenshot({ path: `${art}/audit-1-projects.png` });
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('dataset-count')).toHaveText('3634');
  await page.screenshot({ path: `${art}/audit-2-dataset.png` });

  await page.getByTestId('nav-model').click();
  await page.getByTestId('evaluate').click();
  await expect(page.getByTestId('metrics-table')).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: `${art}/audit-3-model.png` });

  await page.getByTestId('nav-explain').click();
  await page.screenshot({ path: `${art}/audit-4-explain.png` });

  await page.getByTestId('nav-bias').click();
  await expect(page.getByTestId('subgroup-table')).toBeVisible();
  await page.screenshot({ path: `${art}/audit-5-bias.png` });
  await page.getByTestId('export-report').click();
  await expect(page.getByTestId('export-job')).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
  const pdfButton = page.getByTestId('download-report.pdf').first();
  await expect(pdfButton).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), pdfButton.click()]);
  const pdf = path.join(art, 'demo-report.pdf');
  await download.saveAs(pdf);
  await page.screenshot({ path: `${art}/audit-6-report.png` });

  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  for (const section of ['Summary of findings', 'Data set', 'Model under audit', 'Evaluation', 'Subgroup audit', 'Selected cases', 'Methods and settings', 'Limitations']) {
    expect(text).toContain(section);
  }
  expect(text).toMatch(/ROC AUC is 0\.9\d\d \(95% CI/);
  expect(text).toMatch(/Content hash/);
  execFileSync('pdftoppm', ['-png', '-r', '50', pdf, path.join(art, 'demo-report-page')]);
  const pages = fs.readdirSync(art).filter((f) => f.startsWith('demo-report-page'));
  expect(pages.length).toBeGreaterThanOrEqual(2);
  for (const p of pages) expect(fs.statSync(path.join(art, p)).size).toBeGreaterThan(5_000);
});
