// The app shell in browser mode: backend in the status bar, a self-test job whose progress bar
// moves to completion, and a second job cancelled while running.
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import { serveBuiltApp, type ServedApp } from '../helpers/serve';

let app: ServedApp;

test.beforeAll(async () => {
  app = await serveBuiltApp();
});
test.afterAll(async () => {
  await app?.stop();
});

test('self-test job progresses, a second one cancels, status bar shows the backend', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`${m.text()} ${m.location().url}`));
  page.on('pageerror', (e) => consoleErrors.push(e.message));

  await page.goto(app.loginUrl);
  // The token was traded for a cookie and removed from the address bar.
  expect(page.url()).not.toContain('token=');
  await expect(page.getByTestId('backend')).toContainText(/wasm|cpu|tensorflow/);

  await page.getByTestId('nav-jobs').click();
  await expect(page).toHaveURL(/#\/jobs$/);
  await page.getByTestId('selftest-steps').fill('150');
  await page.getByTestId('run-selftest').click();

  const first = page.locator('li.job').first();
  const bar = first.getByTestId('job-progress');
  await expect(first).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  const fractions: number[] = [];
  for (let i = 0; i < 40 && fractions.length < 3; i++) {
    const f = Number(await bar.getAttribute('data-fraction'));
    if (f > 0 && f < 1 && (fractions.length === 0 || f > fractions[fractions.length - 1])) fractions.push(f);
    await page.waitForTimeout(150);
  }
  expect(fractions.length).toBeGreaterThanOrEqual(2);
  await expect(first).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await expect(first.getByTestId('job-metrics')).toContainText('loss');

  await page.getByTestId('selftest-steps').fill('100000');
  await page.getByTestId('run-selftest').click();
  const second = page.locator('li.job').first();
  await expect(second).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await expect(page.getByTestId('status-jobs')).toContainText('1 job running');
  await page.waitForTimeout(500);
  fs.mkdirSync('test-results/artifacts', { recursive: true });
  await page.screenshot({ path: 'test-results/artifacts/shell-jobs.png' });
  await second.getByTestId('job-cancel').click();
  await expect(second).toHaveAttribute('data-status', 'cancelled', { timeout: 20_000 });
  await expect(page.getByTestId('status-jobs')).toContainText('No jobs running');

  await page.getByTestId('nav-projects').click();
  await expect(page.getByTestId('engine-facts')).toBeVisible();
  await page.screenshot({ path: 'test-results/artifacts/shell-projects.png' });
  expect(consoleErrors).toEqual([]);
});

test('the page refuses to load without the token', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const res = await page.goto(app.url);
  expect(res?.status()).toBe(401);
  await ctx.close();
});
