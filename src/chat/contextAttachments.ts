import * as vscode from 'vscode';
import type { ContextChip } from '../shared/protocol';
import { cutToBudget, DEFAULT_CONTEXT_BUDGET_CHARS, formatSize } from '../prompts/contextBudget';
import { formatCodeContext, type AttachedContext, type CodeContext } from '../prompts/chatPrompt';
import { lineSpan } from '../prompts/lineSpan';
import { baseName, looksBinary } from '../prompts/text';

const MAX_FILE_BYTES = 2 * 1024 * 1024;

interface FileAttachment {
  id: string;
  uri: vscode.Uri;
}

/**
 * What the user attaches to the next prompt: the active editor's selection (or file), shown as
 * a removable chip, plus files picked with `@`. Everything is cut to one budget, with a notice.
 */
export class ContextAttachments implements vscode.Disposable {
  private files: FileAttachment[] = [];
  /** The editor chip the user removed; it comes back when the selection or editor changes. */
  private dismissedEditorKey: string | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscriptions: vscode.Disposable[];
  private nextId = 1;

  constructor(private readonly budgetChars = DEFAULT_CONTEXT_BUDGET_CHARS) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.changeEmitter.fire()),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === vscode.window.activeTextEditor) this.changeEmitter.fire();
      }),
      this.changeEmitter,
    ];
  }

  /** The chips to show; computing them reads no file contents. */
  chips(): ContextChip[] {
    const chips: ContextChip[] = [];
    const editor = this.editorContext();
    if (editor) chips.push({ id: 'editor', label: editor.label, kind: editor.lines ? 'selection' : 'file', ...noticeOf(editor) });
    for (const file of this.files) chips.push({ id: file.id, label: vscode.workspace.asRelativePath(file.uri), kind: 'file' });
    return chips;
  }

  remove(id: string): void {
    if (id === 'editor') this.dismissedEditorKey = this.editorKey();
    else this.files = this.files.filter((f) => f.id !== id);
    this.changeEmitter.fire();
  }

  /** The files attached with `@`, for what depends on them (the project rules' applyTo). */
  attachedUris(): vscode.Uri[] {
    return this.files.map((f) => f.uri);
  }

  /** `@`: a quick pick of workspace files. */
  async pickFile(): Promise<void> {
    const uris = await vscode.workspace.findFiles('**/*', '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**}', 5000);
    const picked = await vscode.window.showQuickPick(
      uris
        .map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }))
        .sort((a, b) => a.label.localeCompare(b.label)),
      { title: 'Attach a file to the chat', placeHolder: 'Type to search workspace files', matchOnDescription: true },
    );
    if (!picked) return;
    await this.attachFile(picked.uri);
  }

  async attachFile(uri: vscode.Uri): Promise<boolean> {
    if (this.files.some((f) => f.uri.toString() === uri.toString())) return true;
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_FILE_BYTES) {
      void vscode.window.showWarningMessage(`ModelsLab: ${vscode.workspace.asRelativePath(uri)} is ${formatSize(stat.size)}, too large to attach (limit ${formatSize(MAX_FILE_BYTES)}).`);
      return false;
    }
    this.files.push({ id: `file-${this.nextId++}`, uri });
    this.changeEmitter.fire();
    return true;
  }

  /** Formats everything attached, cut to the budget, and clears the one-off file attachments. */
  async take(): Promise<AttachedContext> {
    const contexts: CodeContext[] = [];
    const editor = this.editorContext();
    if (editor) contexts.push(editor);
    for (const file of this.files) {
      const loaded = await this.loadFile(file.uri);
      if (loaded) contexts.push(loaded);
    }
    this.files = [];
    if (contexts.length) this.changeEmitter.fire();

    let remaining = this.budgetChars;
    const parts: string[] = [];
    const labels: string[] = [];
    for (const context of contexts) {
      const cut = cutToBudget(context.text, Math.max(0, remaining), context.label);
      if (cut.text.length === 0) {
        void vscode.window.showWarningMessage(`ModelsLab: ${context.label} was left out: the context budget is used up.`);
        continue;
      }
      remaining -= cut.text.length;
      parts.push(formatCodeContext({ ...context, text: cut.text, truncatedNotice: cut.notice ?? context.truncatedNotice }));
      labels.push(cut.truncated ? `${context.label} (cut)` : context.label);
    }
    return { text: parts.length ? parts.join('\n\n') : undefined, labels };
  }

  private editorKey(): string | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const s = editor.selection;
    return `${editor.document.uri.toString()}#${s.start.line}:${s.start.character}-${s.end.line}:${s.end.character}`;
  }

  private editorContext(): CodeContext | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.scheme === 'output' || this.dismissedEditorKey === this.editorKey()) return undefined;
    const document = editor.document;
    const name = vscode.workspace.asRelativePath(document.uri);
    const selection = editor.selection;
    const hasSelection = !selection.isEmpty && document.getText(selection).trim() !== '';
    const text = hasSelection ? document.getText(selection) : document.getText();
    if (text.trim() === '') return undefined;
    const lines = hasSelection ? lineSpan(selection) : undefined;
    const label = lines ? `${baseName(name)}:${lines.start}-${lines.end}` : baseName(name);
    const cut = cutToBudget(text, this.budgetChars, label);
    return { label, path: name, languageId: document.languageId, text, lines, truncatedNotice: cut.notice };
  }

  private async loadFile(uri: vscode.Uri): Promise<CodeContext | undefined> {
    const name = vscode.workspace.asRelativePath(uri);
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (looksBinary(bytes)) {
      void vscode.window.showWarningMessage(`ModelsLab: ${name} looks like a binary file, so it was not attached.`);
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    return { label: baseName(name), path: name, languageId: document.languageId, text: document.getText() };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

function noticeOf(context: CodeContext): { truncatedNotice?: string } {
  return context.truncatedNotice ? { truncatedNotice: context.truncatedNotice } : {};
}
