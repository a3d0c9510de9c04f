// Project rules in the real host: the extension's own ProjectRules finding rule files that the
// tests write into the workspace at run time (the fixture folder is never edited), the watchers
// following edits and deletions, the per-file switch, and the rules in a real chat request.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeModelsLab, RecordedRequest } from '../fake-server/server';
import type { ProjectRules } from '../../src/rules/projectRules';
import type { ModelsLabTestApi } from '../../src/extension';
import { closeAllEditorsDiscardingUntitled, connectToFakeServer, disconnect, extensionApi, setSetting, waitFor, workspaceFile } from './harness';

const AGENTS = 'AGENTS.md';
const TS = '.modelslab/rules/ts.md';
const BAD = '.modelslab/rules/bad.md';
const LONG = '.modelslab/rules/long.md';
const COPILOT = '.github/copilot-instructions.md';

const AGENTS_TEXT = '# Agents\nRun the tests before you say a change is done (PINEAPPLE-7).\n';
const TS_TEXT = '---\napplyTo: "**/*.ts"\ndescription: TypeScript style\n---\nNo `any` in TypeScript (MANGO-3).\n';
const BAD_TEXT = '---\napplyTo: "**/*.ts"\nthis line is not a field\n---\nA malformed rule (KIWI-9).\n';
const BAD_PROBLEM = 'malformed front matter (line 3 is not "key: value"): used as plain text';

/** The extension's ProjectRules, from its test API (`rules`). */
async function projectRules(): Promise<ProjectRules> {
  const api: ModelsLabTestApi & { rules?: ProjectRules } = await extensionApi();
  assert.ok(api.rules, 'the test API hands out the extension\'s ProjectRules as `rules`');
  return api.rules;
}

async function write(name: string, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(workspaceFile(name), new TextEncoder().encode(text));
}

async function remove(name: string): Promise<void> {
  await vscode.workspace.fs.delete(workspaceFile(name), { recursive: true }).then(undefined, () => undefined);
}

/** The listed paths, once the watchers have caught up with the disk. */
async function waitForPaths(rules: ProjectRules, paths: string[]): Promise<void> {
  const expected = JSON.stringify(paths);
  await waitFor(async () => JSON.stringify((await rules.views([])).map((v) => v.path)) === expected, `the rule files ${expected}`);
}

