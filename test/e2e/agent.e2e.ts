// Agent mode in the chat panel: the model reads the workspace with tools, and proposes edits
// that the user reviews file by file; nothing reaches the disk before Accept.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../host/codeServer.mjs';
import { useChatWorkbench } from './chatPanel';

describe('Chat panel (e2e): Agent mode', () => {
  const suite = useChatWorkbench();
  const onDisk = (name: string) => join(suite.workbench.vscode.workspace, name);
  const chats = () => suite.workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions'));

  /** The model edits math.ts and creates a file in one step, then answers; returns the answer's review list. */
  async function proposeTwoFiles(edit: { old_string: string; new_string: string }, created: { path: string; content: string }, prompt: string) {
    suite.workbench.server.enqueue(
      {
        toolCalls: [
          { id: `${prompt.length}-edit`, name: 'replace_in_file', arguments: JSON.stringify({ path: 'math.ts', ...edit }) },
          { id: `${prompt.length}-new`, name: 'create_file', arguments: JSON.stringify(created) },
        ],
        finishReason: 'tool_calls',
      },
      { text: 'Done: one edit and one new file.' },
    );
    await suite.chat.send(prompt);
    await suite.chat.waitForAnswerEnd();
    return suite.chat.lastAnswer().locator('.ml-review');
  }

  before(async () => {
    await suite.chat.button('Mode: Ask. Switch to Agent').click();
    await suite.chat.button('Mode: Agent. Switch to Ask').waitFor();
  });

  it('answers a codebase question after two tool calls, each shown as a line under the answer', async () => {
    const { workbench, chat } = suite;
    workbench.server.enqueue(
      { toolCalls: [{ id: 'c1', name: 'search_text', arguments: '{"query":"function clamp"}' }], finishReason: 'tool_calls' },
      { toolCalls: [{ id: 'c2', name: 'read_file', arguments: '{"path":"math.ts","startLine":9,"endLine":13}' }], finishReason: 'tool_calls' },
      { text: '`clamp` is in **math.ts**, lines 9–13: it returns `min` below the range, `max` above it, else the value.' },
    );
    const before = chats().length;
    await chat.send('Where is clamp defined and what does it do?');
    await chat.waitForAnswerEnd();
    const answer = chat.lastAnswer();
    assert.equal(await answer.locator('.ml-mode-badge').textContent(), 'Agent');
    assert.deepEqual(await answer.locator('.ml-tool').allTextContents(), ["Searched 'function clamp': 1 file", 'Read math.ts, lines 9–13']);
    assert.equal(await answer.locator('.ml-tools-summary').textContent(), 'Used 2 tools');
    const third = chats()[before + 2];
    assert.match(JSON.stringify(third.body.messages), /if \(value < min\) return min;/, 'the file reached the model');
    await answer.locator('.ml-tools-summary').click();
    await answer.locator('.ml-tool').first().waitFor();
    await workbench.fontsReady(chat.frame);
    await workbench.screenshot('agent-tools');
  });

  it('a two-file change: one accepted and one rejected, the disk checked, then Undo puts it back', async () => {
    const { workbench, chat } = suite;
    const original = readFileSync(onDisk('math.ts'), 'utf8');
    const review = await proposeTwoFiles(
      { old_string: '  if (value < min) return min;\n  if (value > max) return max;\n  return value;', new_string: '  return Math.min(max, Math.max(min, value));' },
      { path: 'NOTES.md', content: '# Notes\n\nclamp uses Math.min and Math.max.\n' },
      'Simplify clamp and add a note about it',
    );
    await review.locator('.ml-review-row').nth(1).waitFor();
    assert.deepEqual(await review.locator('.ml-review-path').allTextContents(), ['math.ts', 'NOTES.md']);
    assert.equal(readFileSync(onDisk('math.ts'), 'utf8'), original, 'nothing is written before Accept');
    assert.equal(existsSync(onDisk('NOTES.md')), false);
    await workbench.fontsReady(chat.frame);
    await workbench.screenshot('agent-review');
    // The panel's strip (activity bar and side bar) for the README.
    await workbench.readmeScreenshot('agent-review-dark', 352);

    await chat.button('Accept the change to math.ts').click();
    await review.locator('.ml-review-row.is-accepted').waitFor();
    await chat.button('Reject the change to NOTES.md').click();
    await review.locator('.ml-review-row.is-rejected').waitFor();
    assert.match(readFileSync(onDisk('math.ts'), 'utf8'), /return Math\.min\(max, Math\.max\(min, value\)\);/);
    assert.equal(existsSync(onDisk('NOTES.md')), false, 'the rejected file was not created');

    await chat.button('Undo the accepted changes').click();
    await review.locator('.ml-review-row.is-accepted').waitFor({ state: 'detached' });
    assert.equal(readFileSync(onDisk('math.ts'), 'utf8'), original, 'Undo restored the file');
  });

  it('Accept All writes both files, and Undo (the checkpoint) restores both', async () => {
    const { chat } = suite;
    const original = readFileSync(onDisk('math.ts'), 'utf8');
    const review = await proposeTwoFiles({ old_string: 'export function average', new_string: 'export function mean' }, { path: 'CHANGES.md', content: 'average is now mean\n' }, 'Rename average to mean and note it');
    await chat.button('Accept all changes').click();
    await review.locator('.ml-review-row.is-accepted').nth(1).waitFor();
    assert.match(readFileSync(onDisk('math.ts'), 'utf8'), /export function mean/);
    assert.equal(readFileSync(onDisk('CHANGES.md'), 'utf8'), 'average is now mean\n');
    await chat.button('Undo the accepted changes').click();
    await review.locator('.ml-review-row.is-accepted').first().waitFor({ state: 'detached' });
    assert.equal(readFileSync(onDisk('math.ts'), 'utf8'), original);
    assert.equal(existsSync(onDisk('CHANGES.md')), false, 'the created file is gone again');
  });

  it('Stop during the tool loop ends the answer and keeps what it did', async () => {
    const { workbench, chat } = suite;
    workbench.server.enqueue(
      { toolCalls: [{ id: 's1', name: 'list_dir', arguments: '{"path":"."}' }], finishReason: 'tool_calls' },
      { text: 'Looking further…', chunkSize: 4, stallAfterChunks: 2 },
    );
    const before = chats().length;
    await chat.send('Look around the project');
    await chat.lastAnswer().locator('.ml-tool.is-done').waitFor({ state: 'attached' });
    await chat.button('Stop').click();
    await chat.waitForAnswerEnd();
    assert.equal(await chat.lastAnswer().locator('.ml-badge-stopped').textContent(), 'Stopped');
    assert.match((await chat.lastAnswer().locator('.ml-tool').allTextContents()).join(), /^Listed \.: \d+ entries$/);
    const second = chats()[before + 1];
    await second.closed;
    assert.equal(second.closedByClient, true, 'the server saw the request closed');
  });
});

