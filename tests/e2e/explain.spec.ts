// Explain screen in browser mode: two saliency methods for one image, shown as overlays.
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveBuiltApp, type ServedApp } from '../helpers/serve';

let app: ServedApp;

test.beforeAll(async () => {
  app = await serveBuiltApp({ XRAY_AUDIT_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'xa-e2e-explain-')) });
});
test.afterAll(async () => {
  await app?.stop();
});

test('compute gradient and InputIBA maps for one image and show the overlays', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(app.loginUrl);
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('dataset-count')).toHaveText('3634');
  await page.getByTestId('nav-explain').click();
  await page.getByTestId('explain-tab-saliency').click();
  await page.getByTestId('saliency-index').fill('3000');
  for (const m of ['integrated-gradients', 'grad-cam']) await page.getByTestId(`method-${m}`).uncheck();
  await page.getByTestId('method-gradient').check();
  await page.getByTestId('method-input-iba').check();
  await page.getByTestId('saliency-colormap').selectOption('bwr');
  await page.getByTestId('saliency-run').click();
  await expect(page.getByTestId('map-gradient').locator('img.overlay')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('map-input-iba').locator('img.overlay')).toBeVisible();
  await expect(page.getByTestId('map-input-iba')).toContainText('deletion AUC');
  // The signed colour map was applied: zero is white, evidence red (plain gradients are |grad|).
  const colours = await page.getByTestId('map-gradient').locator('img.overlay').evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let white = 0, red = 0, blue = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] > 200 && d[i + 1] > 200 && d[i + 2] > 200) white++;
      else if (d[i] > d[i + 2] + 60) red++;
      else if (d[i + 2] > d[i] + 60) blue++;
    }
    return { white, red, blue };
  });
  expect(colours.white).toBeGreaterThan(0);
  expect(colours.red).toBeGreaterThan(0);
  expect(colours.blue).toBe(0);
  await page.getByTestId('saliency-opacity').fill('0.9');
  await expect(page.getByTestId('map-gradient').locator('img.overlay')).toHaveCSS('opacity', '0.9');
  fs.mkdirSync('test-results/artifacts', { recursive: true });
  await page.getByTestId('saliency-view').screenshot({ path: 'test-results/artifacts/explain-saliency.png' });
});
