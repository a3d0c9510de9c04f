// `npm run demo`: the extension in a real VS Code in the browser, talking to the local
// ModelsLab-compatible server, so anyone can try it without an API key.
//
// The extension is installed the way a user's VSIX installs it (the files the VSIX ships, in
// the extensions folder), not run as an extension under development, so the window looks like
// a user's: its title is "<file> - sample-project - code-server", without the
// "[Extension Development Host]" prefix that VS Code puts on every development window whatever
// `window.title` says. `npm run demo -- --dev` runs it as a development extension instead, so a
// window reload picks up a rebuild (`npm run watch`).
//
// The server answers each request with a scripted reply chosen by the question and built from
// the selected code (test/host/demoReply.ts), at about 45 tokens/s after 0.6 s, like a hosted
// model. MODELSLAB_DEMO_TPS changes the rate.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { startCodeServer, repoRoot } from './codeServer.mjs';
import { startDemoServer } from './demoServer';
import { DEMO_PACE } from './demoReply';

/** The files the VSIX ships (.vscodeignore's allow-list), copied into a folder VS Code installs from. */
function stageInstalledExtension(into: string): string {
  const folder = join(into, 'extension');
  const copy = (path: string) => cpSync(join(repoRoot, path), join(folder, path), { recursive: true });
  mkdirSync(join(folder, 'dist'), { recursive: true });
  for (const file of ['extension.js', 'webview.js', 'webview.css']) {
    if (!existsSync(join(repoRoot, 'dist', file))) throw new Error(`dist/${file} is missing: run \`node esbuild.mjs\` first (npm run demo does).`);
    copy(join('dist', file));
  }
  copy(join('dist', 'codicons'));
  for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) if (existsSync(join(repoRoot, file))) copy(file);
  // media/'s own files only: media/screenshots/ is for the README.
  for (const entry of readdirSync(join(repoRoot, 'media'))) {
    if (statSync(join(repoRoot, 'media', entry)).isFile()) copy(join('media', entry));
  }
  return folder;
}

function pace(): { tokensPerSecond: number; firstTokenMs: number } {
  const tps = Number(process.env.MODELSLAB_DEMO_TPS);
  return { tokensPerSecond: Number.isFinite(tps) && tps > 0 ? tps : DEMO_PACE.tokensPerSecond, firstTokenMs: DEMO_PACE.firstTokenMs };
}

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  const scratch = mkdtempSync(join(tmpdir(), 'modelslab-demo-'));
  // The folder's name is the workspace name in the window title and the Explorer.
  const workspace = join(scratch, 'sample-project');
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const server = await startDemoServer(pace());
  const vscode = await startCodeServer({
    workspace,
    env: { MODELSLAB_API_KEY: 'demo-key-not-secret' },
    settings: { 'modelslab.baseUrl': server.url },
    installExtensions: dev ? [] : [stageInstalledExtension(scratch)],
  });
  // Without the development payload the workbench is an ordinary window with the extension installed.
  const url = dev ? vscode.workbenchUrl(workspace) : `${vscode.base}/?folder=${encodeURIComponent(workspace)}`;
  console.log('\nModelsLab Coder demo is running (local ModelsLab-compatible server with scripted answers; no API key needed).');
  console.log(`Open this in a browser:\n\n  ${url}\n`);
  console.log('Then try:');
  console.log('  - Open math.ts, select `average`, right-click > ModelsLab > Explain, Refactor, Fix, Document or Generate Tests.');
  console.log('  - In the ModelsLab chat (activity bar): "compare the ways to loop over an array in a table", "how do I debounce a function?"');
  console.log('Press Ctrl+C to stop.');
  if (!process.env.CI && process.env.MODELSLAB_DEMO_NO_BROWSER === undefined) {
    spawn('xdg-open', [url], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
  }
  const stop = async () => {
    await vscode.stop();
    await server.close();
    rmSync(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
