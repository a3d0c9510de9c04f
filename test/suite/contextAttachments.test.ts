import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ContextAttachments } from '../../src/chat/contextAttachments';
import { closeAllEditorsDiscardingUntitled, workspaceFile } from './harness';

// ContextAttachments over the real vscode API: real editors, selections and workspace files.
// Where a test needs the class to have noticed something, it waits for its onDidChange event.


async function show(name: string, selection?: vscode.Selection): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile(name)), { preview: false });
  if (selection) editor.selection = selection;
  return editor;
}

/** Closes every editor and waits until the extension host has no active editor either. */
async function closeEditors(): Promise<void> {
  await closeAllEditorsDiscardingUntitled();
  if (!vscode.window.activeTextEditor) return;
  await new Promise<void>((resolve) => {
    const subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor) return;
      subscription.dispose();
      resolve();
    });
  });
}

/** Resolves on the first onDidChange after which `holds()` is true (default: the next one). */
function changeWhere(attachments: ContextAttachments, holds: () => boolean = () => true): Promise<void> {
  return new Promise((resolve) => {
    const subscription = attachments.onDidChange(() => {
      if (!holds()) return;
      subscription.dispose();
      resolve();
    });
  });
}

const NOTES = Array.from({ length: 40 }, (_, i) => `note ${String(i).padStart(2, '0')}: something worth knowing`).join('\n') + '\n';
/** Text up to the first NUL, then binary: what an image or archive looks like. */
const BINARY = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
/** Just over the 2 MB attachment limit. */
const HUGE_BYTES = 2 * 1024 * 1024 + 1;

