// @modelslab's handler in the real host, called as VS Code's chat calls it: a request, the
// history, a response stream and a token. The stream records what the participant shows.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeModelsLab, RecordedRequest } from '../fake-server/server';
import { connectToFakeServer, disconnect, extensionApi, restoreWorkspaceFile, SUITE_KEY, waitFor, workspaceFile } from './harness';

interface Shown {
  markdown: string;
  buttons: vscode.Command[];
  references: unknown[];
  progress: string[];
}

/** A ChatResponseStream that keeps what the participant shows; the parts it does not use throw. */
function recordingStream(): { stream: vscode.ChatResponseStream; shown: Shown } {
  const shown: Shown = { markdown: '', buttons: [], references: [], progress: [] };
  const unused = () => {
    throw new Error('the participant used a response part this test does not expect');
  };
  const stream = {
    markdown: (value: string | vscode.MarkdownString) => void (shown.markdown += typeof value === 'string' ? value : value.value),
    button: (command: vscode.Command) => void shown.buttons.push(command),
    reference: (value: unknown) => void shown.references.push(value),
    progress: (value: string) => void shown.progress.push(value),
    anchor: unused,
    filetree: unused,
    push: unused,
  } as unknown as vscode.ChatResponseStream;
  return { stream, shown };
}

function chatRequest(prompt: string, command: string | undefined, references: vscode.ChatPromptReference[] = []): vscode.ChatRequest {
  return { prompt, command, references, toolReferences: [], toolInvocationToken: undefined as never, model: undefined as never } as unknown as vscode.ChatRequest;
}

const NO_HISTORY = { history: [] } as unknown as vscode.ChatContext;


function lastChat(server: FakeModelsLab): RecordedRequest {
  const chats = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
  assert.ok(chats.length > 0, 'no chat request reached the server');
  return chats[chats.length - 1];
}

function userText(request: RecordedRequest): string {
  return request.body.messages.filter((m: { role: string }) => m.role === 'user').map((m: { content: string }) => m.content).join('\n');
}

const CLAMP = new vscode.Range(8, 0, 12, 1);
const FIXED_CLAMP = 'export function clamp(value: number, min: number, max: number): number {\n  return Math.min(max, Math.max(min, value));\n}';

