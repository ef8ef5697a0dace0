// Projects and Dataset screens in browser mode: open the bundled demo, browse the image grid,
// import real chest X-rays from a folder into a new project.
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveBuiltApp, type ServedApp } from '../helpers/serve';

let app: ServedApp;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-e2e-home-'));

test.beforeAll(async () => {
  app = await serveBuiltApp({ XRAY_AUDIT_HOME: home });
});
test.afterAll(async () => {
  await app?.stop();
});

test('open the demo project and browse its images', async ({ page }) => {
  await page.goto(app.loginUrl);
  await page.getByTestId('nav-projects').click();
  await page.getByTestId('open-demo').click();
  await expect(page).toHaveURL(/#\/dataset$/);
  await expect(page.getByTestId('dataset-count')).toHaveText('3634');
  await expect(page.getByTestId('thumb-0').locator('img')).toBeVisible();
  // Virtualised: far fewer cells than images exist in the DOM.
  const cells = await page.locator('.thumb').count();
  expect(cells).toBeGreaterThan(10);
  expect(cells).toBeLessThan(600);
  await page.getByTestId('thumb-grid').evaluate((el) => (el.scrollTop = 20_000));
  await expect(page.locator('.thumb img').first()).toBeVisible();
  await page.locator('.thumb').first().click();
  await expect(page.getByTestId('image-detail')).toContainText('label');
  fs.mkdirSync('test-results/artifacts', { recursive: true });
  await page.screenshot({ path: 'test-results/artifacts/dataset-demo.png' });
});

test('create a project and import a folder of real chest X-rays', async ({ page }) => {
  const src = path.join(home, 'cxr-folder');
  const cxr = path.resolve(process.cwd(), '../shared/data/cxr');
  fs.mkdirSync(path.join(src, 'no_finding'), { recursive: true });
  fs.mkdirSync(path.join(src, 'finding'), { recursive: true });
  fs.copyFileSync(path.join(cxr, '00027426_000.png'), path.join(src, 'no_finding', 'a.png'));
  fs.copyFileSync(path.join(cxr, '16747_3_1.jpg'), path.join(src, 'no_finding', 'b.jpg'));
  fs.copyFileSync(path.join(cxr, '00000001_000.png'), path.join(src, 'finding', 'c.png'));
  fs.copyFileSync(path.join(cxr, 'siim_pneumothorax_sample.dcm'), path.join(src, 'finding', 'd.dcm'));
  fs.copyFileSync(path.join(cxr, 'Fake_MONOHR1.dcm'), path.join(src, 'finding', 'e.dcm'));
  fs.writeFileSync(path.join(src, 'finding', 'corrupt.dcm'), Buffer.alloc(300, 7));

  await page.goto(app.loginUrl);
  await page.getByTestId('nav-projects').click();
  await page.getByTestId('new-dir').fill(path.join(home, 'projects', 'cxr'));
  await page.getByTestId('new-name').fill('CXR import');
  await page.getByTestId('create-project').click();
  await expect(page).toHaveURL(/#\/dataset$/);
  await page.getByTestId('import-path').fill(src);
  await page.getByTestId('import-preview').click();
  await expect(page.getByTestId('import-preview-result')).toContainText('6 image file(s)');
  await expect(page.getByTestId('import-preview-result')).toContainText('finding: 4');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-job')).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await expect(page.getByTestId('dataset-count')).toHaveText('5');
  await expect(page.getByTestId('import-report')).toContainText('corrupt.dcm');
  await expect(page.getByTestId('thumb-4').locator('img')).toBeVisible();
  await page.screenshot({ path: 'test-results/artifacts/dataset-import.png' });
});

test('the viewer windows a DICOM chest X-ray and shows MONOCHROME1 inverted', async ({ page }) => {
  const cxr = path.resolve(process.cwd(), '../shared/data/cxr');
  await page.goto(app.loginUrl);
  await page.getByTestId('nav-dataset').click();
  const meanGrey = async (): Promise<number> =>
    page.getByTestId('viewer-img').evaluate(async (img: HTMLImageElement) => {
      // The src may be swapped while a new window renders; decode() then rejects: wait and retry.
      for (let attempt = 0; ; attempt++) {
        try {
          await img.decode();
          break;
        } catch (e) {
          if (attempt >= 20) throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      let s = 0;
      for (let i = 0; i < d.length; i += 4) s += d[i];
      return s / (d.length / 4);
    });

  await page.getByTestId('viewer-path').fill(path.join(cxr, 'siim_pneumothorax_sample.dcm'));
  await page.getByTestId('viewer-open').click();
  await expect(page.getByTestId('viewer-img')).toHaveAttribute('data-photometric', 'MONOCHROME2');
  const mono2 = await meanGrey();
  fs.mkdirSync('test-results/artifacts', { recursive: true });
  await page.getByTestId('viewer').screenshot({ path: 'test-results/artifacts/viewer-monochrome2.png' });

  await page.getByTestId('viewer-path').fill(path.join(cxr, 'Fake_MONOHR1.dcm'));
  await page.getByTestId('viewer-open').click();
  await expect(page.getByTestId('viewer-img')).toHaveAttribute('data-photometric', 'MONOCHROME1');
  const mono1 = await meanGrey();
  await page.getByTestId('viewer').screenshot({ path: 'test-results/artifacts/viewer-monochrome1.png' });
  // Same stored pixels, opposite photometric interpretation: the displays are negatives.
  expect(Math.abs(mono1 + mono2 - 255)).toBeLessThan(3);
  expect(Math.abs(mono1 - mono2)).toBeGreaterThan(20);

  // Narrowing the window changes the rendering; a broken file gives a readable error.
  await page.getByTestId('viewer-width').fill('40');
  await page.getByTestId('viewer-width').dispatchEvent('input');
  await expect.poll(meanGrey, { timeout: 10_000 }).not.toBeCloseTo(mono1, 0);
  await page.getByTestId('viewer-path').fill(path.join(cxr, 'nih_metadata.csv'));
  await page.getByTestId('viewer-open').click();
  await expect(page.getByTestId('viewer-error')).toContainText('nih_metadata.csv');
});

test('import a manifest CSV with attributes into a new project', async ({ page }) => {
  const cxr = path.resolve(process.cwd(), '../shared/data/cxr');
  const csv = path.join(home, 'manifest.csv');
  fs.writeFileSync(
    csv,
    [
      'path,label,sex,age_group,split',
      `${path.join(cxr, '00000001_000.png')},Cardiomegaly,M,50-59,test`,
      `${path.join(cxr, '00027426_000.png')},No Finding,M,50-59,test`,
      `${path.join(cxr, 'siim_pneumothorax_sample.dcm')},Pneumothorax,F,30-39,train`,
      `${path.join(cxr, '16747_3_1.jpg')},No Finding,F,30-39,train`,
    ].join('\n'),
  );
  await page.goto(app.loginUrl);
  await page.getByTestId('nav-projects').click();
  await page.getByTestId('new-dir').fill(path.join(home, 'projects', 'manifest'));
  await page.getByTestId('new-name').fill('Manifest import');
  await page.getByTestId('create-project').click();
  await page.getByTestId('import-kind').selectOption('manifest');
  await page.getByTestId('import-path').fill(csv);
  await page.getByTestId('import-preview').click();
  await expect(page.getByTestId('import-preview-result')).toContainText('attributes: age_group, sex');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-job')).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await expect(page.getByTestId('dataset-count')).toHaveText('4');
  await expect(page.getByTestId('dataset-summary')).toContainText('age_group');
  await page.screenshot({ path: 'test-results/artifacts/dataset-manifest.png' });
});