describe('Context attachments in the real host', () => {
  const created = ['notes.txt', 'logo.png', 'huge.log'];
  let attachments: ContextAttachments | undefined;

  before(async () => {
    await vscode.workspace.fs.writeFile(workspaceFile('notes.txt'), new TextEncoder().encode(NOTES));
    await vscode.workspace.fs.writeFile(workspaceFile('logo.png'), BINARY);
    await vscode.workspace.fs.writeFile(workspaceFile('huge.log'), new Uint8Array(HUGE_BYTES).fill(0x61));
  });
  afterEach(async () => {
    attachments?.dispose();
    attachments = undefined;
    await closeAllEditorsDiscardingUntitled();
  });
  after(async () => {
    for (const name of created) await vscode.workspace.fs.delete(workspaceFile(name)).then(undefined, () => undefined);
  });

  it('the editor chip follows the active editor: its selection as lines, or the whole file', async () => {
    attachments = new ContextAttachments();
    await closeEditors();
    assert.deepEqual(attachments.chips(), [], 'no editor, no chip');

    const editor = await show('math.ts', new vscode.Selection(0, 0, 6, 1));
    assert.deepEqual(attachments.chips(), [{ id: 'editor', label: 'math.ts:1-7', kind: 'selection' }]);

    // A selection that ends at the start of a line does not take that line.
    editor.selection = new vscode.Selection(8, 0, 10, 0);
    assert.deepEqual(attachments.chips(), [{ id: 'editor', label: 'math.ts:9-10', kind: 'selection' }]);

    // No selection, or only whitespace selected: the whole file.
    editor.selection = new vscode.Selection(2, 4, 2, 4);
    assert.deepEqual(attachments.chips(), [{ id: 'editor', label: 'math.ts', kind: 'file' }]);
    editor.selection = new vscode.Selection(7, 0, 8, 0);
    assert.deepEqual(attachments.chips(), [{ id: 'editor', label: 'math.ts', kind: 'file' }]);

    // Another editor becomes active: a change event says so (the panel updates the chip on it), and the chip follows.
    const changed = changeWhere(attachments, () => vscode.window.activeTextEditor?.document.uri.path.endsWith('/greet.py') === true);
    await show('greet.py');
    await changed;
    assert.deepEqual(attachments.chips(), [{ id: 'editor', label: 'greet.py', kind: 'file' }]);
  });

  it('a whole file over the budget shows its chip with the cut notice', async () => {
    attachments = new ContextAttachments(100);
    await show('math.ts');
    const [chip] = attachments.chips();
    assert.equal(chip?.label, 'math.ts');
    assert.match(chip?.truncatedNotice ?? '', /^math\.ts was cut to \d+ characters of 336 characters to fit the context budget\.$/);
  });

  it('removing the editor chip hides it until the selection changes', async () => {
    attachments = new ContextAttachments();
    const editor = await show('math.ts', new vscode.Selection(0, 0, 6, 1));
    assert.equal(attachments.chips().length, 1);

    const removed = changeWhere(attachments);
    attachments.remove('editor');
    await removed;
    assert.deepEqual(attachments.chips(), []);
    const taken = await attachments.take();
    assert.deepEqual(taken, { text: undefined, labels: [] }, 'a removed chip is not sent either');
    assert.deepEqual(attachments.chips(), [], 'and it stays removed after a send');

    // The user selects something else: the chip is back, for the new selection.
    const reselected = changeWhere(attachments, () => attachments!.chips().length === 1);
    editor.selection = new vscode.Selection(8, 0, 12, 1);
    await reselected;
    assert.deepEqual(attachments.chips(), [{ id: 'editor', label: 'math.ts:9-13', kind: 'selection' }]);
  });

  it('attaching a file adds a chip (once), and removing it takes it away', async () => {
    attachments = new ContextAttachments();
    await closeEditors();
    const changed = changeWhere(attachments);
    assert.equal(await attachments.attachFile(workspaceFile('notes.txt')), true);
    await changed;
    assert.deepEqual(attachments.chips(), [{ id: 'file-1', label: 'notes.txt', kind: 'file' }]);
    assert.equal(await attachments.attachFile(workspaceFile('notes.txt')), true);
    assert.equal(attachments.chips().length, 1, 'the same file is attached once');

    await show('math.ts', new vscode.Selection(0, 0, 1, 0));
    assert.deepEqual(
      attachments.chips().map((c) => [c.id, c.label]),
      [
        ['editor', 'math.ts:1-1'],
        ['file-1', 'notes.txt'],
      ],
    );
    attachments.remove('file-1');
    assert.deepEqual(attachments.chips().map((c) => c.id), ['editor']);
  });

  it('take() formats everything within the budget, labels what was cut, and clears the attached files', async () => {
    const budget = 400;
    attachments = new ContextAttachments(budget);
    const selected = 'export function average(values: number[]): number {\n  let total = 0;\n';
    await show('math.ts', new vscode.Selection(0, 0, 2, 0));
    assert.equal(await attachments.attachFile(workspaceFile('notes.txt')), true);
    assert.ok(NOTES.length > budget);

    const cleared = changeWhere(attachments);
    const { text, labels } = await attachments.take();
    await cleared;
    assert.deepEqual(labels, ['math.ts:1-2', 'notes.txt (cut)']);
    assert.ok(text);
    const [editorPart, filePart] = text.split('\n\nContext from ');
    assert.equal(editorPart, `Context from math.ts (lines 1-2), language typescript:\n\`\`\`typescript\n${selected}\`\`\``);
    assert.match(filePart ?? '', /^notes\.txt, language plaintext:\n\(Note: notes\.txt was cut to \d+ characters of 1\.\d KB to fit the context budget\.\)\n```plaintext\n/);
    // What was kept of the file is whole lines from its start, and the code of both fits the budget.
    const keptNotes = /```plaintext\n([\s\S]*)```$/.exec(filePart ?? '')?.[1] ?? '';
    assert.ok(keptNotes.length > 0 && NOTES.startsWith(keptNotes) && keptNotes.endsWith('\n'), keptNotes);
    assert.ok(selected.length + keptNotes.length <= budget, `${selected.length + keptNotes.length} characters of code for a budget of ${budget}`);

    // The file was for that one prompt; the editor chip stays.
    assert.deepEqual(attachments.chips().map((c) => c.id), ['editor']);
    assert.deepEqual((await attachments.take()).labels, ['math.ts:1-2']);
  });

  it('a binary file is never sent', async () => {
    attachments = new ContextAttachments();
    await closeEditors();
    const accepted = await attachments.attachFile(workspaceFile('logo.png'));
    // Refused when attached or when the prompt is sent; either way it never reaches the model.
    if (!accepted) assert.deepEqual(attachments.chips(), []);
    const { text, labels } = await attachments.take();
    assert.deepEqual(labels, []);
    assert.equal(text, undefined);
    assert.deepEqual(attachments.chips(), [], 'nothing is left attached');
  });

  it('a file over 2 MB is refused: no chip, nothing sent', async () => {
    attachments = new ContextAttachments();
    await closeEditors();
    assert.equal(await attachments.attachFile(workspaceFile('huge.log')), false);
    assert.deepEqual(attachments.chips(), []);
    assert.deepEqual(await attachments.take(), { text: undefined, labels: [] });
  });
});
