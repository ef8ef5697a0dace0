// Explain > Causal features in browser mode: make a small GRATING batch of causal queries,
// answer five with the keyboard (one answer undone and given again), reload, and find the
// answers saved in the project; then the verdict from those answers and a tiny experiment run.
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveBuiltApp, type ServedApp } from '../helpers/serve';

let app: ServedApp;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-e2e-causal-'));

test.beforeAll(async () => {
  app = await serveBuiltApp({ XRAY_AUDIT_HOME: home });
});
test.afterAll(async () => {
  await app?.stop();
});

test('answer five causal queries with the keyboard, reload, and find them saved', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(app.loginUrl);
  await page.getByTestId('open-demo').click();
  await expect(page.getByTestId('dataset-count')).toHaveText('3634');
  await page.getByTestId('nav-explain').click();
  await page.getByTestId('explain-tab-causal-features').click();
  await page.getByTestId('cq-count').fill('8');
  await page.getByTestId('cq-create').click();
  const panel = page.getByTestId('cq-panel');
  await expect(panel).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('cq-progress')).toHaveText('0 / 8 answered');
  await expect(page.getByTestId('cq-question')).toContainText('horizontal bar');
  await expect(page.getByTestId('cq-manipulated')).toHaveAttribute('src', /^data:image\/png;base64,/);

  // Keys go to the view, not to a form field.
  await page.getByTestId('cq-question').click();
  for (const key of ['p', 'a', 'p']) await page.keyboard.press(key);
  await expect(page.getByTestId('cq-progress')).toHaveText('3 / 8 answered');
  await page.keyboard.press('Backspace'); // undo query 3 (present)
  await expect(page.getByTestId('cq-progress')).toHaveText('2 / 8 answered');
  await expect(page.getByTestId('cq-dot-2')).toHaveAttribute('data-state', 'open');
  await expect(page.getByTestId('cq-position')).toHaveText('query 3 of 8');
  for (const key of ['a', 'p', 'a']) await page.keyboard.press(key);
  const expected = ['present', 'absent', 'absent', 'present', 'absent', 'open', 'open', 'open'];
  await expect(page.getByTestId('cq-progress')).toHaveText('5 / 8 answered');
  await expect(page.getByTestId('cq-save-state')).toHaveAttribute('data-state', 'saved');
  await page.keyboard.press('ArrowLeft'); // from query 6 back to query 5
  await expect(page.getByTestId('cq-current-answer')).toHaveAttribute('data-state', 'absent');

  await page.reload();
  await expect(page.getByTestId('cq-progress')).toHaveText('5 / 8 answered', { timeout: 30_000 });
  for (const [k, state] of expected.entries()) await expect(page.getByTestId(`cq-dot-${k}`)).toHaveAttribute('data-state', state);
  // Resumed at the first open query.
  await expect(page.getByTestId('cq-position')).toHaveText('query 6 of 8');

  // C retrained with the five answers gives a verdict on the classifier under audit.
  await page.getByTestId('cq-verdict-run').click();
  await expect(page.getByTestId('cq-verdict')).toContainText('5 answers', { timeout: 60_000 });
  await expect(page.getByTestId('cq-verdict')).toContainText('Adding a v-bar (not a cause)');
  fs.mkdirSync('test-results/artifacts', { recursive: true });
  await page.getByTestId('causal-queries-view').screenshot({ path: 'test-results/artifacts/explain-causal-queries.png' });

  // The experiment with the scripted agent: MErr/MDist curves and the verdict.
  await page.getByTestId('cf-iterations').fill('2');
  await page.getByTestId('cf-run').click();
  await expect(page.getByTestId('cf-verdict')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('cf-curves').locator('svg')).toHaveCount(2);
  await expect(page.getByTestId('cf-effects').locator('tbody tr')).toHaveCount(4);
  await page.getByTestId('causal-features-view').screenshot({ path: 'test-results/artifacts/explain-causal-features.png' });
  const verdict = await page.getByTestId('cf-verdict').textContent();

  // After a restart of the app (no jobs in memory) the experiment saved in the project is shown.
  await app.stop();
  app = await serveBuiltApp({ XRAY_AUDIT_HOME: home });
  await page.goto(app.loginUrl);
  await page.getByTestId('open-demo').click();
  // Opening a project navigates to the Dataset screen: wait for it before moving on.
  await expect(page.getByTestId('dataset-count')).toHaveText('3634');
  await page.getByTestId('nav-explain').click();
  await page.getByTestId('explain-tab-causal-features').click();
  await expect(page.getByTestId('cf-verdict')).toHaveText(verdict!, { timeout: 20_000 });
});
