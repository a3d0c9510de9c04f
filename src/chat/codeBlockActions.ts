import * as vscode from 'vscode';
import type { CodeBlockAction } from '../shared/protocol';
import { languageIdFromFence } from '../prompts/languages';
import type { ProposedEdits, ProposalOutcome } from '../workspace/proposedEdits';

/** What the buttons on a code block in the chat do. */
export async function runCodeBlockAction(
  action: CodeBlockAction,
  code: string,
  fenceLanguage: string,
  proposals: ProposedEdits,
): Promise<ProposalOutcome | 'done' | 'noEditor'> {
  switch (action) {
    case 'copy':
      await vscode.env.clipboard.writeText(code);
      void vscode.window.setStatusBarMessage('$(check) Code copied', 2000);
      return 'done';
    case 'newFile': {
      const document = await vscode.workspace.openTextDocument({ content: code, language: languageIdFromFence(fenceLanguage) });
      await vscode.window.showTextDocument(document, { preview: false });
      return 'done';
    }
    case 'insert': {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return noEditor('insert the code');
      // Replacing the selection is what "insert at the cursor" means when text is selected.
      const applied = await editor.edit((builder) => {
        for (const selection of editor.selections) builder.replace(selection, code);
      });
      if (!applied) void vscode.window.showErrorMessage('ModelsLab: the editor refused the insert (is it read-only?).');
      return 'done';
    }
    case 'apply': {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return noEditor('apply the code');
      const document = editor.document;
      const selection = editor.selection;
      const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
      // Blocks come with \n; written in the file's own line endings, the diff shows what Accept writes.
      const block = code.replace(/\r\n|\r|\n/g, eol);
      if (!selection.isEmpty) return proposals.propose({ document, range: selection, newText: block, title: 'Apply' });
      // Without a selection the block replaces the whole file.
      const text = document.getText();
      const range = new vscode.Range(document.positionAt(0), document.positionAt(text.length));
      return proposals.propose({ document, range, newText: keepFinalNewline(text, block, eol), title: 'Apply' });
    }
  }
}

/**
 * A fenced block has no final newline of its own, so replacing a whole file with it would drop
 * the file's; keep it. A block that does end with one says what the user wants, as it is.
 */
function keepFinalNewline(fileText: string, block: string, eol: string): string {
  return fileText.endsWith('\n') && !block.endsWith('\n') ? block + eol : block;
}

function noEditor(what: string): 'noEditor' {
  void vscode.window.showWarningMessage(`ModelsLab: open a file in the editor to ${what}.`);
  return 'noEditor';
}
