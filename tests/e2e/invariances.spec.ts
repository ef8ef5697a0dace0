// Explain > Invariances in browser mode on the demo: a training run cancelled mid-way, then a
// tiny SVAE trained on the demo model's decisions (losses shown while it trains), the invariance
// analysis run, and the curves, the gallery, the counterfactual strip and the k = 1 / k = 2 maps
// shown with real values; reopening the view loads the saved analysis.
import { expect, test, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveBuiltApp, type ServedApp } from '../helpers/serve';

let app: ServedApp;

test.beforeAll(async () => {
  app = await serveBuiltApp({ XRAY_AUDIT_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'xa-e2e-inv-')) });
});
test.afterAll(async () => {
  await app?.stop();
});

/** The percentages of the invariance table, one array per sigma row (first cell: sigma). */
async function tableRows(page: Page): Promise<number[][]> {
  return page.getByTestId('invariance-table').locator('tr').evaluateAll((rows) =>
    rows.slice(1).map((r) => Array.from(r.querySelectorAll('td')).map((td, i) => (i === 0 ? Number(td.textContent) : Number(td.textContent!.replace('%', ''))))),
  );
}

/** Whether every image in the locator's subtree decoded to a non-empty picture. */
const imagesLoaded = (page: Page, testId: string): Promise<boolean[]> =>
  page.getByTestId(testId).locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0 && (i as HTMLImageElement).src.startsWith('data:image/png')));

test('train a tiny SVAE, run the invariance analysis and show curves, gallery, counterfactuals and maps', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(app.loginUrl);
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('dataset-count')).toHaveText('3634');
  await page.getByTestId('nav-explain').click();
  await page.getByTestId('explain-tab-invariances').click();
  await expect(page.getByTestId('invariance-empty')).toBeVisible();

  // Tiny settings: the smallest architecture, 4 + 4 latent dimensions, the train split only.
  await page.getByTestId('inv-train-name').fill('svae-e2e');
  await page.getByTestId('inv-size').selectOption('tiny');
  await page.getByTestId('inv-z1').fill('4');
  await page.getByTestId('inv-z2').fill('4');
  await page.getByTestId('inv-splits').selectOption('train');

  // A long run is cancelled once it reports losses.
  await page.getByTestId('inv-epochs').fill('50');
  await page.getByTestId('inv-train').click();
  await expect(page.getByTestId('inv-train-metrics')).toContainText(/loss \d/, { timeout: 60_000 });
  await page.getByTestId('inv-train-cancel').click();
  await expect(page.getByTestId('inv-train-job')).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });

  // The real run.
  const t0 = Date.now();
  await page.getByTestId('inv-epochs').fill('3');
  await page.getByTestId('inv-train').click();
  await expect(page.getByTestId('inv-train-job')).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  const trainSeconds = (Date.now() - t0) / 1000;
  await expect(page.getByTestId('inv-surrogate')).toHaveValue('svae-e2e');
  await expect(page.getByTestId('inv-surrogate-info')).toContainText(/'svae-e2e': z1 4, z2 4, 3 epochs on the model's decisions; agreement \d+\.\d%/);

  await page.getByTestId('inv-test-images').fill('40');
  await page.getByTestId('inv-gallery-size').fill('4');
  await page.getByTestId('inv-method-integrated-gradients').uncheck();
  await page.getByTestId('inv-method-gradient').check();
  await page.getByTestId('inv-analyse').click();
  await expect(page.getByTestId('inv-result')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('inv-result')).toContainText("'svae-e2e' on 40 test images");

  // The curves: one path per series over the 10 default sigmas, and the table of fractions.
  const paths = await page.getByTestId('invariance-curve').locator('svg path').evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''));
  expect(paths.filter((d) => (d.match(/L/g) ?? []).length === 9).length).toBeGreaterThanOrEqual(4);
  const rows = await tableRows(page);
  expect(rows.map((r) => r[0])).toEqual([0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5]);
  for (const r of rows) {
    expect(r).toHaveLength(5); // SVAE head, audited model, z1 control, chance (no M2)
    for (const v of r.slice(1)) expect(v >= 0 && v <= 100).toBe(true);
  }
  // Fractions of 40 images: multiples of 2.5%; the chance column is a product of marginals.
  for (const r of rows) for (const v of r.slice(1, 4)) expect(Math.abs(v / 2.5 - Math.round(v / 2.5))).toBeLessThan(1e-6);
  await expect(page.getByTestId('invariance-verdict')).toContainText(/On 40 test images, resampling the nuisance latent z2 .* kept the surrogate's label for \d+% of images/);
  await expect(page.getByTestId('invariance-verdict')).toContainText('Verdict:');

  // The gallery: per query the image, its reconstruction and invariant samples, all decoded PNGs.
  const galleryRows = page.getByTestId('inv-gallery-row');
  expect(await galleryRows.count()).toBeGreaterThanOrEqual(1);
  await expect(galleryRows.first()).toContainText(/SVAE (NORMAL|PNEUMONIA) · model (NORMAL|PNEUMONIA) · \d kept of \d+ draws/i);
  expect(await page.getByTestId('invariance-gallery').locator('img.inv-sample').count()).toBeGreaterThanOrEqual(1);
  expect(await imagesLoaded(page, 'invariance-gallery')).not.toContain(false);
  // Counterfactuals: centre plus -/+ per z1 dimension (4 here); maps: sample, k = 1, k = 2.
  expect(await page.getByTestId('invariance-counterfactuals').locator('figure').count()).toBeGreaterThanOrEqual(1 + 2 * 4);
  expect(await imagesLoaded(page, 'invariance-counterfactuals')).not.toContain(false);
  const map = page.getByTestId('inv-map-gradient').first();
  await expect(map).toContainText(/d₁ \d+\.\d{3} · d₂ \d+\.\d{3}/);
  await expect(map.locator('figcaption')).toHaveText(['sample x̃', 'k = 1 (z1)', 'k = 2 (z2)']);
  expect(await imagesLoaded(page, 'invariance-maps')).not.toContain(false);

  // The view as the auditor sees it after the run: training progress with losses, then the results.
  fs.mkdirSync('test-results/artifacts', { recursive: true });
  // The screen scrolls inside its own container: a tall viewport gets the whole view in one shot.
  await page.setViewportSize({ width: 1280, height: 2400 });
  await page.getByTestId('invariances-view').screenshot({ path: 'test-results/artifacts/explain-invariances.png' });

  // Reopening the view loads the saved analysis with the same numbers.
  await page.getByTestId('explain-tab-saliency').click();
  await page.getByTestId('explain-tab-invariances').click();
  await expect(page.getByTestId('inv-result')).toContainText("'svae-e2e' on 40 test images");
  expect(await tableRows(page)).toEqual(rows);
  console.log(`invariances e2e: tiny SVAE trained in ${trainSeconds.toFixed(1)} s (3 epochs, train split)`);
});
