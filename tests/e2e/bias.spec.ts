// Bias screen in browser mode: saliency mass on the demo's declared confounder (the burned-in
// marker) for the clean demo model, then the shortcut demo model; the result survives a reload.
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveBuiltApp, type ServedApp } from '../helpers/serve';

let app: ServedApp;

test.beforeAll(async () => {
  app = await serveBuiltApp({ XRAY_AUDIT_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'xa-e2e-bias-')) });
});
test.afterAll(async () => {
  await app?.stop();
});

const igRatio = async (page: import('@playwright/test').Page): Promise<number> =>
  Number(await page.getByTestId('confounder-table').locator('tr[data-method="integrated-gradients"] td').nth(3).textContent());

test('saliency mass on the marker: the shortcut model leans on it, the clean one does not', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(app.loginUrl);
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('dataset-count')).toHaveText('3634');
  await page.getByTestId('nav-bias').click();
  await expect(page.getByTestId('confounder-attribute')).toHaveValue('marker');
  await page.getByTestId('confounder-images').fill('24');
  await page.getByTestId('confounder-run').click();
  await expect(page.getByTestId('confounder-table')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('confounder-verdict')).toContainText('24 test images with marker = present');
  const clean = await igRatio(page);

  await page.getByTestId('nav-model').click();
  await page.getByTestId('use-demo-shortcut').click();
  await expect(page.getByTestId('model-name')).toHaveText('shortcut-demo');
  await page.getByTestId('nav-bias').click();
  // A result made for another model is not shown for this one.
  await expect(page.getByTestId('confounder-table')).toHaveCount(0);
  await page.getByTestId('confounder-images').fill('24');
  await page.getByTestId('confounder-run').click();
  await expect(page.getByTestId('confounder-table')).toBeVisible({ timeout: 120_000 });
  const shortcut = await igRatio(page);
  expect(shortcut).toBeGreaterThan(3);
  expect(shortcut).toBeGreaterThan(2 * clean);

  // Bias detection by exaggeration with the shortcut classifier's shipped explainer: the oracle
  // for the marker judges both ends of each series.
  await page.getByTestId('exag-bias-explainer').selectOption('exaggeration-shortcut');
  await expect(page.getByTestId('exag-bias-attribute')).toHaveValue('marker');
  await page.getByTestId('exag-bias-queries').fill('12');
  await page.getByTestId('exag-bias-run').click();
  const overall = page.getByTestId('exag-bias-table').locator('tr[data-explainer="exaggeration-shortcut"] [data-testid="exag-bias-overall"]');
  await expect(overall).toBeVisible({ timeout: 150_000 });
  const value = Number((await overall.textContent())!.trim().split(' ')[0]);
  expect(value).toBeGreaterThanOrEqual(0);
  expect(value).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('exag-bias-strip')).toHaveCount(2); // marker = absent, present

  await page.reload();
  await expect(page.getByTestId('confounder-table').locator('tr[data-method="integrated-gradients"]')).toBeVisible({ timeout: 20_000 });
  expect(await igRatio(page)).toBe(shortcut);
  fs.mkdirSync('test-results/artifacts', { recursive: true });
  await page.getByTestId('confounder-card').screenshot({ path: 'test-results/artifacts/bias-confounder.png' });
  await expect(page.getByTestId('exag-bias-strip')).toHaveCount(2);
  await page.getByTestId('exag-bias-card').screenshot({ path: 'test-results/artifacts/bias-exaggeration.png' });
});
