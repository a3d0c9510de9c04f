import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runCodeBlockAction } from '../../src/chat/codeBlockActions';
import { closeAllEditorsDiscardingUntitled, extensionApi, waitFor, workspaceFile } from './harness';

// What the chat's code block holds: its source, without the fence's final newline.
const BLOCK = 'const a = 2;\nconst b = 3;';


/** Writes `bytes` to a new file, opens it with an empty selection, Applies `code` and Accepts. */
async function applyAndAccept(name: string, bytes: string, code: string, selection?: vscode.Selection): Promise<string> {
  const api = await extensionApi();
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(bytes, 'utf8'));
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  editor.selection = selection ?? new vscode.Selection(0, 0, 0, 0);
  const outcome = runCodeBlockAction('apply', code, 'ts', api.proposals);
  await waitFor(() => api.proposals.pending, 'the Apply proposal');
  await vscode.commands.executeCommand('modelslab.acceptProposal');
  assert.equal(await outcome, 'accepted');
  assert.ok(await document.save(), 'the document saves');
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

describe('Apply a chat code block in the real host', () => {
  const created: vscode.Uri[] = [];
  afterEach(async () => {
    await vscode.commands.executeCommand('modelslab.rejectProposal');
    await closeAllEditorsDiscardingUntitled();
    for (const uri of created.splice(0)) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });
  const file = (name: string) => {
    created.push(workspaceFile(name));
    return name;
  };

  it('to a whole LF file keeps its final newline', async () => {
    const disk = await applyAndAccept(file('apply-lf.ts'), 'const a = 1;\nconst b = 1;\n', BLOCK);
    assert.equal(disk, 'const a = 2;\nconst b = 3;\n');
  });

  it('to a whole CRLF file keeps CRLF line endings and the final CRLF', async () => {
    const disk = await applyAndAccept(file('apply-crlf.ts'), 'const a = 1;\r\nconst b = 1;\r\n', BLOCK);
    assert.equal(disk, 'const a = 2;\r\nconst b = 3;\r\n');
  });

  it('to a whole file without a final newline adds none', async () => {
    const disk = await applyAndAccept(file('apply-nofinal.ts'), 'const a = 1;\nconst b = 1;', BLOCK);
    assert.equal(disk, 'const a = 2;\nconst b = 3;');
  });

  it('a block that ends with a newline is applied as it is', async () => {
    const disk = await applyAndAccept(file('apply-block-newline.ts'), 'const a = 1;', `${BLOCK}\n`);
    assert.equal(disk, 'const a = 2;\nconst b = 3;\n');
  });

  it('to a selection in a CRLF file writes the block with CRLF and leaves the rest alone', async () => {
    const disk = await applyAndAccept(
      file('apply-crlf-selection.ts'),
      '// head\r\nconst a = 1;\r\n// tail\r\n',
      BLOCK,
      new vscode.Selection(1, 0, 1, 12),
    );
    assert.equal(disk, '// head\r\nconst a = 2;\r\nconst b = 3;\r\n// tail\r\n');
  });
});