describe('Project rules in the real host', () => {
  let rules: ProjectRules;
  const reports: string[] = [];
  let subscription: vscode.Disposable | undefined;

  before(async () => {
    rules = await projectRules();
    subscription = rules.onDidReport((message) => reports.push(message));
    await vscode.workspace.fs.createDirectory(workspaceFile('.modelslab/rules'));
    await write(AGENTS, AGENTS_TEXT);
    await write(TS, TS_TEXT);
    await write(BAD, BAD_TEXT);
  });
  afterEach(async () => {
    await setSetting('rules.includeOtherTools', undefined);
    await closeAllEditorsDiscardingUntitled();
  });
  after(async () => {
    subscription?.dispose();
    await rules.setEnabled(TS, true);
    for (const name of [AGENTS, '.modelslab', '.github']) await remove(name);
    await waitForPaths(rules, []);
  });

  it('finds AGENTS.md and .modelslab/rules/*.md, and reports the malformed one once', async () => {
    await waitForPaths(rules, [AGENTS, BAD, TS]);
    await waitFor(() => reports.some((m) => m.startsWith(BAD)), 'the malformed file to be reported');
    assert.deepEqual(reports.filter((m) => m.startsWith(BAD)), [`${BAD}: ${BAD_PROBLEM}`]);

    // The same text written again, then another change that we can wait for: still one report.
    await write(BAD, BAD_TEXT);
    await write(AGENTS, `${AGENTS_TEXT}Second line (PAPAYA-2).\n`);
    await waitFor(async () => (await rules.instructionsFor([])).text.includes('PAPAYA-2'), 'the AGENTS.md edit');
    await rules.views([]);
    assert.equal(reports.filter((m) => m.startsWith(BAD)).length, 1, 'one report per version of the file');

    // A new version of the malformed file is reported again.
    await write(BAD, `${BAD_TEXT}More.\n`);
    // Reported when the rules are next read (a prompt asks for them), whether or not a watcher saw it.
    await waitFor(async () => {
      await rules.views([]);
      return reports.filter((m) => m.startsWith(BAD)).length === 2;
    }, 'the new version to be reported');
    await write(BAD, BAD_TEXT);
    await write(AGENTS, AGENTS_TEXT);
    await waitFor(async () => !(await rules.instructionsFor([])).text.includes('PAPAYA-2'), 'AGENTS.md back as it was');
  });

  it('views(): the .ts rule applies to a .ts file, not to a .py one; the malformed one always (as plain text)', async () => {
    await waitForPaths(rules, [AGENTS, BAD, TS]);
    const editor = await vscode.window.showTextDocument(workspaceFile('math.ts'));
    assert.deepEqual(await rules.views([editor.document.uri]), [
      { path: AGENTS, enabled: true, applies: true },
      { path: BAD, enabled: true, applies: true, problem: BAD_PROBLEM },
      { path: TS, enabled: true, applies: true, applyTo: '**/*.ts' },
    ]);
    // Workspace-relative paths and absolute ones work too.
    assert.equal((await rules.views(['greet.py'])).find((v) => v.path === TS)?.applies, false);
    assert.equal((await rules.views([workspaceFile('greet.py').fsPath])).find((v) => v.path === TS)?.applies, false);
    assert.equal((await rules.views([]))[2]?.applies, false, 'no file: only the rules without applyTo');
  });

  it('a rule switched off is listed as off, left out of the prompt, and stays off when its file changes', async () => {
    await waitForPaths(rules, [AGENTS, BAD, TS]);
    await rules.setEnabled(TS, true);
    const changed = new Promise<void>((resolve) => {
      const once = rules.onDidChange(() => {
        once.dispose();
        resolve();
      });
    });
    await rules.setEnabled(TS, false);
    await changed;
    const tsView = async () => (await rules.views(['math.ts'])).find((v) => v.path === TS);
    assert.deepEqual(await tsView(), { path: TS, enabled: false, applies: false, applyTo: '**/*.ts' });
    assert.doesNotMatch((await rules.instructionsFor(['math.ts'])).text, /MANGO-3/);

    // The switch belongs to the path, not to a version of the text.
    await write(TS, TS_TEXT.replace('"**/*.ts"', '"**/*.{ts,tsx}"'));
    await waitFor(async () => (await tsView())?.applyTo === '**/*.{ts,tsx}', 'the edit to ts.md');
    assert.deepEqual(await tsView(), { path: TS, enabled: false, applies: false, applyTo: '**/*.{ts,tsx}' });

    await rules.setEnabled(TS, true);
    assert.deepEqual(await tsView(), { path: TS, enabled: true, applies: true, applyTo: '**/*.{ts,tsx}' });
    assert.match((await rules.instructionsFor(['math.ts'])).text, /MANGO-3/);
    await write(TS, TS_TEXT);
    await waitFor(async () => (await tsView())?.applyTo === '**/*.ts', 'ts.md back as it was');
  });

  it('instructionsFor(): the section with the right bodies, and the cut when over the budget', async () => {
    await waitForPaths(rules, [AGENTS, BAD, TS]);
    const forTs = (await rules.instructionsFor(['math.ts'])).text;
    assert.ok(forTs.startsWith('Project rules (from the workspace; follow them unless the user says otherwise)'), forTs);
    const order = ['## AGENTS.md', 'PINEAPPLE-7', `## ${BAD}`, 'this line is not a field', 'KIWI-9', `## ${TS} (for files matching **/*.ts)`, 'MANGO-3'].map((s) => forTs.indexOf(s));
    assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])), `in order: ${JSON.stringify(order)}\n${forTs}`);
    const forPy = await rules.instructionsFor(['greet.py']);
    assert.ok(forPy.text.includes('PINEAPPLE-7') && forPy.text.includes('KIWI-9'));
    assert.doesNotMatch(forPy.text, /MANGO-3/);
    assert.equal(forPy.cut, undefined);

    await write(LONG, Array.from({ length: 300 }, (_, i) => `- rule ${i}: keep functions short and named for what they do`).join('\n'));
    await waitForPaths(rules, [AGENTS, BAD, LONG, TS]);
    const cut = await rules.instructionsFor(['math.ts'], 2000);
    assert.ok(cut.text.length <= 2000, `${cut.text.length} characters`);
    assert.ok(cut.text.includes('PINEAPPLE-7') && cut.text.includes('- rule 0:'), 'the files before the cut, and the start of the long one');
    assert.doesNotMatch(cut.text, /- rule 299:|MANGO-3/);
    assert.match(cut.cut ?? '', /^…the rest of \.modelslab\/rules\/long\.md \(\d+(\.\d)? KB\) and all of \.modelslab\/rules\/ts\.md \(\d+ characters\) were left out to fit the budget$/);
    await remove(LONG);
    await waitForPaths(rules, [AGENTS, BAD, TS]);
  });

  it('.github/copilot-instructions.md counts while modelslab.rules.includeOtherTools is on', async () => {
    await write(COPILOT, 'Copilot rule (LIME-1).');
    await waitForPaths(rules, [AGENTS, COPILOT, BAD, TS]);
    await setSetting('rules.includeOtherTools', false);
    await waitForPaths(rules, [AGENTS, BAD, TS]);
    await setSetting('rules.includeOtherTools', true);
    await waitForPaths(rules, [AGENTS, COPILOT, BAD, TS]);
    await remove('.github');
    await waitForPaths(rules, [AGENTS, BAD, TS]);
  });

  it('open() shows the file in an editor', async () => {
    await rules.open(TS);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.path.endsWith(`/${TS}`), 'ts.md in the active editor');
  });

  it('deleting the rules folder takes its files away', async () => {
    await remove('.modelslab');
    await waitForPaths(rules, [AGENTS]);
    await vscode.workspace.fs.createDirectory(workspaceFile('.modelslab/rules'));
    await write(TS, TS_TEXT);
    await write(BAD, BAD_TEXT);
    await waitForPaths(rules, [AGENTS, BAD, TS]);
  });
});

