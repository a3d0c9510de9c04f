// Entry point that the VS Code extension host loads (extensionTestsPath): runs the mocha
// suite inside the real host and writes the results where the runner can read them.
import * as path from 'node:path';
import * as fs from 'node:fs';
import Mocha from 'mocha';
import * as vscode from 'vscode';

// esbuild bundles the suite files in; importing them registers their tests on mocha's globals.
import { loadSuiteFiles } from './files';

interface SuiteResult {
  vscodeVersion: string;
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
  tests: { title: string; state: 'passed' | 'failed' }[];
}

export function run(): Promise<void> {
  // MODELSLAB_SUITE_GREP runs only the matching tests, while working on them.
  const grep = process.env.MODELSLAB_SUITE_GREP || undefined;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, forbidOnly: true, reporter: 'spec', grep });
  mocha.suite.emit('pre-require', globalThis, 'suite', mocha);
  loadSuiteFiles();

  const result: SuiteResult = { vscodeVersion: vscode.version, passed: 0, failed: 0, pending: 0, failures: [], tests: [] };
  console.log(`[suite] running inside VS Code ${vscode.version}`);

  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.MODELSLAB_SUITE_RESULTS;
      if (out) {
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, JSON.stringify(result, null, 2));
      }
      if (failures > 0 || result.passed === 0) reject(new Error(`${failures} test(s) failed, ${result.passed} passed`));
      else resolve();
    });
    runner.on('pass', (test) => {
      result.passed++;
      result.tests.push({ title: test.fullTitle(), state: 'passed' });
    });
    runner.on('pending', () => result.pending++);
    runner.on('fail', (test, err: Error) => {
      result.failed++;
      result.tests.push({ title: test.fullTitle(), state: 'failed' });
      result.failures.push({ title: test.fullTitle(), error: String(err && (err.stack || err.message)) });
    });
  });
}
