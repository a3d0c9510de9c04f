import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Frame } from 'playwright-core';
import { repoRoot } from '../host/codeServer.mjs';
import { ChatPanel } from './chatPanel';
import { pollUntil } from './poll';
import { TEST_KEY, Workbench } from './workbench';

// Every other e2e suite loads the extension from this folder (extensionDevelopmentPath). This one
// checks what a user installs: `npm run package` builds the .vsix, code-server's own
// `--install-extension` installs it, and VS Code starts as a user runs it, with no extension
// under development. A file the VSIX leaves out (.vscodeignore) or a production-build
// difference shows up here and nowhere else.

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string; icon?: string };
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

/** Runs a command in the repository; rejects with its output if it fails. */
function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-4000)}`))));
  });
}

/**
 * `npm run package` into `out` (the script's own flags and .vscodeignore, as a release uses
 * them). Its production build overwrites dist/, so the development build is put back for the
 * suites that load the extension from source.
 */
async function packageVsix(out: string): Promise<void> {
  try {
    await run('npm', ['run', 'package', '--', '--out', out]);
  } finally {
    await run(process.execPath, ['esbuild.mjs']);
  }
  assert.ok(existsSync(out), `npm run package wrote no ${out}`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const png = readFileSync(path);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${path} is not a PNG`);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

interface LogEntry {
  file: string;
  level: string;
  text: string;
}

/** A VS Code log file as entries: a timestamped `[level]` line and the lines that follow it (a stack). */
function logEntries(file: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const head = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[(\w+)\]/.exec(line);
    if (head) entries.push({ file, level: head[1], text: line });
    else if (entries.length) entries[entries.length - 1].text += `\n${line}`;
  }
  return entries;
}

/**
 * The extension host's log (and the extension's own log channel) from the user-data dir's logs
 * folder, once the host has written the extension's activation to it: VS Code writes its log
 * files a moment after the fact.
 */
async function extensionHostLogs(workbench: Workbench, timeoutMs = 30_000): Promise<{ host: LogEntry[]; own: LogEntry[] }> {
  const logs = join(workbench.vscode.userDataDir, 'logs');
  const logFiles = () => (existsSync(logs) ? filesUnder(logs) : []);
  return pollUntil(
    () => {
      const files = logFiles();
      const host = files.filter((f) => /exthost\d*[/\\]remoteexthost\.log$/.test(f)).flatMap(logEntries);
      if (!host.some((e) => e.text.includes(`_doActivateExtension ${EXTENSION_ID}`))) return undefined;
      return { host, own: files.filter((f) => f.includes(`${EXTENSION_ID}`) && f.endsWith('.log')).flatMap(logEntries) };
    },
    () => `No extension host log recorded the activation of ${EXTENSION_ID} within ${timeoutMs / 1000} s. Log files: ${logFiles().map((f) => relative(logs, f)).join(', ') || 'none'}`,
    timeoutMs,
    250,
  );
}

