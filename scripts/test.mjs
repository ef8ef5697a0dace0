#!/usr/bin/env node
// `npm test`: build, typecheck, lint, unit/integration tests (vitest), end-to-end tests
// (Playwright in Debian's Chromium, browser mode). Every suite runs even if an earlier one
// failed; the last line is "N passed, N failed" over all tests (a failed build, typecheck or
// lint step counts as one failed test each).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: false }).status === 0;
const npx = (args) => run('npx', args);

fs.rmSync('test-results/vitest.json', { force: true });
fs.rmSync('test-results/e2e.json', { force: true });

let failedSteps = 0;
const built = npx(['electron-vite', 'build']);
if (!built) failedSteps++;
if (!npx(['tsc', '-p', 'tsconfig.node.json', '--noEmit'])) failedSteps++;
if (!npx(['vue-tsc', '-p', 'tsconfig.web.json', '--noEmit'])) failedSteps++;
if (!npx(['tsc', '-p', 'tsconfig.e2e.json', '--noEmit'])) failedSteps++;
if (!npx(['eslint', '.'])) failedSteps++;
const unitOk = npx(['vitest', 'run']);
const e2eOk = built ? npx(['playwright', 'test']) : false;

const { passed, failed } = countResults();
const total = { passed, failed: failed + failedSteps };
// A suite that crashed before writing its report still counts as a failure.
if (!unitOk && failed === 0) total.failed++;
if (!e2eOk && !fs.existsSync('test-results/e2e.json')) total.failed++;
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed === 0 && unitOk && e2eOk ? 0 : 1);

function countResults() {
  let passed = 0;
  let failed = 0;
  try {
    const v = JSON.parse(fs.readFileSync('test-results/vitest.json', 'utf8'));
    passed += v.numPassedTests;
    failed += v.numFailedTests;
  } catch {
    /* no report: counted by the caller */
  }
  try {
    const p = JSON.parse(fs.readFileSync('test-results/e2e.json', 'utf8'));
    passed += p.stats.expected;
    failed += p.stats.unexpected + (p.stats.flaky ?? 0);
  } catch {
    /* no report */
  }
  return { passed, failed };
}
