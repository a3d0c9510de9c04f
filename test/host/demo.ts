// `npm run demo`: the extension in a real VS Code in the browser, talking to the local
// ModelsLab-compatible server, so anyone can try it without an API key.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { startCodeServer, repoRoot } from './codeServer.mjs';
import { startFakeModelsLab } from '../fake-server/server';
import { DEMO_REPLY } from './demoReply';

async function main(): Promise<void> {
  const server = await startFakeModelsLab();
  server.setDefault({ text: DEMO_REPLY, tokensPerSecond: 120 });
  const vscode = await startCodeServer({
    env: { MODELSLAB_API_KEY: 'demo-key-not-secret' },
    settings: { 'modelslab.baseUrl': server.url },
  });
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), vscode.workspace, { recursive: true });
  const url = vscode.workbenchUrl();
  console.log('\nModelsLab Coder demo is running (local ModelsLab-compatible server, no API key needed).');
  console.log(`Open this in a browser:\n\n  ${url}\n`);
  console.log('Click the ModelsLab icon in the activity bar. Press Ctrl+C to stop.');
  if (!process.env.CI && process.env.MODELSLAB_DEMO_NO_BROWSER === undefined) {
    spawn('xdg-open', [url], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
  }
  const stop = async () => {
    await vscode.stop();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
