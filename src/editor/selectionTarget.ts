import * as vscode from 'vscode';
import { formatSize } from '../prompts/contextBudget';
import { lineSpan } from '../prompts/lineSpan';
import { baseName, looksBinary } from '../prompts/text';
import type { DiagnosticInfo, SelectionContext } from '../prompts/editorPrompts';
import { matchIndentation } from '../prompts/extractCode';

/** Selections above this are refused for rewrites (a cut rewrite would corrupt the file). */
export const REWRITE_LIMIT_CHARS = 40_000;
/** Explanations get at most this much code; the rest is cut with a notice. */
export const EXPLAIN_LIMIT_CHARS = 48_000;
const SURROUNDING_LINES = 8;

export interface Target {
  document: vscode.TextDocument;
  range: vscode.Range;
  context: SelectionContext;
  /** A short label such as "math.ts:3-7". */
  label: string;
}

export type Purpose = 'rewrite' | 'explain';

/**
 * The code an editor action works on: the primary selection; without one, the enclosing
 * function or class from the language's symbol provider; else it asks. Refuses (with a
 * message that says why) what it cannot use: whitespace, binary content, oversized rewrites.
 */
export async function resolveTarget(editor: vscode.TextEditor, purpose: Purpose, explicitRange?: vscode.Range): Promise<Target | undefined> {
  const document = editor.document;
  if (editor.selections.length > 1 && !explicitRange) {
    void vscode.window.showInformationMessage('ModelsLab works on one selection at a time: it used the primary selection.');
  }
  let range: vscode.Range | undefined = explicitRange ?? (editor.selection.isEmpty ? undefined : editor.selection);
  if (!range) range = await enclosingSymbol(document, editor.selection.active);
  if (!range) {
    const choice = await vscode.window.showInformationMessage(
      'ModelsLab: nothing is selected and there is no enclosing function here. Use the whole file?',
      'Use Whole File',
    );
    if (choice !== 'Use Whole File') return undefined;
    range = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
  }
  return targetIn(document, range, purpose);
}

/**
 * The target for exactly `range` of `document` (e.g. a `#file` reference in VS Code's chat),
 * or undefined, with a message that says why, for what cannot be used.
 */
export function targetIn(document: vscode.TextDocument, range: vscode.Range, purpose: Purpose): Target | undefined {
  let code = document.getText(range);
  if (code.trim() === '') {
    void vscode.window.showWarningMessage('ModelsLab: the selection is only whitespace. Select some code first.');
    return undefined;
  }
  if (looksBinary(code)) {
    void vscode.window.showWarningMessage('ModelsLab: this looks like a binary file, so it was not sent.');
    return undefined;
  }
  let truncatedNotice: string | undefined;
  if (purpose === 'rewrite' && code.length > REWRITE_LIMIT_CHARS) {
    void vscode.window.showWarningMessage(
      `ModelsLab: the selection is ${formatSize(code.length)}, more than the ${formatSize(REWRITE_LIMIT_CHARS)} a rewrite can safely handle. Select a smaller part.`,
    );
    return undefined;
  }
  if (purpose === 'explain' && code.length > EXPLAIN_LIMIT_CHARS) {
    truncatedNotice = `The selection is ${formatSize(code.length)}; only its first ${formatSize(EXPLAIN_LIMIT_CHARS)} were sent.`;
    code = code.slice(0, EXPLAIN_LIMIT_CHARS);
    void vscode.window.showWarningMessage(`ModelsLab: ${truncatedNotice}`);
  }

  const path = vscode.workspace.asRelativePath(document.uri);
  const before = document.getText(new vscode.Range(Math.max(0, range.start.line - SURROUNDING_LINES), 0, range.start.line, 0));
  const lastLine = document.lineCount - 1;
  const afterEnd = Math.min(lastLine, range.end.line + SURROUNDING_LINES);
  const after = range.end.line < lastLine ? document.getText(new vscode.Range(range.end.line + 1, 0, afterEnd, document.lineAt(afterEnd).text.length)) : '';
  const { start: startLine, end: endLine } = lineSpan(range);
  const name = baseName(path);
  return {
    document,
    range,
    label: `${name}:${startLine}-${endLine}`,
    context: { path, languageId: document.languageId, code, startLine, endLine, before, after, truncatedNotice },
  };
}

async function enclosingSymbol(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Range | undefined> {
  let symbols: (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined;
  try {
    symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', document.uri);
  } catch {
    return undefined;
  }
  const wanted = new Set([vscode.SymbolKind.Function, vscode.SymbolKind.Method, vscode.SymbolKind.Constructor, vscode.SymbolKind.Class, vscode.SymbolKind.Interface, vscode.SymbolKind.Enum]);
  let best: vscode.Range | undefined;
  const visit = (items: (vscode.DocumentSymbol | vscode.SymbolInformation)[]) => {
    for (const symbol of items) {
      const range = 'range' in symbol ? symbol.range : symbol.location.range;
      if (!range.contains(position)) continue;
      if (wanted.has(symbol.kind) && (!best || best.contains(range))) best = range;
      if ('children' in symbol && symbol.children) visit(symbol.children);
    }
  };
  visit(symbols ?? []);
  return best;
}

/** The Problems reported inside the target, for Fix. */
export function diagnosticsIn(target: Target): DiagnosticInfo[] {
  const severities = ['error', 'warning', 'info', 'hint'] as const;
  return vscode.languages
    .getDiagnostics(target.document.uri)
    .filter((d) => d.range.intersection(target.range) !== undefined)
    .map((d) => ({ line: d.range.start.line + 1, severity: severities[d.severity], message: d.message, source: d.source }));
}

/**
 * The model's code as the replacement of exactly the target's range: indented like the code it
 * replaces (a selection that starts mid-line keeps its first line as it is).
 */
export function replacementFor(target: Pick<Target, 'document' | 'range'>, code: string): string {
  const { document, range } = target;
  const firstLine = document.lineAt(range.start.line).text;
  const startsMidLine = range.start.character > (/^\s*/.exec(firstLine)?.[0].length ?? 0);
  return matchIndentation(code, document.getText(range), startsMidLine);
}
