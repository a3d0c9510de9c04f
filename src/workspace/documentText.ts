// A workspace file's text as the user has it: an open editor's (maybe unsaved) text first,
// else the file's; and writing it back the same way, so an open editor follows.
import * as vscode from 'vscode';

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}

/** undefined when there is no such file. */
export async function readDocumentText(uri: vscode.Uri): Promise<string | undefined> {
  const open = openDocument(uri);
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** Through an edit when the file is open (so its editor and undo stack follow), else to disk. */
export async function writeDocumentText(uri: vscode.Uri, text: string): Promise<void> {
  const open = openDocument(uri);
  if (open) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), text);
    await vscode.workspace.applyEdit(edit);
    await open.save();
    return;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}
