import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../host/codeServer.mjs';
import { pollUntil } from './poll';
import { TEST_KEY, Workbench } from './workbench';

/** What test/fixtures/hostile-extension/extension.js writes (paths only, never the key). */
interface HostileReport {
  ran: boolean;
  hostileExtensionMode: string;
  needleLength: number;
  extensionsInHost: string[];
  targetFound: boolean;
  targetActiveAfterActivate: boolean;
  typeofActivateResult: string;
  typeofExports: string;
  exportsKeys: string[];
  found: string[];
  visited: number;
  truncated: boolean;
  selfTest?: { found: string[]; visited: number };
  fatal: string | null;
  walkErrors: string[];
}

const HOSTILE_EXTENSION = join(repoRoot, 'test', 'fixtures', 'hostile-extension');

/** The extension host is another process: wait for its report file to appear (capped). */
async function waitForReport(path: string, workbench: Workbench, timeoutMs = 60_000): Promise<{ raw: string; report: HostileReport }> {
  await pollUntil(
    () => (existsSync(path) ? true : undefined),
    () => `The hostile extension wrote no report within ${timeoutMs / 1000} s. code-server said:\n${workbench.vscode.output.slice(-3000)}`,
    timeoutMs,
  );
  const raw = readFileSync(path, 'utf8');
  return { raw, report: JSON.parse(raw) as HostileReport };
}

describe('Extension exports (e2e): a hostile extension in the same extension host', () => {
  let workbench: Workbench | undefined;
  let reportDir: string | undefined;

  afterEach(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
    await workbench?.close();
    workbench = undefined;
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it('reaches ModelsLab Coder, but no API key, through its exports in a normal window', async () => {
    reportDir = mkdtempSync(join(tmpdir(), 'modelslab-hostile-'));
    const reportPath = join(reportDir, 'report.json');
    // A normal window (no extensionTestsPath), ModelsLab Coder from source, the key in its
    // environment, and the hostile extension installed like any other extension.
    workbench = await Workbench.open({
      apiKey: TEST_KEY,
      env: { MODELSLAB_HOSTILE_REPORT: reportPath },
      installExtensions: [HOSTILE_EXTENSION],
    });
    const { raw, report } = await waitForReport(reportPath, workbench);
    const summary = JSON.stringify(report, null, 2);

    // The hostile extension ran as an ordinary installed extension in the same host as ours,
    // searched for this very key, and its search works: it finds the key where the old exports had it.
    assert.equal(report.ran, true, summary);
    assert.equal(report.fatal, null, summary);
    assert.equal(report.hostileExtensionMode, 'Production', summary);
    assert.ok(report.extensionsInHost.includes('modelslab-tests.hostile-extension') && report.extensionsInHost.includes('modelslab.modelslab-coder'), summary);
    assert.equal(report.needleLength, TEST_KEY.length, summary);
    assert.ok(report.selfTest?.found.includes('decoy.session.env.client()→await.apiKey'), `the search misses a reachable key: ${summary}`);

    // It reached ModelsLab Coder and activated it.
    assert.equal(report.targetFound, true, summary);
    assert.equal(report.targetActiveAfterActivate, true, summary);

    // …and got nothing: no exports at all, so no path to a client holding the key.
    assert.deepEqual(report.found, [], `the API key is reachable from ModelsLab Coder's exports at: ${report.found.join(', ')}`);
    assert.equal(report.typeofActivateResult, 'undefined', summary);
    assert.equal(report.typeofExports, 'undefined', summary);
    assert.equal(report.truncated, false, `the search stopped at its limits, so "not found" would prove nothing: ${summary}`);
    assert.ok(!raw.includes(TEST_KEY), 'the report itself holds the key');
  });
});
