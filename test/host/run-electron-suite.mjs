// The same integration suite under @vscode/test-electron, for machines that can download
// desktop VS Code (a developer laptop, a CI with internet). On Linux it needs a display:
// run it under xvfb-run.
import { join } from 'node:path';
import { mkdirSync, readFileSync, existsSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './codeServer.mjs';

const resultsDir = join(repoRoot, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const resultsFile = join(resultsDir, `electron-suite-${process.pid}.json`);
// Tests edit the workspace, so they get a fresh copy of the fixtures.
const workspace = mkdtempSync(join(tmpdir(), 'modelslab-ws-'));
cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
try {
  await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'out', 'test', 'suite', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { MODELSLAB_SUITE_RESULTS: resultsFile, MODELSLAB_API_KEY: '' },
  });
} catch (err) {
  console.error(`The integration suite failed under desktop VS Code: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
if (existsSync(resultsFile)) {
  const result = JSON.parse(readFileSync(resultsFile, 'utf8'));
  console.log(`Integration suite ran inside VS Code ${result.vscodeVersion} (desktop).`);
  console.log(`${result.passed} passed, ${result.failed} failed`);
  process.exit(result.failed === 0 && result.passed > 0 ? 0 : 1);
}