/** The system prompt as the server saw it, over either protocol. */
function systemText(request: RecordedRequest): string {
  const text = (content: unknown): string =>
    typeof content === 'string' ? content : Array.isArray(content) ? content.map((part: { text?: string }) => part.text ?? '').join('') : '';
  if (request.body.system !== undefined) return text(request.body.system);
  return request.body.messages.filter((m: { role: string }) => m.role === 'system').map((m: { content: unknown }) => text(m.content)).join('\n');
}

describe('Project rules in the real host: the chat request carries the rules', () => {
  const OFF = '.modelslab/rules/off.md';
  let server: FakeModelsLab;
  let rules: ProjectRules;

  before(async () => {
    server = await connectToFakeServer();
    rules = await projectRules();
    await vscode.workspace.fs.createDirectory(workspaceFile('.modelslab/rules'));
    await write(AGENTS, AGENTS_TEXT);
    await write(OFF, 'A rule the user switched off (GUAVA-5).\n');
    await waitForPaths(rules, [AGENTS, OFF]);
    await rules.setEnabled(OFF, false);
  });
  after(async () => {
    await rules.setEnabled(OFF, true);
    for (const name of [AGENTS, '.modelslab']) await remove(name);
    await waitForPaths(rules, []);
    await disconnect(server);
  });

  it('the system message holds AGENTS.md and not the switched-off file', async () => {
    const api = await extensionApi();
    await closeAllEditorsDiscardingUntitled();
    server.setDefault({ text: 'Noted.' });
    await api.session.newChat();
    await api.session.send('rules-chat-1', 'What are the rules here?', { labels: [] });
    const chat = server.requests.find((r) => r.path.endsWith('/chat/completions') || r.path.endsWith('/v1/messages'));
    assert.ok(chat, 'the chat request reached the server');
    const system = systemText(chat);
    assert.ok(system.includes('Project rules (from the workspace; follow them unless the user says otherwise)'), system);
    assert.ok(system.includes('## AGENTS.md') && system.includes('PINEAPPLE-7'), system);
    assert.ok(!system.includes('GUAVA-5') && !system.includes(OFF), 'the switched-off file stays out');
  });
});