describe('Chat panel (e2e): Agent mode on a model without tool calling', () => {
  const suite = useChatWorkbench({ settings: { 'modelslab.model': 'meta-llama-3-8B-instruct' } });

  it('the tool calls travel as tagged text: none is shown, each runs, and no `tools` field is sent', async () => {
    const { workbench, chat } = suite;
    await chat.button('Mode: Ask. Switch to Agent').click();
    workbench.server.enqueue(
      { text: 'Let me look.\n<tool_call>\n{"name": "read_file", "arguments": {"path": "greet.py"}}\n</tool_call>', chunkSize: 5 },
      { text: '`greet.py` defines one function that greets by name.' },
    );
    const before = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    await chat.send('What is in greet.py?');
    await chat.waitForAnswerEnd();
    const answer = chat.lastAnswer();
    assert.equal(await answer.locator('.ml-tool').count(), 1);
    assert.match((await answer.locator('.ml-tool').first().textContent()) ?? '', /^Read greet\.py, lines 1–\d+$/);
    const body = (await answer.locator('.ml-msg-body').textContent()) ?? '';
    assert.ok(!body.includes('tool_call'), `the block is not shown: ${body}`);
    const [first, second] = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).slice(before);
    assert.equal(first.body.tools, undefined);
    assert.match(first.body.messages[0].content, /<tool_call>/);
    assert.match(JSON.stringify(second.body.messages), /<tool_result name=\\"read_file\\"/);
  });
});

describe('Chat panel (e2e): Agent mode with the tools VS Code knows (modelslab.agent.useVsCodeTools)', () => {
  // Another extension's tool, registered the way MCP servers' tools reach VS Code too.
  const suite = useChatWorkbench({ settings: { 'modelslab.agent.useVsCodeTools': true }, installExtensions: [join(repoRoot, 'test', 'fixtures', 'lm-tool-extension')] });

  it("offers another extension's tool to the model, and VS Code runs it", async () => {
    const { workbench, chat } = suite;
    await chat.button('Mode: Ask. Switch to Agent').click();
    workbench.server.enqueue(
      { toolCalls: [{ id: 'w1', name: 'fixture_word_count', arguments: '{"text":"one two three"}' }], finishReason: 'tool_calls' },
      { text: 'Three words.' },
    );
    const before = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    await chat.send('How many words in "one two three"?');
    await chat.waitForAnswerEnd();
    const [first, second] = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).slice(before);
    assert.ok(first.body.tools.some((t: { function: { name: string } }) => t.function.name === 'fixture_word_count'), 'the tool is offered');
    assert.match(JSON.stringify(second.body.messages), /3 words/);
    assert.deepEqual(await chat.lastAnswer().locator('.ml-tool').allTextContents(), ['Ran fixture_word_count']);
  });
});
