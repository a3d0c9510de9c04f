// Starts the real VS Code (code-server bundles the workbench and extension host) with this
// extension under development, and a Chromium that opens its workbench. Shared by the
// integration runner, the e2e tests and the demo.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, rmSync, readFileSync, cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cache = join(repoRoot, '.vscode-test');
const node24 = join(cache, 'node24', 'bin', 'node');
const entry = join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Servers still running; they are in their own process groups, so they are stopped on exit. */
const running = new Set();
process.on('exit', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** Installs code-server and Node 24 into .vscode-test/ on first use. */
export function ensureCodeServer() {
  const result = spawnSync('bash', [join(repoRoot, 'test/host/ensure-code-server.sh')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('Could not install code-server into .vscode-test/ (see the output above).');
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is missing at ${chromiumPath}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
}

export function freePort() {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => res(port));
    });
  });
}

/** Settings that keep the workbench quiet and predictable for tests and the demo. */
export const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'window.restoreWindows': 'none',
  'editor.minimap.enabled': false,
  // Ghost text would ask the local server for a suggestion on every pause in typing, taking the
  // replies other tests scripted; its own suites turn it on.
  'modelslab.completions.enabled': false,
};

/**
 * @param {{ workspace?: string, settings?: object, env?: object, testsPath?: string, userDataDir?: string, label?: string, installExtensions?: string[], installVsix?: string[], extensionDevelopmentPath?: string | false }} options
 * installExtensions: absolute folders of further extensions (e.g. a test fixture), copied into
 * the extensions dir before start: VS Code runs them as ordinary installed extensions.
 * installVsix: .vsix files installed into the extensions dir before start by code-server's own
 * `--install-extension` CLI, as a user installs a VSIX.
 * extensionDevelopmentPath: the extension under development (default: this repository);
 * false starts VS Code as a user runs it, with installed extensions only.
 */
export async function startCodeServer(options = {}) {
  ensureCodeServer();
  const port = await freePort();
  const home = options.userDataDir ? dirname(options.userDataDir) : mkdtempSync(join(tmpdir(), 'modelslab-vscode-'));
  const userDataDir = options.userDataDir ?? join(home, 'user-data');
  const extensionsDir = join(home, 'extensions');
  const workspace = options.workspace ?? join(home, 'workspace');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(workspace, { recursive: true });
  for (const source of options.installExtensions ?? []) {
    // A second extensionDevelopmentPath is no way to add one: the web workbench reads its
    // payload into a Map, so only the last extensionDevelopmentPath entry survives. An extension
    // folder named <publisher>.<name>-<version> in the extensions dir is picked up at start
    // (the server writes extensions.json for it).
    const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
    cpSync(source, join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), { recursive: true });
  }
  for (const vsix of options.installVsix ?? []) installVsix(vsix, extensionsDir, userDataDir);
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...(options.settings ?? {}) }, null, 2));

  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const developmentPath = options.extensionDevelopmentPath ?? repoRoot;
  if (developmentPath) args.push('--vscode-option', `extensionDevelopmentPath=${developmentPath}`);
  if (options.testsPath) args.push('--vscode-option', `extensionTestsPath=${options.testsPath}`);
  args.push(workspace);

  const child = spawn(node24, args, {
    cwd: home,
    env: { ...process.env, ...(options.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it also stops the extension host it spawned.
    detached: true,
  });
  running.add(child.pid);
  child.once('exit', () => running.delete(child.pid));
  let output = '';
  const collect = (chunk) => {
    output += chunk.toString();
    if (process.env.MODELSLAB_DEBUG_HOST) process.stderr.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`code-server did not start within 60 s:\n${output.slice(-3000)}`)), 60_000);
    const check = () => {
      if (output.includes('HTTP server listening')) {
        clearTimeout(timer);
        res();
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`code-server exited with ${code} before it listened:\n${output.slice(-3000)}`));
    });
  });

  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    base,
    home,
    userDataDir,
    extensionsDir,
    workspace,
    get output() {
      return output;
    },
    /** The workbench URL; extensionTestsPath in the payload makes the host run the suite. */
    workbenchUrl(folder = workspace, testsPath = options.testsPath) {
      const payload = [];
      if (developmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${developmentPath}`]);
      if (testsPath) payload.push(['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${testsPath}`]);
      const query = payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '';
      return `${base}/?folder=${encodeURIComponent(folder)}${query}`;
    },
    async stop({ keepFiles = false } = {}) {
      const killGroup = (signal) => {
        try {
          process.kill(-child.pid, signal);
        } catch {
          child.kill(signal);
        }
      };
      if (child.exitCode === null) {
        killGroup('SIGTERM');
        await new Promise((res) => {
          const timer = setTimeout(() => {
            killGroup('SIGKILL');
            res();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            res();
          });
        });
      }
      // Best effort: a helper process may still be writing for a moment after the stop.
      if (!keepFiles && !options.userDataDir) rmSync(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

/**
 * Installs a .vsix with code-server's own CLI, the way `code --install-extension` does: it
 * unpacks the package into the extensions dir and records it in extensions.json.
 */
function installVsix(vsix, extensionsDir, userDataDir) {
  const result = spawnSync(node24, [entry, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${result.status ?? result.signal ?? result.error?.message}):\n${output.slice(-3000)}`);
  }
}

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchChromium({ headless = true } = {}) {
  const { chromium } = await import('playwright-core');
  // Playwright hides scrollbars in headless mode; a user's VS Code draws them, and so must the
  // screenshots (and the test that a long code line shows its scrollbar).
  return chromium.launch({ executablePath: chromiumPath, headless, args: chromiumArgs, ignoreDefaultArgs: ['--hide-scrollbars'] });
}
