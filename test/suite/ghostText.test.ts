import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeModelsLab } from '../fake-server/server';
import { closeAllEditorsDiscardingUntitled, connectToFakeServer, disconnect, extensionApi, setSetting, waitFor, workspaceFile } from './harness';

const completions = (server: FakeModelsLab) => server.requests.filter((r) => r.path.endsWith('/chat/completions'));

/** Types like a person: one `type` command per character, as the keyboard sends them. */
async function typeText(text: string): Promise<void> {
  for (const ch of text) await vscode.commands.executeCommand('type', { text: ch });
}

/** A fresh file in the workspace, open, with the cursor at its end. */
async function openNew(name: string, content: string): Promise<vscode.TextEditor> {
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(content));
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  const end = editor.document.positionAt(content.length);
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

describe('Ghost text in the real host', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await connectToFakeServer();
    await setSetting('completions.enabled', true);
    // Long enough that a busy host's gaps between typed keys never look like a pause.
    await setSetting('completions.debounceMs', 400);
    await setSetting('completions.model', 'Qwen-Qwen2.5-Coder-32B-Instruct');
  });
  afterEach(async () => {
    await closeAllEditorsDiscardingUntitled();
    await vscode.commands.executeCommand('modelslab.completions.menu', 'resume');
    await setSetting('completions.languages', undefined);
    const api = await extensionApi();
    api.ghostText.engine.cache.clear();
    api.ghostText.engine.resetStats();
    server.reset();
  });
  after(async () => {
    for (const key of ['completions.enabled', 'completions.debounceMs', 'completions.model']) await setSetting(key, undefined);
    for (const name of ['ghost1.ts', 'ghost2.ts', 'ghost3.ts', 'ghost4.ts', '.env.local']) await vscode.workspace.fs.delete(workspaceFile(name)).then(undefined, () => undefined);
    await disconnect(server);
  });

  it('typing sends one request after the pause, shows what post-processing made of the reply, and Tab inserts it', async () => {
    const api = await extensionApi();
    // The model repeats the line and wraps the rest in a fence, as chat models do.
    server.setDefault({ text: '```ts\nexport const answer = 40 + 2;\n```' });
    const editor = await openNew('ghost1.ts', 'export function half(n: number): number {\n  return n / 2;\n}\n\n');
    await typeText('export const answer');
    await waitFor(() => api.ghostText.engine.stats.requests >= 1 && completions(server).length >= 1, 'a suggestion request');
    await waitFor(() => api.ghostText.provider.lastSuggestion, 'the suggestion');
    assert.equal(completions(server).length, 1, 'one request for the whole word, not one per keystroke');
    assert.equal(api.ghostText.provider.lastSuggestion, ' = 40 + 2;');
    const request = completions(server)[0].body;
    assert.ok(request.max_tokens <= 256, `a small token limit (${request.max_tokens})`);
    assert.ok(Array.isArray(request.stop) && request.stop.length > 0, 'stop sequences');
    assert.match(JSON.stringify(request.messages), /export const answer/);
    // The ghost text may not be on screen yet when the provider has answered: show it (from the
    // cache, no request), then accept it as Tab does, until the text is in.
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.getText().includes('export const answer = 40 + 2;');
    }, 'Tab to insert the suggestion');
    assert.equal(completions(server).length, 1, 'showing it again came from the cache');
  });

  it('typing through the suggestion sends no new request', async () => {
    const api = await extensionApi();
    server.setDefault({ text: ' = items.filter((item) => item.done);' });
    await openNew('ghost2.ts', 'const items = [{ done: true }];\n');
    await typeText('const finished');
    await waitFor(() => api.ghostText.provider.lastSuggestion === ' = items.filter((item) => item.done);', 'the suggestion');
    const before = completions(server).length;
    await typeText(' = items');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await waitFor(() => api.ghostText.provider.lastSuggestion === '.filter((item) => item.done);', 'the rest of the suggestion from the cache');
    assert.equal(completions(server).length, before, 'served from the cache');
    assert.ok(api.ghostText.engine.stats.cacheHits >= 1);
  });

  it('a keystroke during a slow reply aborts it, and the server sees the connection close', async () => {
    const api = await extensionApi();
    server.enqueue({ text: 'never finishes', stallAfterChunks: 1 });
    server.setDefault({ text: '(1, 2);' });
    await openNew('ghost3.ts', 'function add(a: number, b: number) { return a + b; }\n');
    await typeText('add');
    const [slow] = await server.waitForRequests(1, 15_000);
    await typeText('(');
    await slow.closed;
    assert.equal(slow.closedByClient, true, 'the older request was aborted');
    await waitFor(() => api.ghostText.engine.stats.aborted >= 1, 'the abort to be counted');
  });

  it('a snooze and the per-language setting stop the requests', async () => {
    const api = await extensionApi();
    server.setDefault({ text: ' = 1;' });
    await vscode.commands.executeCommand('modelslab.completions.menu', 'snooze5');
    await openNew('ghost4.ts', '');
    await typeText('let a');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await waitFor(() => api.ghostText.provider.lastBlocked === 'snoozed', 'the snooze to be honoured');
    await vscode.commands.executeCommand('modelslab.completions.menu', 'resume');
    await setSetting('completions.languages', { '*': true, typescript: false });
    await typeText(' = ');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await waitFor(() => /off for typescript/.test(api.ghostText.provider.lastBlocked ?? ''), 'the language switch');
    assert.equal(completions(server).length, 0, 'nothing was sent');
  });

  it('a file that may hold secrets sends nothing', async () => {
    const api = await extensionApi();
    server.setDefault({ text: 'sk-live-1234' });
    await openNew('.env.local', 'DATABASE_URL=postgres://localhost/db\n');
    await typeText('API_KEY=');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await waitFor(() => api.ghostText.provider.lastBlocked === 'a file that may hold secrets', 'the secret-file check');
    assert.equal(completions(server).length, 0);
  });
});