describe('Installed VSIX (e2e): the package a user installs, in VS Code as a user runs it', () => {
  let vsixDir: string | undefined;
  let workbench: Workbench;
  let chat: ChatPanel | undefined;
  let installed: string;

  /** The chat panel; the first test opens it (which activates the extension). */
  async function panel(): Promise<ChatPanel> {
    if (!chat) {
      chat = new ChatPanel(await workbench.openChat());
      await chat.ready();
    }
    return chat;
  }

  before(async function () {
    // Packaging (production build + vsce) takes 5–20 s, then the workbench starts.
    this.timeout(240_000);
    vsixDir = mkdtempSync(join(tmpdir(), 'modelslab-vsix-'));
    const vsix = join(vsixDir, `${manifest.name}.vsix`);
    await packageVsix(vsix);
    workbench = await Workbench.open({ installVsix: [vsix], extensionDevelopmentPath: false, apiKey: TEST_KEY });
    installed = join(workbench.vscode.extensionsDir, `${EXTENSION_ID}-${manifest.version}`);
  });

  afterEach(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  after(async () => {
    await workbench?.close();
    if (vsixDir) rmSync(vsixDir, { recursive: true, force: true });
  });

  it('installs the shipped files only, and activates from the installed folder (status-bar model item)', async () => {
    assert.ok(existsSync(installed), `code-server installed no ${installed}`);
    const files = filesUnder(installed).map((f) => relative(installed, f).replace(/\\/g, '/'));
    for (const required of ['package.json', 'readme.md', 'changelog.md', 'dist/extension.js', 'dist/webview.js', 'dist/webview.css', 'dist/codicons/codicon.css', 'dist/codicons/codicon.ttf', 'media/activitybar.svg']) {
      assert.ok(files.includes(required), `the VSIX lacks ${required}; it has: ${files.join(', ')}`);
    }
    const stray = files.filter((f) => /^(src|test|webview-ui|node_modules|out|\.vscode-test)\/|\.map$|\.ts$/.test(f));
    assert.deepEqual(stray, [], 'sources, tests, source maps or dependencies in the VSIX');
    // No extension under development: the workbench was opened without a payload naming one.
    assert.ok(!workbench.page.url().includes('payload'), workbench.page.url());

    await panel();
    await workbench.page.locator('.statusbar-item [aria-label^="ModelsLab model "]').waitFor({ state: 'attached', timeout: 30_000 });
  });

  it('streams a chat answer from the local server, with the key from MODELSLAB_API_KEY', async () => {
    const chat = await panel();
    const answer = 'Sum it with **reduce**:\n\n```ts\nconst total = values.reduce((a, b) => a + b, 0);\n```\n\nThat is all.';
    workbench.server.enqueue({ text: answer, chunkSize: 3, tokensPerSecond: 150 });
    await chat.recordStates();
    await chat.send('How do I sum an array?');
    await chat.waitForAnswerEnd();

    const states = await chat.recordedStates();
    assert.ok(
      states.some((s) => s.stop && s.answerText.length > 0),
      `never saw part of the answer while Stop showed: ${JSON.stringify(states.slice(-3))}`,
    );
    const body = chat.lastAnswer().locator('.ml-msg-body');
    assert.equal(await body.locator('strong').innerText(), 'reduce');
    await body.locator('pre code [class^="hljs-"]').first().waitFor();
    assert.match(await chat.lastAnswerText(), /That is all\.$/);
    const request = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1);
    assert.equal(request?.headers.authorization, `Bearer ${TEST_KEY}`);
    assert.equal(request?.body.stream, true);
    await workbench.screenshot('installed-vsix');
  });

  it('Explain Selection from the command palette streams the explanation into the panel', async () => {
    const chat = await panel();
    await workbench.openFile('math.ts');
    await workbench.selectLines(1, 7);
    workbench.server.enqueue({ text: '`average` adds the values and **divides by their count**.', chunkSize: 4, tokensPerSecond: 60 });
    await chat.expectNewAnswer();
    await workbench.runCommand('ModelsLab: Explain Selection');

    await chat.frame.waitForFunction(() => document.querySelector('article.ml-msg-assistant:last-of-type')?.textContent?.includes('divides by their count'));
    await chat.waitForAnswerEnd();
    // The prompt, with the selection attached as a chip.
    assert.match(await chat.prompts.last().innerText(), /^Explain\b[\s\S]*math\.ts:1-7/);
    const prompt = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body.messages.at(-1).content as string;
    assert.ok(prompt.includes('total = total + values[i];'), prompt);
  });

  it('shows its own icon and the README as written on its page in the Extensions view', async () => {
    // The package: a 128×128 icon, and the README exactly as written (vsce rewrote no link into
    // an issue or image URL of a repository).
    assert.equal(manifest.icon, 'media/icon.png');
    assert.deepEqual(pngSize(join(installed, 'media', 'icon.png')), { width: 128, height: 128 });
    assert.ok(
      readFileSync(join(installed, 'readme.md'), 'utf8') === readFileSync(join(repoRoot, 'README.md'), 'utf8'),
      "vsce rewrote the README's links (into issue or image URLs of package.json's repository): the package script needs --no-rewrite-relative-links and --no-gitHubIssueLinking",
    );

    const { page } = workbench;
    await page.locator('.activitybar a.action-label[aria-label^="Extensions"]').click();
    await page.locator('.extensions-viewlet .suggest-input-container .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`@installed ${manifest.name}`);
    await page.locator('.extensions-viewlet .monaco-list-row').filter({ hasText: 'ModelsLab Coder' }).first().click();

    // The page's header shows the packaged icon, loaded (not the generic extension icon).
    const icon = page.locator('.extension-editor .header .icon-container img.icon');
    await icon.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.extension-editor .header .icon-container img.icon');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    assert.match((await icon.getAttribute('src')) ?? '', /media%2Ficon\.png|media\/icon\.png/);
    assert.deepEqual(await icon.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]), [128, 128]);

    // The README renders in a webview, with no link that README.md does not have.
    const source = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const title = /^# (.+)$/m.exec(source)?.[1].trim() ?? manifest.name;
    const readme = await readmeFrame(workbench, title);
    const links = await readme.evaluate(() => Array.from(document.querySelectorAll('a[href], img[src]'), (e) => e.getAttribute('href') ?? e.getAttribute('src') ?? ''));
    const invented = links.filter((href) => /^https?:/.test(href) && !source.includes(href));
    assert.deepEqual(invented, [], 'links on the page that README.md does not have (vsce rewrote issue numbers or relative links)');
    await workbench.screenshot('installed-vsix-extension-page');
  });

  it('leaves no error from the extension in the extension host log', async () => {
    const { host, own } = await extensionHostLogs(workbench);
    const failures = host.filter((e) => /Activating extension .*failed/i.test(e.text) && e.text.includes(EXTENSION_ID));
    assert.deepEqual(failures, [], 'activation failed');
    const hostErrors = host.filter((e) => e.level === 'error' && /modelslab/i.test(e.text));
    assert.deepEqual(hostErrors, [], 'errors from the extension in the extension host log');
    const ownErrors = own.filter((e) => e.level === 'error');
    assert.deepEqual(ownErrors, [], "errors in the extension's own log");
  });
});

/** The Extensions view's README webview: the frame whose document renders the README's title. */
async function readmeFrame(workbench: Workbench, title: string, timeoutMs = 30_000): Promise<Frame> {
  const rendersTitle = (frame: Frame) => frame.evaluate((text) => Array.from(document.querySelectorAll('h1'), (h) => h.textContent?.trim()).includes(text), title);
  return workbench.findFrame(rendersTitle, "The extension page's README did not appear.", timeoutMs);
}
