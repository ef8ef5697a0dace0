// Model screen in browser mode: the demo model is evaluated with intervals, ROC and
// reliability plots, and the subgroup table; the shortcut model's marker gap is flagged.
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveBuiltApp, type ServedApp } from '../helpers/serve';

let app: ServedApp;

test.beforeAll(async () => {
  app = await serveBuiltApp({ XRAY_AUDIT_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'xa-e2e-model-')) });
});
test.afterAll(async () => {
  await app?.stop();
});

test('evaluate the demo model and read the subgroup table', async ({ page }) => {
  await page.goto(app.loginUrl);
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('dataset-count')).toHaveText('3634');
  await page.getByTestId('nav-model').click();
  await expect(page.getByTestId('model-name')).toHaveText('pneumonia-demo');
  await page.getByTestId('evaluate').click();
  const auc = page.getByTestId('metrics-table').locator('[data-metric="rocAuc"] td');
  await expect(auc).toContainText(/0\.9[3-9]\d/, { timeout: 60_000 });
  await expect(auc).toContainText('–'); // the interval
  const marker = page.getByTestId('subgroup-table').locator('[data-attribute="marker"]');
  await expect(marker).toHaveAttribute('data-flagged', 'false');
  await expect(marker).toContainText('marker=present');
  fs.mkdirSync('test-results/artifacts', { recursive: true });
  await page.screenshot({ path: 'test-results/artifacts/model-evaluation.png', fullPage: true });

  await page.getByTestId('use-demo-shortcut').click();
  await expect(page.getByTestId('model-name')).toHaveText('shortcut-demo');
  await page.getByTestId('evaluate').click();
  await expect(page.getByTestId('subgroup-table').locator('[data-attribute="marker"]')).toHaveAttribute('data-flagged', 'true', { timeout: 60_000 });
  await page.screenshot({ path: 'test-results/artifacts/model-shortcut-flagged.png', fullPage: true });
});

test('train a small classifier on the project with live curves, then audit it', async ({ page }) => {
  test.setTimeout(360_000); // real training on 2,428 images: slow on a loaded 2-core machine
  await page.goto(app.loginUrl);
  await page.getByTestId('open-demo').click();
  await page.getByTestId('nav-model').click();
  await page.getByTestId('train-name').fill('tiny');
  await page.getByTestId('train-epochs').fill('1');
  await page.getByTestId('train-start').click();
  // It may wait in the queue behind the previous test's evaluation on a loaded machine.
  await expect(page.getByTestId('train-job')).toHaveAttribute('data-status', /queued|running|succeeded/);
  await expect(page.getByTestId('train-job')).toHaveAttribute('data-status', /running|succeeded/, { timeout: 120_000 });
  await expect(page.getByTestId('train-panel').locator('svg.chart').first()).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId('train-job')).toHaveAttribute('data-status', 'succeeded', { timeout: 300_000 });
  await page.getByTestId('train-panel').screenshot({ path: 'test-results/artifacts/model-training.png' });
  await page.getByTestId('train-use').click();
  await expect(page.getByTestId('model-name')).toHaveText('tiny');
});
