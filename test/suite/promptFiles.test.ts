// Prompt files in the real host: files written to the test workspace at run time, found by the
// store's watcher, and run against a real editor's selection with a recorded input box.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ModelsLabTestApi } from '../../src/extension';
import type { PromptFileStore } from '../../src/workspace/promptFileStore';
import { closeAllEditorsDiscardingUntitled, extensionApi, waitFor, workspaceFile } from './harness';

const REVIEW = [
  '---',
  'description: Review the selection',
  'model: deepseek-ai-DeepSeek-V3',
  '---',
  'Review this code from ${file}:',
  '',
  '${selection}',
  '',
  'Focus on ${input:focus:What to look for}. Again: ${input:focus}.',
  '',
].join('\r\n');

/** `clamp` in the fixture's math.ts: lines 9–13. */
const CLAMP = new vscode.Range(8, 0, 12, 1);

const encode = (text: string) => new TextEncoder().encode(text);

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

describe('Prompt files in the real host', () => {
  const modelslabDir = workspaceFile('.modelslab');
  const promptsDir = vscode.Uri.joinPath(modelslabDir, 'prompts');
  const review = vscode.Uri.joinPath(promptsDir, 'review.prompt.md');
  const broken = vscode.Uri.joinPath(promptsDir, 'broken.prompt.md');
  let store: PromptFileStore;
  /** What this suite created, so that only that is deleted afterwards. */
  let created: vscode.Uri | undefined;

  const listed = (name: string) => store.commands().find((c) => c.name === name);

  before(async () => {
    const api: ModelsLabTestApi & { promptFiles?: PromptFileStore } = await extensionApi();
    assert.ok(api.promptFiles, 'the test API has no promptFiles (src/testApi.ts)');
    store = api.promptFiles;
    created = !(await exists(modelslabDir)) ? modelslabDir : !(await exists(promptsDir)) ? promptsDir : undefined;
    await vscode.workspace.fs.createDirectory(promptsDir);
    await vscode.workspace.fs.writeFile(review, encode(REVIEW));
  });

  afterEach(() => closeAllEditorsDiscardingUntitled());

  after(async () => {
    for (const uri of created ? [created] : [review, broken]) {
      if (await exists(uri)) await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
    }
  });

  it('lists a prompt file its watcher found, after the built-ins', async () => {
    const command = await waitFor(() => listed('review'), 'the store to list review.prompt.md');
    assert.deepEqual(command, { name: 'review', description: 'Review the selection', source: 'promptFile' });
    const names = store.commands().map((c) => c.name);
    assert.deepEqual(names.slice(0, 6), ['explain', 'fix', 'doc', 'tests', 'new', 'compare']);
    assert.ok(names.indexOf('review') >= 6);
  });

  it('resolves /review with the editor selection, the file and one input asked once, and the model', async () => {
    await waitFor(() => listed('review'), 'the store to list review.prompt.md');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('math.ts')), { preview: false });
    editor.selection = new vscode.Selection(CLAMP.start, CLAMP.end);
    const clamp = editor.document.getText(CLAMP);
    const asked: [string, string | undefined][] = [];
    const result = await store.resolve('review', async (name, placeholder) => {
      asked.push([name, placeholder]);
      return 'off-by-one errors';
    });
    assert.deepEqual(asked, [['focus', 'What to look for']]);
    assert.deepEqual(result, {
      prompt: `Review this code from math.ts:\n\n${clamp}\n\nFocus on off-by-one errors. Again: off-by-one errors.`,
      model: 'deepseek-ai-DeepSeek-V3',
    });
  });

  it('cancelling an input resolves to nothing', async () => {
    await waitFor(() => listed('review'), 'the store to list review.prompt.md');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('math.ts')), { preview: false });
    editor.selection = new vscode.Selection(CLAMP.start, CLAMP.end);
    assert.equal(await store.resolve('review', async () => undefined), undefined);
  });

  it('a prompt that needs a selection and has none is an error, before any input is asked', async () => {
    await waitFor(() => listed('review'), 'the store to list review.prompt.md');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('math.ts')), { preview: false });
    // Reopening an editor restores its last selection: empty it.
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    let asked = false;
    const result = await store.resolve('review', async () => ((asked = true), 'x'));
    assert.ok(result && 'error' in result, 'an error');
    assert.match(result.error, /^review\.prompt\.md uses \$\{selection\}, but no text is selected/);
    assert.equal(asked, false);
  });

  it('an unknown variable is listed as a problem and resolves to an error naming the file and the variable', async () => {
    await vscode.workspace.fs.writeFile(broken, encode('---\ndescription: Broken\n---\nReview ${selecton} please\n'));
    const command = await waitFor(() => listed('broken'), 'the store to list broken.prompt.md');
    assert.match(command.description, /^Can't run: broken\.prompt\.md uses \$\{selecton\}/);
    let asked = false;
    const result = await store.resolve('broken', async () => ((asked = true), 'x'));
    assert.ok(result && 'error' in result, 'an error');
    assert.ok(
      result.error.startsWith('broken.prompt.md uses ${selecton}, which is not a variable: use ${selection}, ${file} or ${input:name}.'),
      result.error,
    );
    assert.equal(asked, false);
  });

  it('an edit to a file is picked up, and a deleted file leaves the list', async () => {
    await vscode.workspace.fs.writeFile(broken, encode('---\ndescription: Fixed now\n---\nSay hi.\n'));
    await waitFor(() => listed('broken')?.description === 'Fixed now', 'the store to read the edited broken.prompt.md');
    assert.deepEqual(await store.resolve('broken', async () => 'unused'), { prompt: 'Say hi.' });
    await vscode.workspace.fs.delete(broken, { useTrash: false });
    await waitFor(() => listed('broken') === undefined, 'the store to drop the deleted broken.prompt.md');
    assert.ok(listed('review'), 'review.prompt.md stays');
  });

  it('an unknown name and a built-in name resolve to an error', async () => {
    const unknown = await store.resolve('no-such-prompt', async () => 'x');
    assert.ok(unknown && 'error' in unknown && /no prompt file for \/no-such-prompt/.test(unknown.error));
    const builtin = await store.resolve('explain', async () => 'x');
    assert.ok(builtin && 'error' in builtin && /built in/.test(builtin.error));
  });
});
