// Explain > Exaggeration in browser mode: the shipped demo explainer generates the series of one
// test image; the filmstrip has one frame per bin with f under it, f walks across the decision
// boundary, and the slider scrubs the large frame (image and label change).
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveBuiltApp, type ServedApp } from '../helpers/serve';

let app: ServedApp;

test.beforeAll(async () => {
  app = await serveBuiltApp({ XRAY_AUDIT_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'xa-e2e-exag-')) });
});
test.afterAll(async () => {
  await app?.stop();
});

test('generate a series with the demo explainer, read f under the frames and scrub the slider', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(app.loginUrl);
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('dataset-count')).toHaveText('3634');
  await page.getByTestId('nav-explain').click();
  await page.getByTestId('explain-tab-exaggeration').click();

  // The shipped explainer of the demo classifier is offered (and preselected).
  const pick = page.getByTestId('exag-explainer');
  await expect(pick.locator('option', { hasText: 'exaggeration-pneumonia' })).toHaveCount(1);
  await pick.selectOption('exaggeration-pneumonia');
  await page.getByTestId('exag-index').fill('3000');
  await page.getByTestId('exag-generate').click();

  const strip = page.getByTestId('exag-filmstrip');
  await expect(strip).toBeVisible({ timeout: 120_000 });
  const frames = strip.locator('.film-frame');
  await expect(frames).toHaveCount(10);
  const f = (await strip.getByTestId('exag-frame-f').allTextContents()).map(Number);
  expect(f).toHaveLength(10);
  for (const v of f) {
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(1);
  }
  // The series crosses the decision boundary: low at the f -> 0 end, high at the f -> 1 end.
  expect(f[0]).toBeLessThan(0.5);
  expect(f[9]).toBeGreaterThan(0.5);
  expect(f[9] - f[0]).toBeGreaterThan(0.5);
  // With the calibrated knob (the view's default) most frames land in their target bin
  // (the plain seed 004 conditioning lands 2 of 10 for this image).
  await expect(page.getByTestId('exag-calibrate')).toBeChecked();
  expect(f.filter((v, k) => v >= k / 10 && v < (k + 1) / 10).length).toBeGreaterThanOrEqual(7);

  // Scrub: the large frame and its label follow the slider.
  const slider = page.getByTestId('exag-slider');
  const label = page.getByTestId('exag-frame-label');
  const big = page.getByTestId('exag-current');
  await slider.fill('0');
  await expect(label).toContainText('frame 1 / 10');
  await expect(label).toContainText(f[0].toFixed(3));
  const src0 = await big.getAttribute('src');
  await slider.fill('9');
  await expect(label).toContainText('frame 10 / 10');
  await expect(label).toContainText(f[9].toFixed(3));
  expect(await big.getAttribute('src')).not.toBe(src0);
  await expect(frames.nth(9)).toHaveClass(/active/);

  // Difference-to-query overlay.
  await page.getByTestId('exag-diff').check();
  await expect(page.getByTestId('exag-diff-overlay')).toBeVisible();
  await slider.fill('2');
  await expect(label).toContainText('frame 3 / 10');

  fs.mkdirSync('test-results/artifacts', { recursive: true });
  await page.getByTestId('exaggeration-view').screenshot({ path: 'test-results/artifacts/explain-exaggeration.png' });

  // Quality and bias metrics on a few test queries, with the marker attribute's oracle.
  await page.getByTestId('exag-metrics-queries').fill('12');
  await page.getByTestId('exag-attribute').selectOption('marker');
  await page.getByTestId('exag-metrics-run').click();
  const result = page.getByTestId('exag-metrics-result');
  await expect(result).toBeVisible({ timeout: 120_000 });
  const corr = Number(await page.getByTestId('exag-m-corr').textContent());
  expect(corr).toBeGreaterThan(0.5);
  await expect(page.getByTestId('exag-confounding')).toContainText('overall');
  await page.getByTestId('exaggeration-metrics').screenshot({ path: 'test-results/artifacts/explain-exaggeration-metrics.png' });
});
