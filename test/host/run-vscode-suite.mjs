// Runs the integration suite (test/suite) inside a real VS Code extension host: code-server's
// bundled VS Code, opened in headless Chromium. Fails if any test fails or if none ran.
import { existsSync, readFileSync, mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { startCodeServer, launchChromium, repoRoot } from './codeServer.mjs';

const testsPath = join(repoRoot, 'out', 'test', 'suite', 'index.js');
if (!existsSync(testsPath)) throw new Error(`${testsPath} is missing: run the build first.`);

const fixtures = join(repoRoot, 'test', 'fixtures', 'workspace');
const resultsDir = join(repoRoot, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const resultsFile = join(resultsDir, `vscode-suite-${process.pid}.json`);

const TIMEOUT_MS = Number(process.env.MODELSLAB_SUITE_TIMEOUT_MS ?? 15 * 60_000);
const server = await startCodeServer({
  testsPath,
  env: { MODELSLAB_SUITE_RESULTS: resultsFile, MODELSLAB_API_KEY: '' },
});
// Tests edit the workspace, so each run works on a fresh copy of the fixtures.
cpSync(fixtures, server.workspace, { recursive: true });
const browser = await launchChromium();
let exitCode = 1;
try {
  // The terminal suite reads a selection through the clipboard, as the command does for a user.
  const page = await (await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] })).newPage();
  const consoleLines = [];
  page.on('console', (msg) => consoleLines.push(msg.text()));
  await page.goto(server.workbenchUrl());
  const started = Date.now();
  while (!existsSync(resultsFile)) {
    if (Date.now() - started > TIMEOUT_MS) throw new Error(`The suite wrote no results within ${TIMEOUT_MS / 1000} s.`);
    await new Promise((r) => setTimeout(r, 500));
  }
  // The file is written once, complete, when mocha finishes.
  await new Promise((r) => setTimeout(r, 200));
  const result = JSON.parse(readFileSync(resultsFile, 'utf8'));
  const specLines = consoleLines.filter((l) => !/^\[Extension Host\] (\[\w+\])?$/.test(l));
  if (process.env.MODELSLAB_SUITE_VERBOSE) console.log(specLines.join('\n'));
  console.log(`\nIntegration suite ran inside VS Code ${result.vscodeVersion} (code-server).`);
  for (const test of result.tests) console.log(`  ${test.state === 'passed' ? '✓' : '✗'} ${test.title}`);
  for (const failure of result.failures) console.log(`\n✗ ${failure.title}\n${failure.error}`);
  console.log(`integration: ${result.passed} passed, ${result.failed} failed`);
  exitCode = result.failed === 0 && result.passed > 0 ? 0 : 1;
  if (result.passed === 0) console.error('No integration test ran.');
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  console.error(server.output.slice(-4000));
} finally {
  await browser.close();
  await server.stop();
}
process.exit(exitCode);