describe('@modelslab, the chat participant, in the real host', () => {
  let server: FakeModelsLab;
  let original: string;
  let ask: (request: vscode.ChatRequest, context?: vscode.ChatContext) => Promise<{ result: vscode.ChatResult; shown: Shown }>;

  before(async () => {
    server = await connectToFakeServer();
    const api = await extensionApi();
    original = (await vscode.workspace.openTextDocument(workspaceFile('math.ts'))).getText();
    ask = async (request, context = NO_HISTORY) => {
      const { stream, shown } = recordingStream();
      const result = (await api.chatParticipant(request, context, stream, new vscode.CancellationTokenSource().token)) as vscode.ChatResult;
      return { result, shown };
    };
  });
  afterEach(() => restoreWorkspaceFile('math.ts', original, server));
  after(() => disconnect(server));

  it('/explain explains the selection with the editor action prompt, streaming the answer into the response', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('math.ts')));
    editor.selection = new vscode.Selection(CLAMP.start, CLAMP.end);
    server.enqueue({ text: 'clamp keeps a value between min and max.' });
    const { result, shown } = await ask(chatRequest('', 'explain'));
    assert.equal(shown.markdown, 'clamp keeps a value between min and max.');
    const sent = userText(lastChat(server));
    assert.match(sent, /Explain what this code does/);
    assert.match(sent, /math\.ts \(language: typescript\), lines 9-13/);
    assert.match(sent, /if \(value < min\) return min;/);
    assert.equal((result.metadata as { target?: string }).target, 'math.ts:9-13');
    assert.equal(shown.references.length, 1, 'the response cites the code it explained');
  });

  it('/fix on a #file range proposes the change behind a Review Changes button: a diff, Accept applies it as one undo step', async () => {
    server.enqueue({ text: `Here it is:\n\n\`\`\`ts\n${FIXED_CLAMP}\n\`\`\`` });
    const reference = { id: 'vscode.file', name: 'math.ts', value: new vscode.Location(workspaceFile('math.ts'), CLAMP) } as vscode.ChatPromptReference;
    const { shown } = await ask(chatRequest('use Math.min and Math.max', 'fix', [reference]));
    assert.match(userText(lastChat(server)), /Find and fix the bugs in the selected code/);
    assert.match(lastChat(server).body.messages[0].content, /For this change: use Math\.min and Math\.max/);
    assert.equal(shown.buttons.length, 1);
    const [review] = shown.buttons;
    assert.equal(review.title, 'Review Changes to math.ts:9-13');

    const outcome = vscode.commands.executeCommand(review.command, ...(review.arguments ?? []));
    await waitFor(() => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'modelslab-proposal')), 'the diff proposal');
    await vscode.commands.executeCommand('modelslab.acceptProposal');
    assert.equal(await outcome, 'accepted');
    const document = await vscode.workspace.openTextDocument(workspaceFile('math.ts'));
    const lines = original.split('\n');
    assert.equal(document.getText(), [...lines.slice(0, 8), FIXED_CLAMP, ...lines.slice(13)].join('\n'), 'exactly the referenced lines were replaced');
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), original, 'one undo restores the file');
  });

  it('/doc asks for documentation comments only', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('math.ts')));
    editor.selection = new vscode.Selection(CLAMP.start, CLAMP.end);
    server.enqueue({ text: `\`\`\`ts\n/** Bounds a value. */\n${original.split('\n').slice(8, 13).join('\n')}\n\`\`\`` });
    const { shown } = await ask(chatRequest('', 'doc'));
    assert.match(userText(lastChat(server)), /Add documentation comments/);
    assert.equal(shown.buttons[0]?.command, 'modelslab.reviewChatEdit');
  });

  it('/tests writes tests for the selection', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('math.ts')));
    editor.selection = new vscode.Selection(CLAMP.start, CLAMP.end);
    server.enqueue({ text: '```ts\nit("clamps", () => {});\n```' });
    const { shown } = await ask(chatRequest('', 'tests'));
    assert.match(lastChat(server).body.messages[0].content, /complete test file/);
    assert.match(shown.markdown, /it\("clamps"/);
  });

  it('a question without a command goes to the model picked in our extension, with #file references as context', async () => {
    server.enqueue({ text: 'Two functions.' });
    const reference = { id: 'vscode.file', name: 'math.ts', value: workspaceFile('math.ts') } as vscode.ChatPromptReference;
    const { shown } = await ask(chatRequest('What is in this file?', undefined, [reference]));
    assert.equal(shown.markdown, 'Two functions.');
    const seen = lastChat(server);
    assert.equal(seen.body.model, vscode.workspace.getConfiguration('modelslab').get<string>('model'));
    assert.match(userText(seen), /Context from math\.ts/);
    assert.match(userText(seen), /What is in this file\?$/);
  });

  it('a rejected key shows the error with the Set API Key button', async () => {
    server.enqueue({ status: 401, errorMessage: 'Invalid API key provided' });
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('math.ts')));
    editor.selection = new vscode.Selection(CLAMP.start, CLAMP.end);
    const { result, shown } = await ask(chatRequest('', 'explain'));
    assert.match(result.errorDetails?.message ?? '', /rejected the API key \(401\)/);
    assert.deepEqual(shown.buttons.map((b) => [b.command, b.title]), [['modelslab.setApiKey', 'Set API Key']]);
  });

  it('without a key it says so and offers Set API Key, sending nothing', async () => {
    await vscode.commands.executeCommand('modelslab.clearApiKey');
    try {
      const { shown } = await ask(chatRequest('hello', undefined));
      assert.match(shown.markdown, /No ModelsLab API key is set/);
      assert.deepEqual(shown.buttons.map((b) => b.command), ['modelslab.setApiKey']);
      assert.equal(server.requests.length, 0);
    } finally {
      await vscode.commands.executeCommand('modelslab.setApiKey', SUITE_KEY);
    }
  });
});
