// Loaded by a fresh VS Code extension host (extensionTestsPath): activates the extension once
// and records how long activate() took, and whether it touched the network.
import * as fs from 'node:fs';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<{ activationMs: number }>('modelslab.modelslab-coder');
  if (!extension) throw new Error('extension not loaded');
  const started = performance.now();
  const api = await extension.activate();
  const loadAndActivateMs = performance.now() - started;
  // Give anything activation may have started a moment to reach the network.
  await new Promise((r) => setTimeout(r, 300));
  fs.appendFileSync(
    process.env.MODELSLAB_BENCH_RESULTS as string,
    `${JSON.stringify({ activationMs: api.activationMs, loadAndActivateMs, vscodeVersion: vscode.version })}\n`,
  );
}
