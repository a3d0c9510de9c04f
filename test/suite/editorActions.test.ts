import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeModelsLab } from '../fake-server/server';
import { connectToFakeServer, disconnect, extensionApi, restoreWorkspaceFile, waitFor, workspaceFile } from './harness';

const REWRITE = 'export function average(values: number[]): number {\n  return values.reduce((sum, v) => sum + v, 0) / values.length;\n}';
const AVERAGE_RANGE = new vscode.Range(0, 0, 6, 1);


async function openWithSelection(uri: vscode.Uri, range: vscode.Range): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  editor.selection = new vscode.Selection(range.start, range.end);
  return editor;
}

function lastCompletion(server: FakeModelsLab) {
  const requests = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
  assert.ok(requests.length > 0, 'no completion request reached the server');
  return requests[requests.length - 1];
}

function proposalDiffOpen(): boolean {
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'modelslab-proposal'),
  );
}

describe('Editor actions in the real host', () => {
  let server: FakeModelsLab;
  let original: string;
  before(async () => {
    server = await connectToFakeServer();
    original = (await vscode.workspace.openTextDocument(workspaceFile('math.ts'))).getText();
  });
  afterEach(() => restoreWorkspaceFile('math.ts', original, server));
  after(() => disconnect(server));

  it('refactor sends the selected code and language, shows a diff, and Accept applies exactly that range in one undo step', async () => {
    const api = await extensionApi();
    const uri = workspaceFile('math.ts');
    await openWithSelection(uri, AVERAGE_RANGE);
    server.enqueue({ text: `Here is a cleaner version:\n\n\`\`\`ts\n${REWRITE}\n\`\`\`\n\nIt uses reduce.` });
    const outcome = vscode.commands.executeCommand('modelslab.refactorSelection', uri, AVERAGE_RANGE, 'use reduce');
    await waitFor(() => api.proposals.pending && proposalDiffOpen(), 'the diff editor showing the proposal');

    const body = lastCompletion(server).body;
    const userPrompt = body.messages[body.messages.length - 1].content as string;
    assert.match(userPrompt, /language: typescript/);
    assert.match(userPrompt, /math\.ts/);
    assert.ok(userPrompt.includes('total = total + values[i];'), 'the selected code is in the prompt');
    assert.match(userPrompt, /use reduce/);

    await vscode.commands.executeCommand('modelslab.acceptProposal');
    assert.equal(await outcome, 'accepted');
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.getText(), REWRITE + original.slice(original.indexOf('\n\nexport function clamp')));
    assert.ok(!proposalDiffOpen(), 'the diff closes after Accept');

    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), original, 'a single undo restores the original');
  });

  it('a rewrite cut off at the token limit is refused, never proposed as a diff of half the selection', async () => {
    const api = await extensionApi();
    const uri = workspaceFile('math.ts');
    await openWithSelection(uri, AVERAGE_RANGE);
    const half = REWRITE.slice(0, REWRITE.length / 2);
    server.enqueue({ text: '```ts\n' + half, finishReason: 'length' });
    const outcome = await vscode.commands.executeCommand('modelslab.refactorSelection', uri, AVERAGE_RANGE, 'shorter');
    assert.equal(outcome, 'truncated');
    assert.equal(api.proposals.pending, false);
    assert.ok(!proposalDiffOpen(), 'no diff was opened');
    assert.equal((await vscode.workspace.openTextDocument(uri)).getText(), original);
    assert.equal(typeof lastCompletion(server).body.max_tokens, 'number', 'max_tokens is always sent');
  });

  it('Reject leaves the document unchanged', async () => {
    const api = await extensionApi();
    const uri = workspaceFile('math.ts');
    await openWithSelection(uri, AVERAGE_RANGE);
    server.enqueue({ text: '```ts\n' + REWRITE + '\n```' });
    const outcome = vscode.commands.executeCommand('modelslab.refactorSelection', uri, AVERAGE_RANGE, '');
    await waitFor(() => api.proposals.pending, 'the proposal');
    const body = lastCompletion(server).body;
    assert.match(body.messages[body.messages.length - 1].content, /Improve readability; keep the behaviour/);
    await vscode.commands.executeCommand('modelslab.rejectProposal');
    assert.equal(await outcome, 'rejected');
    assert.equal((await vscode.workspace.openTextDocument(uri)).getText(), original);
  });

  it('refuses to apply after a concurrent edit, and says so', async () => {
    const api = await extensionApi();
    const uri = workspaceFile('math.ts');
    const { document } = await openWithSelection(uri, AVERAGE_RANGE);
    server.enqueue({ text: '```ts\n' + REWRITE + '\n```' });
    const outcome = vscode.commands.executeCommand('modelslab.refactorSelection', uri, AVERAGE_RANGE, 'x');
    await waitFor(() => api.proposals.pending, 'the proposal');
    const concurrent = new vscode.WorkspaceEdit();
    concurrent.insert(uri, new vscode.Position(0, 0), '// edited meanwhile\n');
    assert.ok(await vscode.workspace.applyEdit(concurrent));
    await vscode.commands.executeCommand('modelslab.acceptProposal');
    assert.equal(await outcome, 'stale');
    assert.equal(document.getText(), `// edited meanwhile\n${original}`);
  });

  it('fix puts the diagnostics of the selection into the prompt; document asks for doc comments', async () => {
    const api = await extensionApi();
    const uri = workspaceFile('math.ts');
    const diagnostics = vscode.languages.createDiagnosticCollection('modelslab-test');
    diagnostics.set(uri, [new vscode.Diagnostic(new vscode.Range(5, 9, 5, 14), 'Division by zero when values is empty', vscode.DiagnosticSeverity.Warning)]);
    try {
      await openWithSelection(uri, AVERAGE_RANGE);
      server.enqueue({ text: '```ts\n' + REWRITE + '\n```' });
      const fixing = vscode.commands.executeCommand('modelslab.fixSelection', uri, AVERAGE_RANGE);
      await waitFor(() => api.proposals.pending, 'the fix proposal');
      const fixPrompt = lastCompletion(server).body.messages.at(-1).content as string;
      assert.match(fixPrompt, /line 6 warning: Division by zero when values is empty/);
      await vscode.commands.executeCommand('modelslab.rejectProposal');
      assert.equal(await fixing, 'rejected');

      server.enqueue({ text: '```ts\n/** Averages the values. */\n' + REWRITE + '\n```' });
      const documenting = vscode.commands.executeCommand('modelslab.documentSelection', uri, AVERAGE_RANGE);
      await waitFor(() => api.proposals.pending, 'the document proposal');
      assert.match(lastCompletion(server).body.messages.at(-1).content, /documentation comments .* JSDoc\/TSDoc/);
      await vscode.commands.executeCommand('modelslab.acceptProposal');
      assert.equal(await documenting, 'accepted');
      assert.ok((await vscode.workspace.openTextDocument(uri)).getText().startsWith('/** Averages the values. */\nexport function average'));
    } finally {
      diagnostics.dispose();
    }
  });

  it('stop cancels a rewrite: the request is aborted and nothing changes', async () => {
    const uri = workspaceFile('math.ts');
    await openWithSelection(uri, AVERAGE_RANGE);
    // A few pieces, then the server holds the connection open: the rewrite cannot finish before Stop.
    server.enqueue({ text: 'x'.repeat(5000), stallAfterChunks: 5 });
    const outcome = vscode.commands.executeCommand('modelslab.refactorSelection', uri, AVERAGE_RANGE, 'slow');
    // The operation is registered before its request is sent, so once the server has the request there is something to stop.
    const [request] = await server.waitForRequests(1);
    assert.equal(await vscode.commands.executeCommand('modelslab.stop'), true);
    assert.equal(await outcome, 'cancelled');
    await request.closed;
    assert.equal(request.closedByClient, true, 'the server saw the socket close');
    assert.equal((await vscode.workspace.openTextDocument(uri)).getText(), original);
  });

  it('works on an untitled, unsaved document', async () => {
    const api = await extensionApi();
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: 'def f(x):\n    return x*2\n' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 1, 14);
    server.enqueue({ text: '```python\ndef f(x):\n    return x * 2\n```' });
    const outcome = vscode.commands.executeCommand('modelslab.refactorSelection', undefined, undefined, 'pep8');
    await waitFor(() => api.proposals.pending, 'the proposal');
    assert.match(lastCompletion(server).body.messages.at(-1).content, /language: python/);
    await vscode.commands.executeCommand('modelslab.acceptProposal');
    assert.equal(await outcome, 'accepted');
    assert.equal(document.getText(), 'def f(x):\n    return x * 2\n');
  });

  it('a whitespace-only selection is refused without a request', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'const a = 1;\n\n   \n' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 0, 2, 3);
    const outcome = await vscode.commands.executeCommand('modelslab.refactorSelection', undefined, undefined, 'x');
    assert.equal(outcome, undefined);
    assert.equal(server.requests.length, 0);
  });

  it('a selection too big to rewrite is refused with its size', async () => {
    const big = 'const x = 1;\n'.repeat(4000);
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: big });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 4000, 0);
    const outcome = await vscode.commands.executeCommand('modelslab.refactorSelection', undefined, undefined, 'x');
    assert.equal(outcome, undefined);
    assert.equal(server.requests.length, 0);
  });

  it('with several cursors, uses the primary selection', async () => {
    const api = await extensionApi();
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'const first = 1;\nconst second = 2;\n' });
    const editor = await vscode.window.showTextDocument(document);
    // The command reads the active editor; make sure it is this one before setting the cursors.
    await waitFor(() => vscode.window.activeTextEditor?.document === document, 'the multi-cursor editor to become active');
    editor.selections = [new vscode.Selection(1, 0, 1, 17), new vscode.Selection(0, 0, 0, 16)];
    await waitFor(() => vscode.window.activeTextEditor?.document === document && vscode.window.activeTextEditor.selections.length === 2, 'the two cursors in the active editor');
    server.enqueue({ text: '```ts\nconst second = 3;\n```' });
    const outcome = vscode.commands.executeCommand('modelslab.refactorSelection', undefined, undefined, 'x');
    await waitFor(() => api.proposals.pending, 'the proposal');
    const prompt = lastCompletion(server).body.messages.at(-1).content as string;
    assert.match(prompt, /The selected code:\n```typescript\nconst second = 2;\n```/);
    await vscode.commands.executeCommand('modelslab.acceptProposal');
    assert.equal(await outcome, 'accepted');
    assert.equal(document.getText(), 'const first = 1;\nconst second = 3;\n');
  });

  it('generate tests opens them in a new untitled editor, in the workspace’s framework', async () => {
    const uri = workspaceFile('math.ts');
    await openWithSelection(uri, AVERAGE_RANGE);
    const tests = "import { average } from './math';\ndescribe('average', () => { it('works', () => {}); });";
    server.enqueue({ text: '```ts\n' + tests + '\n```' });
    const document = (await vscode.commands.executeCommand('modelslab.generateTests', uri, AVERAGE_RANGE)) as vscode.TextDocument;
    assert.ok(document?.isUntitled);
    assert.equal(document.getText(), `${tests}\n`);
    assert.equal(document.languageId, 'typescript');
    assert.match(lastCompletion(server).body.messages.at(-1).content, /using Mocha, the test framework this workspace already uses/);
  });

  it('explain streams the explanation into the chat panel, with the code and language in the prompt', async () => {
    const api = await extensionApi();
    const uri = workspaceFile('math.ts');
    await openWithSelection(uri, AVERAGE_RANGE);
    server.enqueue({ text: 'It **averages** the numbers.' });
    await vscode.commands.executeCommand('modelslab.explainSelection');
    const conversation = await api.session.current();
    const [question, answer] = conversation.messages.slice(-2);
    assert.equal(question.text, 'Explain this code');
    assert.deepEqual(question.contextLabels, ['math.ts:1-7']);
    assert.equal(answer.text, 'It **averages** the numbers.');
    assert.equal(answer.status, 'done');
    const prompt = lastCompletion(server).body.messages.at(-1).content as string;
    assert.match(prompt, /language: typescript/);
    assert.ok(prompt.includes('total = total + values[i];'));
  });

  it('ask and ask-about-selection send the question to the chat', async () => {
    const api = await extensionApi();
    server.enqueue({ text: 'Use a Map.' }, { text: 'It clamps.' });
    await vscode.commands.executeCommand('modelslab.ask', 'How do I count words?');
    assert.equal((await api.session.current()).messages.at(-1)?.text, 'Use a Map.');
    await openWithSelection(workspaceFile('math.ts'), new vscode.Range(8, 0, 12, 1));
    await vscode.commands.executeCommand('modelslab.askAboutSelection', 'What does clamp return for NaN?');
    const prompt = lastCompletion(server).body.messages.at(-1).content as string;
    assert.ok(prompt.includes('export function clamp'));
    assert.match(prompt, /What does clamp return for NaN\?$/);
  });
});
