// Explain > Causal factors in browser mode: train a tiny explainer of the demo classifier
// (seed 000), watch its progress, cancel a run, train again to the end, and see the certificate,
// the influence bars and the sweeps with the classifier's output under each frame; the result is
// kept in the project and shown again when the view reopens.
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveBuiltApp, type ServedApp } from '../helpers/serve';

let app: ServedApp;

test.beforeAll(async () => {
  app = await serveBuiltApp({ XRAY_AUDIT_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'xa-e2e-cf-')) });
});
test.afterAll(async () => {
  await app?.stop();
});

const num = async (loc: import('@playwright/test').Locator): Promise<number> => Number((await loc.textContent())?.trim());

test('train a tiny causal explainer of the demo model and show its sweeps and certificate', async ({ page }) => {
  test.setTimeout(240_000);
  const t0 = Date.now();
  await page.goto(app.loginUrl);
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('dataset-count')).toHaveText('3634');
  await page.getByTestId('nav-explain').click();
  await page.getByTestId('explain-tab-causal-factors').click();
  await expect(page.getByTestId('cf-empty')).toBeVisible();

  // Tiny settings: K = 1, L = 2, 8 filters, 40 steps of batch 16 with 8 x 4 samples of C.
  for (const [id, v] of [['cf-k', '1'], ['cf-l', '2'], ['cf-steps', '40'], ['cf-filters', '8'], ['cf-batch', '16'], ['cf-lr', '0.01'], ['cf-nalpha', '8'], ['cf-nbeta', '4'], ['cf-sweep-images', '1']] as const) {
    await page.getByTestId(id).fill(v);
  }

  // A first run shows the loss terms and the running I(alpha;Y), and can be cancelled.
  await page.getByTestId('cf-train').click();
  await expect(page.getByTestId('cf-progress')).toContainText(/C \(running I\(α;Y\)\) -?\d+\.\d{3} nats · D -?\d+\.\d{2} · loss -?\d/, { timeout: 60_000 });
  await page.getByTestId('cf-cancel').click();
  await expect(page.getByTestId('cf-job')).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });

  // The second run goes to the end.
  await page.getByTestId('cf-train').click();
  await expect(page.getByTestId('cf-job')).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  const cert = page.getByTestId('cf-certificate');
  await expect(cert).toBeVisible({ timeout: 150_000 });
  const trainedAt = Date.now();

  // The certificate in words, with the estimate it rests on; the headline agrees with it.
  const text = (await cert.textContent()) ?? '';
  const m = /I\(alpha;Y\) = (-?\d+\.\d\d) nats of the 0\.69 nats \(log 2\) the classifier's two-class output can carry/.exec(text);
  expect(m, text).not.toBeNull();
  const I = Number(m![1]);
  expect(I).toBeGreaterThanOrEqual(0);
  expect(I).toBeLessThanOrEqual(0.7);
  const explained = /explain at least (\d+\.\d)% of the classifier's decisions/.exec(text);
  expect(explained, text).not.toBeNull();
  expect(Math.abs(Number(explained![1]) - 100 * (1 - (1 - I / Math.LN2) / 2))).toBeLessThan(0.5);
  await expect(cert).toContainText('N_alpha = 100 and N_beta = 25');

  // Influence bars for alpha and each beta, in nats.
  for (const f of ['alpha (joint)', 'alpha1', 'beta1', 'beta2']) await expect(page.getByTestId(`cf-influence-${f}`)).toContainText(/\d\.\d{3} nats/);
  const joint = Number(((await page.getByTestId('cf-influence-alpha (joint)').locator('.cf-bar-value').textContent()) ?? '').split(' ')[0]);
  expect(Math.abs(joint - I)).toBeLessThanOrEqual(0.0051);

  // Sweeps: alpha apart from the betas, each a filmstrip with P(pneumonia) under its 9 frames.
  const causal = page.getByTestId('cf-group-causal');
  const noncausal = page.getByTestId('cf-group-noncausal');
  await expect(causal.getByTestId('cf-factor-alpha1')).toBeVisible();
  await expect(noncausal.getByTestId('cf-factor-beta1')).toBeVisible();
  await expect(noncausal.getByTestId('cf-factor-beta2')).toBeVisible();
  await expect(causal.getByTestId('cf-factor-beta1')).toHaveCount(0);
  for (const f of ['alpha1', 'beta1', 'beta2']) {
    const row = page.getByTestId(`cf-factor-${f}`);
    await expect(row.locator('img.cf-strip')).toHaveAttribute('src', /^data:image\/png;base64,/);
    const width = await row.locator('img.cf-strip').evaluate((img: HTMLImageElement) => img.naturalWidth / img.naturalHeight);
    expect(width).toBe(9);
    const cells = row.getByTestId('cf-prob');
    await expect(cells).toHaveCount(9);
    for (const c of await cells.all()) {
      const p = await num(c);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  }
  fs.mkdirSync('test-results/artifacts', { recursive: true });
  // A window tall enough for the whole view (the content pane scrolls, and would clip it).
  const height = await page.getByTestId('cf-view').evaluate((e) => e.getBoundingClientRect().height);
  await page.setViewportSize({ width: 1280, height: Math.ceil(height) + 160 });
  await page.getByTestId('cf-view').screenshot({ path: 'test-results/artifacts/explain-causal-factors.png' });

  // Kept in the project: the view shows the saved result when it opens again.
  await page.reload();
  await expect(page.getByTestId('cf-source')).toContainText("Saved result of explainer 'explainer'", { timeout: 30_000 });
  await expect(page.getByTestId('cf-certificate')).toContainText(`I(alpha;Y) = ${m![1]} nats`);
  console.log(`causal factors E2E: I(alpha;Y) = ${I} nats, trained and shown ${((trainedAt - t0) / 1000).toFixed(1)} s after start, total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});
